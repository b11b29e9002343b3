package dev.modelguardian.app.wiring;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.Namespace;
import dev.modelguardian.integrations.kubernetes.Leadership;
import dev.modelguardian.integrations.metrics.GuardianMetrics;

/**
 * The {@link Leadership} of this replica, from {@code guardian.leader.*}, with the {@code guardian_leader} gauge
 * following it. It is built, not started: only {@code serve} calls {@link Leadership#start()}, so commands such as
 * {@code check} never touch the cluster. Losing the Lease exits with status 1, so that the kubelet restarts the
 * container; a clean shutdown releases the Lease.
 */
@ApplicationScoped
public class LeadershipProducer {

    /** Exit status after losing the Lease: non-zero, so that Kubernetes restarts the container. */
    static final int EXIT_ON_LOST_LEASE = 1;

    /** The Leadership produced, if any: commands that never use it never build it (nor a Kubernetes client). */
    private volatile Leadership produced;

    @Produces
    @Singleton
    Leadership leadership(GuardianConfig config, KubernetesClient client, GuardianMetrics metrics) {
        Leadership leadership = leadership(config, client, Namespace.resolve(config), System.getenv(),
                () -> Quarkus.asyncExit(EXIT_ON_LOST_LEASE), metrics);
        produced = leadership;
        return leadership;
    }

    /**
     * Releases the Lease at the start of shutdown, while the Kubernetes client is still open: the disposer and
     * {@code serve}'s own {@code finally} run later, concurrently with Quarkus closing the client, and then found it
     * closed in about one shutdown in five.
     */
    void releaseOnShutdown(@Observes ShutdownEvent event) {
        Leadership leadership = produced;
        if (leadership != null) {
            leadership.stop();
        }
    }

    void release(@Disposes Leadership leadership) {
        leadership.stop();
    }

    /** The Leadership of {@code guardian.leader.*}, with the {@code guardian_leader} gauge following it. */
    static Leadership leadership(GuardianConfig config, KubernetesClient client, String namespace,
            Map<String, String> env, Runnable onLost, GuardianMetrics metrics) {
        GuardianConfig.Leader leader = config.leader();
        Leadership leadership = new Leadership(client, namespace, leader.lease(),
                Leadership.identity(leader.identity(), env), leader.leaseDuration(), leader.renewDeadline(),
                leader.retryPeriod(), onLost);
        leadership.onChange(metrics::leader);
        return leadership;
    }
}
