package dev.modelguardian.integrations.argo;

import java.util.Map;
import java.util.Optional;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import io.smallrye.config.WithParentName;

/**
 * The {@code argo-workflow} trigger's keys of each training target,
 * {@code guardian.targets.<target>.trigger.argo-workflow.*}: a root of its own over the targets' map, so that the
 * trigger's keys live in its folder (the targets' other keys are the guardian's tree).
 */
@ConfigMapping(prefix = "guardian.targets")
// Quarkus registers a mapping root nothing injects only when it is unremovable: the provider reads it through
// Settings.of, not by injection.
@Unremovable
public interface ArgoWorkflowSettings {

    /** Each target's keys of this trigger, by target name; a target that sets none reads the defaults. */
    @WithParentName
    @WithDefaults
    Map<String, Target> targets();

    /** The keys of the target {@code target}: the defaults when it sets none. */
    default ArgoWorkflow of(String target) {
        return targets().get(target).trigger().argoWorkflow();
    }

    /** One target's keys of this trigger. */
    interface Target {
        /** Its {@code trigger} keys. */
        Trigger trigger();
    }

    /** A target's {@code trigger} keys of this kind. */
    interface Trigger {
        /** {@code argo-workflow}: the WorkflowTemplate and the parameters passed to it. */
        ArgoWorkflow argoWorkflow();
    }

    /** A Workflow submitted from an Argo WorkflowTemplate or ClusterWorkflowTemplate. */
    interface ArgoWorkflow {
        /** The WorkflowTemplate's name (in the guardian's namespace); defaults to the target's name. */
        Optional<String> template();

        /** Whether {@link #template()} names a ClusterWorkflowTemplate rather than a namespaced WorkflowTemplate. */
        @WithDefault("false")
        boolean clusterScope();

        /**
         * A CronWorkflow that also runs this training on a schedule with its own inline spec: a Workflow of it still
         * running is adopted instead of submitting another. (Workflows that refer to the template, a CronWorkflow's
         * included, are adopted without it.)
         */
        Optional<String> cronWorkflow();

        /**
         * The Workflow's {@code spec.arguments.parameters}, by parameter name. A value may contain
         * {@code {remediation-id}}, {@code {target}}, {@code {models}} (comma-separated) and {@code {trigger}} (what
         * fired), replaced when the Workflow is submitted; parameters not set here take the template's defaults.
         */
        Map<String, String> parameters();
    }
}
