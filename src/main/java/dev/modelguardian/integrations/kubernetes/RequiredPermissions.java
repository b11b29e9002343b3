package dev.modelguardian.integrations.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.core.remediation.TargetSpec;

/**
 * Every Kubernetes API permission the guardian uses, with the feature that needs it: the table the Role in
 * {@code src/main/kubernetes/base/role.yaml} is written from ({@code ManifestsTest} holds the two equal) and the list
 * {@code doctor} checks with SelfSubjectAccessReviews.
 *
 * <p>Derived from the code, one call at a time: {@link ConfigMapStateStore} (get, create, update of the state
 * ConfigMap), {@code TrainingJobs} (get CronJob; list CronJobs for the closest name; create, get, list Jobs; list pods
 * by label), {@code JobInformer} (list and watch Jobs with the remediation-id label), {@link Leadership} and
 * fabric8's {@code LeaseLock} (get, create, JSON merge patch to renew, update to release), {@link EventRecorder}
 * (create events.k8s.io Events). The flag ConfigMap
 * and the Deployment (get and patch) are for the rollback of the registry step, and {@code doctor} reads them.
 *
 * <p>A row without a resource name is one the API cannot narrow: {@code create} is never checked against
 * resourceNames (the name is not in the URL), and {@code list}/{@code watch} only are with a
 * {@code fieldSelector=metadata.name=...}, which the guardian does not use (it lists every Job of the namespace to find
 * the CronJob's, and Job and pod names are not known in advance).
 */
public final class RequiredPermissions {

    /**
     * One verb on one resource, optionally on one named object.
     *
     * @param group    API group, "" for the core group
     * @param resource plural resource name
     * @param verb     the RBAC verb
     * @param name     the object, when the permission can be narrowed to it
     * @param feature  what needs it, for the Role's comments and doctor's messages
     */
    public record Permission(String group, String resource, String verb, Optional<String> name, String feature) {

        /** As in a Role rule: {@code create jobs.batch}, {@code get configmaps/model-guardian-state}. */
        public String describe() {
            return verb + " " + resource + (group.isEmpty() ? "" : "." + group) + name.map(n -> "/" + n).orElse("");
        }
    }

    private RequiredPermissions() {
    }

    /** The permissions for a configuration and its training targets: state ConfigMap, Lease, CronJobs, flags. */
    public static List<Permission> of(GuardianConfig config, List<TargetSpec> targets) {
        return of(config.state().configMap(), config.leader().lease(),
                targets.stream().map(TargetSpec::cronJob).distinct().sorted().toList(),
                targets.stream().flatMap(t -> t.recovery().configMap().stream()).distinct().sorted().toList(),
                targets.stream().flatMap(t -> t.recovery().restartTarget().stream()).distinct().sorted().toList());
    }

    /**
     * The permissions for the given object names.
     *
     * @param stateConfigMap {@code guardian.state.config-map}
     * @param lease          {@code guardian.leader.lease}
     * @param cronJobs       every training target's CronJob
     * @param flagConfigMaps every recovery flag ConfigMap
     * @param deployments    every Deployment restarted after a rollback or promotion
     */
    public static List<Permission> of(String stateConfigMap, String lease, List<String> cronJobs,
            List<String> flagConfigMaps, List<String> deployments) {
        List<Permission> all = new ArrayList<>();
        String state = "state ConfigMap: read, then compare-and-set replace on its resourceVersion";
        add(all, "", "configmaps", state, stateConfigMap, "get", "update");
        add(all, "", "configmaps", "state ConfigMap: created on the first write", null, "create");
        for (String flags : flagConfigMaps) {
            add(all, "", "configmaps", "rollback flag ENABLE_ML_ENHANCED_SCHEDULING (registry step); doctor reads it",
                    flags, "get", "patch");
        }
        for (String deployment : deployments) {
            add(all, "apps", "deployments", "rolling restart (pod-template restartedAt) after a rollback or"
                    + " promotion; doctor reads it", deployment, "get", "patch");
        }
        for (String cronJob : cronJobs) {
            add(all, "batch", "cronjobs", "training Job made from the CronJob's jobTemplate", cronJob, "get");
        }
        add(all, "batch", "cronjobs", "closest existing CronJob name when the configured one is missing", null, "list");
        add(all, "batch", "jobs", "the retraining Job", null, "create");
        add(all, "batch", "jobs", "follow the Job (names are generated), find the CronJob's active Jobs, watch for"
                + " its end", null, "get", "list", "watch");
        add(all, "", "pods", "stuck training pods (image pull, Unschedulable), by label job-name", null, "list");
        add(all, "coordination.k8s.io", "leases", "leader election: read, renew (merge patch), release (update)",
                lease, "get", "patch", "update");
        add(all, "coordination.k8s.io", "leases", "leader election: the first replica creates the Lease", null,
                "create");
        add(all, "events.k8s.io", "events", "an Event for every remediation step", null, "create");
        return List.copyOf(all);
    }

    private static void add(List<Permission> all, String group, String resource, String feature, String name,
            String... verbs) {
        for (String verb : verbs) {
            all.add(new Permission(group, resource, verb, Optional.ofNullable(name), feature));
        }
    }
}
