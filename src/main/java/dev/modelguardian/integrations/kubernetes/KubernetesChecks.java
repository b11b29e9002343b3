package dev.modelguardian.integrations.kubernetes;

import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.extension.ClusterChecks;
import dev.modelguardian.config.extension.Permission;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.remediation.TargetSpec;

/**
 * The {@code doctor} checks of the Kubernetes objects the guardian itself uses: the API server answers, the state
 * ConfigMaps, the Lease, each target's flag ConfigMap and model server Deployment, and every permission of the Role
 * (one SelfSubjectAccessReview each). Read-only: a SelfSubjectAccessReview is a question, not an object.
 */
public final class KubernetesChecks implements ClusterChecks {

    @Override
    public Check namespace(String namespace, String source) {
        if (namespace.equals(NeuralHiveDefaults.RUNBOOK_NAMESPACE)) {
            return Check.warn("namespace", namespace + " (from " + source + "): the runbook's namespace;"
                    + " Neural Hive's release is deployed in neural-hive",
                    "set guardian.namespace (GUARDIAN_NAMESPACE) to the namespace the release runs in, or leave it"
                            + " unset so that the pod's own namespace is used");
        }
        return Check.ok("namespace", namespace + " (from " + source + ")");
    }

    @Override
    public Check reachable(KubernetesClient client, String namespace) {
        try {
            // Whether the API server answers at all: a 403 on the list still means it does.
            client.batch().v1().cronjobs().inNamespace(namespace).list();
        } catch (KubernetesClientException e) {
            if (e.getCode() <= 0) {
                return Check.fail("kubernetes", "the API server at " + client.getMasterUrl() + " did not answer ("
                        + ApiFailures.rootCause(e) + "); no cluster check was made",
                        "check the kubeconfig or the pod's network access to the API server");
            }
            // 403 on list: reported by the RBAC check; the triggers still read what they need by name
        }
        return Check.ok("kubernetes", "API server " + client.getMasterUrl() + " answers");
    }

    @Override
    public List<Check> doctor(GuardianConfig config, KubernetesClient client, String namespace,
            List<TargetSpec> targets, List<Permission> permissions) {
        Run run = new Run(config, client, namespace, targets);
        run.stateConfigMap();
        run.lease();
        run.flags();
        run.deployments();
        run.rbac(permissions);
        return List.copyOf(run.checks);
    }

    /** One run of the checks: what they share, and what they found so far. */
    private static final class Run {

        private final GuardianConfig config;
        private final KubernetesClient client;
        private final String namespace;
        private final List<TargetSpec> targets;
        private final List<Check> checks = new ArrayList<>();

        Run(GuardianConfig config, KubernetesClient client, String namespace, List<TargetSpec> targets) {
            this.config = config;
            this.client = client;
            this.namespace = namespace;
            this.targets = targets;
        }

        private String ns() {
            return namespace;
        }

        private void stateConfigMap() {
            String name = config.state().configMap();
            String check = "state/" + name;
            read(check, () -> client.configMaps().inNamespace(ns()).withName(name).get()).ifPresent(found -> {
                if (found.isPresent()) {
                    int keys = (found.get().getData() == null ? 0 : found.get().getData().size())
                            + (found.get().getBinaryData() == null ? 0 : found.get().getBinaryData().size());
                    checks.add(Check.ok(check, "state ConfigMap " + ns() + "/" + name + " exists (" + keys + " keys)"));
                } else {
                    creatable(check, "state ConfigMap " + ns() + "/" + name, "configmaps", "");
                }
            });
            // Each target's own state ConfigMap is created at its first remediation: one of that name that is not this
            // state's would only be found then, in the middle of an incident.
            String label = ConfigMapStateStore.labelValue(name);
            for (TargetSpec target : targets) {
                String shard = ConfigMapStateStore.shardName(name, target.name());
                read("state/" + shard, () -> client.configMaps().inNamespace(ns()).withName(shard).get())
                        .flatMap(found -> found)
                        .filter(cm -> cm.getMetadata().getLabels() == null
                                || !label.equals(cm.getMetadata().getLabels().get(ConfigMapStateStore.STATE_LABEL)))
                        .ifPresent(cm -> checks.add(Check.fail("state/" + shard, "ConfigMap " + ns() + "/" + shard
                                + " exists without label " + ConfigMapStateStore.STATE_LABEL + "=" + label + ": target "
                                + target.name() + "'s state cannot be kept there", "rename or delete that ConfigMap, or"
                                        + " set another guardian.state.config-map")));
            }
        }

