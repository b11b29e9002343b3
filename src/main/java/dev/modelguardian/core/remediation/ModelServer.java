package dev.modelguardian.core.remediation;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The model server as rollback and promotion need it: the flag ConfigMap it reads at start and the Deployment that
 * runs it. The cluster in production, memory in replay and tests. Failures are
 * {@link ClusterException}s, permanent when retrying cannot help.
 */
public interface ModelServer {

    /** The current values of {@code keys} in {@code configMap}; empty for a key the ConfigMap does not have. */
    Map<String, Optional<String>> read(String configMap, Set<String> keys);

    /** Fails unless {@code deployment} exists. */
    void requireDeployment(String deployment);

    /**
     * Sets {@code values} in {@code configMap} (an empty value removes the key) and records {@code previous} in the
     * ConfigMap's {@code model-guardian.dev/previous-values} annotation. Idempotent.
     */
    void setKeys(String configMap, Map<String, Optional<String>> values, Map<String, Optional<String>> previous,
            String remediationId);

    /**
     * Restarts the Deployment's pods as {@code kubectl rollout restart} does, with {@code at} as the pod template's
     * {@code kubectl.kubernetes.io/restartedAt}. Idempotent: the same {@code at} twice starts one rollout.
     */
    void restart(String deployment, Instant at);

    /** No model server to act on: every call fails, permanently. For engines whose targets configure none. */
    ModelServer NONE = new ModelServer() {
        @Override
        public Map<String, Optional<String>> read(String configMap, Set<String> keys) {
            throw none();
        }

        @Override
        public void requireDeployment(String deployment) {
            throw none();
        }

        @Override
        public void setKeys(String configMap, Map<String, Optional<String>> values,
                Map<String, Optional<String>> previous, String remediationId) {
            throw none();
        }

        @Override
        public void restart(String deployment, Instant at) {
            throw none();
        }

        private ClusterException none() {
            return new ClusterException("no model server is configured", true, null);
        }
    };
}
