package dev.modelguardian.config.extension;

import java.util.Optional;

import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.policy.NoDataPolicy;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.signal.Observation;

/** What every metric source's {@code doctor} checks say the same way: what one signal reads now. */
public final class SourceChecks {

    private SourceChecks() {
    }

    /**
     * The check {@code signal/<model>/<signal>} of what {@code policy}'s signal reads now.
     *
     * @param fix a fix that replaces the general one of a NaN value or of no data, when the source knows better
     */
    public static Check judge(Policy policy, Observation o, Optional<String> fix) {
        String check = "signal/" + policy.key();
        String query = policy.query().describe();
        return switch (o) {
            case Observation.Value v when Double.isFinite(v.value()) -> Check.ok(check,
                    "value " + Bound.format(v.value()) + " from " + v.series() + " series"
                            + " (bound " + policy.describeBound() + ")");
            case Observation.Value v -> Check.warn(check, "value " + v.value() + " from " + query
                    + ": the signal is inconclusive", fix.orElse("the metric reports NaN: check the model server"));
            case Observation.NoData n when policy.noData() == NoDataPolicy.HEALTHY -> Check.ok(check,
                    "no data now, which counts as healthy (no-data: healthy)");
            case Observation.NoData n -> Check.warn(check, "no data now for " + query,
                    fix.orElse("check the metric name and labels in Prometheus; without data the signal stays"
                            + " inconclusive and never fires"));
            case Observation.SourceError e -> Check.fail(check, "query failed: " + e.message(),
                    "fix the query of guardian.models." + policy.model() + ".signals." + policy.signal());
        };
    }
}
