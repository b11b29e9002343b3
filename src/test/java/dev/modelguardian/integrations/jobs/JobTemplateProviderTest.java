package dev.modelguardian.integrations.jobs;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.extension.DoctorContext;
import dev.modelguardian.config.extension.Permission;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.remediation.RecoverySpec;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TrainingTrigger;
import dev.modelguardian.testing.JobTemplates;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.TestConfigs;

/**
 * The job-template trigger's settings of each target (ConfigMap and key), what it reports when a target of another
 * kind sets them, its doctor checks on the mock server, and the permissions it needs.
 */
@EnableKubernetesMockClient(crud = true)
class JobTemplateProviderTest {

    KubernetesClient client;

    private static Settings settings(String target) {
        return TestConfigs.settings("guardian:\n  targets:\n    training:\n      models: [a]\n" + target);
    }

    private static List<ConfigProblem> validate(String target) {
        Settings settings = settings(target);
        List<ConfigProblem> problems = new ArrayList<>();
        Extensions.TRIGGERS.forEach(t -> t.validate("training", settings.guardian().targets().get("training"),
                settings, problems));
        return problems;
    }

    @Test
    void givenAJobTemplateTarget_whenValidated_thenNoProblemAndItIsTrainedByTheConfigMapsManifest() {
        String yaml = "      trigger:\n        kind: job-template\n        job-template:\n"
                + "          config-map: orchestrator-ml-training-job\n          key: train.yaml\n";

        Settings settings = settings(yaml);
        var trainer = Extensions.trainer("training", settings.guardian().targets().get("training"), settings);

        assertThat(validate(yaml)).isEmpty();
        assertThat(trainer.source()).isEqualTo("ConfigMap orchestrator-ml-training-job");
        assertThat(trainer.runKind()).isEqualTo("Job");
    }

    /** A target whose Job manifest is inline, indented under {@code manifest: |}. */
    static final String INLINE = """
                  trigger:
                    kind: job-template
                    job-template:
                      manifest: |
                        apiVersion: batch/v1
                        kind: Job
                        metadata:
                          labels: {team: ml-platform}
                        spec:
                          activeDeadlineSeconds: 3600
                          template:
                            spec:
                              restartPolicy: Never
                              containers:
                                - name: train
                                  image: neural-hive/orchestrator-ml-training:1.4.2
                                  command: [python, /app/scripts/train_models_production.py]
            """;

    @Test
    void givenAnInlineManifest_whenValidatedAndStarted_thenNoProblemAndTheJobIsTheManifestLabelledInlineAndNoConfigMapIsRead() {
        Settings settings = settings(INLINE);
        GuardianConfig config = settings.guardian();
        var trainer = Extensions.trainer("training", config.targets().get("training"), settings);
        TargetSpec target = new TargetSpec("training", trainer, List.of("a"), RecoverySpec.NONE);
        TrainingTrigger jobs = new JobTemplateProvider().trigger(settings, config.targets(), client,
                NeuralHive.NAMESPACE, java.time.Clock.systemUTC());

        jobs.start(target, "ml-retrain-emergency-1764000000", "r1764000000", "a/mae 27 (> 20)");

        assertThat(validate(INLINE)).isEmpty();
        assertThat(trainer.source()).isEqualTo("JobTemplate training");
        Job job = client.batch().v1().jobs().inNamespace(NeuralHive.NAMESPACE).withName("ml-retrain-emergency-1764000000")
                .get();
        assertThat(job.getMetadata().getLabels()).containsEntry("team", "ml-platform")
                .containsEntry("model-guardian.dev/job-template", "inline")
                .containsEntry("model-guardian.dev/remediation-id", "r1764000000");
        assertThat(job.getSpec().getTemplate().getSpec().getContainers()).singleElement()
                .satisfies(c -> assertThat(c.getImage()).isEqualTo("neural-hive/orchestrator-ml-training:1.4.2"));
        assertThat(jobs.running(target, java.util.Optional.of("other"))).contains("ml-retrain-emergency-1764000000");
        assertThat(new JobTemplateProvider().permissions(settings, List.of(target))).as("no ConfigMap to read")
                .noneMatch(p -> p.resource().equals("configmaps"));
        assertThat(new JobTemplateProvider().doctor(List.of(target), client, new DoctorContext(NeuralHive.NAMESPACE,
                k -> false, Map.of(), Optional.of(settings)))).singleElement().satisfies(c -> {
                    assertThat(c.status()).isEqualTo(Check.Status.OK);
                    assertThat(c.detail()).isEqualTo("The inline manifest is a Job manifest (training target training)");
                });
    }

