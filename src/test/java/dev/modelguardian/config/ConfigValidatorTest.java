package dev.modelguardian.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.config.GuardianConfig.Model;
import dev.modelguardian.integrations.mlflow.MlflowSettings;
import dev.modelguardian.testing.TestConfigs;

/**
 * Every rule of {@link ConfigValidator}, on a real {@link GuardianConfig} mapped from YAML text exactly as the
 * application maps its files (Quarkus' duration converter, unknown properties allowed).
 */
class ConfigValidatorTest {

    private static final String SIGNAL = "guardian.models.m.signals.s";

    // ---- helpers ------------------------------------------------------------------------

    private static GuardianConfig load(String yaml) {
        return TestConfigs.fromYaml(yaml);
    }

    private static Settings settings(String yaml) {
        return TestConfigs.settings(yaml);
    }

    private static List<ConfigProblem> validate(String yaml) {
        Settings settings = settings(yaml);
        return Extensions.validate(settings, ModelSet.resolve(settings));
    }

    /** YAML of one model {@code m} with one signal {@code s} whose properties are {@code signalBody}. */
    private static String oneSignal(String signalBody) {
        return """
                guardian:
                  models:
                    m:
                      signals:
                        s:
                """ + signalBody.indent(10);
    }

    /** YAML of two valid models {@code a} and {@code b}, followed by {@code rest} under {@code guardian:}. */
    private static String twoModels(String rest) {
        return """
                guardian:
                  models:
                    a:
                      signals:
                        s:
                          query: up
                          above: 1
                    b:
                      signals:
                        s:
                          query: up
                          above: 1
                """ + rest.indent(2);
    }

    /** The one problem of a configuration that must have exactly one. */
    private static ConfigProblem single(String yaml) {
        List<ConfigProblem> problems = validate(yaml);
        assertThat(problems).as("problems of%n%s", yaml).hasSize(1);
        return problems.get(0);
    }

    // ---- a signal's bounds ------------------------------------------------------------------

    @Test
    void givenSignalWithoutAboveOrBelow_whenValidated_thenProblemOnTheSignalAsksForExactlyOneBound() {
        ConfigProblem problem = single(oneSignal("query: up"));

        assertThat(problem.property()).isEqualTo(SIGNAL);
        assertThat(problem.message()).contains("no bound").contains("set exactly one of 'above' or 'below'");
    }

    @Test
    void givenSignalWithAboveAndBelow_whenValidated_thenProblemOnTheSignalSaysKeepOne() {
        ConfigProblem problem = single(oneSignal("query: up\nabove: 0.3\nbelow: 0.1"));

        assertThat(problem.property()).isEqualTo(SIGNAL);
        assertThat(problem.message()).contains("both 'above' and 'below'").contains("keep one")
                .contains("use two signals");
    }

    @Test
    void givenABreakdownThatIsNotALabelName_whenValidated_thenProblemOnTheBreakdownShowsOne() {
        ConfigProblem problem = single(oneSignal("query: max(psi)\nabove: 0.25\nbreakdown: \"feature name\""));

        assertThat(problem.property()).isEqualTo(SIGNAL + ".breakdown");
        assertThat(problem.message()).contains("'feature name' is not a label name").contains("e.g. feature");
    }

    @Test
    void givenABreakdownOnAQueryThatIsNotMaxOrMin_whenValidated_thenProblemSaysWhichShapeItNeeds() {
        ConfigProblem problem = single(oneSignal("query: sum(psi)\nabove: 0.25\nbreakdown: feature"));

        assertThat(problem.property()).isEqualTo(SIGNAL + ".breakdown");
        assertThat(problem.message()).contains("'feature' can only split a query that is max(...) or min(...) of the"
                + " series that carry it, not sum(psi)");
    }

