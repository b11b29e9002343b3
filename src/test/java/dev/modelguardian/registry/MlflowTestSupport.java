package dev.modelguardian.registry;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.testing.TestConfigs;

/** Configurations of the MLflow client for the tests: fast backoff, short timeout. */
final class MlflowTestSupport {

    private MlflowTestSupport() {
    }

    /**
     * {@code guardian.mlflow.*} with the url and extra YAML lines (indented under mlflow); timeout 2s and backoff 10ms
     * unless a line sets them.
     */
    static GuardianConfig.Mlflow config(String url, String... lines) {
        StringBuilder yaml = new StringBuilder("guardian:\n  mlflow:\n    url: " + url + "\n");
        boolean timeout = false;
        boolean backoff = false;
        for (String line : lines) {
            timeout |= line.startsWith("timeout:");
            backoff |= line.startsWith("retry-backoff:");
            yaml.append("    ").append(line).append('\n');
        }
        yaml.append(timeout ? "" : "    timeout: 2s\n").append(backoff ? "" : "    retry-backoff: 10ms\n");
        return TestConfigs.fromYaml(yaml.toString()).mlflow();
    }
}
