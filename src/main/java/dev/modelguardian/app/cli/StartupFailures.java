package dev.modelguardian.app.cli;

import java.util.LinkedHashSet;
import java.util.Set;

/** Turns a start-up failure (usually a configuration value that cannot be converted) into one readable line. */
final class StartupFailures {

    /** Class names SmallRye puts in front of its messages; the reader needs the message. */
    private static final java.util.regex.Pattern EXCEPTION_PREFIX =
            java.util.regex.Pattern.compile("(java|io\\.smallrye)[\\w.]*(Exception|Error): ");

    private StartupFailures() {
    }

    static String describe(Throwable failure) {
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && !message.startsWith("Failed to start")
                    && !message.startsWith("java.lang.")) {
                messages.add(message.strip());
            }
        }
        String text = messages.isEmpty() ? failure.toString() : String.join(" / ", messages);
        return EXCEPTION_PREFIX.matcher(text).replaceAll("");
    }
}
