package dev.modelguardian.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The configuration of the cluster tests: Neural Hive's training target with one model and one signal, the duration
 * predictor's MAE ratio read from {@link ScrapeTarget}, without a 'for' so that a breach fires on the first cycle,
 * and a 1h cooldown.
 */
public class ScrapedModelProfile implements QuarkusTestProfile {

    /** The MAE ratio above its 1.5 bound. */
    public static final String BREACH =
            "orchestration_ml_drift_score{drift_type=\"prediction\",model_name=\"duration-predictor\"} 1.72\n";
    /** The MAE ratio within its bound. */
    public static final String HEALTHY =
            "orchestration_ml_drift_score{drift_type=\"prediction\",model_name=\"duration-predictor\"} 1.1\n";

    /**
     * The same model and target as a configuration file's {@code models:} and {@code targets:} under {@code guardian:}
     * (indented two spaces), for tests that start the packaged application with {@code --config}.
     */
    public static final String MAE_RATIO_MODELS = """
              models:
                ticket-duration-predictor:
                  signals:
                    mae-ratio:
                      source: scrape
                      metric: orchestration_ml_drift_score
                      labels:
                        drift_type: prediction
                      above: 1.5
              targets:
                %s:
                  models: [ticket-duration-predictor]
            """.formatted(NeuralHive.CRON_JOB);

    @Override
    public Map<String, String> getConfigOverrides() {
        String signal = "guardian.models.ticket-duration-predictor.signals.mae-ratio.";
        return Map.of(
                "guardian.namespace", NeuralHive.NAMESPACE,
                signal + "source", "scrape",
                signal + "metric", "orchestration_ml_drift_score",
                signal + "labels.drift_type", "prediction",
                signal + "above", "1.5",
                "guardian.targets." + NeuralHive.CRON_JOB + ".models[0]", "ticket-duration-predictor",
                "guardian.remediation.cooldown", "1h");
    }
}
