package dev.modelguardian.integrations.argo;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import dev.modelguardian.core.check.DidYouMean;
import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TrainingTrigger;
import dev.modelguardian.integrations.kubernetes.ApiFailures;
import dev.modelguardian.integrations.kubernetes.PodLogFollower;
import dev.modelguardian.integrations.kubernetes.PodLogs;
import dev.modelguardian.integrations.kubernetes.TrainingLabels;

/**
 * The {@link TrainingTrigger} of Argo Workflows: a target's training run is a Workflow submitted from its
 * WorkflowTemplate (or ClusterWorkflowTemplate) as {@code argo submit --from workflowtemplate/NAME} does: a
 * {@code spec.workflowTemplateRef} to the template, the template's {@code spec.workflowMetadata} labels and
 * annotations, the {@code workflows.argoproj.io/workflow-template} label, and the parameters the target configures.
 * The Workflow's name is the run name the remediation persisted before creating it (not a {@code generateName}), so a
 * restart finds it by name and by the remediation-id label, and never submits a second one.
 *
 * <p>All reads and writes go to the API server as generic resources of {@code argoproj.io/v1alpha1}: no Argo server
 * and no Argo CLI. There is no informer: the remediation's follow-ups at the re-list interval find a Workflow's end.
 */
public final class ArgoWorkflows implements TrainingTrigger {

    /** Argo's API group and version. */
    static final String API_VERSION = "argoproj.io/v1alpha1";
    /** The label {@code argo submit --from workflowtemplate/NAME} puts on the Workflow. */
    static final String TEMPLATE_LABEL = "workflows.argoproj.io/workflow-template";
    /** The label {@code argo submit --from clusterworkflowtemplate/NAME} puts on the Workflow. */
    static final String CLUSTER_TEMPLATE_LABEL = "workflows.argoproj.io/cluster-workflow-template";
    /** The label Argo puts on every pod of a Workflow: the Workflow's name. */
    static final String WORKFLOW_LABEL = "workflows.argoproj.io/workflow";
    /** The container of an Argo pod that runs the template's own container (beside {@code init} and {@code wait}). */
    static final String MAIN_CONTAINER = "main";
    /** The label a CronWorkflow puts on the Workflows it schedules. */
    static final String CRON_WORKFLOW_LABEL = "workflows.argoproj.io/cron-workflow";

    static final ResourceDefinitionContext WORKFLOWS = context("Workflow", "workflows", true);
    static final ResourceDefinitionContext WORKFLOW_TEMPLATES = context("WorkflowTemplate", "workflowtemplates", true);
    static final ResourceDefinitionContext CLUSTER_WORKFLOW_TEMPLATES = context("ClusterWorkflowTemplate",
            "clusterworkflowtemplates", false);

    /** The phases a Workflow ends in. */
    private static final Set<String> ENDED = Set.of("Succeeded", "Failed", "Error");
    private static final Logger LOG = Logger.getLogger(ArgoWorkflows.class);

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, ArgoTemplate> templates;
    private final PodLogs logs;
    /** Ended Workflows seen: a Workflow deleted by its TTL strategy still has its outcome here. */
    private final Map<String, GenericKubernetesResource> ended = new ConcurrentHashMap<>();

