package dev.modelguardian.notify;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * The wait before each retry, for SmallRye Fault Tolerance's custom backoff: exponential from the initial delay,
 * doubled per retry up to {@code max}, with "equal jitter" (a random point in the upper half, so that senders spread
 * out but never retry at once), and never shorter than a {@code Retry-After} the server sent (honoured up to
 * {@code max}). One instance per delivery: it counts that delivery's retries.
 */
final class Backoff implements CustomBackoffStrategy {

    private final long maxMillis;
    private long initialMillis;
    private int retries;

    Backoff(Duration max) {
        this.maxMillis = Math.max(1, max.toMillis());
    }

    @Override
    public void init(long initialDelayInMillis) {
        this.initialMillis = Math.max(1, initialDelayInMillis);
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        int shift = Math.min(retries, 62);
        long ceiling = initialMillis > (maxMillis >> shift) ? maxMillis : Math.min(maxMillis, initialMillis << shift);
        retries++;
        long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        if (cause instanceof DeliveryFailure.Retryable r && r.retryAfter().isPresent()) {
            delay = Math.max(delay, Math.min(maxMillis, r.retryAfter().get().toMillis()));
        }
        return delay;
    }
}
