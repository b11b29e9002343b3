package dev.modelguardian.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.modelguardian.testing.TestConfigs;

class ModelSetTest {

    static final String TWO_MODELS = """
            guardian:
              models:
                ticket-duration-predictor:
                  signals:
                    mae-ratio: {query: max(orchestration_ml_drift_score), above: 1.5}
                ticket-anomaly-detector:
                  signals:
                    precision: {query: min(orchestration_ml_model_quality_metrics), below: 0.7}
            """;

    @Test
    void givenModelsDefinedWithoutTargets_whenResolved_thenEachIsSaidToBeWatchedButNeverRetrained() {
        ModelSet set = ModelSet.resolve(TestConfigs.settings(TWO_MODELS));

        assertThat(set.untrained()).containsExactly(
                "model ticket-anomaly-detector has signals but no training target trains it: it is watched, never"
                        + " retrained; add it to the models of a target under guardian.targets",
                "model ticket-duration-predictor has signals but no training target trains it: it is watched, never"
                        + " retrained; add it to the models of a target under guardian.targets");
    }

    @Test
    void givenATargetTrainingOneOfTwoModels_whenResolved_thenOnlyTheOtherIsUntrained() {
        ModelSet set = ModelSet.resolve(TestConfigs.settings(TWO_MODELS + """
                  targets:
                    orchestrator-dynamic-ml-training:
                      models: [ticket-duration-predictor]
                """));

        assertThat(set.untrained()).singleElement().asString().startsWith("model ticket-anomaly-detector ");
    }

    @Test
    void givenTheBundledDefaults_whenResolved_thenEveryModelIsTrained() {
        assertThat(ModelSet.resolve(TestConfigs.settings("")).untrained()).isEmpty();
    }
}
