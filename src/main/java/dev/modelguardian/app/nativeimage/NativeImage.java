package dev.modelguardian.app.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.modelguardian.app.api.ApiError;
import dev.modelguardian.app.api.StatusView;
import dev.modelguardian.app.cli.CheckReport;
import dev.modelguardian.app.cli.DoctorReport;
import dev.modelguardian.app.cli.StatusCommand;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.core.policy.PolicyStatus;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.Progress;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.Snapshot;
import dev.modelguardian.core.remediation.StepDurations;
import dev.modelguardian.core.remediation.TargetHealth;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetState;
import dev.modelguardian.core.remediation.Timeline;
import dev.modelguardian.core.remediation.Trainer;
import dev.modelguardian.core.remediation.Verdict;
import dev.modelguardian.integrations.http.Json;
import dev.modelguardian.integrations.mlflow.MlflowDtos;

/**
 * Every class of the application that something reads or builds by reflection in the native binary, in one place.
 *
 * <p>native-image keeps reflection metadata (constructors, fields, methods, record components) only for classes
 * something registers. Jackson serialises and deserialises records reflectively, so a class missing here works on
 * the JVM and fails only in the binary: issue 20's {@code serve} failed every cycle with "No serializer found for
 * class dev.modelguardian.core.policy.PolicyStatus" until the state's records were registered.
 *
 * <p>This is the only {@code @RegisterForReflection} in the application: the domain classes (policy/,
 * remediation/) stay free of Quarkus annotations, and the output DTOs of cli/ and api/ are listed here as well rather
 * than annotated, so that one list says everything the binary keeps for reflection. Class literals, not names, so a
 * move or rename is a compile error here. {@code ignoreNested}: each nested class is listed on its own line, and what
 * is listed is exactly what is registered. {@code NativeImageReadinessTest} walks the types reachable from every
 * serialised root and fails naming each class that is missing here (and each entry nothing reaches).
 *
 * <p>What needs no entry: Kubernetes model classes (the kubernetes-client extension registers them), configuration
 * mappings and picocli commands (their extensions do), Prometheus answers (read as Jackson trees, no binding), JDK
 * types (Optional, Instant, Duration: Jackson's Jdk8 and JavaTime modules handle them without reflection).
 */
@RegisterForReflection(ignoreNested = true, targets = {
        // The state ConfigMap (kube/StateCodec, its own ObjectMapper): one TargetRecord per training target and a
        // Map<String, PolicyStatus>, written every cycle and read back after a restart. The whole graph under both.
        TargetRecord.class,
        TargetState.class,
        RemediationState.class,
        Progress.class,
        Snapshot.class,
        Snapshot.Serving.class,
        Verdict.class,
        Verdict.ModelVerdict.class,
        Verdict.Check.class,
        HistoryEntry.class,
        HistoryEntry.Outcome.class,
        LogTail.class,
        Timeline.class,
        Timeline.Mark.class,
        Timeline.Approval.class,
        TargetHealth.FiredSignal.class,
        // FiredSignal's enclosing class: nothing serialises it, but the set the reporter verified natively
        // (6 of 6 ITs) included it, so it stays until a native run shows it is not needed.
        TargetHealth.class,
        PolicyStatus.class,
        PolicyState.class,

        // GET /api/v1/status and the answers of the POST endpoints (api/GuardianResource returns a Response, so the
        // REST extension cannot see the entity types and registers none of them), and every API error body.
        StatusView.class,
        StatusView.Leader.class,
        StatusView.Cycle.class,
        StatusView.Target.class,
        StatusView.History.class,
        StatusView.Signal.class,
        StepDurations.Step.class,
        // What trains a target (a CronJob, a WorkflowTemplate): the "training" field of the status API's targets and
        // of status --output json.
        Trainer.class,
        ApiError.class,

        // JSON reports of the commands, written with the application's ObjectMapper: check --output json,
        // doctor --output json, status --output json.
        CheckReport.class,
        CheckReport.Counts.class,
        CheckReport.SignalResult.class,
        CheckReport.BoundJson.class,
        CheckReport.TargetResult.class,
        DoctorReport.class,
        DoctorReport.Counts.class,
        Check.class,
        Check.Status.class,
        StatusCommand.StatusOutput.class,
        StatusCommand.TargetView.class,
        StatusCommand.HistoryView.class,

        // Notification payloads (notify/Json's ObjectMapper): Slack, PagerDuty and webhook bodies are Json.Fields,
        // an ordered map of JDK values. Jackson resolves a Map subclass's generic supertype and looks for its
        // annotations reflectively before it picks the map serializer; registering it removes the doubt.
        Json.Fields.class,

        // MLflow REST API bodies (registry/MlflowApi through the REST client's Jackson). The REST client extension
        // registers the types of MlflowApi's signatures on its own; listed here too so that the readiness test
        // checks them and a signature that changes to a raw Response does not silently drop one.
        MlflowDtos.ExperimentResponse.class,
        MlflowDtos.Experiment.class,
        MlflowDtos.RegisteredModelResponse.class,
        MlflowDtos.RegisteredModel.class,
        MlflowDtos.RegisteredModelsResponse.class,
        MlflowDtos.Alias.class,
        MlflowDtos.MlflowModelVersion.class,
        MlflowDtos.ModelVersionResponse.class,
        MlflowDtos.ModelVersionsResponse.class,
        MlflowDtos.TransitionStageRequest.class,
        MlflowDtos.SetAliasRequest.class,
        MlflowDtos.DeleteAliasRequest.class,
        MlflowDtos.RunResponse.class,
        MlflowDtos.MlflowRun.class,
        MlflowDtos.RunInfo.class,
        MlflowDtos.RunData.class,
        MlflowDtos.Metric.class,
        MlflowDtos.Param.class,
        MlflowDtos.Tag.class,
})
public final class NativeImage {

    private NativeImage() {
    }
}
