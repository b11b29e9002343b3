/**
 * The Argo Workflows training trigger ({@code trigger.kind: argo-workflow}): submits a Workflow from a
 * WorkflowTemplate or ClusterWorkflowTemplate as {@code argo submit --from} does, observes its phase, finds one of
 * the template already running ({@link dev.modelguardian.integrations.argo.ArgoWorkflows}); validates the target's
 * template and parameters, checks in {@code doctor} that the template exists and lists the permissions it needs
 * ({@link dev.modelguardian.integrations.argo.ArgoWorkflowProvider}), from each target's
 * {@code trigger.argo-workflow.*} keys ({@code ArgoWorkflowSettings}). Talks to the API server as generic resources:
 * no Argo server, no Argo CLI. Imports the core, the configuration tree and {@code integrations.kubernetes}; never
 * the application.
 */
package dev.modelguardian.integrations.argo;
