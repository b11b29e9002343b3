package dev.modelguardian.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link ScrapedModelProfile} with the registry step of Neural Hive: the duration predictor validated against
 * {@code mae_percentage < 15} from experiment orchestrator-predictive-models, the ML flag in
 * orchestrator-dynamic-config turned off by rollback, Deployment orchestrator-dynamic restarted, a 5m verify window.
 */
public class RegistryProfile extends ScrapedModelProfile {

    public static final String EXPERIMENT = "orchestrator-predictive-models";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        String model = "guardian.models.ticket-duration-predictor.";
        String target = "guardian.targets." + NeuralHive.CRON_JOB + ".";
        config.put(model + "registry.experiment", EXPERIMENT);
        config.put(model + "validation.rules.mae_percentage", "< 15");
        config.put(target + "deployment", NeuralHive.DEPLOYMENT);
        config.put(target + "rollback.config-map", NeuralHive.FLAG_CONFIG_MAP);
        config.put(target + "rollback.keys." + NeuralHive.FLAG + ".value", "false");
        config.put(target + "rollback.keys." + NeuralHive.FLAG + ".permanent",
                "config.scheduler.enableMlEnhancedScheduling=false");
        config.put(target + "verify-window", "5m");
        config.put(target + "registry-wait", "5m");
        return config;
    }
}
