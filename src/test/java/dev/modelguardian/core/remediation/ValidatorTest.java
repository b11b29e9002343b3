package dev.modelguardian.core.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.modelguardian.core.registry.ModelVersion;
import dev.modelguardian.core.registry.RegistryModel;
import dev.modelguardian.core.registry.Run;

/** Every edge of a validation rule: exactly at the bound, a missing metric, the regression margin, the candidates. */
class ValidatorTest {

    static final Instant START = Instant.parse("2026-11-24T03:00:00Z");
    static final Instant NOW = START.plusSeconds(3600);
    static final String DURATION = "ticket-duration-predictor";
    static final RecoverySpec.ModelCheck MAE_BELOW_15 = new RecoverySpec.ModelCheck(
            new RegistryModel(DURATION, RegistryModel.Mode.STAGE, "champion"), Optional.empty(),
            List.of(MetricRule.parse("mae_percentage", "< 15")), 0.05);
    static final RecoverySpec.ModelCheck PRECISION_AT_LEAST = new RecoverySpec.ModelCheck(
            new RegistryModel("ticket-anomaly-detector", RegistryModel.Mode.STAGE, "champion"), Optional.empty(),
            List.of(MetricRule.parse("precision", ">= 0.75")), 0.05);

    // ---- rules ------------------------------------------------------------------------------

    @Test
    void givenStrictBelowRule_whenTheCandidateIsExactlyAtTheBound_thenItFails() {
        Verdict v = decided(MAE_BELOW_15, baseline(14.0), candidate("8", Map.of("mae_percentage", 15.0)));

        assertThat(v.passed()).isFalse();
        assertThat(v.models().getFirst().checks().getFirst().detail()).isEqualTo("mae_percentage 15 not < 15");
    }

    @Test
    void givenStrictBelowRule_whenTheCandidateIsJustUnderTheBound_thenItPasses() {
        Verdict v = decided(MAE_BELOW_15, baseline(14.5), candidate("8", Map.of("mae_percentage", 14.99)));

        assertThat(v.passed()).isTrue();
        assertThat(v.models().getFirst().candidate()).contains("8");
    }

    @Test
    void givenAtLeastRule_whenTheCandidateIsExactlyAtTheBound_thenItPasses() {
        Verdict v = decided(PRECISION_AT_LEAST, baselineOf("precision", 0.76), candidateOf("ticket-anomaly-detector",
                "5", Map.of("precision", 0.75)));

        assertThat(v.models().getFirst().checks()).extracting(Verdict.Check::passed).containsExactly(true, true);
    }

    @Test
    void givenAtLeastRule_whenTheCandidateIsBelowTheBound_thenItFailsWithTheNumbers() {
        Verdict v = decided(PRECISION_AT_LEAST, baselineOf("precision", 0.70), candidateOf("ticket-anomaly-detector",
                "5", Map.of("precision", 0.7499)));

        assertThat(v.passed()).isFalse();
        assertThat(v.summary()).contains("precision 0.7499 not >= 0.75");
    }

    @Test
    void givenTheRunDidNotLogTheMetric_whenValidated_thenItFailsNamingTheMetricAndTheRun() {
        Verdict v = decided(MAE_BELOW_15, baseline(14.0), candidate("8", Map.of("mae", 3.2)));

        assertThat(v.passed()).isFalse();
        Verdict.Check check = v.models().getFirst().checks().getFirst();
        assertThat(check.value()).isEmpty();
        assertThat(check.detail()).isEqualTo("mae_percentage missing from run run-8");
    }

    @Test
    void givenARegressionExactlyAtTheMargin_whenValidated_thenItPasses() {
        // 12.6 is 5% worse than 12.0; lower is better for '<'.
        Verdict v = decided(MAE_BELOW_15, baseline(12.0), candidate("8", Map.of("mae_percentage", 12.6)));

        assertThat(v.passed()).isTrue();
        assertThat(v.models().getFirst().checks().get(1).baseline()).contains(12.0);
    }

    @Test
    void givenARegressionJustOverTheMargin_whenValidated_thenItFailsSayingHowMuchWorse() {
        Verdict v = decided(MAE_BELOW_15, baseline(12.0), candidate("8", Map.of("mae_percentage", 12.61)));

        assertThat(v.passed()).isFalse();
        assertThat(v.models().getFirst().checks().get(1).detail())
                .isEqualTo("mae_percentage 12.61 vs v7 12: 5.08% worse (more than 5%)");
    }

    @Test
    void givenHigherIsBetter_whenThePrecisionDropsMoreThanTheMargin_thenItFails() {
        Verdict v = decided(PRECISION_AT_LEAST, baselineOf("precision", 0.90), candidateOf("ticket-anomaly-detector",
                "5", Map.of("precision", 0.80)));

        assertThat(v.passed()).isFalse();
        assertThat(v.models().getFirst().checks().get(0).passed()).isTrue();
        assertThat(v.models().getFirst().checks().get(1).passed()).isFalse();
    }

    @Test
    void givenTheBaselineHasNoValue_whenValidated_thenOnlyTheAbsoluteRuleApplies() {
        Verdict v = decided(MAE_BELOW_15, new Snapshot.Serving("7", Optional.of("run-7"), Map.of()),
                candidate("8", Map.of("mae_percentage", 14.0)));

        assertThat(v.passed()).isTrue();
        assertThat(v.models().getFirst().checks()).hasSize(1);
    }

    @Test
    void givenABaselineOfZero_whenTheCandidateIsWorseAtAll_thenItFails() {
        assertThat(Validator.regression(0.1, 0, true)).isInfinite();
        assertThat(Validator.regression(0, 0, true)).isZero();
    }

    // ---- candidates -------------------------------------------------------------------------

