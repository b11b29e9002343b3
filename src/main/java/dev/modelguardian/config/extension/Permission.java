package dev.modelguardian.config.extension;

import java.util.Optional;

/**
 * One Kubernetes API permission the guardian uses: one verb on one resource, optionally on one named object, with the
 * feature that needs it. The Role in {@code src/main/kubernetes} (a ClusterRole for a cluster-scoped resource) is
 * written from these rows and {@code doctor} asks a SelfSubjectAccessReview for each.
 *
 * @param group    API group, "" for the core group
 * @param resource plural resource name
 * @param verb     the RBAC verb
 * @param name     the object, when the permission can be narrowed to it
 * @param feature  what needs it, for the Role's comments and doctor's messages
 * @param cluster  whether the resource is cluster-scoped: a Role cannot grant it, a ClusterRole must (and
 *                 {@code doctor} asks without a namespace)
 */
public record Permission(String group, String resource, String verb, Optional<String> name, String feature,
        boolean cluster) {

    /** A permission on a resource of the guardian's namespace. */
    public Permission(String group, String resource, String verb, Optional<String> name, String feature) {
        this(group, resource, verb, name, feature, false);
    }

    /** As in a Role rule: {@code create jobs.batch}, {@code get configmaps/model-guardian-state}. */
    public String describe() {
        return verb + " " + resource + (group.isEmpty() ? "" : "." + group) + name.map(n -> "/" + n).orElse("");
    }

    /** One permission per verb on a cluster-scoped resource, on {@code name} when it is not null. */
    public static java.util.List<Permission> ofCluster(String group, String resource, String feature, String name,
            String... verbs) {
        return java.util.Arrays.stream(verbs)
                .map(verb -> new Permission(group, resource, verb, Optional.ofNullable(name), feature, true)).toList();
    }

    /** One permission per verb, on {@code name} when it is not null. */
    public static java.util.List<Permission> of(String group, String resource, String feature, String name,
            String... verbs) {
        return java.util.Arrays.stream(verbs)
                .map(verb -> new Permission(group, resource, verb, Optional.ofNullable(name), feature)).toList();
    }
}
