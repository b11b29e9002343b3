package dev.modelguardian.integrations.kubernetes;

import java.util.ArrayList;
import java.util.List;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.extension.Permission;
import dev.modelguardian.core.remediation.TargetSpec;

/**
 * The Kubernetes API permissions every guardian uses, whatever trains its targets, with the feature that needs each:
 * with the training triggers' own ({@code TriggerProvider.permissions}), the table the Role in
 * {@code src/main/kubernetes/base/role.yaml} is written from ({@code ManifestsTest} holds the two equal) and the list
 * {@code doctor} checks with SelfSubjectAccessReviews.
 *
 * <p>Derived from the code, one call at a time: {@link ConfigMapStateStore} (list by label, get, create, update of
 * the state ConfigMap and of each target's; {@link StateInformer} lists and watches by label), {@link Leadership}
 * and fabric8's {@code LeaseLock} (get, create, JSON merge patch to renew, update to release), {@link EventRecorder} (create events.k8s.io Events). The flag ConfigMap and the Deployment (get and patch)
 * are for the rollback of the registry step, and {@code doctor} reads them.
 *
 * <p>A row without a resource name is one the API cannot narrow: {@code create} is never checked against
 * resourceNames (the name is not in the URL), and {@code list}/{@code watch} only are with a
 * {@code fieldSelector=metadata.name=...}, which the guardian does not use.
 */
public final class RequiredPermissions {

    private RequiredPermissions() {
    }

    /** The permissions for a configuration and its training targets: state ConfigMap, Lease, flags, restarts. */
    public static List<Permission> of(GuardianConfig config, List<TargetSpec> targets) {
        return of(config.state().configMap(), targets.stream().map(TargetSpec::name).distinct().sorted().toList(),
                config.leader().lease(),
                targets.stream().flatMap(t -> t.recovery().configMap().stream()).distinct().sorted().toList(),
                targets.stream().flatMap(t -> t.recovery().restartTarget().stream()).distinct().sorted().toList());
    }

    /**
     * The permissions for the given object names.
     *
     * @param stateConfigMap {@code guardian.state.config-map}
     * @param targets        every target's name: each has its own state ConfigMap
     * @param lease          {@code guardian.leader.lease}
     * @param flagConfigMaps every recovery flag ConfigMap
     * @param deployments    every Deployment restarted after a rollback or promotion
     */
    public static List<Permission> of(String stateConfigMap, List<String> targets, String lease,
            List<String> flagConfigMaps, List<String> deployments) {
        List<Permission> all = new ArrayList<>();
        all.addAll(Permission.of("", "configmaps", "state: the state ConfigMap and every target's, by label "
                + ConfigMapStateStore.STATE_LABEL + ": one list a command, and serve's informer (a list, then a"
                + " watch)", null, "list", "watch"));
        all.addAll(Permission.of("", "configmaps", "state ConfigMap (policy statuses): read, then compare-and-set"
                + " replace on its resourceVersion", stateConfigMap, "get", "update"));
        for (String target : targets) {
            all.addAll(Permission.of("", "configmaps", "target " + target + "'s state ConfigMap: read, then"
                    + " compare-and-set replace on its resourceVersion", ConfigMapStateStore.shardName(stateConfigMap,
                            target), "get", "update"));
        }
        all.addAll(Permission.of("", "configmaps", "state ConfigMaps: created on the first write", null, "create"));
        for (String flags : flagConfigMaps) {
            all.addAll(Permission.of("", "configmaps", "rollback flag ENABLE_ML_ENHANCED_SCHEDULING (registry step);"
                    + " doctor reads it", flags, "get", "patch"));
        }
        for (String deployment : deployments) {
            all.addAll(Permission.of("apps", "deployments", "rolling restart (pod-template restartedAt) after a"
                    + " rollback or promotion; doctor reads it", deployment, "get", "patch"));
        }
        all.addAll(Permission.of("coordination.k8s.io", "leases", "leader election: read, renew (merge patch),"
                + " release (update)", lease, "get", "patch", "update"));
        all.addAll(Permission.of("coordination.k8s.io", "leases", "leader election: the first replica creates the"
                + " Lease", null, "create"));
        all.addAll(Permission.of("events.k8s.io", "events", "an Event for every remediation step", null, "create"));
        return List.copyOf(all);
    }
}
