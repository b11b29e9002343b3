package dev.modelguardian.integrations.scrape;

import java.util.Map;
import java.util.stream.Collectors;

import dev.modelguardian.core.signal.SignalQuery;

/**
 * A metric of a directly scraped text-format endpoint, selected by name and exact label values: what a signal with
 * {@code source: scrape} reads.
 *
 * @param metric the metric's name
 * @param labels the label values a series must have, exactly
 */
public record ScrapeQuery(String metric, Map<String, String> labels) implements SignalQuery {

    /** The {@code source} of a signal read from a scraped endpoint. */
    public static final String KIND = "scrape";

    public ScrapeQuery {
        labels = Map.copyOf(labels);
    }

    @Override
    public String describe() {
        if (labels.isEmpty()) {
            return metric;
        }
        return metric + labels.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=\"" + e.getValue() + "\"").collect(Collectors.joining(",", "{", "}"));
    }

    @Override
    public String kind() {
        return KIND;
    }
}
