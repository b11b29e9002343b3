package dev.modelguardian.config.extension;

import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.remediation.TargetSpec;

/**
 * The {@code doctor} checks of the cluster the guardian runs in, beyond what each training trigger checks: the
 * namespace, whether the API server answers, and the objects and permissions the guardian itself uses. Read-only.
 */
public interface ClusterChecks {

    /**
     * The namespace the guardian works in.
     *
     * @param namespace the namespace
     * @param source    where it came from (the setting, the pod's own namespace, the default)
     */
    Check namespace(String namespace, String source);

    /** Whether the API server answers; when this is a FAIL, no other cluster check is made. */
    Check reachable(KubernetesClient client, String namespace);

    /**
     * The checks of what the guardian reads and writes in the cluster, made once the API server answers.
     *
     * @param targets     every training target
     * @param permissions every permission the guardian uses for these targets, each asked of the API server
     */
    List<Check> doctor(GuardianConfig config, KubernetesClient client, String namespace, List<TargetSpec> targets,
            List<Permission> permissions);
}
