package dev.modelguardian.core.remediation;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * How a target's model is retrained, as the remediation needs it: start a training run for a target under a
 * remediation id, observe a run, find one already running. A Kubernetes CronJob and an Argo WorkflowTemplate are
 * implementations, each serving the targets whose {@link Trainer#trigger()} is its kind ({@link TrainingTriggers}
 * hands each target to its own); replay and tests keep runs in memory. Failures are {@link ClusterException}s,
 * permanent when retrying cannot help.
 */
public interface TrainingTrigger {

    /**
     * The newest unfinished training run of {@code target} (scheduled or started by hand) other than
     * {@code excluding}, if any.
     *
     * @throws ClusterException when the runs cannot be listed
     */
    Optional<String> running(TargetSpec target, Optional<String> excluding);

    /**
     * What is known of the training run {@code runName} of {@code target}.
     *
     * @throws ClusterException when it cannot be read
     */
    JobObservation observe(TargetSpec target, String runName);

    /**
     * Starts the training run {@code runName} of {@code target} for remediation {@code remediationId}. Idempotent:
     * when a run of that name already carries the remediation's id, it is the one started before a crash, and
     * nothing is done.
     *
     * @param why what fired (or who asked), recorded with the run
     * @throws ClusterException when the run cannot be started
     */
    void start(TargetSpec target, String runName, String remediationId, String why);

    /**
     * Starts telling {@code onEnded} the name of every run seen ending, until the returned watch is closed, so that
     * a remediation is followed up without waiting for the next re-list. {@code onEnded} must return quickly. By
     * default nothing is told: the follow-ups at the re-list interval find the end.
     */
    default Watch watch(Consumer<String> onEnded) {
        return () -> {
        };
    }

    /** A watch of training runs ending; closing it stops it (idempotent). */
    interface Watch extends AutoCloseable {

        /** Stops the watch. */
        @Override
        void close();
    }
}
