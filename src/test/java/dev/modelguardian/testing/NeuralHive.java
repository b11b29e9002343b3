package dev.modelguardian.testing;

import java.time.Instant;
import java.util.List;

import io.fabric8.kubernetes.api.model.ConfigMapEnvSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretEnvSourceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import dev.modelguardian.config.extension.Permission;
import dev.modelguardian.integrations.kubernetes.RequiredPermissions;

/**
 * Cluster objects shaped like Neural Hive's (reference/neural-hive.md): the training CronJob as its chart renders
 * it, and helpers that play the Job controller and the kubelet, which the mock server does not run.
 */
public final class NeuralHive {

    public static final String NAMESPACE = "neural-hive";
    public static final String CRON_JOB = "orchestrator-dynamic-ml-training";

    private NeuralHive() {
    }

    /** {@code orchestrator-dynamic-ml-training}: schedule 0 2 * * *, no jobTemplate labels, deadline 3600s. */
    public static CronJob trainingCronJob() {
        return new CronJobBuilder()
                .withNewMetadata().withName(CRON_JOB).withNamespace(NAMESPACE)
                .addToLabels("app.kubernetes.io/name", "orchestrator-dynamic")
                .addToLabels("app.kubernetes.io/instance", "neural-hive")
                .endMetadata()
                .withNewSpec()
                .withSchedule("0 2 * * *")
                .withSuccessfulJobsHistoryLimit(3)
                .withFailedJobsHistoryLimit(3)
                .withNewJobTemplate()
                .withNewSpec()
                .withBackoffLimit(2)
                .withActiveDeadlineSeconds(3600L)
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app.kubernetes.io/name", "orchestrator-dynamic")
                .addToLabels("app.kubernetes.io/instance", "neural-hive")
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("OnFailure")
                .withServiceAccountName("orchestrator-dynamic")
                .addNewContainer()
                .withName("ml-training")
                .withImage("ghcr.io/albinojimy/neural-hive-mind/orchestrator-dynamic:1.4.2")
                .withCommand("python3", "/app/scripts/train_models_production.py", "--window-days=540",
                        "--min-samples=100")
                .withEnvFrom(new EnvFromSourceBuilder().withConfigMapRef(new ConfigMapEnvSourceBuilder()
                        .withName("orchestrator-dynamic-ml-training-config").build()).build(),
                        new EnvFromSourceBuilder().withSecretRef(new SecretEnvSourceBuilder()
                                .withName("orchestrator-dynamic-secrets").build()).build())
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .endJobTemplate()
                .endSpec()
                .build();
    }

    /**
     * Empties the namespace of everything a remediation touches (Jobs, pods, ConfigMaps, Events, Leases, CronJobs) and
     * installs the training CronJob again: a clean cluster for the next test on a shared mock server.
     */
    public static CronJob reset(KubernetesClient client) {
        client.batch().v1().jobs().inNamespace(NAMESPACE).delete();
        client.pods().inNamespace(NAMESPACE).delete();
        client.configMaps().inNamespace(NAMESPACE).delete();
        client.events().v1().events().inNamespace(NAMESPACE).delete();
        client.leases().inNamespace(NAMESPACE).delete();
        client.batch().v1().cronjobs().inNamespace(NAMESPACE).delete();
        client.apps().deployments().inNamespace(NAMESPACE).delete();
        return install(client);
    }

    /** Deletes the guardian's whole state: ConfigMap {@code model-guardian-state} and each target's. */
    public static void deleteState(KubernetesClient client) {
        client.configMaps().inNamespace(NAMESPACE).withName("model-guardian-state").delete();
        client.configMaps().inNamespace(NAMESPACE).withLabel("model-guardian.dev/state", "model-guardian-state")
                .delete();
    }

    /** The flag ConfigMap the chart renders from values (every value a quoted string). */
    public static final String FLAG_CONFIG_MAP = "orchestrator-dynamic-config";
    /** The flag rollback turns off. */
    public static final String FLAG = "ENABLE_ML_ENHANCED_SCHEDULING";
    /** The model server Deployment. */
    public static final String DEPLOYMENT = "orchestrator-dynamic";

    /** The permissions for these object names with Neural Hive's flag ConfigMap and Deployment (what doctor checks). */
    public static List<Permission> requiredPermissions(String stateConfigMap, String lease,
            List<String> cronJobs) {
        List<Permission> all = new java.util.ArrayList<>(RequiredPermissions.of(stateConfigMap, cronJobs, lease,
                List.of(FLAG_CONFIG_MAP), List.of(DEPLOYMENT)));
        all.addAll(new dev.modelguardian.integrations.jobs.CronJobProvider().permissions(TestConfigs.settings(""),
                cronJobs.stream()
                .map(c -> new dev.modelguardian.core.remediation.TargetSpec(c, c, List.of())).toList()));
        return all;
    }

    /**
     * Creates the CronJob, the flag ConfigMap and the model server Deployment in the mock server; returns the CronJob
     * as stored (with its uid).
     */
    public static CronJob install(KubernetesClient client) {
        client.configMaps().inNamespace(NAMESPACE).resource(flagConfigMap()).create();
        client.apps().deployments().inNamespace(NAMESPACE).resource(modelServer()).create();
        return client.batch().v1().cronjobs().inNamespace(NAMESPACE).resource(trainingCronJob()).create();
    }

    /** ConfigMap orchestrator-dynamic-config with the ML keys as the chart renders them. */
    public static io.fabric8.kubernetes.api.model.ConfigMap flagConfigMap() {
        return new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName(FLAG_CONFIG_MAP)
                .withNamespace(NAMESPACE).addToLabels("app.kubernetes.io/name", "orchestrator-dynamic").endMetadata()
                .addToData(FLAG, "true")
                .addToData("ENABLE_INTELLIGENT_SCHEDULER", "true")
                .addToData("ML_PREDICTIONS_ENABLED", "true")
                .addToData("ML_DRIFT_DETECTION_ENABLED", "true")
                .build();
    }

