/**
 * The {@code http} training trigger ({@code trigger.kind: http}): a run of a pipeline service (Kubeflow Pipelines,
 * Airflow, a CI pipeline) started through its REST API with a templated JSON body and the remediation id as an
 * idempotency key, then polled for its state with JSON Pointers
 * ({@link dev.modelguardian.integrations.pipeline.PipelineRuns}); validated, checked by {@code doctor} and given its
 * permissions (the credentials' Secret) by {@link dev.modelguardian.integrations.pipeline.HttpTriggerProvider}, from
 * each target's {@code trigger.http.*} keys ({@code HttpTriggerSettings}). Imports the core, the configuration tree,
 * {@code integrations.http} and {@code integrations.kubernetes}; never the application.
 */
package dev.modelguardian.integrations.pipeline;
