package dev.modelguardian.core.registry;

import java.util.Map;

/**
 * The parts of an MLflow run that validation needs.
 *
 * @param runId        the run id
 * @param experimentId the experiment it belongs to (a string, as in the API)
 * @param status       {@code RUNNING}, {@code FINISHED}, {@code FAILED}, ...
 * @param metrics      the latest value of each metric ({@code data.metrics}; absent when the run logged none)
 */
public record Run(String runId, String experimentId, String status, Map<String, Double> metrics) {

    public Run {
        metrics = Map.copyOf(metrics);
    }
}
