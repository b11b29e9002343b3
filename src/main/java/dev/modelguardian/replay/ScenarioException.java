package dev.modelguardian.replay;

/** A scenario that cannot be read; the message names the field and the fix. */
public final class ScenarioException extends RuntimeException {

    public ScenarioException(String message) {
        super(message);
    }
}