    @Test
    void givenABreakdownOnAScrapedSignal_whenValidated_thenProblemSaysTheSourceKeepsNoHistory() {
        List<ConfigProblem> problems = validate(oneSignal(
                "source: scrape\nmetric: psi\nabove: 0.25\nbreakdown: feature"));

        assertThat(problems).filteredOn(p -> p.property().equals(SIGNAL + ".breakdown")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("the scrape source keeps no history to rank"
                        + " 'feature' over; remove breakdown or read the signal from prometheus"));
    }

    @Test
    void givenNegativeBound_whenValidated_thenProblemOnThatBoundAsksForAValueAtLeastZero() {
        ConfigProblem problem = single(oneSignal("query: up\nabove: -0.25"));

        assertThat(problem.property()).isEqualTo(SIGNAL + ".above");
        assertThat(problem.message()).contains("negative bound -0.25").contains("use a value >= 0");
    }

    @Test
    void givenNaNBound_whenValidated_thenProblemOnThatBoundAsksForAFiniteNumber() {
        ConfigProblem problem = single(oneSignal("query: up\nbelow: \"NaN\""));

        assertThat(problem.property()).isEqualTo(SIGNAL + ".below");
        assertThat(problem.message()).contains("NaN is not a usable bound").contains("use a finite number");
    }

    @Test
    void givenYamlDotNaNBound_whenLoaded_thenMappingFailsNamingTheProperty() {
        // YAML's own NaN literal never reaches the validator: the double converter refuses ".NaN".
        assertThatThrownBy(() -> load(oneSignal("query: up\nabove: .NaN")))
                .hasMessageContaining(SIGNAL + ".above").hasMessageContaining(".NaN");
    }

    @Test
    void givenInfiniteBound_whenValidated_thenProblemOnThatBoundAsksForAFiniteNumber() {
        ConfigProblem problem = single(oneSignal("query: up\nabove: Infinity"));

        assertThat(problem.property()).isEqualTo(SIGNAL + ".above");
        assertThat(problem.message()).contains("+Inf is not a usable bound").contains("use a finite number");
    }

    @Test
    void givenNonFiniteClearBound_whenValidated_thenProblemOnClearOnly() {
        ConfigProblem problem = single(oneSignal("query: up\nabove: 0.25\nclear: -Infinity"));

        assertThat(problem.property()).isEqualTo(SIGNAL + ".clear");
        assertThat(problem.message()).contains("-Inf is not a usable bound").contains("use a finite number");
    }

    @Test
    void givenNegativeFor_whenValidated_thenProblemOnForSuggestsZeroOrAPositiveDuration() {
        // Quarkus' converter reads "-5m" as minus five minutes (so does "-PT5M").
        for (String negative : List.of("-5m", "-PT5M")) {
            ConfigProblem problem = single(oneSignal("query: up\nabove: 20\nfor: " + negative));

            assertThat(problem.property()).as(negative).isEqualTo(SIGNAL + ".for");
            assertThat(problem.message()).as(negative).contains("negative duration")
                    .contains("use 0s to fire at once or a positive duration such as 1h");
        }
    }

    @Test
    void givenAboveSignalWithClearAboveTheTrigger_whenValidated_thenProblemOnClearSuggestsAValueBelow() {
        ConfigProblem problem = single(oneSignal("query: up\nabove: 0.25\nclear: 0.3"));

        assertThat(problem.property()).isEqualTo(SIGNAL + ".clear");
        assertThat(problem.message()).contains("clear bound 0.3 is above the trigger bound 0.25")
                .contains("must be at or below the trigger, e.g. 0.225");
    }

    @Test
    void givenBelowSignalWithClearBelowTheTrigger_whenValidated_thenProblemOnClearSuggestsAValueAbove() {
        ConfigProblem problem = single(oneSignal("query: up\nbelow: 0.70\nclear: 0.6"));

        assertThat(problem.property()).isEqualTo(SIGNAL + ".clear");
        assertThat(problem.message()).contains("clear bound 0.6 is below the trigger bound 0.7")
                .contains("must be at or above the trigger, e.g. 0.77");
    }

