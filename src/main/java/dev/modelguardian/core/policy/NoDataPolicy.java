package dev.modelguardian.core.policy;

/** What it means when a signal's query returns no series at all. */
public enum NoDataPolicy {
    /** Unknown: neither healthy nor a trigger. The safe default. */
    INCONCLUSIVE,
    /** The metric disappears when all is well. */
    HEALTHY,
    /** The metric disappearing is itself a breach (a heartbeat, say). */
    BREACH
}
