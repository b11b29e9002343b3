package dev.modelguardian.core.signal;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The metric sources a guardian reads, by {@link MetricSource#kind() kind}: the registry the policy engine selects a
 * signal's source from. Production registers one source per kind from configuration ({@code SignalBeans}); a replay
 * registers its simulated ones. Immutable.
 */
public final class MetricSources {

    private final Map<String, MetricSource> byKind;

    private MetricSources(Map<String, MetricSource> byKind) {
        this.byKind = Map.copyOf(byKind);
    }

    /**
     * The given sources, each under its own kind.
     *
     * @throws IllegalArgumentException if two sources have the same kind
     */
    public static MetricSources of(MetricSource... sources) {
        Map<String, MetricSource> byKind = new LinkedHashMap<>();
        for (MetricSource source : sources) {
            MetricSource other = byKind.putIfAbsent(source.kind(), source);
            if (other != null) {
                throw new IllegalArgumentException("two metric sources of kind '" + source.kind() + "'");
            }
        }
        return new MetricSources(byKind);
    }

    /** The source of {@code kind}, if one is registered. */
    public Optional<MetricSource> get(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    /**
     * Opens one cycle at {@code at} of the source of {@code kind}; a kind nobody registered opens a cycle whose every
     * read is a source error saying so.
     */
    public MetricSource.Cycle open(String kind, Instant at) {
        return get(kind).orElseGet(() -> MetricSource.unavailable(kind, "no metric source of kind '" + kind
                + "' is registered")).open(at);
    }

    /** Opens one cycle at {@code at} of the source of each of {@code kinds}, in their order, each once. */
    public Map<String, MetricSource.Cycle> open(Collection<String> kinds, Instant at) {
        Map<String, MetricSource.Cycle> cycles = new LinkedHashMap<>();
        for (String kind : kinds) {
            if (!cycles.containsKey(kind)) {
                cycles.put(kind, open(kind, at));
            }
        }
        return Map.copyOf(cycles);
    }
}
