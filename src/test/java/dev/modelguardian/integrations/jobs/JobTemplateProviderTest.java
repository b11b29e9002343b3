package dev.modelguardian.integrations.jobs;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.extension.DoctorContext;
import dev.modelguardian.config.extension.Permission;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.remediation.RecoverySpec;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.testing.JobTemplates;
import dev.modelguardian.testing.TestConfigs;

/**
 * The job-template trigger's settings of each target (ConfigMap and key), what it reports when a target of another
 * kind sets them, its doctor checks on the mock server, and the permissions it needs.
 */
@EnableKubernetesMockClient(crud = true)
class JobTemplateProviderTest {

    KubernetesClient client;

    private static GuardianConfig config(String target) {
        return TestConfigs.fromYaml("guardian:\n  targets:\n    training:\n      models: [a]\n" + target);
    }

    private static List<ConfigProblem> validate(String target) {
        GuardianConfig config = config(target);
        List<ConfigProblem> problems = new ArrayList<>();
        Extensions.TRIGGERS.forEach(t -> t.validate("training", config.targets().get("training"), problems));
        return problems;
    }

    @Test
    void givenAJobTemplateTarget_whenValidated_thenNoProblemAndItIsTrainedByTheConfigMapsManifest() {
        String yaml = "      trigger:\n        kind: job-template\n        job-template:\n"
                + "          config-map: orchestrator-ml-training-job\n          key: train.yaml\n";

        assertThat(validate(yaml)).isEmpty();
        assertThat(Extensions.trainer("training", config(yaml).targets().get("training")).source())
                .isEqualTo("ConfigMap orchestrator-ml-training-job");
        assertThat(Extensions.trainer("training", config(yaml).targets().get("training")).runKind()).isEqualTo("Job");
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
        GuardianConfig.Target settings = TestConfigs.fromYaml("""
                guardian:
                  targets:
                    c:
                      models: [a]
                      trigger:
                        kind: job-template
                        job-template:
                          config-map: orchestrator-ml-training-job
                          key: train.yaml
                """).targets().get("c");
        List<TargetSpec> targets = List.of(target("a", JobTemplates.CONFIG_MAP), target("b", "no-such-job"),
                target("c", JobTemplates.CONFIG_MAP));

        List<Check> checks = new JobTemplateProvider().doctor(targets, client, new DoctorContext(NAMESPACE,
                key -> false, Map.of(), Map.of("c", settings)));

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
        List<Permission> permissions = new JobTemplateProvider().permissions(List.of(target("a",
                JobTemplates.CONFIG_MAP)));

        assertThat(permissions).extracting(Permission::describe).containsExactly(
                "get configmaps/" + JobTemplates.CONFIG_MAP, "create jobs.batch", "get jobs.batch", "list jobs.batch",
                "watch jobs.batch", "list pods", "get pods/log");
    }

    private static TargetSpec target(String name, String configMap) {
        return new TargetSpec(name, new JobTemplateProvider().trainedFrom(configMap), List.of("a"), RecoverySpec.NONE);
    }
}
