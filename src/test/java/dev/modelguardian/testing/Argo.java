package dev.modelguardian.testing;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Argo Workflows in a mock API server: its CRDs (as Argo's install manifest names them), a WorkflowTemplate that
 * trains Neural Hive's duration predictor the way its CronJob does, and the workflow controller's part (a Workflow's
 * phase, message and nodes), for tests of the {@code argo-workflow} trigger.
 */
public final class Argo {

    /** The WorkflowTemplate the tests' targets submit from. */
    public static final String TEMPLATE = "orchestrator-ml-retrain";

    public static final ResourceDefinitionContext WORKFLOWS = context("Workflow", "workflows", true);
    public static final ResourceDefinitionContext WORKFLOW_TEMPLATES = context("WorkflowTemplate",
            "workflowtemplates", true);
    public static final ResourceDefinitionContext CLUSTER_WORKFLOW_TEMPLATES = context("ClusterWorkflowTemplate",
            "clusterworkflowtemplates", false);
    public static final ResourceDefinitionContext CRON_WORKFLOWS = context("CronWorkflow", "cronworkflows", true);

    private Argo() {
    }

    /** Registers Argo's CRDs (idempotent) and installs {@link #template()}. */
    public static GenericKubernetesResource install(KubernetesClient client) {
        for (ResourceDefinitionContext c : List.of(WORKFLOWS, WORKFLOW_TEMPLATES, CLUSTER_WORKFLOW_TEMPLATES,
                CRON_WORKFLOWS)) {
            client.apiextensions().v1().customResourceDefinitions().resource(crd(c))
                    .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        }
        return client.genericKubernetesResources(WORKFLOW_TEMPLATES).inNamespace(NAMESPACE).resource(template())
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }

    /** Deletes every Workflow and template, then installs again: a clean Argo for the next test. */
    public static GenericKubernetesResource reset(KubernetesClient client) {
        install(client);
        client.genericKubernetesResources(WORKFLOWS).inNamespace(NAMESPACE).delete();
        client.genericKubernetesResources(WORKFLOW_TEMPLATES).inNamespace(NAMESPACE).delete();
        client.genericKubernetesResources(CLUSTER_WORKFLOW_TEMPLATES).delete();
        return install(client);
    }

    /**
     * A WorkflowTemplate as a team would write it for the runbook's training: a parameter for the remediation id
     * with a default, workflow metadata labels that every Workflow of it carries, its own deadline, one container
     * step running the training script of Neural Hive's CronJob.
     */
    public static GenericKubernetesResource template() {
        return template(TEMPLATE, false);
    }

    /** {@link #template()} named {@code name}, namespaced or a ClusterWorkflowTemplate. */
    public static GenericKubernetesResource template(String name, boolean cluster) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("entrypoint", "train");
        spec.put("activeDeadlineSeconds", 3600);
        spec.put("serviceAccountName", "orchestrator-dynamic");
        spec.put("workflowMetadata", Map.of("labels", Map.of("app.kubernetes.io/part-of", "neural-hive",
                "team", "ml-platform"), "annotations", Map.of("neural-hive.io/runbook", "retraining")));
        spec.put("arguments", Map.of("parameters", List.of(
                Map.of("name", "remediation-id", "value", "manual"),
                Map.of("name", "models", "value", "ticket-duration-predictor"))));
        spec.put("templates", List.of(Map.of("name", "train",
                "inputs", Map.of("parameters", List.of(Map.of("name", "remediation-id"), Map.of("name", "models"))),
                "container", Map.of("image", "neural-hive/orchestrator-dynamic:1.4.2",
                        "command", List.of("python", "/app/scripts/train_models_production.py"),
                        "args", List.of("--models", "{{inputs.parameters.models}}", "--run-tag",
                                "{{inputs.parameters.remediation-id}}")))));
        GenericKubernetesResource t = new GenericKubernetesResource();
        t.setApiVersion("argoproj.io/v1alpha1");
        t.setKind(cluster ? "ClusterWorkflowTemplate" : "WorkflowTemplate");
        t.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(cluster ? null : NAMESPACE).build());
        t.setAdditionalProperty("spec", spec);
        return t;
    }

    /** A Workflow someone or a CronWorkflow submitted from {@link #TEMPLATE}, still running. */
    public static GenericKubernetesResource running(KubernetesClient client, String name, Map<String, String> labels,
            boolean templateRef) {
        GenericKubernetesResource wf = new GenericKubernetesResource();
        wf.setApiVersion("argoproj.io/v1alpha1");
        wf.setKind("Workflow");
        wf.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).withLabels(labels).build());
        wf.setAdditionalProperty("spec", templateRef ? Map.of("workflowTemplateRef", Map.of("name", TEMPLATE))
                : Map.of("entrypoint", "train"));
        GenericKubernetesResource made = client.genericKubernetesResources(WORKFLOWS).inNamespace(NAMESPACE)
                .resource(wf).create();
        return status(client, made.getMetadata().getName(), Map.of("phase", "Running", "progress", "0/1"));
    }

    /** The Workflow {@code name} as the API server has it, or null. */
    public static GenericKubernetesResource workflow(KubernetesClient client, String name) {
        return client.genericKubernetesResources(WORKFLOWS).inNamespace(NAMESPACE).withName(name).get();
    }

    /** Every Workflow of the namespace. */
    public static List<GenericKubernetesResource> workflows(KubernetesClient client) {
        return client.genericKubernetesResources(WORKFLOWS).inNamespace(NAMESPACE).list().getItems();
    }

    /** Plays the workflow controller: sets the Workflow's status. */
    public static GenericKubernetesResource status(KubernetesClient client, String name, Map<String, Object> status) {
        return client.genericKubernetesResources(WORKFLOWS).inNamespace(NAMESPACE).withName(name).edit(wf -> {
            wf.setAdditionalProperty("status", status);
            return wf;
        });
    }

    /** Plays the workflow controller: the Workflow ended in {@code phase} ({@code Succeeded}, {@code Failed}, ...). */
    public static GenericKubernetesResource finish(KubernetesClient client, String name, String phase) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", phase);
        status.put("progress", phase.equals("Succeeded") ? "1/1" : "0/1");
        if (!phase.equals("Succeeded")) {
            status.put("message", "child '" + name + "-1234' failed");
            status.put("nodes", Map.of(
                    name, Map.of("name", name, "displayName", name, "type", "Steps", "phase", phase,
                            "message", "child '" + name + "-1234' failed"),
                    name + "-1234", Map.of("name", name + "(0)", "displayName", "train", "type", "Pod", "phase",
                            phase, "message", "Error (exit code 1): CUDA out of memory")));
        }
        return status(client, name, status);
    }

    private static CustomResourceDefinition crd(ResourceDefinitionContext c) {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(c.getPlural() + "." + c.getGroup()).endMetadata()
                .withNewSpec()
                .withGroup(c.getGroup())
                .withScope(c.isNamespaceScoped() ? "Namespaced" : "Cluster")
                .withNewNames().withKind(c.getKind()).withPlural(c.getPlural())
                .withSingular(c.getKind().toLowerCase(java.util.Locale.ROOT)).endNames()
                .addNewVersion().withName(c.getVersion()).withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                .endVersion()
                .endSpec()
                .build();
    }

    private static ResourceDefinitionContext context(String kind, String plural, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup("argoproj.io").withVersion("v1alpha1")
                .withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
    }
}
