package dev.modelguardian.integrations.scrape;

import java.util.Objects;

/**
 * A line of a scrape body that {@link TextFormatParser} could not read. The line contributed no
 * sample; parsing went on with the next line.
 *
 * @param line   the 1-based line number in the scrape body
 * @param reason a short, human-readable reason, e.g. {@code "unterminated label value"}
 * @param text   the offending line without its line ending and surrounding whitespace,
 *               truncated to {@value TextFormatParser#MAX_PROBLEM_TEXT} characters
 */
public record ParseProblem(int line, String reason, String text) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if {@code reason} or {@code text} is {@code null}
     */
    public ParseProblem {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(text, "text");
    }
}
