package dev.modelguardian.core.remediation;

/** What the cluster shows of a remediation's training Job. */
public sealed interface JobObservation {

    /** No Job carries this remediation's id. */
    record NotFound() implements JobObservation {
    }

    /**
     * The Job exists and has not finished.
     *
     * @param activeDeadline the Job's {@code activeDeadlineSeconds}, if set
     * @param progress       what its pods are doing, for progress lines (e.g. "1 pod Running")
     */
    record Running(java.util.Optional<java.time.Duration> activeDeadline, String progress) implements JobObservation {
    }

    /** The Job has the Complete condition. */
    record Succeeded() implements JobObservation {
    }

    /** The Job has the Failed condition (backoff limit, deadline exceeded, ...). */
    record Failed(String reason) implements JobObservation {
    }

    /** A pod of the Job cannot make progress: image pull errors, unschedulable past the grace period. */
    record Stuck(String reason) implements JobObservation {
    }
}
