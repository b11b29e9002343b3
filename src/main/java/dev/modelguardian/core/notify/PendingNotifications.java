package dev.modelguardian.core.notify;

import java.time.Duration;

/**
 * Notifications queued and perhaps not sent yet: the port a one-shot command ({@code check --remediate},
 * {@code remediate}, {@code approve}) waits on before it exits, so that what it queued is not lost with the process.
 */
public interface PendingNotifications {

    /**
     * Waits until every queued notification has been sent or given up, at most {@code max}.
     *
     * @return how many requests were still unfinished (and are lost when the process exits)
     */
    int awaitDelivered(Duration max);
}