    @Test
    void givenClearEqualToTheTrigger_whenValidated_thenNoProblem() {
        assertThat(validate(oneSignal("query: up\nabove: 0.25\nclear: 0.25"))).isEmpty();
        assertThat(validate(oneSignal("query: up\nbelow: 0.7\nclear: 0.7"))).isEmpty();
    }

    // ---- a signal's source --------------------------------------------------------------

    @Test
    void givenPrometheusSignalWithEmptyQuery_whenValidated_thenProblemOnQueryAsksForPromQl() {
        for (String query : List.of("query: \"\"", "query: \"  \"", "description: no query at all")) {
            ConfigProblem problem = single(oneSignal(query + "\nabove: 1"));

            assertThat(problem.property()).as(query).isEqualTo(SIGNAL + ".query");
            assertThat(problem.message()).as(query).contains("empty query")
                    .contains("set the PromQL expression to evaluate");
        }
    }

    @Test
    void givenScrapeSignalWithoutMetric_whenValidated_thenProblemOnMetricSaysTheScrapeSourceSelectsByName() {
        ConfigProblem problem = single(oneSignal("source: scrape\nabove: 1"));

        assertThat(problem.property()).isEqualTo(SIGNAL + ".metric");
        assertThat(problem.message()).contains("empty metric name")
                .contains("the scrape source selects a metric by name");
    }

    @Test
    void givenScrapeSignalWithInvalidMetricName_whenValidated_thenProblemOnMetricListsTheAllowedCharacters() {
        ConfigProblem problem = single(oneSignal("source: scrape\nmetric: 1mae-percentage\nabove: 1"));

        assertThat(problem.property()).isEqualTo(SIGNAL + ".metric");
        assertThat(problem.message()).contains("'1mae-percentage' is not a metric name")
                .contains("use letters, digits, '_' and ':'");
    }

    @Test
    void givenScrapeSignalWithValidMetric_whenValidated_thenNoProblem() {
        assertThat(validate(oneSignal("""
                source: scrape
                metric: model:mae_percentage
                labels:
                  model_name: ticket-duration-predictor
                above: 20""")))
                .isEmpty();
    }

    @Test
    void givenUnknownSource_whenValidated_thenProblemOnSourceNamesTheTwoSources() {
        ConfigProblem problem = single(oneSignal("source: graphite\nquery: up\nabove: 1"));

        assertThat(problem.property()).isEqualTo(SIGNAL + ".source");
        assertThat(problem.message()).contains("unknown source 'graphite'").contains("use 'prometheus' or 'scrape'");
    }

    // ---- Prometheus connection ----------------------------------------------------------

    @Test
    void givenPrometheusUrlThatIsNotAUrl_whenValidated_thenProblemOnUrlAsksForAnAbsoluteHttpUrl() {
        ConfigProblem problem = single("""
                guardian:
                  prometheus:
                    url: http://prometheus monitoring:9090
                """);

        assertThat(problem.property()).isEqualTo("guardian.prometheus.url");
        assertThat(problem.message()).contains("is not a valid URL")
                .contains("use an absolute http or https URL such as http://prometheus.monitoring:9090");
    }

    @Test
    void givenPrometheusUrlWithFtpScheme_whenValidated_thenProblemOnUrlSaysItIsNotHttp() {
        ConfigProblem problem = single("""
                guardian:
                  prometheus:
                    url: ftp://prometheus.monitoring:9090
                """);

        assertThat(problem.property()).isEqualTo("guardian.prometheus.url");
        assertThat(problem.message()).contains("'ftp://prometheus.monitoring:9090' is not an http(s) URL")
                .contains("use an absolute http or https URL");
    }

    @Test
    void givenPrometheusUrlWithoutHost_whenValidated_thenProblemOnUrlSaysItHasNoHost() {
        ConfigProblem problem = single("""
                guardian:
                  prometheus:
                    url: http:///api/v1
                """);

        assertThat(problem.property()).isEqualTo("guardian.prometheus.url");
        assertThat(problem.message()).contains("has no host").contains("use an absolute http or https URL");
    }