        private void lease() {
            String name = config.leader().lease();
            String check = "lease/" + name;
            read(check, () -> client.leases().inNamespace(ns()).withName(name).get()).ifPresent(found -> {
                if (found.isPresent()) {
                    Lease lease = found.get();
                    String holder = lease.getSpec() == null || lease.getSpec().getHolderIdentity() == null
                            || lease.getSpec().getHolderIdentity().isEmpty() ? "nobody"
                                    : lease.getSpec().getHolderIdentity();
                    checks.add(Check.ok(check, "Lease " + ns() + "/" + name + " exists, held by " + holder));
                } else {
                    creatable(check, "Lease " + ns() + "/" + name, "leases", "coordination.k8s.io");
                }
            });
        }

        /** An object that is absent now and that the guardian creates on first use: fine if it may create it. */
        private void creatable(String check, String what, String resource, String group) {
            Optional<Boolean> allowed = allowed(ns(), group, resource, "create", Optional.empty());
            if (allowed.isEmpty() || allowed.get()) {
                checks.add(Check.ok(check, what + " does not exist yet; the guardian creates it on first use"
                        + (allowed.isEmpty() ? " (could not ask whether it may)" : " and may")));
            } else {
                checks.add(Check.fail(check, what + " does not exist and the guardian may not create it",
                        "grant create on " + resource + (group.isEmpty() ? "" : "." + group) + " (Role model-guardian,"
                                + " src/main/kubernetes/base/role.yaml), or create it"));
            }
        }

        /** Every target's rollback keys in its flag ConfigMap. */
        private void flags() {
            for (TargetSpec target : targets) {
                target.recovery().configMap().ifPresent(name -> new TreeSet<>(target.recovery().keys()
                        .keySet()).forEach(key -> flag(name, key)));
            }
        }

        /** Every target's model server Deployment, when it is restarted. */
        private void deployments() {
            targets.stream()
                    .flatMap(t -> t.recovery().restartTarget().stream()).distinct().sorted()
                    .forEach(this::deployment);
        }

        private void flag(String name, String key) {
            String check = "flag/" + name;
            read(check, () -> client.configMaps().inNamespace(ns()).withName(name).get()).ifPresent(found -> {
                if (found.isEmpty()) {
                    checks.add(Check.fail(check, "ConfigMap " + ns() + "/" + name + " not found: rollback cannot turn"
                            + " " + key + " off", "deploy the model server's chart in " + ns()
                                    + ", or run the guardian in the namespace it is deployed in"));
                    return;
                }
                Map<String, String> data = Optional.ofNullable(found.get().getData()).orElse(Map.of());
                String value = data.get(key);
                if (value == null) {
                    checks.add(Check.fail(check, "ConfigMap " + ns() + "/" + name + " has no key " + key + " (keys: "
                            + String.join(", ", new TreeMap<>(data).keySet()) + ")",
                            key.equals(NeuralHiveDefaults.FLAG_KEY)
                                    ? "set the chart value config.scheduler.enableMlEnhancedScheduling (camelCase: the"
                                            + " runbook's snake_case --set changes nothing), which renders " + key
                                    : "add " + key + " to the ConfigMap, or fix the target's rollback.keys"));
                } else if (!value.equals("true") && !value.equals("false")) {
                    checks.add(Check.warn(check, key + "=" + value + " in ConfigMap " + ns() + "/" + name
                            + " is neither \"true\" nor \"false\"", "set it to \"true\" or \"false\""));
                } else {
                    checks.add(Check.ok(check, key + "=\"" + value + "\" in ConfigMap " + ns() + "/" + name));
                }
            });
        }

