package dev.modelguardian.core.remediation;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What rollback restores, taken before the training Job is created: every trained model's serving version with its
 * run metrics (the baseline validation compares against), and the current value of every ConfigMap key that
 * rollback changes. Without a snapshot there is no remediation.
 *
 * @param remediationId the remediation it was taken for
 * @param takenAt       when
 * @param models        by model name: what served before retraining
 * @param configMap     the flag ConfigMap, when the target has rollback keys
 * @param values        the flag keys' values before the remediation; empty for a key that did not exist
 */
public record Snapshot(String remediationId, Instant takenAt, Map<String, Serving> models, Optional<String> configMap,
        Map<String, Optional<String>> values) {

    public Snapshot {
        models = Map.copyOf(models);
        values = Map.copyOf(values);
    }

    /**
     * One model's serving version before retraining.
     *
     * @param version the version that served (Production, or the alias' target)
     * @param runId   its run, when it was registered from one
     * @param metrics the run's latest metric values
     */
    public record Serving(String version, Optional<String> runId, Map<String, Double> metrics) {

        public Serving {
            metrics = Map.copyOf(metrics);
        }
    }
}
