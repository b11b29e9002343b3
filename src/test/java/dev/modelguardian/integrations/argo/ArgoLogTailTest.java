package dev.modelguardian.integrations.argo;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.integrations.jobs.CronJobProvider;
import dev.modelguardian.testing.Argo;
import dev.modelguardian.testing.PodLogServer;

/** The last lines of a failed Workflow: its failed pod, found by Argo's workflow label, and the main container. */
class ArgoLogTailTest {

    /** No settings: these triggers read nothing of the configuration for their permissions. */
    static final dev.modelguardian.config.Settings NO_SETTINGS =
            dev.modelguardian.testing.TestConfigs.settings("");


    static final String TARGET = "orchestrator-dynamic-ml-training";
    static final String WORKFLOW = "ml-retrain-emergency-1763953200";

    PodLogServer api = new PodLogServer();
    KubernetesMockServer server;
    KubernetesClient client;
    ArgoWorkflows workflows;
    TargetSpec target;

    @BeforeEach
    void setUp() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), api, false);
        server.init();
        client = server.createClient();
        workflows = new ArgoWorkflows(client, NAMESPACE, Map.of(TARGET, new ArgoTemplate(Argo.TEMPLATE, false,
                Map.of())));
        target = new TargetSpec(TARGET, new ArgoWorkflowProvider().trainedFrom(Argo.TEMPLATE), List.of(),
                dev.modelguardian.core.remediation.RecoverySpec.NONE);
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.destroy();
    }

    private void pod(String name, String phase, Instant started) {
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .addToLabels("workflows.argoproj.io/workflow", WORKFLOW).endMetadata()
                .withNewSpec().addNewInitContainer().withName("init").endInitContainer()
                .addNewContainer().withName("wait").endContainer()
                .addNewContainer().withName("main").endContainer().endSpec()
                .withNewStatus().withPhase(phase).withStartTime(started.toString()).endStatus()
                .build()).create();
    }

    @Test
    void givenAWorkflowWhoseTrainStepFailed_whenTheLogTailIsRead_thenTheFailedPodsMainContainerIsRead() {
        Instant t0 = Instant.parse("2026-11-24T03:00:00Z");
        pod(WORKFLOW + "-prepare-1901", "Succeeded", t0);
        pod(WORKFLOW + "-train-2417", "Failed", t0.plusSeconds(120));
        api.logs.put(WORKFLOW + "-train-2417/main", "loading features\nValueError: feature 'queue_depth' is NaN\n");
        api.logs.put(WORKFLOW + "-prepare-1901/main", "prepared\n");

        LogTail tail = workflows.logTail(target, WORKFLOW, LogTail.Limits.DEFAULT);

        assertThat(tail.source()).isEqualTo("pod " + WORKFLOW + "-train-2417 container main");
        assertThat(tail.lines()).containsExactly("loading features", "ValueError: feature 'queue_depth' is NaN");
        assertThat(api.requests).singleElement().asString().contains("container=main");
    }

    @Test
    void givenAWorkflowWithNoPodLeft_whenTheLogTailIsRead_thenItSaysSo() {
        LogTail tail = workflows.logTail(target, WORKFLOW, LogTail.Limits.DEFAULT);

        assertThat(tail.source()).isEqualTo("Workflow " + WORKFLOW);
        assertThat(tail.unavailable()).contains("no pod of it is left");
    }

    @Test
    void givenTheArgoTrigger_whenItsPermissionsAreListed_thenItMayListPodsAndReadTheirLogsAsTheJobTriggersDo() {
        assertThat(new ArgoWorkflowProvider().permissions(NO_SETTINGS, List.of(target)))
                .extracting(p -> p.describe()).contains("list pods", "get pods/log");
        assertThat(new CronJobProvider().permissions(NO_SETTINGS, List.of(new TargetSpec(TARGET, TARGET, List.of()))))
                .extracting(p -> p.describe()).contains("list pods", "get pods/log");
    }
}
