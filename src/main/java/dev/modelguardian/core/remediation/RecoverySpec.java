package dev.modelguardian.core.remediation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.modelguardian.core.registry.RegistryModel;

/**
 * What happens to a target after its training Job ends: how each trained model is validated and promoted in the
 * registry, how the model server picks it up, how long it is verified, and what rollback changes.
 *
 * @param models                    by model name: its registry entry and validation rules
 * @param deployment                the model server Deployment restarted after a promotion or rollback
 * @param restart                   whether to restart it (a server that reloads models by itself needs no restart)
 * @param rollbackOnTrainingFailure a failed, stuck, timed-out or vanished Job rolls back (true) or only notifies
 * @param verifyWindow              how long the live signals are watched after a promotion
 * @param registryWait              how long validation waits for versions still registering or a registry that does
 *                                  not answer, before it gives up and rolls back
 * @param reenableAfterRecovery     after a verified promotion, put back the flag values an earlier rollback changed
 * @param configMap                 the flag ConfigMap rollback patches
 * @param keys                      the keys rollback sets, with their rollback values and Helm hints
 */
public record RecoverySpec(Map<String, ModelCheck> models, Optional<String> deployment, boolean restart,
        boolean rollbackOnTrainingFailure, Duration verifyWindow, Duration registryWait, boolean reenableAfterRecovery,
        Optional<String> configMap, Map<String, FlagKey> keys) {

    public RecoverySpec {
        models = Map.copyOf(models);
        keys = Map.copyOf(keys);
    }

    /** No registry step, no flags, no restart: a completed training is trusted, a rollback has nothing to change. */
    public static final RecoverySpec NONE = new RecoverySpec(Map.of(), Optional.empty(), false, true,
            Duration.ofMinutes(5), Duration.ofMinutes(5), false, Optional.empty(), Map.of());

    /** The Deployment to restart, when restarting is on. */
    public Optional<String> restartTarget() {
        return restart ? deployment : Optional.empty();
    }

    /**
     * How one trained model is checked and promoted.
     *
     * @param registry      the registered model and how its serving version is marked
     * @param experiment    only versions from runs of this experiment are candidates
     * @param rules         absolute bounds on the candidate's run metrics
     * @param maxRegression most a rule's metric may get worse than the serving version's, as a fraction (0.05 = 5%)
     */
    public record ModelCheck(RegistryModel registry, Optional<String> experiment, List<MetricRule> rules,
            double maxRegression) {

        public ModelCheck {
            rules = List.copyOf(rules);
        }
    }

    /**
     * One ConfigMap key rollback sets.
     *
     * @param value     the value rollback writes (e.g. {@code "false"})
     * @param permanent how to make it stick through the next Helm upgrade (e.g.
     *                  {@code config.scheduler.enableMlEnhancedScheduling=false})
     */
    public record FlagKey(String value, Optional<String> permanent) {
    }
}