    @Test
    void givenMaxConcurrencyZero_whenValidated_thenProblemOnMaxConcurrencySuggestsACount() {
        ConfigProblem problem = single("""
                guardian:
                  prometheus:
                    max-concurrency: 0
                """);

        assertThat(problem.property()).isEqualTo("guardian.prometheus.max-concurrency");
        assertThat(problem.message()).contains("0 is below 1").contains("use a small count such as 4");
    }

    @Test
    void givenBasicAuthUsernameWithoutPassword_whenValidated_thenProblemOnUsernameAsksForBothOrNeither() {
        ConfigProblem problem = single("""
                guardian:
                  prometheus:
                    url: https://prometheus.monitoring:9090
                    username: guardian
                """);

        assertThat(problem.property()).isEqualTo("guardian.prometheus.username");
        assertThat(problem.message()).contains("needs both username and password").contains("set both or neither");
    }

    @Test
    void givenIntervalZero_whenValidated_thenProblemOnIntervalSuggestsAPositiveDuration() {
        ConfigProblem problem = single("""
                guardian:
                  interval: 0s
                """);

        assertThat(problem.property()).isEqualTo("guardian.interval");
        assertThat(problem.message()).contains("must be positive").contains("e.g. 1m");
    }

    // ---- models -------------------------------------------------------------------------

