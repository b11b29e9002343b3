package dev.modelguardian.core.remediation;

import java.util.Optional;

/**
 * The training Jobs of a target's CronJob, as the remediation needs them: the cluster in production, memory in
 * replay and tests.
 */
public interface TrainingCluster {

    /** The newest unfinished Job of {@code cronJob} (scheduled or manual) other than {@code excluding}, if any. */
    Optional<String> activeJob(String cronJob, Optional<String> excluding);

    /** What the cluster shows of the Job {@code jobName}. */
    JobObservation observe(String jobName);

    /**
     * Creates {@code jobName} from {@code cronJob}'s job template for remediation {@code remediationId}. Idempotent:
     * when a Job of that name already carries the remediation's id, it is the one created before a crash, and
     * nothing is done.
     *
     * @throws ClusterException when the Job cannot be created
     */
    void createJob(String cronJob, String jobName, String remediationId, String target, String trigger);

    /** An action on the cluster failed. {@code permanent} when retrying the same request cannot help. */
    final class ClusterException extends RuntimeException {
        private final boolean permanent;

        public ClusterException(String message, boolean permanent, Throwable cause) {
            super(message, cause);
            this.permanent = permanent;
        }

        public boolean permanent() {
            return permanent;
        }
    }
}
