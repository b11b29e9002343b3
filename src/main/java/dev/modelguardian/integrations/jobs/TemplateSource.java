package dev.modelguardian.integrations.jobs;

import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;

import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.integrations.kubernetes.ApiFailures;

/**
 * Jobs made from a Job manifest kept in a ConfigMap, read when the run starts (so a team changes its training by
 * editing the ConfigMap, with no restart of the guardian), or inline in the configuration: the manifest's labels,
 * annotations and spec, named as the run, labelled with the ConfigMap (or {@code inline}). Nothing schedules such Jobs but the guardian, so the Jobs that train a target are
 * the ones it made from that ConfigMap for that target.
 */
final class TemplateSource implements JobSource {

    /** Label naming the ConfigMap a Job was made from. */
    static final String JOB_TEMPLATE = "model-guardian.dev/job-template";

    /** The value of {@link #JOB_TEMPLATE} on the Jobs of a manifest kept inline in the configuration. */
    static final String INLINE = "inline";

    /**
     * Where one target's manifest is: under a key of a ConfigMap, or inline in the configuration.
     *
     * @param configMap the ConfigMap's name ({@link #INLINE} for an inline manifest)
     * @param key       the key whose value is the manifest
     * @param manifest  the manifest itself, when it is inline
     */
    record Template(String configMap, String key, java.util.Optional<String> manifest) {

        /** A manifest under {@code key} of ConfigMap {@code configMap}. */
        Template(String configMap, String key) {
            this(configMap, key, java.util.Optional.empty());
        }

        /** A manifest inline in the configuration. */
        static Template inline(String manifest) {
            return new Template(INLINE, "", java.util.Optional.of(manifest));
        }

        /** Where the manifest is, as messages say it. */
        String where(String namespace) {
            return manifest.isPresent() ? "the inline manifest (trigger.job-template.manifest)"
                    : "ConfigMap " + namespace + "/" + configMap + " key " + key;
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Template> templates;

    /** @param templates where each target's manifest is, by target name */
    TemplateSource(KubernetesClient client, String namespace, Map<String, Template> templates) {
        this.client = client;
        this.namespace = namespace;
        this.templates = Map.copyOf(templates);
    }

    /** What a target's ConfigMap holds, as far as making its Job goes. */
    sealed interface Loaded {
        /** The manifest, a Job with a pod template, named as the run. */
        record Manifest(Job job) implements Loaded {
        }

        /** No ConfigMap of that name. */
        record NoConfigMap() implements Loaded {
        }

        /** The ConfigMap has no (or an empty) value under the key. */
        record NoKey(java.util.Set<String> keys) implements Loaded {
        }

        /** The value is not a Job manifest with {@code spec.template.spec}. */
        record Invalid(String why) implements Loaded {
        }
    }

    /**
     * {@inheritDoc} A missing ConfigMap or key, or a value that is not a Job manifest with a pod template, is
     * permanent: retrying cannot help until someone fixes it.
     */
    @Override
    public Job job(TargetSpec target, String jobName) {
        Template template = template(target);
        String where = "ConfigMap " + namespace + "/" + template.configMap();
        return switch (load(template, jobName)) {
            case Loaded.Manifest m -> m.job();
            case Loaded.NoConfigMap n -> throw new ClusterException(where + " not found: it holds the Job manifest of"
                    + " target " + target.name(), true, null);
            case Loaded.NoKey n -> throw new ClusterException(where + " has no key " + template.key() + " (its keys: "
                    + (n.keys().isEmpty() ? "none" : String.join(", ", n.keys())) + ")", true, null);
            case Loaded.Invalid i -> throw new ClusterException(template.where(namespace) + " " + i.why(), true, null);
        };
    }

    /**
     * Reads {@code template}'s ConfigMap (unless the manifest is inline) and parses its manifest as the Job
     * {@code jobName}.
     *
     * @throws ClusterException when the ConfigMap cannot be read
     */
    Loaded load(Template template, String jobName) {
        if (template.manifest().isPresent()) {
            return fromManifest(template.manifest().get(), INLINE, jobName);
        }
        ConfigMap configMap;
        try {
            configMap = client.configMaps().inNamespace(namespace).withName(template.configMap()).get();
        } catch (KubernetesClientException e) {
            throw ApiFailures.of(namespace, "read ConfigMap " + template.configMap(), e);
        }
        if (configMap == null) {
            return new Loaded.NoConfigMap();
        }
        Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
        String manifest = data.get(template.key());
        if (manifest == null || manifest.isBlank()) {
            return new Loaded.NoKey(new java.util.TreeSet<>(data.keySet()));
        }
        return fromManifest(manifest, template.configMap(), jobName);
    }

    /** The Job of {@code manifest} named {@code jobName}: its labels (plus the template label), annotations and spec. */
    static Loaded fromManifest(String manifest, String configMap, String jobName) {
        Object parsed;
        try {
            parsed = Serialization.unmarshal(manifest);
        } catch (RuntimeException e) {
            return new Loaded.Invalid("is not a Job manifest: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
        }
        if (!(parsed instanceof Job job)) {
            return new Loaded.Invalid("is not a Job manifest: it is " + (parsed == null ? "empty"
                    : "a " + parsed.getClass().getSimpleName()) + "; write apiVersion: batch/v1 and kind: Job");
        }
        if (job.getSpec() == null || job.getSpec().getTemplate() == null
                || job.getSpec().getTemplate().getSpec() == null) {
            return new Loaded.Invalid("is a Job without spec.template.spec; write the pod that trains");
        }
        Map<String, String> labels = new TreeMap<>(job.getMetadata() != null && job.getMetadata().getLabels() != null
                ? job.getMetadata().getLabels() : Map.of());
        labels.put(JOB_TEMPLATE, configMap);
        Map<String, String> annotations = new TreeMap<>(job.getMetadata() != null
                && job.getMetadata().getAnnotations() != null ? job.getMetadata().getAnnotations() : Map.of());
        return new Loaded.Manifest(new JobBuilder()
                .withNewMetadata()
                .withName(jobName)
                .withLabels(labels)
                .withAnnotations(annotations)
                .endMetadata()
                .withSpec(job.getSpec())
                .build());
    }

    /** {@inheritDoc} One the guardian made for this target from its ConfigMap (an earlier remediation's). */
    @Override
    public boolean trains(TargetSpec target, Job job) {
        Map<String, String> labels = job.getMetadata().getLabels();
        return labels != null && target.name().equals(labels.get(TrainingJobs.TARGET))
                && template(target).configMap().equals(labels.get(JOB_TEMPLATE));
    }

    private Template template(TargetSpec target) {
        Template template = templates.get(target.name());
        if (template == null) {
            throw new ClusterException("target " + target.name() + " has no job-template trigger", true, null);
        }
        return template;
    }
}
