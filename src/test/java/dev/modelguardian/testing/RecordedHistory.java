package dev.modelguardian.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.modelguardian.app.replay.Scenario;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.integrations.prometheus.PromQlQuery;

/**
 * A scenario "recorded" as the metrics a real exporter would have written: one OpenMetrics sample per {@code every}
 * for each scripted signal, on the series its policy's query selects. Only queries of the form
 * {@code max(selector)} / {@code min(selector)} (the bundled Neural Hive ones) can be recorded. Gaps are left out;
 * source errors cannot be recorded and are left out too.
 */
public final class RecordedHistory {

    private static final Pattern AGGREGATED_SELECTOR = Pattern.compile("^(?:max|min)\\((([a-zA-Z_:][a-zA-Z0-9_:]*)\\{.*})\\)$");

    private RecordedHistory() {
    }

    /**
     * What Prometheus recorded during a past drift incident: the signals of the bundled drift incident as they were,
     * recovering on their own (src/test/resources/recorded/drift-history.yaml; no world, so nothing reacts).
     */
    public static Scenario drift() {
        try (var in = RecordedHistory.class.getClassLoader().getResourceAsStream("recorded/drift-history.yaml")) {
            return Scenario.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                    "recorded/drift-history.yaml");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The input of a split signal (a policy with a breakdown label) that carries the recorded values. */
    public static final String DRIFTED = "ticket_priority";
    /** The other input of a split signal, at half the recorded values. */
    public static final String STEADY = "queue_depth";

    private static void sample(StringBuilder family, String series, double value, long seconds) {
        family.append(series).append(' ').append(Double.isNaN(value) ? "NaN" : Double.toString(value)).append(' ')
                .append(seconds).append('\n');
    }

    /** {@code name{a="b"}} with {@code label="value"} added. */
    private static String labelled(String selector, String label, String value) {
        int brace = selector.indexOf('{');
        return brace < 0 ? selector + "{" + label + "=\"" + value + "\"}"
                : selector.substring(0, brace + 1) + label + "=\"" + value + "\"," + selector.substring(brace + 1);
    }

    /**
     * The scenario's signals as OpenMetrics samples every {@code every}, each on the selector of its policy's query;
     * a signal its policy splits by a label ({@link Policy#breakdown()}) as two inputs, {@link #DRIFTED} with the
     * recorded values and {@link #STEADY} at half of them, so that the policy's max(...) reads the recorded values.
     */
    public static String openMetrics(Scenario scenario, List<Policy> policies, Duration every) {
        Map<String, StringBuilder> families = new LinkedHashMap<>();
        for (String signal : scenario.signals().keySet()) {
            Policy policy = policies.stream().filter(p -> p.key().equals(signal)).findFirst().orElseThrow();
            String query = ((PromQlQuery) policy.query()).query();
            Matcher m = AGGREGATED_SELECTOR.matcher(query);
            if (!m.matches()) {
                throw new IllegalArgumentException("cannot record " + query + ": expected max(selector) or min(selector)");
            }
            StringBuilder family = families.computeIfAbsent(m.group(2), name -> new StringBuilder());
            for (Duration at = Duration.ZERO; at.compareTo(scenario.duration()) <= 0; at = at.plus(every)) {
                long seconds = scenario.start().plus(at).getEpochSecond();
                switch (scenario.observe(signal, at)) {
                    case Observation.Value v -> {
                        if (policy.breakdown().isEmpty()) {
                            sample(family, m.group(1), v.value(), seconds);
                        } else {
                            // Two inputs whose maximum is the recorded value: the one that drifted, one at half of it.
                            sample(family, labelled(m.group(1), policy.breakdown().get(), DRIFTED), v.value(),
                                    seconds);
                            sample(family, labelled(m.group(1), policy.breakdown().get(), STEADY), v.value() / 2,
                                    seconds);
                        }
                    }
                    case Observation.NoData ignored -> {
                    }
                    case Observation.SourceError ignored -> {
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder();
        families.forEach((name, samples) -> out.append("# TYPE ").append(name).append(" gauge\n").append(samples));
        return out.append("# EOF\n").toString();
    }
}
