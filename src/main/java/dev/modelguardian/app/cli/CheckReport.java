package dev.modelguardian.app.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import dev.modelguardian.core.policy.Evaluation;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.core.policy.PolicyStatus;

/**
 * The result of {@code check}, in the documented JSON schema {@value #SCHEMA} (see docs/check-output.md).
 *
 * <p>Jackson serialises these records reflectively and no REST endpoint tells the native build about them: they are
 * registered for reflection in {@code app/NativeImage} (with every other such class), not annotated here.
 */
public record CheckReport(String schema, String evaluatedAt, String result, int exitCode, Counts counts,
        List<SignalResult> signals, List<TargetResult> targets) {

    public static final String SCHEMA = "model-guardian/check/v1";
    public static final int EXIT_HEALTHY = 0;
    public static final int EXIT_FIRING = 1;
    public static final int EXIT_INCONCLUSIVE = 2;
    /** {@code --remediate}: a remediation step the cycle decided on failed (the Job could not be created, ...). */
    public static final int EXIT_REMEDIATION_FAILED = 4;

    /**
     * What one training target came to in the remediation cycle of {@code check --remediate}.
     *
     * @param cronJob       the training CronJob, when a CronJob trains the target (else null)
     * @param trainedBy     what trains it, e.g. {@code CronJob ml-training} or {@code WorkflowTemplate ml-retrain}
     * @param state         the remediation state after the cycle, lower case ({@code retraining}, ...)
     * @param reason        what the cycle did or why it held back
     * @param job           the training Job of the remediation under way, if any
     * @param remediationId the remediation under way, if any
     * @param problem       a short code when a step failed ({@code job-create-failed}, {@code no-snapshot},
     *                      {@code action-failed}, {@code did-not-settle}), else null
     */
    public record TargetResult(String target, String cronJob, String trainedBy, String state, String reason, String job,
            String remediationId, String problem) {
    }

    /** How many signals are in each state. */
    public record Counts(int healthy, int pending, int firing, int inconclusive) {
    }

    /** One signal's bound as configured. */
    public record BoundJson(String direction, double trigger, Double clear, String forDuration, String text) {
    }

    /** One signal's outcome. */
    public record SignalResult(String model, String signal, String source, String query, String state, Double value,
            int series, BoundJson bound, String since, String breachSince, String reason,
            int consecutiveSourceErrors, boolean sourceErrorAlert) {
    }

    public static CheckReport of(List<Evaluation> evaluations, Instant now, int sourceErrorLimit) {
        int healthy = 0;
        int pending = 0;
        int firing = 0;
        int inconclusive = 0;
        for (Evaluation e : evaluations) {
            switch (e.status().state()) {
                case HEALTHY -> healthy++;
                case PENDING -> pending++;
                case FIRING -> firing++;
                case INCONCLUSIVE -> inconclusive++;
            }
        }
        int exit = firing > 0 ? EXIT_FIRING : inconclusive > 0 ? EXIT_INCONCLUSIVE : EXIT_HEALTHY;
        String result = switch (exit) {
            case EXIT_FIRING -> "firing";
            case EXIT_INCONCLUSIVE -> "inconclusive";
            default -> "healthy";
        };
        List<SignalResult> signals = evaluations.stream().map(e -> signal(e, sourceErrorLimit)).toList();
        return new CheckReport(SCHEMA, iso(now), result, exit, new Counts(healthy, pending, firing, inconclusive),
                signals, null);
    }

    /**
     * The report with the remediation cycle's outcome per target ({@code check --remediate}); a failed step turns
     * the result into {@code remediation-failed}, exit {@value #EXIT_REMEDIATION_FAILED}, whatever the signals say.
     */
    public CheckReport withTargets(List<TargetResult> cycle) {
        boolean failed = cycle.stream().anyMatch(t -> t.problem() != null);
        return new CheckReport(schema, evaluatedAt, failed ? "remediation-failed" : result,
                failed ? EXIT_REMEDIATION_FAILED : exitCode, counts, signals, List.copyOf(cycle));
    }

    private static SignalResult signal(Evaluation e, int sourceErrorLimit) {
        Policy p = e.policy();
        PolicyStatus s = e.status();
        String source = p.query().kind();
        BoundJson bound = new BoundJson(p.bound().direction().name().toLowerCase(Locale.ROOT), p.bound().trigger(),
                p.bound().clear().isPresent() ? p.bound().clear().getAsDouble() : null, p.forDuration().toString(),
                p.describeBound());
        Double value = s.value().isPresent() ? s.value().getAsDouble() : null;
        return new SignalResult(p.model(), p.signal(), source, p.query().describe(), lower(s.state()), value,
                s.series(), bound, iso(s.since()), s.breachSince().map(CheckReport::iso).orElse(null),
                s.reason().orElse(null), s.consecutiveSourceErrors(), s.consecutiveSourceErrors() >= sourceErrorLimit);
    }

    static String lower(PolicyState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
