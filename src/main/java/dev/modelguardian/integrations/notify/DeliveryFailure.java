package dev.modelguardian.integrations.notify;

import java.time.Duration;
import java.util.Optional;

/**
 * Why one try of a delivery failed. The message names the HTTP status or the kind of I/O failure, never the URL, the
 * body or a header.
 */
public abstract sealed class DeliveryFailure extends Exception {

    private DeliveryFailure(String message) {
        super(message, null, false, false);
    }

    /** Worth another try: 429, 5xx, a timeout or a connection failure; {@code retryAfter} as the server asked. */
    public static final class Retryable extends DeliveryFailure {
        private final transient Optional<Duration> retryAfter;

        public Retryable(String message, Optional<Duration> retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        public Optional<Duration> retryAfter() {
            return retryAfter;
        }
    }

    /** Another try cannot help: any other 4xx (bad payload, wrong key, channel gone). */
    public static final class Permanent extends DeliveryFailure {
        public Permanent(String message) {
            super(message);
        }
    }
}
