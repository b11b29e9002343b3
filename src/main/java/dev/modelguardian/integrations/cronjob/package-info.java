/**
 * The Kubernetes CronJob training trigger: creates the retraining Job as {@code kubectl create job
 * --from} does, watches the guardian's labelled Jobs with an informer, finds a scheduled Job already running. Imports
 * the core, the configuration tree and {@code integrations.kubernetes}; never the application.
 */
package dev.modelguardian.integrations.cronjob;
