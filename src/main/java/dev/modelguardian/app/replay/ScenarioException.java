package dev.modelguardian.app.replay;

/** A scenario, or a flag of {@code replay}, that cannot be used; the message names the field or flag and the fix. */
public final class ScenarioException extends RuntimeException {

    public ScenarioException(String message) {
        super(message);
    }
}
