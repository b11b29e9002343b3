package dev.modelguardian.integrations.argo;

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
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.extension.DoctorContext;
import dev.modelguardian.config.extension.Permission;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Trainer;
import dev.modelguardian.integrations.jobs.CronJobProvider;
import dev.modelguardian.testing.Argo;
import dev.modelguardian.testing.TestConfigs;

/**
 * The Argo Workflows trigger's own settings of each target (template, scope, parameters), what it reports when a
 * target of another kind sets them, its doctor checks on the mock server and the permissions it needs.
 */
@EnableKubernetesMockClient(crud = true)
class ArgoWorkflowProviderTest {

    /** No settings: these triggers read nothing of the configuration for their permissions. */
    static final dev.modelguardian.config.Settings NO_SETTINGS =
            dev.modelguardian.testing.TestConfigs.settings("");


    KubernetesClient client;

    private static Settings config(String target) {
        return TestConfigs.settings("guardian:\n  targets:\n    training:\n      models: [a]\n" + target);
    }

    /** Every trigger's problems of target {@code training}, as the configuration validator collects them. */
    private static List<ConfigProblem> validate(String target) {
        Settings config = config(target);
        List<ConfigProblem> problems = new ArrayList<>();
        Extensions.TRIGGERS.forEach(t -> t.validate("training", config.guardian().targets().get("training"), config,
                problems));
        return problems;
    }

    @Test
    void givenAnArgoTargetWithATemplateAndParameters_whenValidated_thenThereIsNoProblemAndItIsTrainedByTheTemplate() {
        Settings config = config("""
                      trigger:
                        kind: argo-workflow
                        argo-workflow:
                          template: orchestrator-ml-retrain
                          parameters:
                            remediation-id: "{remediation-id}"
                            models: "{models}"
                """);

        assertThat(validate("""
                      trigger:
                        kind: argo-workflow
                        argo-workflow:
                          template: orchestrator-ml-retrain
                          parameters:
                            remediation-id: "{remediation-id}"
                            models: "{models}"
                """)).isEmpty();
        assertThat(Extensions.trainer("training", config.guardian().targets().get("training"), config))
                .isEqualTo(new Trainer(
                "argo-workflow", "WorkflowTemplate", "orchestrator-ml-retrain", "Workflow", "argoproj.io/v1alpha1"));
    }

    @Test
    void givenAnArgoTargetWithoutTemplate_whenTrained_thenItsTemplateIsTheTargetsName() {
        Settings config = config("      trigger:\n        kind: argo-workflow\n");

        assertThat(Extensions.trainer("training", config.guardian().targets().get("training"), config).source())
                .isEqualTo("WorkflowTemplate training");
    }

    @Test
    void givenAClusterScopedTemplate_whenTrained_thenItIsAClusterWorkflowTemplate() {
        Settings config = config("      trigger:\n        kind: argo-workflow\n        argo-workflow:\n"
                + "          template: shared-retrain\n          cluster-scope: true\n");

        assertThat(Extensions.trainer("training", config.guardian().targets().get("training"), config).source())
                .isEqualTo("ClusterWorkflowTemplate shared-retrain");
    }

    @Test
    void givenAnUnknownPlaceholder_whenValidated_thenTheProblemNamesTheParameterAndTheKnownPlaceholders() {
        assertThat(validate("      trigger:\n        kind: argo-workflow\n        argo-workflow:\n"
                + "          parameters:\n            run: \"{remediation_id}\"\n")).singleElement().satisfies(p -> {
                    assertThat(p.property()).isEqualTo("guardian.targets.training.trigger.argo-workflow.parameters.run");
                    assertThat(p.message()).isEqualTo("unknown placeholder {remediation_id}; use {remediation-id},"
                            + " {target}, {models}, {trigger}");
                });
    }

    @Test
    void givenAnInvalidTemplateName_whenValidated_thenTheProblemIsOnTheTemplateKey() {
        assertThat(validate("      trigger:\n        kind: argo-workflow\n        argo-workflow:\n"
                + "          template: ML_Retrain\n")).singleElement().satisfies(p -> {
                    assertThat(p.property()).isEqualTo("guardian.targets.training.trigger.argo-workflow.template");
                    assertThat(p.message()).startsWith("'ML_Retrain' is not a valid WorkflowTemplate name");
                });
    }

    @Test
    void givenACronJobOnAnArgoTarget_whenValidated_thenItIsReportedAsOnlyReadByACronjobTrigger() {
        assertThat(validate("      cron-job: ml-training\n      trigger:\n        kind: argo-workflow\n"))
                .singleElement().satisfies(p -> {
                    assertThat(p.property()).isEqualTo("guardian.targets.training.cron-job");
                    assertThat(p.message()).isEqualTo("cron-job is only read by a cronjob trigger, and this target's"
                            + " trigger.kind is argo-workflow; remove it");
                });
    }

