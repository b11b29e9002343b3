package dev.modelguardian.app.wiring;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.signal.SignalQuery;

/**
 * Builds the policies from a validated configuration, ordered by model then signal name; each signal's query comes
 * from the source it reads ({@link Extensions#query}).
 */
public final class Policies {

    private Policies() {
    }

    public static List<Policy> from(ModelSet set) {
        List<Policy> policies = new ArrayList<>();
        new TreeMap<>(set.models()).forEach((model, m) -> new TreeMap<>(m.signals()).forEach((name, s) -> {
            Bound bound = s.above().isPresent() ? Bound.above(s.above().getAsDouble())
                    : Bound.below(s.below().orElseThrow());
            if (s.clear().isPresent()) {
                bound = bound.withClear(s.clear().getAsDouble());
            }
            SignalQuery query = Extensions.query(s);
            policies.add(new Policy(model, name, query, bound, s.forDuration(),
                    s.reduce().orElse(bound.direction().defaultReduce()), s.noData(), s.description().orElse(""),
                    s.breakdown()));
        }));
        return List.copyOf(policies);
    }
}
