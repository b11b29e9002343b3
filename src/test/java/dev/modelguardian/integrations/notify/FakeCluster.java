package dev.modelguardian.integrations.notify;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.TrainingCluster;

/** Training Jobs in memory: every created Job ends as {@link #outcome} says. */
final class FakeCluster implements TrainingCluster {

    final List<String> created = new CopyOnWriteArrayList<>();
    volatile JobObservation outcome = new JobObservation.Failed("BackoffLimitExceeded");

    @Override
    public Optional<String> activeJob(String cronJob, Optional<String> excluding) {
        return Optional.empty();
    }

    @Override
    public JobObservation observe(String jobName) {
        return created.contains(jobName) ? outcome : new JobObservation.NotFound();
    }

    @Override
    public void createJob(String cronJob, String jobName, String remediationId, String target, String trigger) {
        created.add(jobName);
    }
}
