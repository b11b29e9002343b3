package dev.modelguardian.core.remediation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.registry.ModelVersion;

/**
 * Validation of a training run's candidates, a pure function: for each trained model, the candidate (the version the
 * Job promoted itself, else the newest READY version registered since the Job started) is checked against the
 * model's absolute rules and against the snapshot's serving version for regression. Every number used is kept in
 * the {@link Verdict}.
 */
public final class Validator {

    /** Relative tolerance so that a value exactly at a regression margin passes despite binary fractions. */
    private static final double EPSILON = 1e-9;

    private Validator() {
    }

    /** The outcome: a verdict, or a reason to wait (versions still registering). */
    public sealed interface Outcome {
        record Decided(Verdict verdict) implements Outcome {
        }

        record Wait(String reason) implements Outcome {
        }
    }

    public static Outcome validate(Map<String, RecoverySpec.ModelCheck> checks, Snapshot snapshot,
            RegistryObservation.Seen seen, Instant now) {
        List<Verdict.ModelVerdict> verdicts = new ArrayList<>();
        for (var entry : new java.util.TreeMap<>(checks).entrySet()) {
            String model = entry.getKey();
            RegistryObservation.ModelView view = seen.models().get(model);
            Snapshot.Serving baseline = snapshot.models().get(model);
            if (view == null || baseline == null) {
                verdicts.add(problem(model, "not read from the registry"));
                continue;
            }
            if (view.problem().isPresent()) {
                verdicts.add(problem(model, view.problem().get()));
                continue;
            }
            Optional<String> serving = view.servingNow().map(ModelVersion::version);
            if (serving.isPresent() && !serving.get().equals(baseline.version())) {
                Optional<RegistryObservation.Candidate> promoted = view.candidates().stream()
                        .filter(c -> c.version().version().equals(serving.get())).findFirst();
                String source = "promoted by the training Job (" + entry.getValue().registry().servingLabel()
                        + " was v" + baseline.version() + ")";
                if (promoted.isEmpty()) {
                    verdicts.add(new Verdict.ModelVerdict(model, serving, source, false, List.of(),
                            Optional.of("v" + serving.get() + " serves now but was not registered by this run's"
                                    + " experiment since the Job started")));
                    continue;
                }
                verdicts.add(check(model, promoted.get(), source, entry.getValue(), baseline));
                continue;
            }
            List<RegistryObservation.Candidate> fresh = view.candidates().stream()
                    .filter(c -> !c.version().version().equals(baseline.version())).toList();
            Optional<RegistryObservation.Candidate> ready = fresh.stream()
                    .filter(c -> c.version().status() == ModelVersion.Status.READY).findFirst();
            if (ready.isPresent()) {
                verdicts.add(check(model, ready.get(), "registered " + ready.get().version().created()
                        + " by run " + ready.get().version().runId().orElse("?"), entry.getValue(), baseline));
                continue;
            }
            Optional<RegistryObservation.Candidate> pending = fresh.stream()
                    .filter(c -> c.version().status() == ModelVersion.Status.PENDING_REGISTRATION).findFirst();
            if (pending.isPresent()) {
                return new Outcome.Wait(model + " v" + pending.get().version().version()
                        + " is still PENDING_REGISTRATION");
            }
            verdicts.add(problem(model, fresh.isEmpty() ? "no new version registered since the Job started"
                    : "every new version failed registration (FAILED_REGISTRATION)"));
        }
        return new Outcome.Decided(new Verdict(now, verdicts.stream().allMatch(Verdict.ModelVerdict::passed),
                verdicts));
    }

    static Verdict.ModelVerdict check(String model, RegistryObservation.Candidate candidate, String source,
            RecoverySpec.ModelCheck spec, Snapshot.Serving baseline) {
        List<Verdict.Check> checks = new ArrayList<>();
        Map<String, Double> metrics = candidate.metrics();
        for (MetricRule rule : spec.rules()) {
            Double value = metrics.get(rule.metric());
            if (value == null || value.isNaN()) {
                checks.add(new Verdict.Check(rule.metric(), rule.text(), Optional.empty(), Optional.empty(), false,
                        rule.metric() + " missing from run " + candidate.version().runId().orElse("?")));
                continue;
            }
            boolean holds = rule.holds(value);
            checks.add(new Verdict.Check(rule.metric(), rule.text(), Optional.of(value), Optional.empty(), holds,
                    rule.metric() + " " + Bound.format(value) + (holds ? " " : " not ") + rule.text()));
            Double base = baseline.metrics().get(rule.metric());
            if (base == null || base.isNaN()) {
                continue;
            }
            double regression = regression(value, base, rule.op().lowerIsBetter());
            boolean within = regression <= spec.maxRegression() + EPSILON;
            String margin = percent(spec.maxRegression());
            checks.add(new Verdict.Check(rule.metric(), "regression <= " + margin + " vs v" + baseline.version(),
                    Optional.of(value), Optional.of(base), within,
                    rule.metric() + " " + Bound.format(value) + " vs v" + baseline.version() + " "
                            + Bound.format(base) + (regression > 0 ? ": " + percent(regression) + " worse" : ": not worse")
                            + (within ? "" : " (more than " + margin + ")")));
        }
        boolean passed = checks.stream().allMatch(Verdict.Check::passed);
        return new Verdict.ModelVerdict(model, Optional.of(candidate.version().version()), source, passed, checks,
                Optional.empty());
    }

    /** How much worse {@code value} is than {@code base}, as a fraction of {@code base}; 0 or less when not worse. */
    static double regression(double value, double base, boolean lowerIsBetter) {
        double worse = lowerIsBetter ? value - base : base - value;
        if (base == 0) {
            return worse > 0 ? Double.POSITIVE_INFINITY : 0;
        }
        return worse / Math.abs(base);
    }

    private static String percent(double fraction) {
        return Double.isInfinite(fraction) ? "infinitely" : Bound.format(Math.round(fraction * 10000) / 100.0) + "%";
    }

    private static Verdict.ModelVerdict problem(String model, String why) {
        return new Verdict.ModelVerdict(model, Optional.empty(), "-", false, List.of(), Optional.of(why));
    }
}
