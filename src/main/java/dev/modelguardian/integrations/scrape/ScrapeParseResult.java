package dev.modelguardian.integrations.scrape;

import java.util.List;

/**
 * The outcome of parsing one scrape body with {@link TextFormatParser#parse(String)}.
 *
 * <p>A body can yield samples and problems at the same time: every readable sample line
 * becomes a sample, every unreadable line a problem.
 *
 * @param samples the samples in the order of their lines; unmodifiable
 * @param problems the unreadable lines in line order; unmodifiable, empty for a clean scrape
 */
public record ScrapeParseResult(List<ScrapedSample> samples, List<ParseProblem> problems) {

    /**
     * Takes unmodifiable copies of both lists.
     *
     * @throws NullPointerException if a list or any of its elements is {@code null}
     */
    public ScrapeParseResult {
        samples = List.copyOf(samples);
        problems = List.copyOf(problems);
    }
}
