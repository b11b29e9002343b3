/**
 * The MLflow model registry (REST 2.x): stage or alias serving, candidates of a run, promote,
 * restore, with MLflow's quirks handled and failures classified by type. Imports the core, the configuration tree and
 * {@code integrations.http}; never the application.
 */
package dev.modelguardian.integrations.mlflow;
