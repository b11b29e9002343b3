package dev.modelguardian.integrations.mlflow;

import java.util.Optional;

/**
 * An MLflow call failed. The message names the call, the HTTP status and MLflow's {@code error_code} and
 * {@code message}; it never contains credentials (they travel in a header that no message or log line shows).
 * {@link Retryable} (the type the retries go by) for connection errors, timeouts and 5xx answers; {@link Permanent}
 * for the rest, every 4xx included.
 */
public abstract sealed class MlflowException extends RuntimeException
        permits MlflowException.Retryable, MlflowException.Permanent {

    /** MLflow's code for a missing experiment, model, version or run (HTTP 404). */
    public static final String RESOURCE_DOES_NOT_EXIST = "RESOURCE_DOES_NOT_EXIST";
    /** MLflow's code for a bad parameter (HTTP 400); also what 2.x answers for a missing alias. */
    public static final String INVALID_PARAMETER_VALUE = "INVALID_PARAMETER_VALUE";

    private final String call;
    private final int status;
    private final String errorCode;
    private final String mlflowMessage;
    private final String detail;

    private MlflowException(String call, int status, String errorCode, String mlflowMessage, String detail,
            Throwable cause) {
        super(format(call, status, errorCode, mlflowMessage, detail), cause);
        this.call = call;
        this.status = status;
        this.errorCode = errorCode;
        this.mlflowMessage = mlflowMessage;
        this.detail = detail;
    }

    /** A failure that may go away: the connection failed, the call timed out, or MLflow answered 5xx. */
    public static final class Retryable extends MlflowException {
        private Retryable(String call, int status, String errorCode, String mlflowMessage, String detail,
                Throwable cause) {
            super(call, status, errorCode, mlflowMessage, detail, cause);
        }
    }

    /** A failure another attempt cannot help: a 4xx answer, an unreadable answer, a TLS handshake refused. */
    public static final class Permanent extends MlflowException {
        private Permanent(String call, int status, String errorCode, String mlflowMessage, String detail,
                Throwable cause) {
            super(call, status, errorCode, mlflowMessage, detail, cause);
        }
    }

    private static MlflowException of(String call, int status, String errorCode, String mlflowMessage, String detail,
            boolean retryable, Throwable cause) {
        return retryable ? new Retryable(call, status, errorCode, mlflowMessage, detail, cause)
                : new Permanent(call, status, errorCode, mlflowMessage, detail, cause);
    }

    /** An answer with an error status; {@code detail} says more when MLflow's own error body was missing. */
    static MlflowException http(String call, int status, String errorCode, String mlflowMessage, String detail) {
        return of(call, status, errorCode, mlflowMessage, detail, status >= 500, null);
    }

    /** The call's answer never came (connection refused or reset, timeout, TLS failure). */
    static MlflowException transport(String call, String detail, Throwable cause) {
        return of(call, 0, null, null, detail, true, cause);
    }

    /** A 2xx answer that is not the JSON the call returns. */
    static MlflowException unreadable(String call, int status, String detail, Throwable cause) {
        return of(call, status, null, null, detail, false, cause);
    }

    /** The same failure attributed to {@code call} (the error mapper does not know which call it maps). */
    MlflowException forCall(String call) {
        return this.call != null ? this
                : of(call, status, errorCode, mlflowMessage, detail, retryable(), getCause());
    }

    /** The same failure, saying it was the last of {@code attempts} attempts. */
    MlflowException afterAttempts(int attempts) {
        String more = "gave up after " + attempts + " attempts";
        return of(call, status, errorCode, mlflowMessage, detail == null ? more : detail + "; " + more, retryable(),
                getCause());
    }

    private static String format(String call, int status, String errorCode, String mlflowMessage, String detail) {
        StringBuilder text = new StringBuilder("MLflow ").append(call == null ? "call" : call).append(" failed: ");
        if (status > 0) {
            text.append("HTTP ").append(status);
        }
        if (errorCode != null) {
            text.append(' ').append(errorCode);
        }
        if (mlflowMessage != null) {
            text.append(": ").append(mlflowMessage);
        }
        if (detail != null) {
            text.append(status > 0 ? (errorCode == null && mlflowMessage == null ? ": " : "; ") : "").append(detail);
        }
        return text.toString();
    }

    /** The failed call, e.g. {@code GET registered-models/alias}. */
    public String call() {
        return call;
    }

    /** HTTP status of the answer; 0 when no answer came. */
    public int status() {
        return status;
    }

    /** MLflow's {@code error_code}, e.g. {@code RESOURCE_DOES_NOT_EXIST}, when the answer had one. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** MLflow's own {@code message}, when the answer had one. */
    public Optional<String> mlflowMessage() {
        return Optional.ofNullable(mlflowMessage);
    }

    /** Whether another attempt may succeed: this is a {@link Retryable}. */
    public boolean retryable() {
        return this instanceof Retryable;
    }

    /** Whether the answer was {@code httpStatus} with MLflow's {@code error_code} {@code code}. */
    public boolean is(int httpStatus, String code) {
        return status == httpStatus && code.equals(errorCode);
    }
}
