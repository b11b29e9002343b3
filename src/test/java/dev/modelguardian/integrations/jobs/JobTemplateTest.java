package dev.modelguardian.integrations.jobs;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.RecoverySpec;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.testing.JobTemplates;
import dev.modelguardian.testing.NeuralHive;

/** Jobs made from a manifest kept in a ConfigMap, on the fabric8 mock server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class JobTemplateTest {

    static final String TARGET = "orchestrator-dynamic-ml-training";

    KubernetesClient client;
    TrainingJobs jobs;
    final TargetSpec target = target(TARGET);

    static TargetSpec target(String name) {
        return new TargetSpec(name, new JobTemplateProvider().trainedFrom(JobTemplates.CONFIG_MAP), List.of("m"),
                RecoverySpec.NONE);
    }

    @BeforeEach
    void setUp() {
        JobTemplates.install(client);
        jobs = jobs("job.yaml");
    }

    private TrainingJobs jobs(String key) {
        return new TrainingJobs(client, NAMESPACE, Duration.ofMinutes(10), Clock.systemUTC(), Duration.ofMinutes(5),
                new TemplateSource(client, NAMESPACE, Map.of(TARGET, new TemplateSource.Template(
                        JobTemplates.CONFIG_MAP, key), "other", new TemplateSource.Template(JobTemplates.CONFIG_MAP,
                                key))));
    }

    private Job job(String name) {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
    }

    @Test
    void givenAManifestInAConfigMap_whenStarted_thenTheJobIsTheManifestNamedAsTheRunWithTheGuardiansLabels() {
        jobs.start(target, "ml-retrain-emergency-1764000000", "r1764000000", "ticket-duration-predictor/mae 27 (> 20)");

        Job job = job("ml-retrain-emergency-1764000000");
        assertThat(job.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/part-of", "neural-hive")
                .containsEntry("team", "ml-platform")
                .containsEntry("model-guardian.dev/job-template", JobTemplates.CONFIG_MAP)
                .containsEntry("model-guardian.dev/remediation-id", "r1764000000")
                .containsEntry("model-guardian.dev/target", TARGET);
        assertThat(job.getMetadata().getAnnotations())
                .containsEntry("neural-hive.io/runbook", "retraining")
                .containsEntry("model-guardian.dev/trigger", "ticket-duration-predictor/mae 27 (> 20)")
                .doesNotContainKey("cronjob.kubernetes.io/instantiate");
        assertThat(job.getMetadata().getOwnerReferences()).as("no CronJob owns it").isNullOrEmpty();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3600L);
        assertThat(job.getSpec().getTemplate().getSpec().getContainers()).singleElement()
                .satisfies(c -> assertThat(c.getCommand()).contains("/app/scripts/train_models_production.py"));
    }

    @Test
    void givenTheJobWasCreatedBeforeACrash_whenStartedAgain_thenThereIsStillExactlyOneJob() {
        jobs.start(target, "j1", "r1", "t");

        jobs.start(target, "j1", "r1", "t");

        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    }

    @Test
    void givenAnEarlierRemediationsJobStillRunning_whenRunningIsAsked_thenItIsFoundForItsTargetOnly() {
        jobs.start(target, "j1", "r1", "t");
        NeuralHive.finish(client, "j1", "Complete", null);
        jobs.start(target, "j2", "r2", "t");
        client.batch().v1().jobs().inNamespace(NAMESPACE).resource(NeuralHive.scheduledJob(
                NeuralHive.install(client), "scheduled-1")).create();

        assertThat(jobs.running(target, Optional.empty())).contains("j2");
        assertThat(jobs.running(target, Optional.of("j2"))).as("j1 has ended; a CronJob's Job is not this training")
                .isEmpty();
        assertThat(jobs.running(target("other"), Optional.empty())).as("another target's").isEmpty();
    }

    @Test
    void givenTheJobFromTheTemplate_whenObserved_thenItIsFollowedLikeAnyTrainingJob() {
        jobs.start(target, "j1", "r1", "t");
        assertThat(jobs.observe(target, "j1")).isEqualTo(new JobObservation.Running(Optional.of(Duration.ofHours(1)),
                "no pod yet"));

        NeuralHive.finish(client, "j1", "Failed", "BackoffLimitExceeded");

        assertThat(jobs.observe(target, "j1")).isEqualTo(new JobObservation.Failed("BackoffLimitExceeded"));
    }

    @Test
    void givenNoSuchConfigMap_whenStarted_thenAPermanentFailureNamesItAndNoJobIsCreated() {
        client.configMaps().inNamespace(NAMESPACE).withName(JobTemplates.CONFIG_MAP).delete();

        assertThatThrownBy(() -> jobs.start(target, "j1", "r1", "t")).isInstanceOfSatisfying(ClusterException.class,
                e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("ConfigMap " + NAMESPACE + "/" + JobTemplates.CONFIG_MAP
                            + " not found: it holds the Job manifest of target " + TARGET);
                });
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void givenAnotherKey_whenStarted_thenAPermanentFailureListsTheKeysThere() {
        assertThatThrownBy(() -> jobs("training.yaml").start(target, "j1", "r1", "t"))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("ConfigMap " + NAMESPACE + "/" + JobTemplates.CONFIG_MAP
                            + " has no key training.yaml (its keys: job.yaml)");
                });
    }

    @Test
    void givenAManifestThatIsNotAJob_whenStarted_thenAPermanentFailureSaysWhatToWrite() {
        client.configMaps().inNamespace(NAMESPACE).resource(JobTemplates.configMap(JobTemplates.CONFIG_MAP, Map.of(
                "job.yaml", Serialization.asYaml(NeuralHive.modelServer())))).update();

        assertThatThrownBy(() -> jobs.start(target, "j1", "r1", "t"))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("ConfigMap " + NAMESPACE + "/" + JobTemplates.CONFIG_MAP
                            + " key job.yaml is not a Job manifest: it is a Deployment; write apiVersion: batch/v1"
                            + " and kind: Job");
                });
    }

    @Test
    void givenAJobWithoutAPodTemplate_whenStarted_thenAPermanentFailureSaysSo() {
        client.configMaps().inNamespace(NAMESPACE).resource(JobTemplates.configMap(JobTemplates.CONFIG_MAP, Map.of(
                "job.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\nspec:\n  backoffLimit: 2\n")))
                .update();

        assertThatThrownBy(() -> jobs.start(target, "j1", "r1", "t"))
                .isInstanceOfSatisfying(ClusterException.class, e -> assertThat(e.getMessage()).endsWith(
                        "key job.yaml is a Job without spec.template.spec; write the pod that trains"));
    }
}
