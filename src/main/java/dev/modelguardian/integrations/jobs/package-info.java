/**
 * Training runs as Kubernetes Jobs, with two trigger kinds: {@code cronjob} (the Job made from the target's CronJob
 * as {@code kubectl create job --from} makes it, {@link dev.modelguardian.integrations.jobs.CronJobProvider}) and
 * {@code job-template} (the Job made from a manifest kept in a ConfigMap,
 * {@link dev.modelguardian.integrations.jobs.JobTemplateProvider}, its keys {@code trigger.job-template.*} in
 * {@code JobTemplateSettings}). Both are {@link dev.modelguardian.integrations.jobs.TrainingJobs} with their own
 * {@code JobSource}: created once per remediation (idempotent on the remediation id), watched with an informer of the
 * guardian's labelled Jobs, stuck pods detected. Imports the core, the configuration tree and
 * {@code integrations.kubernetes}; never the application.
 */
package dev.modelguardian.integrations.jobs;
