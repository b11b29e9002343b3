package dev.modelguardian.testing;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;

import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * A Job manifest kept in a ConfigMap, for tests of the {@code job-template} trigger: the training Job of Neural Hive's
 * CronJob, written as {@code kubectl create job --dry-run=client -o yaml} writes it.
 */
public final class JobTemplates {

    /** The ConfigMap the tests' targets read their manifest from. */
    public static final String CONFIG_MAP = "orchestrator-ml-training-job";

    private JobTemplates() {
    }

    /** The manifest: Neural Hive's training pod, with labels and a deadline of its own. */
    public static Job manifest() {
        return new JobBuilder()
                .withNewMetadata()
                .withName("orchestrator-ml-training")
                .withLabels(Map.of("app.kubernetes.io/part-of", "neural-hive", "team", "ml-platform"))
                .withAnnotations(Map.of("neural-hive.io/runbook", "retraining"))
                .endMetadata()
                .withSpec(NeuralHive.trainingCronJob().getSpec().getJobTemplate().getSpec())
                .build();
    }

    /** A ConfigMap holding {@code data}. */
    public static ConfigMap configMap(String name, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withData(data).build();
    }

    /** Installs {@link #CONFIG_MAP} with the manifest under {@code job.yaml}. */
    public static ConfigMap install(KubernetesClient client) {
        return client.configMaps().inNamespace(NAMESPACE).resource(configMap(CONFIG_MAP,
                Map.of("job.yaml", Serialization.asYaml(manifest())))).createOr(NonDeletingOperation::update);
    }
}
