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
     * The last lines the training run {@code runName} of {@code target} printed, within {@code limits}: read once,
     * when the run failed, timed out or got stuck. Never throws: a log that cannot be read
     * (the Role lacks it, the pod is gone, the container never started) is a {@link LogTail#unavailable} saying why,
     * never a failure of the remediation; a trigger that has no logs says so the same way.
     */
    LogTail logTail(TargetSpec target, String runName, LogTail.Limits limits);

    /**
     * Follows the log of every pod of the training run {@code runName} as it is written, as {@code kubectl logs -f}
     * would, one pod after another (a retry after a failed attempt, a replaced pod), telling {@code sink} each line,
     * until the returned watch is closed. Closing reads the pods that ended to their end first (bounded in time) and
     * abandons the ones still running. A log that cannot be read is told to the sink once, never thrown; a trigger
     * that has no logs tells the sink so and returns a watch that does nothing.
     */
    Watch followLog(TargetSpec target, String runName, LogSink sink);

    /** Where a followed training log goes; called from the follower's own thread, so it must be thread-safe. */
    interface LogSink {

        /** One line {@code pod} printed, without its line end. */
        void line(String pod, String line);

        /** The log of {@code source} cannot be read, because of {@code why}; told once per source. */
        void unreadable(String source, String why);
    }

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
