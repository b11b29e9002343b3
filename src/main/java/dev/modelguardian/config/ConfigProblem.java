package dev.modelguardian.config;

/**
 * One thing wrong with the configuration: the property (as written in YAML or {@code -D}) and what to do about it.
 */
public record ConfigProblem(String property, String message) {

    @Override
    public String toString() {
        return property + ": " + message;
    }
}