    @Test
    void givenAnInlineManifestThatIsNotAJobOrSetWithAConfigMap_whenValidated_thenEachIsNamedWithTheFix() {
        List<ConfigProblem> notAJob = validate(INLINE.replace("kind: Job", "kind: CronJob"));
        List<ConfigProblem> both = validate(INLINE.replace("manifest: |", "config-map: train\n          manifest: |"));
        List<ConfigProblem> onCronJob = validate(INLINE.replace("kind: job-template", "kind: cronjob"));

        assertThat(notAJob).singleElement().satisfies(p -> {
            assertThat(p.property()).isEqualTo("guardian.targets.training.trigger.job-template.manifest");
            assertThat(p.message()).startsWith("the inline manifest is not a Job manifest: it is a CronJob");
        });
        assertThat(both).extracting(ConfigProblem::property)
                .containsExactly("guardian.targets.training.trigger.job-template.config-map");
        assertThat(onCronJob).extracting(ConfigProblem::property)
                .containsExactly("guardian.targets.training.trigger.job-template.manifest");
    }

    @Test
    void givenAnInvalidKey_whenValidated_thenTheProblemIsOnTheKeyWithAnExample() {
        assertThat(validate("      trigger:\n        kind: job-template\n        job-template:\n"
                + "          key: job yaml\n")).singleElement().satisfies(p -> {
                    assertThat(p.property()).isEqualTo("guardian.targets.training.trigger.job-template.key");
                    assertThat(p.message()).isEqualTo("'job yaml' is not a valid ConfigMap key; use letters, digits,"
                            + " '-', '_' and '.', e.g. job.yaml");
                });
    }

    @Test
    void givenJobTemplateSettingsOnACronjobTarget_whenValidated_thenEachIsReportedWithTheFix() {
        assertThat(validate("      trigger:\n        job-template:\n          config-map: x\n          key: y\n"))
                .extracting(ConfigProblem::property).containsExactly(
                        "guardian.targets.training.trigger.job-template.config-map",
                        "guardian.targets.training.trigger.job-template.key");
    }

    @Test
    void givenTheConfigMapPresentMissingAndWithoutTheKey_whenDoctorChecks_thenOneOkAndTwoFailsWithTheirFixes() {
        JobTemplates.install(client);
        Settings settings = TestConfigs.settings("""
                guardian:
                  targets:
                    c:
                      models: [a]
                      trigger:
                        kind: job-template
                        job-template:
                          config-map: orchestrator-ml-training-job
                          key: train.yaml
                """);
        List<TargetSpec> targets = List.of(target("a", JobTemplates.CONFIG_MAP), target("b", "no-such-job"),
                target("c", JobTemplates.CONFIG_MAP));

        List<Check> checks = new JobTemplateProvider().doctor(targets, client, new DoctorContext(NAMESPACE,
                key -> false, Map.of(), Optional.of(settings)));

        assertThat(checks).extracting(Check::status).containsExactly(Check.Status.OK, Check.Status.FAIL,
                Check.Status.FAIL);
        assertThat(checks.get(0).detail()).isEqualTo("ConfigMap " + NAMESPACE + "/" + JobTemplates.CONFIG_MAP
                + " holds a Job manifest under job.yaml (training target a)");
        assertThat(checks.get(1).detail()).isEqualTo("ConfigMap " + NAMESPACE + "/no-such-job not found (training"
                + " target b)");
        assertThat(checks.get(1).fix()).isEqualTo("create it (kubectl create configmap no-such-job"
                + " --from-file=job.yaml=job.yaml), or set guardian.targets.b.trigger.job-template.config-map");
        assertThat(checks.get(2).detail()).isEqualTo("ConfigMap " + NAMESPACE + "/" + JobTemplates.CONFIG_MAP
                + " has no key train.yaml (its keys: job.yaml)");
    }

    @Test
    void givenJobTemplateTargets_whenPermissionsAreListed_thenTheNamedConfigMapsAndJobsAndNoCronJob() {
        List<Permission> permissions = new JobTemplateProvider().permissions(settings(""), List.of(target("a",
                JobTemplates.CONFIG_MAP)));

        assertThat(permissions).extracting(Permission::describe).containsExactly(
                "get configmaps/" + JobTemplates.CONFIG_MAP, "create jobs.batch", "get jobs.batch", "list jobs.batch",
                "watch jobs.batch", "list pods", "get pods/log");
    }

    private static TargetSpec target(String name, String configMap) {
        return new TargetSpec(name, new JobTemplateProvider().trainedFrom(configMap), List.of("a"), RecoverySpec.NONE);
    }
}