    /** Deployment orchestrator-dynamic: envFrom the flag ConfigMap, checksum/config on the pod template. */
    public static io.fabric8.kubernetes.api.model.apps.Deployment modelServer() {
        return new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata().withName(DEPLOYMENT)
                .withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app.kubernetes.io/name", "orchestrator-dynamic").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app.kubernetes.io/name", "orchestrator-dynamic")
                .addToAnnotations("checksum/config", "0b6e1c").endMetadata()
                .withNewSpec().addNewContainer().withName("orchestrator-dynamic")
                .withImage("ghcr.io/albinojimy/neural-hive-mind/orchestrator-dynamic:1.0.0")
                .addNewEnvFrom().withNewConfigMapRef().withName(FLAG_CONFIG_MAP).endConfigMapRef().endEnvFrom()
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    /** The flag's value now. */
    public static String flag(KubernetesClient client) {
        return client.configMaps().inNamespace(NAMESPACE).withName(FLAG_CONFIG_MAP).get().getData().get(FLAG);
    }

    /** The model server's pod-template restartedAt annotation, null when never restarted. */
    public static String restartedAt(KubernetesClient client) {
        var meta = client.apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT).get().getSpec()
                .getTemplate().getMetadata();
        return meta.getAnnotations() == null ? null : meta.getAnnotations().get("kubectl.kubernetes.io/restartedAt");
    }

    /**
     * The model server as the chart renders it, for tests that start from a cluster without it: creates the flag
     * ConfigMap and the Deployment unless {@link #install} already did.
     */
    public static void installModelServer(KubernetesClient client) {
        if (client.configMaps().inNamespace(NAMESPACE).withName(FLAG_CONFIG_MAP).get() == null) {
            client.configMaps().inNamespace(NAMESPACE).resource(flagConfigMap()).create();
        }
        if (client.apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT).get() == null) {
            client.apps().deployments().inNamespace(NAMESPACE).resource(modelServer()).create();
        }
    }

    /** A Job the CronJob's schedule created (ownerReference, no guardian labels), still running. */
    public static Job scheduledJob(CronJob owner, String name) {
        return new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .withCreationTimestamp("2026-11-24T02:00:00Z")
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob")
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
                .endOwnerReference()
                .endMetadata()
                .withSpec(owner.getSpec().getJobTemplate().getSpec())
                .withNewStatus().withActive(1).endStatus()
                .build();
    }

    /** Plays the Job controller: sets a terminal condition on the Job. */
    public static void finish(KubernetesClient client, String job, String type, String reason) {
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName(job).editStatus(j -> new JobBuilder(j)
                .editOrNewStatus()
                .withActive(0)
                .withConditions(new JobConditionBuilder().withType(type).withStatus("True").withReason(reason)
                        .withLastTransitionTime(Instant.now().toString()).build())
                .endStatus().build());
    }

    /** Plays the kubelet: a pod of the Job whose container waits with {@code reason}. */
    public static Pod waitingPod(KubernetesClient client, String job, String reason, String message) {
        return client.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
                .withNewMetadata().withName(job + "-x7k2p").withNamespace(NAMESPACE).addToLabels("job-name", job)
                .endMetadata()
                .withNewStatus().withPhase("Pending")
                .addNewContainerStatus().withName("ml-training").withNewState().withNewWaiting().withReason(reason)
                .withMessage(message).endWaiting().endState().endContainerStatus()
                .endStatus().build()).create();
    }

    /** Plays the scheduler: a pod of the Job that has been Unschedulable since {@code since}. */
    public static Pod unschedulablePod(KubernetesClient client, String job, Instant since) {
        return client.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
                .withNewMetadata().withName(job + "-q9w4z").withNamespace(NAMESPACE).addToLabels("job-name", job)
                .endMetadata()
                .withNewStatus().withPhase("Pending")
                .withConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder()
                        .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                        .withMessage("0/3 nodes are available: 3 Insufficient memory.")
                        .withLastTransitionTime(since.toString()).build()))
                .endStatus().build()).create();
    }

    /**
     * Plays the kubelet: a pod of the Job, started at {@code created} (the mock server sets the creationTimestamp to
     * its own clock), whose {@code ml-training} container ended with {@code exitCode} (phase Failed, or Succeeded for
     * 0; Running when {@code exitCode} is null).
     */
    public static Pod trainingPod(KubernetesClient client, String job, String suffix, Instant created,
            Integer exitCode) {
        io.fabric8.kubernetes.api.model.ContainerStateBuilder state = new io.fabric8.kubernetes.api.model
                .ContainerStateBuilder();
        if (exitCode == null) {
            state.withNewRunning().withStartedAt(created.toString()).endRunning();
        } else {
            state.withNewTerminated().withExitCode(exitCode).withReason(exitCode == 0 ? "Completed" : "Error")
                    .endTerminated();
        }
        return client.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
                .withNewMetadata().withName(job + "-" + suffix).withNamespace(NAMESPACE).addToLabels("job-name", job)
                .endMetadata()
                .withNewSpec().addNewContainer().withName("ml-training").withImage("neural-hive/ml-training:1.4")
                .endContainer().endSpec()
                .withNewStatus().withStartTime(created.toString())
                .withPhase(exitCode == null ? "Running" : exitCode == 0 ? "Succeeded" : "Failed")
                .addNewContainerStatus().withName("ml-training").withState(state.build()).endContainerStatus()
                .endStatus().build()).create();
    }
}
