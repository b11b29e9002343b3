package dev.modelguardian.integrations.argo;

import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.ConfigValidator;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.extension.DoctorContext;
import dev.modelguardian.config.extension.Permission;
import dev.modelguardian.config.extension.TriggerProvider;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.check.DidYouMean;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Trainer;
import dev.modelguardian.core.remediation.TrainingTrigger;
import dev.modelguardian.integrations.kubernetes.ApiFailures;
import dev.modelguardian.integrations.kubernetes.PodLogs;

/**
 * The Argo Workflows trigger ({@code trigger.kind: argo-workflow}), whole: each target's
 * {@code trigger.argo-workflow.*} validated (the template's name, the parameters' names and placeholders), the
 * {@code doctor} check that each template exists (else the closest existing one), the permissions its Workflows
 * need, and its {@code TrainingTrigger}, {@link ArgoWorkflows}.
 */
public final class ArgoWorkflowProvider implements TriggerProvider {

    /** This trigger's kind, as {@code trigger.kind} names it. */
    public static final String KIND = "argo-workflow";
    /** The longest Workflow name the guardian lets a template lead to: Argo names pods after it. */
    static final int MAX_NAME = 253;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Optional<Class<?>> settingsRoot() {
        return Optional.of(ArgoWorkflowSettings.class);
    }

    @Override
    public Trainer trainer(String name, GuardianConfig.Target target, Settings settings) {
        ArgoTemplate template = template(name, settings.of(ArgoWorkflowSettings.class).of(name));
        return new Trainer(KIND, template.kind(), template.name(), "Workflow", ArgoWorkflows.API_VERSION);
    }

    /** {@inheritDoc} A namespaced WorkflowTemplate. */
    @Override
    public Trainer trainedFrom(String from) {
        return new Trainer(KIND, "WorkflowTemplate", from, "Workflow", ArgoWorkflows.API_VERSION);
    }

    /** What the target {@code name} submits: {@code trigger.argo-workflow.template}, else the target's name. */
    static ArgoTemplate template(String name, ArgoWorkflowSettings.ArgoWorkflow argo) {
        return new ArgoTemplate(argo.template().orElse(name), argo.clusterScope(), new TreeMap<>(argo.parameters()),
                argo.cronWorkflow());
    }

    @Override
    public TrainingTrigger trigger(Settings settings, Map<String, GuardianConfig.Target> targets,
            KubernetesClient client, String namespace, Clock clock) {
        ArgoWorkflowSettings argo = settings.of(ArgoWorkflowSettings.class);
        Map<String, ArgoTemplate> templates = new TreeMap<>();
        targets.keySet().forEach(name -> templates.put(name, template(name, argo.of(name))));
        return new ArgoWorkflows(client, namespace, templates);
    }

