/**
 * The MLflow model registry (REST 2.x): stage or alias serving, candidates of a run, promote, restore, with MLflow's
 * quirks handled and failures classified by type; {@code MlflowProvider} holds its key validation, its {@code doctor}
 * checks and builds it from its keys ({@code MlflowSettings}, {@code guardian.mlflow.*}). Imports the core, the
 * configuration tree (and its extension points) and {@code integrations.http}; never the application.
 */
package dev.modelguardian.integrations.mlflow;
