package dev.modelguardian.registry;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.testing.TestConfigs;

/** Configurations of the MLflow client for the tests: fast backoff, short timeout. */
final class MlflowTestSupport {

    private MlflowTestSupport() {
    }

    /** {@code guardian.mlflow.*} with the url and extra YAML lines (indented under mlflow). */
    static GuardianConfig.Mlflow config(String url, String... lines) {
        StringBuilder yaml = new StringBuilder("guardian:\n  mlflow:\n    url: " + url + "\n"
                + "    timeout: 2s\n    retry-backoff: 10ms\n");
        for (String line : lines) {
            yaml.append("    ").append(line).append('\n');
        }
        return TestConfigs.fromYaml(yaml.toString()).mlflow();
    }
}