    @Override
    public void validate(String name, GuardianConfig.Target target, Settings settings, List<ConfigProblem> problems) {
        String prefix = "guardian.targets." + name + ".trigger.argo-workflow";
        ArgoWorkflowSettings.ArgoWorkflow argo = settings.of(ArgoWorkflowSettings.class).of(name);
        if (!target.trigger().kind().equals(KIND)) {
            String fix = " is only read by an argo-workflow trigger, and this target's trigger.kind is "
                    + target.trigger().kind() + "; remove it, or set trigger.kind: argo-workflow";
            argo.template().ifPresent(t -> problems.add(new ConfigProblem(prefix + ".template", "template" + fix)));
            if (argo.clusterScope()) {
                problems.add(new ConfigProblem(prefix + ".cluster-scope", "cluster-scope" + fix));
            }
            if (!argo.parameters().isEmpty()) {
                problems.add(new ConfigProblem(prefix + ".parameters", "parameters" + fix));
            }
            argo.cronWorkflow().ifPresent(c -> problems.add(new ConfigProblem(prefix + ".cron-workflow",
                    "cron-workflow" + fix)));
            return;
        }
        argo.cronWorkflow().filter(c -> !ConfigValidator.dnsSubdomain(c)).ifPresent(c -> problems.add(
                new ConfigProblem(prefix + ".cron-workflow", "'" + c + "' is not a valid CronWorkflow name; use"
                        + " lower-case letters, digits, '-' and '.'")));
        String template = argo.template().orElse(name);
        if (!ConfigValidator.dnsSubdomain(template) || template.length() > MAX_NAME) {
            problems.add(new ConfigProblem(argo.template().isPresent() ? prefix + ".template" : prefix,
                    "'" + template + "' is not a valid " + (argo.clusterScope() ? "ClusterWorkflowTemplate"
                            : "WorkflowTemplate") + " name; use lower-case letters, digits, '-' and '.'"
                            + (argo.template().isPresent() ? "" : " (it defaults to the target's name: set template)")));
        }
        new TreeMap<>(argo.parameters()).forEach((parameter, value) -> {
            if (!parameter.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
                problems.add(new ConfigProblem(prefix + ".parameters." + parameter, "'" + parameter
                        + "' is not a Workflow parameter name; use letters, digits, '_', '-' and '.'"));
            }
            List<String> unknown = ArgoTemplate.unknownPlaceholders(value);
            if (!unknown.isEmpty()) {
                problems.add(new ConfigProblem(prefix + ".parameters." + parameter, "unknown placeholder {"
                        + String.join("}, {", unknown) + "}; use {" + String.join("}, {", ArgoTemplate.PLACEHOLDERS)
                        + "}"));
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each template is read by name; when it is missing, the templates of its scope are listed for the closest
     * name.
     */
    @Override
    public List<Check> doctor(List<TargetSpec> targets, KubernetesClient client, DoctorContext context) {
        List<Check> checks = new ArrayList<>();
        for (TargetSpec target : targets) {
            ArgoTemplate template = new ArgoTemplate(target.trainer().name(),
                    target.trainer().kind().equals("ClusterWorkflowTemplate"), Map.of());
            ArgoWorkflows workflows = new ArgoWorkflows(client, context.namespace(), Map.of(target.name(), template));
            String check = template.kind().toLowerCase(java.util.Locale.ROOT) + "/" + template.name();
            GenericKubernetesResource found;
            try {
                found = workflows.read(template);
            } catch (KubernetesClientException e) {
                checks.add(unreadable(check, workflows.where(template), template.clusterScope(), e));
                continue;
            }
            if (found != null) {
                checks.add(Check.ok(check, workflows.where(template) + " exists (training target " + target.name()
                        + ")"));
                continue;
            }
            String property = "guardian.targets." + target.name() + ".trigger.argo-workflow.template";
            Optional<String> closest = workflows.names(template)
                    .flatMap(names -> DidYouMean.closest(names, template.name()));
            checks.add(Check.fail(check, workflows.where(template) + " not found" + workflows.closestSuffix(template),
                    closest.map(c -> "set " + property + ": " + c)
                            .orElse("create the " + template.kind() + ", or set " + property + " to its name")));
        }
        return List.copyOf(checks);
    }

    /**
     * {@inheritDoc}
     *
     * <p>From {@link ArgoWorkflows}, one call at a time: get each WorkflowTemplate by name (list for the closest
     * name), create, get and list Workflows. A ClusterWorkflowTemplate is cluster-scoped: the Role of the namespace
     * cannot grant it, so its get (by name) and list are cluster permissions, granted by the ClusterRole of
     * src/main/kubernetes/components/argo-cluster-workflow-template.
     */
    @Override
    public List<Permission> permissions(Settings settings, List<TargetSpec> targets) {
        if (targets.isEmpty()) {
            return List.of();
        }
        List<Permission> all = new ArrayList<>();
        targets.stream().filter(t -> t.trainer().kind().equals("WorkflowTemplate")).map(t -> t.trainer().name())
                .distinct().sorted().forEach(template -> all.addAll(Permission.of("argoproj.io", "workflowtemplates",
                        "training Workflow submitted from the WorkflowTemplate", template, "get")));
        all.addAll(Permission.of("argoproj.io", "workflowtemplates", "closest existing WorkflowTemplate name when the"
                + " configured one is missing", null, "list"));
        List<String> clusterTemplates = targets.stream().filter(t -> t.trainer().kind().equals(
                "ClusterWorkflowTemplate")).map(t -> t.trainer().name()).distinct().sorted().toList();
        clusterTemplates.forEach(template -> all.addAll(Permission.ofCluster("argoproj.io", "clusterworkflowtemplates",
                "training Workflow submitted from the ClusterWorkflowTemplate", template, "get")));
        if (!clusterTemplates.isEmpty()) {
            all.addAll(Permission.ofCluster("argoproj.io", "clusterworkflowtemplates", "closest existing"
                    + " ClusterWorkflowTemplate name when the configured one is missing", null, "list"));
        }
        all.addAll(Permission.of("argoproj.io", "workflows", "the retraining Workflow", null, "create"));
        all.addAll(Permission.of("argoproj.io", "workflows", "follow the Workflow (names are generated), find the"
                + " template's running Workflows", null, "get", "list"));
        all.addAll(Permission.of("", "pods", "the failed Workflow pod whose log is kept, by label"
                + " workflows.argoproj.io/workflow", null, "list"));
        all.addAll(PodLogs.PERMISSIONS);
        return List.copyOf(all);
    }

    /** A template that cannot be read, in the words of {@code doctor}'s other reads. */
    private static Check unreadable(String check, String what, boolean clusterScope, KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
            return Check.fail(check, what + ": forbidden (403): the guardian may not read it",
                    clusterScope
                            ? "apply the argo-cluster-workflow-template component (a ClusterRole and its binding,"
                                    + " src/main/kubernetes/components/argo-cluster-workflow-template) with this name"
                            : "apply the argo-workflow component (src/main/kubernetes/components/argo-workflow) and"
                                    + " bind it to this ServiceAccount");
        }
        return Check.fail(check, what + ": cannot read it: " + (e.getCode() > 0 ? "HTTP " + e.getCode() + " " : "")
                + ApiFailures.rootCause(e), "check the API server");
    }
}