    /**
     * Workflows of {@code namespace}.
     *
     * @param templates what each target (by name) submits
     */
    public ArgoWorkflows(KubernetesClient client, String namespace, Map<String, ArgoTemplate> templates) {
        this.client = client;
        this.namespace = namespace;
        this.templates = Map.copyOf(templates);
        this.logs = new PodLogs(client, namespace);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A Workflow of the target's template that has not ended: one submitted from it (its template label), one
     * that refers to it (a CronWorkflow's, or one submitted by hand with a {@code workflowTemplateRef}), or one of the
     * configured CronWorkflow. Lists the
     * namespace's Workflows; called only while a target fires and no remediation is under way.
     */
    @Override
    public Optional<String> running(TargetSpec target, Optional<String> excluding) {
        ArgoTemplate template = template(target);
        List<GenericKubernetesResource> workflows = collection("list Workflows",
                () -> client.genericKubernetesResources(WORKFLOWS).inNamespace(namespace).list().getItems());
        return workflows.stream()
                .filter(wf -> of(wf, template))
                .filter(wf -> !ENDED.contains(phase(wf)))
                .filter(wf -> excluding.map(name -> !name.equals(wf.getMetadata().getName())).orElse(true))
                .max(Comparator.comparing(wf -> Objects.toString(wf.getMetadata().getCreationTimestamp(), "")))
                .map(wf -> wf.getMetadata().getName());
    }

    /**
     * {@inheritDoc}
     *
     * <p>From the Workflow's {@code status}: {@code Succeeded}; {@code Failed} or {@code Error} with the Workflow's
     * message and the first failed node's; otherwise running (phase empty or {@code Pending} before the controller
     * picks it up), with the Workflow's own {@code activeDeadlineSeconds} (its spec's, else the stored template's). A
     * Workflow gone is the outcome remembered when it was seen ended, else not found.
     */
    @Override
    public JobObservation observe(TargetSpec target, String runName) {
        GenericKubernetesResource wf = call("read Workflow " + runName,
                () -> client.genericKubernetesResources(WORKFLOWS).inNamespace(namespace).withName(runName).get());
        if (wf == null) {
            wf = ended.get(runName);
            if (wf == null) {
                return new JobObservation.NotFound();
            }
        }
        String phase = phase(wf);
        if (ENDED.contains(phase)) {
            ended.put(runName, wf);
            return phase.equals("Succeeded") ? new JobObservation.Succeeded() : new JobObservation.Failed(failure(wf));
        }
        return new JobObservation.Running(deadline(wf), progress(wf));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The log of the Workflow's failing pod (by Argo's label {@code workflows.argoproj.io/workflow}: the newest
     * Failed one, else the newest), of its {@code main} container, where Argo runs the template's own container.
     */
    @Override
    public LogTail logTail(TargetSpec target, String runName, LogTail.Limits limits) {
        return logs.tailOfFailing("Workflow " + runName, WORKFLOW_LABEL, runName, ArgoWorkflows::mainContainer,
                limits);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The Workflow's pods (its steps, in the order they were created) by Argo's label, each one's {@code main}
     * container.
     */
    @Override
    public Watch followLog(TargetSpec target, String runName, LogSink sink) {
        return PodLogFollower.start(client, namespace, WORKFLOW_LABEL, runName, ArgoWorkflows::mainContainer, sink);
    }

    private static String mainContainer(Pod pod) {
        return PodLogs.containers(pod).contains(MAIN_CONTAINER) ? MAIN_CONTAINER : PodLogs.container(pod);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The template is read first: a missing one is a permanent failure naming the closest existing template. A
     * Workflow of that name already carrying the remediation's id is the one submitted before a crash: nothing is
     * done.
     */
    @Override
    public void start(TargetSpec target, String runName, String remediationId, String why) {
        ArgoTemplate template = template(target);
        GenericKubernetesResource found = call("read " + template.kind() + " " + template.name(),
                () -> read(template));
        if (found == null) {
            throw new ClusterException(where(template) + " not found" + closestSuffix(template), true, null);
        }
        GenericKubernetesResource workflow = workflow(found, template, runName, remediationId, target, why);
        try {
            client.genericKubernetesResources(WORKFLOWS).inNamespace(namespace).resource(workflow).create();
            LOG.infof("Created Workflow %s/%s from %s %s for remediation %s of target %s", namespace, runName,
                    template.kind(), template.name(), remediationId, target.name());
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                GenericKubernetesResource existing = call("read Workflow " + runName, () -> client
                        .genericKubernetesResources(WORKFLOWS).inNamespace(namespace).withName(runName).get());
                if (existing != null && remediationId.equals(label(existing, TrainingLabels.REMEDIATION_ID))) {
                    LOG.infof("Workflow %s/%s of remediation %s already exists; not creating another", namespace,
                            runName, remediationId);
                    return;
                }
                throw new ClusterException("a Workflow named " + runName + " already exists in " + namespace
                        + " and is not the one of remediation " + remediationId, true, e);
            }
            throw e.getCode() == HttpURLConnection.HTTP_NOT_FOUND ? notServed("create Workflow " + runName, e)
                    : ApiFailures.of(namespace, "create Workflow " + namespace + "/" + runName, e);
        }
    }

    /**
     * The Workflow {@code argo submit --from workflowtemplate/NAME} makes, named {@code runName}: the template's
     * {@code spec.workflowMetadata} labels and annotations, the template label, a {@code workflowTemplateRef}, and the
     * target's parameters; plus the guardian's remediation-id and target labels and its trigger annotation.
     */
    GenericKubernetesResource workflow(GenericKubernetesResource found, ArgoTemplate template, String runName,
            String remediationId, TargetSpec target, String why) {
        Map<String, String> labels = new TreeMap<>(stringMap(found.get("spec", "workflowMetadata", "labels")));
        Map<String, String> annotations = new TreeMap<>(
                stringMap(found.get("spec", "workflowMetadata", "annotations")));
        labels.put(template.label(), template.name());
        labels.put(TrainingLabels.REMEDIATION_ID, remediationId);
        labels.put(TrainingLabels.TARGET, target.name());
        annotations.put(TrainingLabels.TRIGGER, TrainingLabels.annotation(why));

        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("name", template.name());
        if (template.clusterScope()) {
            ref.put("clusterScope", true);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("workflowTemplateRef", ref);
        Map<String, String> values = Map.of("remediation-id", remediationId, "target", target.name(), "models",
                String.join(",", target.models()), "trigger", why);
        List<Map<String, Object>> parameters = new ArrayList<>();
        template.parameters(values).forEach((name, value) -> {
            Map<String, Object> parameter = new LinkedHashMap<>();
            parameter.put("name", name);
            parameter.put("value", value);
            parameters.add(parameter);
        });
        if (!parameters.isEmpty()) {
            spec.put("arguments", Map.of("parameters", parameters));
        }
        GenericKubernetesResource workflow = new GenericKubernetesResource();
        workflow.setApiVersion(API_VERSION);
        workflow.setKind("Workflow");
        workflow.setMetadata(new ObjectMetaBuilder().withName(runName).withNamespace(namespace).withLabels(labels)
                .withAnnotations(annotations).build());
        workflow.setAdditionalProperty("spec", spec);
        return workflow;
    }

    /** Whether {@code wf} was submitted from {@code template}, refers to it, or is of its CronWorkflow. */
    private static boolean of(GenericKubernetesResource wf, ArgoTemplate template) {
        if (template.name().equals(label(wf, template.label()))) {
            return true;
        }
        if (template.cronWorkflow().isPresent()
                && template.cronWorkflow().get().equals(label(wf, CRON_WORKFLOW_LABEL))) {
            return true;
        }
        Object ref = wf.get("spec", "workflowTemplateRef", "name");
        boolean clusterScope = Boolean.TRUE.equals(wf.get("spec", "workflowTemplateRef", "clusterScope"));
        return template.name().equals(ref) && clusterScope == template.clusterScope();
    }

    private static String phase(GenericKubernetesResource wf) {
        Object phase = wf.get("status", "phase");
        return phase == null ? "" : phase.toString();
    }

    /** "Failed (message); node train: message" from the Workflow's status and its first failed node. */
    private static String failure(GenericKubernetesResource wf) {
        StringBuilder reason = new StringBuilder(phase(wf));
        Object message = wf.get("status", "message");
        if (message != null && !message.toString().isBlank()) {
            reason.append(" (").append(message).append(")");
        }
        Object nodes = wf.get("status", "nodes");
        if (nodes instanceof Map<?, ?> byId) {
            new TreeMap<>(stringKeys(byId)).values().stream()
                    .filter(Map.class::isInstance).map(n -> (Map<?, ?>) n)
                    .filter(n -> ENDED.contains(String.valueOf(n.get("phase"))) && !"Succeeded".equals(n.get("phase")))
                    .filter(n -> "Pod".equals(n.get("type")) && n.get("message") != null)
                    .findFirst()
                    .ifPresent(n -> reason.append("; node ").append(n.get("displayName") != null ? n.get("displayName")
                            : n.get("name")).append(": ").append(n.get("message")));
        }
        return reason.toString();
    }

    private static Optional<Duration> deadline(GenericKubernetesResource wf) {
        Object seconds = wf.get("spec", "activeDeadlineSeconds");
        if (seconds == null) {
            seconds = wf.get("status", "storedWorkflowTemplateSpec", "activeDeadlineSeconds");
        }
        return seconds instanceof Number n ? Optional.of(Duration.ofSeconds(n.longValue())) : Optional.empty();
    }

    /** "phase Running, progress 2/5" or "not started yet" for the progress lines. */
    private static String progress(GenericKubernetesResource wf) {
        String phase = phase(wf);
        if (phase.isEmpty()) {
            return "not picked up by the workflow controller yet";
        }
        Object progress = wf.get("status", "progress");
        return "phase " + phase + (progress == null ? "" : ", progress " + progress);
    }

    private ArgoTemplate template(TargetSpec target) {
        ArgoTemplate template = templates.get(target.name());
        if (template == null) {
            throw new ClusterException("target " + target.name() + " has no argo-workflow trigger", true, null);
        }
        return template;
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> templates(ArgoTemplate template) {
        return template.clusterScope() ? client.genericKubernetesResources(CLUSTER_WORKFLOW_TEMPLATES)
                : client.genericKubernetesResources(WORKFLOW_TEMPLATES).inNamespace(namespace);
    }

    /** "WorkflowTemplate ns/name" or "ClusterWorkflowTemplate name". */
    String where(ArgoTemplate template) {
        return template.kind() + " " + (template.clusterScope() ? "" : namespace + "/") + template.name();
    }

    /**
     * The template, or null when there is none of that name.
     *
     * @throws KubernetesClientException when it cannot be read
     */
    GenericKubernetesResource read(ArgoTemplate template) {
        return templates(template).withName(template.name()).get();
    }

    /** The names of the templates of {@code template}'s scope, sorted; empty when they cannot be listed. */
    Optional<List<String>> names(ArgoTemplate template) {
        try {
            return Optional.of(templates(template).list().getItems().stream().map(HasMetadata::getMetadata)
                    .map(m -> m.getName()).sorted().toList());
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }

    /** What {@link #names} says about a missing template, as a message suffix; empty when they cannot be listed. */
    String closestSuffix(ArgoTemplate template) {
        return names(template).map(names -> DidYouMean.closest(names, template.name())
                .map(n -> "; closest existing " + template.kind() + ": " + n)
                .orElse("; there is no " + template.kind() + (template.clusterScope() ? "" : " in " + namespace)))
                .orElse("");
    }

    static ResourceDefinitionContext context(String kind, String plural, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup("argoproj.io").withVersion("v1alpha1")
                .withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
    }

    private static String label(HasMetadata object, String key) {
        return object.getMetadata().getLabels() == null ? null : object.getMetadata().getLabels().get(key);
    }

    private static Map<String, String> stringMap(Object value) {
        Map<String, String> out = new TreeMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (k != null && v != null) {
                    out.put(k.toString(), v.toString());
                }
            });
        }
        return out;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /**
     * A call on a collection of Argo's resources, where a 404 means the API server does not serve them: Argo's CRDs
     * are not installed (permanent).
     */
    private <T> T collection(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (KubernetesClientException e) {
            throw e.getCode() == HttpURLConnection.HTTP_NOT_FOUND ? notServed(what, e)
                    : ApiFailures.of(namespace, what, e);
        }
    }

    private static ClusterException notServed(String what, KubernetesClientException e) {
        return new ClusterException("cannot " + what + ": the API server does not serve " + API_VERSION
                + " Workflows (404): install Argo Workflows' CRDs in this cluster, or choose another trigger.kind", true,
                e);
    }

    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (KubernetesClientException e) {
            throw ApiFailures.of(namespace, what, e);
        }
    }
}
