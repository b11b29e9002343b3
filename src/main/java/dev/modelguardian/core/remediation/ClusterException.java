package dev.modelguardian.core.remediation;

/**
 * An action of a port on the outside world failed: starting or observing a training, reading or changing the model
 * server. {@code permanent} when retrying the same request cannot help; the engine decides by that flag, never by the
 * message.
 */
public final class ClusterException extends RuntimeException {
    private final boolean permanent;

    /**
     * @param message   what failed and, where known, how to fix it
     * @param permanent whether retrying the same request cannot help
     * @param cause     the failure underneath, or {@code null}
     */
    public ClusterException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    /** Whether retrying the same request cannot help. */
    public boolean permanent() {
        return permanent;
    }
}