    @Test
    void givenNoVersionRegisteredSinceTheJobStarted_whenValidated_thenItFailsSayingSo() {
        Verdict v = decided(MAE_BELOW_15, baseline(14.0));

        assertThat(v.passed()).isFalse();
        assertThat(v.models().getFirst().problem()).contains("no new version registered since the Job started");
    }

    @Test
    void givenTheOnlyNewVersionIsStillRegistering_whenValidated_thenValidationWaits() {
        RegistryObservation.Candidate pending = withStatus(candidate("8", Map.of("mae_percentage", 10.0)),
                ModelVersion.Status.PENDING_REGISTRATION);

        Validator.Outcome outcome = Validator.validate(Map.of(DURATION, MAE_BELOW_15), snapshot(baseline(14.0)),
                seen(Optional.of(serving("7")), pending), NOW);

        assertThat(outcome).isEqualTo(new Validator.Outcome.Wait(DURATION + " v8 is still PENDING_REGISTRATION"));
    }

    @Test
    void givenTheNewestVersionFailedRegistration_whenValidated_thenItFails() {
        RegistryObservation.Candidate failed = withStatus(candidate("8", Map.of("mae_percentage", 10.0)),
                ModelVersion.Status.FAILED_REGISTRATION);

        Verdict v = decided(MAE_BELOW_15, baseline(14.0), failed);

        assertThat(v.models().getFirst().problem().orElseThrow()).contains("FAILED_REGISTRATION");
    }

    @Test
    void givenTheJobPromotedAVersionItself_whenValidated_thenThatVersionIsTheCandidate() {
        RegistryObservation.Candidate v8 = candidate("8", Map.of("mae_percentage", 10.0));
        RegistryObservation.Candidate v9 = candidate("9", Map.of("mae_percentage", 16.0));
        // v8 serves now (the training script promoted it); v9 is newer but not serving.
        Validator.Outcome outcome = Validator.validate(Map.of(DURATION, MAE_BELOW_15), snapshot(baseline(14.0)),
                seen(Optional.of(serving("8")), v9, v8), NOW);

        Verdict v = ((Validator.Outcome.Decided) outcome).verdict();
        assertThat(v.models().getFirst().candidate()).contains("8");
        assertThat(v.models().getFirst().source()).startsWith("promoted by the training Job");
        assertThat(v.passed()).isTrue();
    }

    @Test
    void givenSeveralNewVersions_whenValidated_thenTheNewestReadyOneIsTheCandidate() {
        Verdict v = decided(MAE_BELOW_15, baseline(14.0), candidate("9", Map.of("mae_percentage", 16.0)),
                candidate("8", Map.of("mae_percentage", 10.0)));

        assertThat(v.models().getFirst().candidate()).contains("9");
        assertThat(v.passed()).isFalse();
    }

    @Test
    void givenARuleWithoutAComparison_whenParsed_thenTheMessageShowsTheForm() {
        assertThatThrownBy(() -> MetricRule.parse("precision", "0.75"))
                .hasMessage("'0.75' has no comparison; write it as '< 15', '<= 15', '> 0.75' or '>= 0.75'");
        assertThatThrownBy(() -> MetricRule.parse("precision", ">= high"))
                .hasMessage("'>= high' has no finite number after '>='; write it as e.g. '>= 15'");
    }

    // ---- helpers ----------------------------------------------------------------------------

    static Snapshot.Serving baseline(double maePercentage) {
        return baselineOf("mae_percentage", maePercentage);
    }

    static Snapshot.Serving baselineOf(String metric, double value) {
        return new Snapshot.Serving("7", Optional.of("run-7"), Map.of(metric, value));
    }

    static Snapshot snapshot(Snapshot.Serving serving) {
        return new Snapshot("r1", START, Map.of(DURATION, serving, "ticket-anomaly-detector", serving),
                Optional.empty(), Map.of());
    }

    static ModelVersion serving(String version) {
        return new ModelVersion(DURATION, version, START.minusSeconds(86400), "Production", ModelVersion.Status.READY,
                Optional.of("run-" + version), List.of());
    }

    static RegistryObservation.Candidate candidate(String version, Map<String, Double> metrics) {
        return candidateOf(DURATION, version, metrics);
    }

    static RegistryObservation.Candidate candidateOf(String model, String version, Map<String, Double> metrics) {
        return new RegistryObservation.Candidate(new ModelVersion(model, version,
                START.plusSeconds(60L * Integer.parseInt(version)), "None", ModelVersion.Status.READY,
                Optional.of("run-" + version), List.of()), Optional.of(new Run("run-" + version, "1", "FINISHED",
                        metrics)));
    }

    static RegistryObservation.Candidate withStatus(RegistryObservation.Candidate c, ModelVersion.Status status) {
        ModelVersion v = c.version();
        return new RegistryObservation.Candidate(new ModelVersion(v.name(), v.version(), v.created(), v.stage(), status,
                v.runId(), v.aliases()), c.run());
    }

    static RegistryObservation.Seen seen(Optional<ModelVersion> servingNow, RegistryObservation.Candidate... c) {
        RegistryObservation.ModelView view = new RegistryObservation.ModelView(servingNow, List.of(c),
                Optional.empty());
        return new RegistryObservation.Seen(Map.of(DURATION, view, "ticket-anomaly-detector", view));
    }

    private static Verdict decided(RecoverySpec.ModelCheck check, Snapshot.Serving baseline,
            RegistryObservation.Candidate... candidates) {
        String model = check.registry().name();
        Validator.Outcome outcome = Validator.validate(Map.of(model, check), snapshot(baseline),
                seen(Optional.of(serving("7")), candidates), NOW);
        assertThat(outcome).isInstanceOf(Validator.Outcome.Decided.class);
        return ((Validator.Outcome.Decided) outcome).verdict();
    }
}