    @Test
    void givenArgoSettingsOnACronjobTarget_whenValidated_thenEachIsReportedWithTheFix() {
        assertThat(validate("      trigger:\n        argo-workflow:\n          template: retrain\n"))
                .singleElement().satisfies(p -> {
                    assertThat(p.property()).isEqualTo("guardian.targets.training.trigger.argo-workflow.template");
                    assertThat(p.message()).isEqualTo("template is only read by an argo-workflow trigger, and this"
                            + " target's trigger.kind is cronjob; remove it, or set trigger.kind: argo-workflow");
                });
    }

    @Test
    void givenACronWorkflowOnACronjobTargetAndABadOneOnAnArgoTarget_whenValidated_thenBothAreReported() {
        assertThat(validate("      trigger:\n        argo-workflow:\n          cron-workflow: nightly\n"))
                .singleElement().satisfies(p -> assertThat(p.property())
                        .isEqualTo("guardian.targets.training.trigger.argo-workflow.cron-workflow"));
        assertThat(validate("      trigger:\n        kind: argo-workflow\n        argo-workflow:\n"
                + "          cron-workflow: Nightly_Retrain\n")).singleElement().satisfies(p -> assertThat(p.message())
                        .isEqualTo("'Nightly_Retrain' is not a valid CronWorkflow name; use lower-case letters,"
                                + " digits, '-' and '.'"));
    }

    @Test
    void givenAnUnknownTriggerKind_whenTheConfigurationIsValidated_thenTheKindIsReportedWithTheClosestOne() {
        Settings settings = TestConfigs.settings("guardian:\n  targets:\n    training:\n      models: [a]\n"
                + "      trigger:\n        kind: argo-workflows\n");

        assertThat(Extensions.validate(settings, ModelSet.resolve(settings)))
                .filteredOn(p -> p.property().equals("guardian.targets.training.trigger.kind")).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("unknown training trigger kind 'argo-workflows';"
                        + " use argo-workflow (closest), or one of cronjob, job-template, argo-workflow, http"));
    }

    @Test
    void givenTheOldAndTheNewCronJobKeysDisagreeing_whenValidated_thenTheOldKeyIsReported() {
        assertThat(validate("      cron-job: a\n      trigger:\n        cron-job: b\n")).singleElement()
                .satisfies(p -> assertThat(p.property()).isEqualTo("guardian.targets.training.cron-job"));
        Settings cronJobB = config("      trigger:\n        cron-job: b\n");
        assertThat(new CronJobProvider().trainer("training", cronJobB.guardian().targets().get("training"), cronJobB))
                .isEqualTo(Trainer.cronJob("b"));
    }

    @Test
    void givenTheTemplatePresentAndOneMisspelled_whenDoctorChecks_thenOneIsOkAndTheOtherNamesTheClosestTemplate() {
        Argo.install(client);
        List<TargetSpec> targets = List.of(target("a", Argo.TEMPLATE), target("b", "orchestrator-ml-retrian"));

        List<Check> checks = new ArgoWorkflowProvider().doctor(targets, client,
                new DoctorContext(NAMESPACE, key -> false, Map.of()));

        assertThat(checks).extracting(Check::status).containsExactly(Check.Status.OK, Check.Status.FAIL);
        assertThat(checks.get(0).detail()).isEqualTo("WorkflowTemplate " + NAMESPACE + "/" + Argo.TEMPLATE
                + " exists (training target a)");
        assertThat(checks.get(1).detail()).isEqualTo("WorkflowTemplate " + NAMESPACE + "/orchestrator-ml-retrian not"
                + " found; closest existing WorkflowTemplate: " + Argo.TEMPLATE);
        assertThat(checks.get(1).fix()).isEqualTo("set guardian.targets.b.trigger.argo-workflow.template: "
                + Argo.TEMPLATE);
    }

    @Test
    void givenArgoTargets_whenPermissionsAreListed_thenTheyAreWorkflowsAndTheNamedTemplatesAndNoJobs() {
        List<Permission> permissions = new ArgoWorkflowProvider().permissions(NO_SETTINGS, List.of(target("a", Argo.TEMPLATE)));

        assertThat(permissions).extracting(Permission::describe).containsExactly(
                "get workflowtemplates.argoproj.io/" + Argo.TEMPLATE, "list workflowtemplates.argoproj.io",
                "create workflows.argoproj.io", "get workflows.argoproj.io", "list workflows.argoproj.io",
                "list pods", "get pods/log");
        assertThat(new ArgoWorkflowProvider().permissions(NO_SETTINGS, List.of())).isEmpty();
        assertThat(new CronJobProvider().permissions(NO_SETTINGS, List.of())).as("no CronJob target: no Job permission").isEmpty();
    }

    private static TargetSpec target(String name, String template) {
        return new TargetSpec(name, new Trainer("argo-workflow", "WorkflowTemplate", template, "Workflow",
                "argoproj.io/v1alpha1"), List.of("m"), dev.modelguardian.core.remediation.RecoverySpec.NONE);
    }
}