        private void deployment(String name) {
            String check = "deployment/" + name;
            read(check, () -> client.apps().deployments().inNamespace(ns()).withName(name).get()).ifPresent(found -> {
                if (found.isPresent()) {
                    checks.add(Check.ok(check, "Deployment " + ns() + "/" + name + " exists"));
                } else {
                    checks.add(Check.fail(check, "Deployment " + ns() + "/" + name + " not found: the model server"
                            + " cannot be restarted after a rollback",
                            "run the guardian in the namespace of the model server"));
                }
            });
        }

        /** One SelfSubjectAccessReview per permission in the table the Role is written from. */
        private void rbac(List<Permission> needed) {
            List<Permission> denied = new ArrayList<>();
            for (Permission p : needed) {
                Optional<Boolean> allowed = allowed(p.cluster() ? null : ns(), p.group(), p.resource(), p.verb(),
                        p.name());
                if (allowed.isEmpty()) {
                    checks.add(Check.warn("rbac", "could not ask the API server (SelfSubjectAccessReview) whether "
                            + p.describe() + " is allowed", "check the API server's authorization.k8s.io/v1 API"));
                    return;
                }
                if (!allowed.get()) {
                    denied.add(p);
                }
            }
            if (denied.isEmpty()) {
                checks.add(Check.ok("rbac", "all " + needed.size() + " permissions granted in " + ns()));
            }
            for (Permission p : denied.stream().filter(Permission::cluster).toList()) {
                checks.add(Check.fail("rbac", "missing: " + p.describe() + " (cluster-scoped; needed for: "
                        + p.feature() + ")", "bind a ClusterRole with " + rule(p) + " to the guardian's"
                                + " ServiceAccount (src/main/kubernetes/components/argo-cluster-workflow-template has"
                                + " it)"));
            }
            for (Permission p : denied.stream().filter(p -> !p.cluster()).toList()) {
                checks.add(Check.fail("rbac", "missing: " + p.describe() + " in " + ns() + " (needed for: "
                        + p.feature() + ")", "add to Role model-guardian: " + rule(p) + " (src/main/kubernetes/base/"
                                + "role.yaml and the training trigger's component in src/main/kubernetes/components"
                                + " have them all)"));
            }
        }

        /** The RBAC rule that grants {@code p}, as a Role or ClusterRole writes it. */
        private static String rule(Permission p) {
            return "apiGroups: [\"" + p.group() + "\"], resources: [" + p.resource() + "]"
                    + p.name().map(n -> ", resourceNames: [" + n + "]").orElse("") + ", verbs: [" + p.verb() + "]";
        }

        /** Whether the guardian may; {@code namespace} null for a cluster-scoped resource. */
        private Optional<Boolean> allowed(String namespace, String group, String resource,
                String verb, Optional<String> name) {
            SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec()
                    .withNewResourceAttributes()
                    .withNamespace(namespace).withGroup(group).withResource(resource.split("/")[0])
                    .withSubresource(resource.contains("/") ? resource.substring(resource.indexOf('/') + 1) : null)
                    .withVerb(verb).withName(name.orElse(null))
                    .endResourceAttributes().endSpec().build();
            try {
                SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview().create(review);
                if (answer == null || answer.getStatus() == null || answer.getStatus().getAllowed() == null) {
                    return Optional.empty();
                }
                return Optional.of(answer.getStatus().getAllowed());
            } catch (KubernetesClientException e) {
                return Optional.empty();
            }
        }

        /**
         * Reads one object: empty when the read itself failed (reported as a FAIL here), else the object if it exists.
         */
        private <T> Optional<Optional<T>> read(String check, Supplier<T> get) {
            try {
                return Optional.of(Optional.ofNullable(get.get()));
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
                    checks.add(Check.fail(check, "forbidden (403): the guardian may not read it",
                            "apply src/main/kubernetes/base (Role model-guardian) and bind it to this ServiceAccount"));
                } else {
                    checks.add(Check.fail(check, "cannot read it: " + (e.getCode() > 0 ? "HTTP " + e.getCode() + " "
                            : "") + ApiFailures.rootCause(e), "check the API server"));
                }
                return Optional.empty();
            }
        }
    }
}
