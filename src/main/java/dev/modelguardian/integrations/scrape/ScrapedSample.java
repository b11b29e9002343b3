package dev.modelguardian.integrations.scrape;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One sample line of a Prometheus text-format scrape.
 *
 * <p>Histogram and summary series are not grouped: {@code foo_bucket{le="0.5"} 3},
 * {@code foo_sum 1.2}, {@code foo_count 3} and {@code foo{quantile="0.9"} 0.4} are each
 * one sample, named exactly as written.
 *
 * @param name            the metric name as written on the line, e.g. {@code foo_bucket}
 * @param labels          the labels in the order they appear on the line, with escapes already
 *                        resolved; unmodifiable, empty when the line has no label set
 * @param value           the sample value; may be {@link Double#NaN} or an infinity
 * @param timestampMillis the optional timestamp in milliseconds since the epoch (may be negative)
 */
public record ScrapedSample(String name, Map<String, String> labels, double value, OptionalLong timestampMillis) {

    /**
     * Validates the components and takes an unmodifiable, order-preserving copy of {@code labels}.
     *
     * @throws NullPointerException if any component, label name or label value is {@code null}
     */
    public ScrapedSample {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(timestampMillis, "timestampMillis");
        labels = copyLabels(labels);
    }

    private static Map<String, String> copyLabels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = LinkedHashMap.newLinkedHashMap(labels.size());
        for (Map.Entry<String, String> e : labels.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "label name"),
                    Objects.requireNonNull(e.getValue(), "label value"));
        }
        return Collections.unmodifiableMap(copy);
    }
}
