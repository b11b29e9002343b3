package dev.modelguardian.core.signal;

import java.util.Map;
import java.util.stream.Collectors;

/** What to read for a signal, per source. */
public sealed interface SignalQuery {

    /** Short text for tables and logs. */
    String describe();

    /** The {@link MetricSource#kind() kind} of source that reads this query, as a signal's {@code source} key names it. */
    String kind();

    /** An instant PromQL query against the Prometheus HTTP API. */
    record PromQl(String query) implements SignalQuery {

        /** The {@code source} of a signal read by PromQL. */
        public static final String KIND = "prometheus";

        @Override
        public String describe() {
            return query;
        }

        @Override
        public String kind() {
            return KIND;
        }
    }

    /** A metric of a directly scraped text-format endpoint, selected by name and exact label values. */
    record Scrape(String metric, Map<String, String> labels) implements SignalQuery {

        /** The {@code source} of a signal read from a scraped endpoint. */
        public static final String KIND = "scrape";

        public Scrape {
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
}
