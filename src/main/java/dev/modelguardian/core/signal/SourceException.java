package dev.modelguardian.core.signal;

/** A metric source could not answer. The message is safe to log: it never contains credentials. */
public final class SourceException extends Exception {

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