    @Test
    void givenModelWithNoSignals_whenValidated_thenProblemOnItsSignalsAsksForOne() {
        // No YAML shape yields such a model: a model without any signal property does not exist in the mapped
        // Map (e.g. 'signals: {}' drops the model), so the model set is built directly around a real config.
        Settings settings = settings("guardian:\n  interval: 1m\n");
        Model empty = ModelSet.SIGNALLESS;
        ModelSet set = new ModelSet(Map.of("m", empty), Map.of(), "test", settings);

        List<ConfigProblem> problems = Extensions.validate(settings, set);

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.property()).isEqualTo("guardian.models.m.signals");
            assertThat(problem.message()).contains("model 'm' has no signals")
                    .contains("add at least one under guardian.models.m.signals");
        });
    }

    @Test
    void givenModelNamesDifferingOnlyInCase_whenValidated_thenProblemOnTheSecondAsksToRenameOne() {
        List<ConfigProblem> problems = validate("""
                guardian:
                  models:
                    Duration-Predictor:
                      signals:
                        s:
                          query: up
                          above: 1
                    duration-predictor:
                      signals:
                        s:
                          query: up
                          above: 1
                """);

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.property()).isEqualTo("guardian.models.duration-predictor");
            assertThat(problem.message()).contains("'duration-predictor' and 'Duration-Predictor' differ only in case")
                    .contains("rename one");
        });
    }

    // ---- targets ------------------------------------------------------------------------

    @Test
    void givenTargetNamingAnUnknownModel_whenValidated_thenProblemOnThatEntryListsTheKnownModels() {
        ConfigProblem problem = single(twoModels("""
                targets:
                  training:
                    models: [a, ghost, b]
                """));

        assertThat(problem.property()).isEqualTo("guardian.targets.training.models[1]");
        assertThat(problem.message()).contains("unknown model 'ghost'").contains("known models: a, b");
    }

    @Test
    void givenModelListedTwiceInOneTarget_whenValidated_thenProblemOnTheSecondEntryAsksToListItOnce() {
        ConfigProblem problem = single(twoModels("""
                targets:
                  training:
                    models: [a, b, a]
                """));

        assertThat(problem.property()).isEqualTo("guardian.targets.training.models[2]");
        assertThat(problem.message()).contains("duplicate model 'a' in target 'training'")
                .contains("list each model once");
    }

    @Test
    void givenModelInTwoTargets_whenValidated_thenProblemOnTheSecondTargetSaysOneTargetPerModel() {
        ConfigProblem problem = single(twoModels("""
                targets:
                  a-training:
                    models: [a]
                  b-training:
                    models: [b, a]
                """));

        assertThat(problem.property()).isEqualTo("guardian.targets.b-training.models[1]");
        assertThat(problem.message()).contains("model 'a' is already trained by target 'a-training'")
                .contains("a model belongs to exactly one training target");
    }

    @Test
    void givenInvalidCronJobName_whenValidated_thenProblemOnCronJobGivesTheNamingRule() {
        ConfigProblem problem = single(twoModels("""
                targets:
                  training:
                    cron-job: ML_Training
                    models: [a, b]
                """));

        assertThat(problem.property()).isEqualTo("guardian.targets.training.cron-job");
        assertThat(problem.message()).contains("'ML_Training' is not a valid CronJob name")
                .contains("use at most 52 lower-case letters, digits, '-' and '.'");
    }

    @Test
    void givenTargetNameUsedAsCronJobThatIsTooLong_whenValidated_thenProblemOnTheTarget() {
        String name = "a".repeat(53);
        ConfigProblem problem = single(twoModels("targets:\n  " + name + ":\n    models: [a, b]\n"));

        assertThat(problem.property()).isEqualTo("guardian.targets." + name);
        assertThat(problem.message()).contains("is not a valid CronJob name").contains("at most 52");
        assertThat(validate(twoModels("targets:\n  " + "a".repeat(52) + ":\n    models: [a, b]\n"))).isEmpty();
    }

    // ---- sources configured -------------------------------------------------------------

    @Test
    void givenPrometheusSignalsWithoutPrometheusUrl_whenSourcesChecked_thenProblemNamesThePropertyAndTheEnvVar() {
        Settings settings = settings("guardian:\n  interval: 1m\n");
        ModelSet set = ModelSet.resolve(settings);

        List<ConfigProblem> problems = Extensions.validateSourcesConfigured(settings, set);

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.property()).isEqualTo("guardian.prometheus.url");
            assertThat(problem.message()).contains("reads Prometheus").contains("set GUARDIAN_PROMETHEUS_URL");
        });
    }

    @Test
    void givenPrometheusUrlSet_whenSourcesChecked_thenNoProblem() {
        Settings settings = settings("guardian:\n  prometheus:\n    url: http://prometheus.monitoring:9090\n");

        assertThat(Extensions.validateSourcesConfigured(settings, ModelSet.resolve(settings))).isEmpty();
    }

    // ---- model set ----------------------------------------------------------------------

    @Test
    void givenNoModelsConfigured_whenResolvedAndValidated_thenTheBundledNeuralHiveSetIsValid() {
        Settings settings = settings("guardian:\n  prometheus:\n    url: http://prometheus.monitoring:9090\n");

        ModelSet set = ModelSet.resolve(settings);

        assertThat(Extensions.validate(settings, set)).isEmpty();
        assertThat(set.origin()).contains("bundled");
        assertThat(set.models()).containsOnlyKeys("ticket-duration-predictor", "ticket-anomaly-detector");
        assertThat(set.models().get("ticket-duration-predictor").signals())
                .containsOnlyKeys("feature-psi", "mae-ratio", "mae-percentage", "workload-shift");
        assertThat(set.models().get("ticket-anomaly-detector").signals()).containsOnlyKeys("precision");
        assertThat(set.models().values().stream().mapToInt(m -> m.signals().size()).sum()).isEqualTo(5);
        assertThat(set.targets()).containsOnlyKeys("orchestrator-dynamic-ml-training");
        GuardianConfig.Target target = set.targets().get("orchestrator-dynamic-ml-training");
        assertThat(target.cronJob()).isEmpty();
        assertThat(target.models()).containsExactly("ticket-duration-predictor", "ticket-anomaly-detector");
    }

    @Test
    void givenConfigDefiningItsOwnModels_whenResolved_thenOnlyThoseModelsAndNoBundledTargets() {
        Settings settings = settings("""
                guardian:
                  models:
                    fraud-scorer:
                      signals:
                        auc:
                          query: min(model_auc{model="fraud"})
                          below: 0.8
                """);

        ModelSet set = ModelSet.resolve(settings);

        assertThat(set.models()).containsOnlyKeys("fraud-scorer");
        assertThat(set.models().get("fraud-scorer").signals()).containsOnlyKeys("auc");
        assertThat(set.targets()).isEmpty();
        assertThat(set.origin()).isEqualTo("configuration");
        assertThat(Extensions.validate(settings, set)).isEmpty();
    }

    // ---- remediation, state, leader and API ------------------------------------------------

    @Test
    void givenDefaults_whenValidated_thenRemediationLeaderAndStateSettingsPass() {
        Settings settings = settings(twoModels(""));
        GuardianConfig config = settings.guardian();

        assertThat(Extensions.validate(settings, ModelSet.resolve(settings))).isEmpty();
        assertThat(config.remediation().cooldown()).hasHours(6);
        assertThat(config.remediation().maxPerDay()).isEqualTo(3);
        assertThat(config.state().configMap()).isEqualTo("model-guardian-state");
        assertThat(config.state().history()).isEqualTo(50);
        assertThat(config.leader().lease()).isEqualTo("model-guardian-leader");
        assertThat(config.leader().leaseDuration()).hasSeconds(15);
    }

    @Test
    void givenMaxPerDayZero_whenValidated_thenProblemNamesTheCapAndSuggestsACount() {
        ConfigProblem problem = single(twoModels("remediation:\n  max-per-day: 0"));

        assertThat(problem.property()).isEqualTo("guardian.remediation.max-per-day");
        assertThat(problem.message()).contains("below 1");
    }

    @Test
    void givenJobNamePrefixWithUpperCase_whenValidated_thenProblemSaysWhatAJobNameMayContain() {
        ConfigProblem problem = single(twoModels("remediation:\n  job-name-prefix: Retrain_Now"));

        assertThat(problem.property()).isEqualTo("guardian.remediation.job-name-prefix");
        assertThat(problem.message()).contains("'Retrain_Now'").contains("lower-case");
    }

    @Test
    void givenALogTailLargerThanTheStateCanKeep_whenValidated_thenProblemNamesTheKeyTheLimitAndAValue() {
        ConfigProblem problem = single(twoModels("remediation:\n  log-tail:\n    bytes: 1048576"));

        assertThat(problem.property()).isEqualTo("guardian.remediation.log-tail.bytes");
        assertThat(problem.message()).contains("1048576 is not between 0 and 65536").contains("state ConfigMap")
                .contains("use e.g. 8192");
    }

    @Test
    void givenANegativeLogTailLineCount_whenValidated_thenProblemSaysZeroTurnsItOff() {
        ConfigProblem problem = single(twoModels("remediation:\n  log-tail:\n    lines: -1"));

        assertThat(problem.property()).isEqualTo("guardian.remediation.log-tail.lines");
        assertThat(problem.message()).contains("-1 is not between 0 and 1000").contains("0 keeps no log");
    }

    @Test
    void givenNoLogTailSettings_whenLoaded_thenFortyLinesAndEightKibAreKept() {
        GuardianConfig config = load(twoModels(""));

        assertThat(config.remediation().logTail().lines()).isEqualTo(40);
        assertThat(config.remediation().logTail().bytes()).isEqualTo(8192);
        assertThat(validate(twoModels(""))).isEmpty();
    }

    @Test
    void givenNegativeCooldown_whenValidated_thenProblemOnCooldown() {
        ConfigProblem problem = single(twoModels("remediation:\n  cooldown: -1h"));

        assertThat(problem.property()).isEqualTo("guardian.remediation.cooldown");
    }

    @Test
    void givenRenewDeadlineNotShorterThanLease_whenValidated_thenProblemOnLeaseDuration() {
        ConfigProblem problem = single(twoModels("leader:\n  lease-duration: 10s\n  renew-deadline: 10s"));

        assertThat(problem.property()).isEqualTo("guardian.leader.lease-duration");
        assertThat(problem.message()).contains("longer than renew-deadline");
    }

    @Test
    void givenRetryPeriodNotShorterThanRenewDeadline_whenValidated_thenProblemOnRenewDeadline() {
        ConfigProblem problem = single(twoModels("leader:\n  retry-period: 10s"));

        assertThat(problem.property()).isEqualTo("guardian.leader.renew-deadline");
    }

    @Test
    void givenRenewDeadlineWithinTwoJitteredRetries_whenValidated_thenProblemOnRenewDeadline() {
        // 5s + 120% jitter = 11s: fabric8 would refuse to start the elector.
        ConfigProblem problem = single(twoModels("leader:\n  retry-period: 5s"));

        assertThat(problem.property()).isEqualTo("guardian.leader.renew-deadline");
        assertThat(problem.message()).contains("2.2 x retry-period").contains("PT11S");
    }

    @Test
    void givenSubSecondLease_whenValidated_thenProblemOnLeaseDuration() {
        ConfigProblem problem = single(twoModels(
                "leader:\n  lease-duration: 900ms\n  renew-deadline: 500ms\n  retry-period: 100ms"));

        assertThat(problem.property()).isEqualTo("guardian.leader.lease-duration");
        assertThat(problem.message()).contains("whole seconds");
    }

    @Test
    void givenInvalidStateConfigMapName_whenValidated_thenProblemOnTheConfigMapName() {
        ConfigProblem problem = single(twoModels("state:\n  config-map: Guardian_State"));

        assertThat(problem.property()).isEqualTo("guardian.state.config-map");
    }

    @Test
    void givenAStateConfigMapNameWithNoRoomForTheTargetsOwn_whenValidated_thenProblemSayingTheLimit() {
        ConfigProblem problem = single(twoModels("state:\n  config-map: " + "s".repeat(245)));

        assertThat(problem.property()).isEqualTo("guardian.state.config-map");
        assertThat(problem.message()).contains("245 characters; at most 244 leave room for each target's state"
                + " ConfigMap <name>-<target>");
    }

    @Test
    void givenHistoryZero_whenValidated_thenProblemOnHistory() {
        ConfigProblem problem = single(twoModels("state:\n  history: 0"));

        assertThat(problem.property()).isEqualTo("guardian.state.history");
    }

    @Test
    void givenShortApiToken_whenValidated_thenProblemNeverRepeatsTheToken() {
        ConfigProblem problem = single(twoModels("api:\n  token: hunter2"));

        assertThat(problem.property()).isEqualTo("guardian.api.token");
        assertThat(problem.message()).contains("shorter than 16").doesNotContain("hunter2");
    }

    // ---- MLflow connection ----------------------------------------------------------------

    @Test
    void givenMlflowFullyConfigured_whenValidated_thenNoProblem(@TempDir Path dir) throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");

        assertThat(validate("""
                guardian:
                  mlflow:
                    url: https://mlflow.mlflow:5000
                    token: s3cr3t-token-value
                    ca-file: %s
                    timeout: 5s
                    retries: 10
                    retry-backoff: 0s
                """.formatted(ca))).isEmpty();
    }

    @Test
    void givenMlflowNotConfigured_whenLoaded_thenDefaultsAreTenSecondsThreeRetriesHalfASecondBackoff() {
        MlflowSettings mlflow = settings("").of(MlflowSettings.class);

        assertThat(mlflow.url()).isEmpty();
        assertThat(mlflow.timeout()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(mlflow.retries()).isEqualTo(3);
        assertThat(mlflow.retryBackoff()).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(validate("")).isEmpty();
    }

    @Test
    void givenMlflowUrlWithFtpScheme_whenValidated_thenProblemOnUrlAsksForAnHttpUrlWithAnMlflowExample() {
        ConfigProblem problem = single("guardian:\n  mlflow:\n    url: ftp://mlflow.mlflow:5000\n");

        assertThat(problem.property()).isEqualTo("guardian.mlflow.url");
        assertThat(problem.message()).contains("is not an http(s) URL").contains("http://mlflow.mlflow:5000");
    }

    @Test
    void givenMlflowUrlWithoutHost_whenValidated_thenProblemOnUrlSaysItHasNoHost() {
        ConfigProblem problem = single("guardian:\n  mlflow:\n    url: http:///api/2.0\n");

        assertThat(problem.property()).isEqualTo("guardian.mlflow.url");
        assertThat(problem.message()).contains("has no host");
    }

    @Test
    void givenMlflowUrlWithCredentials_whenValidated_thenProblemNeverEchoesThePassword() {
        ConfigProblem problem = single("guardian:\n  mlflow:\n    url: http://bob:pa55word@mlflow:5000\n");

        assertThat(problem.property()).isEqualTo("guardian.mlflow.url");
        assertThat(problem.message()).contains("carries credentials").contains("guardian.mlflow.username/password")
                .doesNotContain("pa55word");
    }

    @Test
    void givenMlflowTokenAndBasicAuth_whenValidated_thenProblemSaysKeepOneAndNeverEchoesSecrets() {
        ConfigProblem problem = single("""
                guardian:
                  mlflow:
                    url: http://mlflow.mlflow:5000
                    token: tok-SECRET-1
                    username: guardian
                    password: pw-SECRET-2
                """);

        assertThat(problem.property()).isEqualTo("guardian.mlflow.token");
        assertThat(problem.message()).contains("keep one").doesNotContain("SECRET");
    }

    @Test
    void givenMlflowUsernameWithoutPassword_whenValidated_thenProblemOnPasswordAsksForBothOrNeither() {
        ConfigProblem problem = single("guardian:\n  mlflow:\n    username: guardian\n");

        assertThat(problem.property()).isEqualTo("guardian.mlflow.password");
        assertThat(problem.message()).contains("set both or neither");
    }

    @Test
    void givenMlflowPasswordWithoutUsername_whenValidated_thenProblemOnUsernameAndThePasswordIsNotEchoed() {
        ConfigProblem problem = single("guardian:\n  mlflow:\n    password: pw-SECRET-3\n");

        assertThat(problem.property()).isEqualTo("guardian.mlflow.username");
        assertThat(problem.message()).doesNotContain("SECRET");
    }

    @Test
    void givenMlflowCaFileMissing_whenValidated_thenProblemOnCaFileSaysMountThePem(@TempDir Path dir) {
        ConfigProblem problem = single("guardian:\n  mlflow:\n    ca-file: %s\n".formatted(dir.resolve("no.pem")));

        assertThat(problem.property()).isEqualTo("guardian.mlflow.ca-file");
        assertThat(problem.message()).contains("does not exist").contains("mount the PEM file");
    }

    @Test
    void givenMlflowCaFileIsADirectory_whenValidated_thenProblemOnCaFile(@TempDir Path dir) {
        // (the unreadable-file branch cannot be observed here: tests run as root, who reads any file)
        ConfigProblem problem = single("guardian:\n  mlflow:\n    ca-file: %s\n".formatted(dir));

        assertThat(problem.property()).isEqualTo("guardian.mlflow.ca-file");
        assertThat(problem.message()).contains("is not a file");
    }

    @Test
    void givenMlflowTimeoutZero_whenValidated_thenProblemOnTimeout() {
        ConfigProblem problem = single("guardian:\n  mlflow:\n    timeout: 0s\n");

        assertThat(problem.property()).isEqualTo("guardian.mlflow.timeout");
        assertThat(problem.message()).contains("must be positive");
    }

    @Test
    void givenMlflowRetriesOutsideZeroToTen_whenValidated_thenProblemOnRetries() {
        for (int retries : new int[] { -1, 11 }) {
            ConfigProblem problem = single("guardian:\n  mlflow:\n    retries: " + retries + "\n");

            assertThat(problem.property()).as("%d", retries).isEqualTo("guardian.mlflow.retries");
            assertThat(problem.message()).as("%d", retries).contains("outside 0..10");
        }
    }
}
