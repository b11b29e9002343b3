package dev.modelguardian.integrations.jobs;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.modelguardian.core.check.DidYouMean;
import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.integrations.kubernetes.ApiFailures;

/**
 * Jobs made from the target's CronJob exactly as {@code kubectl create job --from=cronjob/NAME} makes them; a Job the
 * CronJob scheduled, or one made by hand from it, trains the target too (its controller ownerReference is the CronJob).
 */
final class CronJobSource implements JobSource {

    /** What kubectl sets on a Job made from a CronJob by hand. */
    static final String INSTANTIATE = "cronjob.kubernetes.io/instantiate";

    private final KubernetesClient client;
    private final String namespace;

    CronJobSource(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** {@inheritDoc} A missing CronJob is permanent, naming the closest existing one. */
    @Override
    public Job job(TargetSpec target, String jobName) {
        String name = target.trainer().name();
        CronJob cronJob;
        try {
            cronJob = client.batch().v1().cronjobs().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw ApiFailures.of(namespace, "read CronJob " + name, e);
        }
        if (cronJob == null) {
            throw new ClusterException("CronJob " + namespace + "/" + name + " not found" + closest(name), true, null);
        }
        return fromCronJob(cronJob, jobName);
    }

    /**
     * The Job {@code kubectl create job NAME --from=cronjob/CRONJOB} makes: the job template's labels, annotations and
     * spec, annotation {@code cronjob.kubernetes.io/instantiate: manual}, a controller ownerReference to the CronJob.
     */
    static Job fromCronJob(CronJob cronJob, String jobName) {
        JobTemplateSpec template = cronJob.getSpec().getJobTemplate();
        Map<String, String> labels = new TreeMap<>(template.getMetadata() != null
                && template.getMetadata().getLabels() != null ? template.getMetadata().getLabels() : Map.of());
        Map<String, String> annotations = new TreeMap<>(template.getMetadata() != null
                && template.getMetadata().getAnnotations() != null ? template.getMetadata().getAnnotations()
                        : Map.of());
        annotations.put(INSTANTIATE, "manual");
        return new JobBuilder()
                .withNewMetadata()
                .withName(jobName)
                .withNamespace(cronJob.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("batch/v1")
                        .withKind("CronJob")
                        .withName(cronJob.getMetadata().getName())
                        .withUid(cronJob.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build())
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
    }

    /** {@inheritDoc} Scheduled or manual: what ties it to the CronJob is its ownerReference. */
    @Override
    public boolean trains(TargetSpec target, Job job) {
        return job.getMetadata().getOwnerReferences() != null && job.getMetadata().getOwnerReferences().stream()
                .anyMatch(ref -> "CronJob".equals(ref.getKind()) && target.trainer().name().equals(ref.getName()));
    }

    private String closest(String wanted) {
        try {
            List<String> names = client.batch().v1().cronjobs().inNamespace(namespace).list().getItems().stream()
                    .map(HasMetadata::getMetadata).map(m -> m.getName()).toList();
            return DidYouMean.closest(names, wanted).map(n -> "; closest existing CronJob: " + n)
                    .orElse("; there is no CronJob in " + namespace);
        } catch (KubernetesClientException e) {
            return "";
        }
    }
}
