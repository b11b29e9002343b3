/**
 * The Kubernetes CronJob training trigger: creates the retraining Job as {@code kubectl create job
 * --from} does, watches the guardian's labelled Jobs with an informer, finds a scheduled Job already running
 * ({@link dev.modelguardian.integrations.cronjob.TrainingJobs}); validates the CronJob names and checks in
 * {@code doctor} that they exist and builds the trigger ({@link dev.modelguardian.integrations.cronjob.CronJobProvider}). Imports
 * the core, the configuration tree and {@code integrations.kubernetes}; never the application.
 */
package dev.modelguardian.integrations.cronjob;
