package dev.modelguardian.integrations.argo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one target submits: its WorkflowTemplate (or ClusterWorkflowTemplate) and the parameters it passes.
 *
 * @param name         the template's name
 * @param clusterScope whether it is a ClusterWorkflowTemplate
 * @param parameters   the Workflow's {@code arguments.parameters}, by name, with their placeholders unreplaced
 * @param cronWorkflow a CronWorkflow whose running Workflows train the target too, if any
 */
public record ArgoTemplate(String name, boolean clusterScope, Map<String, String> parameters,
        java.util.Optional<String> cronWorkflow) {

    /** The placeholders a parameter value may contain. */
    static final List<String> PLACEHOLDERS = List.of("remediation-id", "target", "models", "trigger");
    /** A placeholder: a name in single braces; Argo's own {@code {{workflow.name}}} is left to Argo. */
    static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\{)\\{([A-Za-z][A-Za-z0-9_.-]*)}(?!})");

    public ArgoTemplate {
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** A template no CronWorkflow schedules with its own spec. */
    public ArgoTemplate(String name, boolean clusterScope, Map<String, String> parameters) {
        this(name, clusterScope, parameters, java.util.Optional.empty());
    }

    /** {@code WorkflowTemplate} or {@code ClusterWorkflowTemplate}. */
    public String kind() {
        return clusterScope ? "ClusterWorkflowTemplate" : "WorkflowTemplate";
    }

    /**
     * The label Argo puts on a Workflow submitted from this template: {@code workflows.argoproj.io/workflow-template}
     * or {@code workflows.argoproj.io/cluster-workflow-template}.
     */
    String label() {
        return clusterScope ? ArgoWorkflows.CLUSTER_TEMPLATE_LABEL : ArgoWorkflows.TEMPLATE_LABEL;
    }

    /** The parameters with their placeholders replaced by {@code values} (by placeholder name). */
    Map<String, String> parameters(Map<String, String> values) {
        Map<String, String> resolved = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            Matcher m = PLACEHOLDER.matcher(value);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
            }
            m.appendTail(out);
            resolved.put(name, out.toString());
        });
        return resolved;
    }

    /** The placeholders in {@code value} that are not among {@link #PLACEHOLDERS}. */
    static List<String> unknownPlaceholders(String value) {
        return PLACEHOLDER.matcher(value).results().map(r -> r.group(1)).filter(p -> !PLACEHOLDERS.contains(p))
                .distinct().toList();
    }
}
