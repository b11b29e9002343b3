package dev.modelguardian.integrations.notify;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TrainingTrigger;

/** Training runs in memory: every created Job ends as {@link #outcome} says. */
final class FakeCluster implements TrainingTrigger {

    final List<String> created = new CopyOnWriteArrayList<>();
    volatile JobObservation outcome = new JobObservation.Failed("BackoffLimitExceeded");

    @Override
    public Optional<String> running(TargetSpec target, Optional<String> excluding) {
        return Optional.empty();
    }

    @Override
    public JobObservation observe(TargetSpec target, String jobName) {
        return created.contains(jobName) ? outcome : new JobObservation.NotFound();
    }

    @Override
    public void start(TargetSpec target, String jobName, String remediationId, String why) {
        created.add(jobName);
    }

    @Override
    public LogTail logTail(TargetSpec target, String runName, LogTail.Limits limits) {
        return LogTail.unavailable("Job " + runName, "the fake cluster runs no pod");
    }

    @Override
    public Watch followLog(TargetSpec target, String runName, LogSink sink) {
        return () -> {
        };
    }
}
