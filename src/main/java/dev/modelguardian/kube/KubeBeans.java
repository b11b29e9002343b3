package dev.modelguardian.kube;

import java.time.Clock;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Wires the Kubernetes-facing helpers from the injected client and the configuration. */
@ApplicationScoped
public class KubeBeans {

    @Produces
    @Singleton
    EventRecorder eventRecorder(KubernetesClient client, GuardianConfig config, Clock clock) {
        return new EventRecorder(client, Namespace.resolve(config), identity(config, System.getenv()), clock);
    }

    /**
     * This replica's identity, as {@code guardian.leader.identity} documents it: the configured identity, else
     * {@code POD_NAME}, else {@code HOSTNAME}, else {@code model-guardian}.
     */
    static String identity(GuardianConfig config, Map<String, String> env) {
        if (config.leader().identity().isPresent() && !config.leader().identity().get().isBlank()) {
            return config.leader().identity().get().strip();
        }
        for (String variable : new String[] {"POD_NAME", "HOSTNAME"}) {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return "model-guardian";
    }
}
