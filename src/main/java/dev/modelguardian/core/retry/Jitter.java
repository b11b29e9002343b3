package dev.modelguardian.core.retry;

/** How a {@link Backoff} spreads a computed wait {@code d} at random, so that clients do not retry in step. */
public enum Jitter {

    /** Exactly {@code d}: a deterministic backoff. */
    NONE,

    /**
     * "Equal jitter": {@code d/2} plus a random part of up to {@code d/2}, so the wait lies in the upper half of
     * {@code d} (clients spread out, and never retry at once).
     */
    EQUAL,

    /** {@code d} plus a random part of up to {@code d/2}, never more than the backoff's maximum. */
    UP_TO_HALF_MORE
}
