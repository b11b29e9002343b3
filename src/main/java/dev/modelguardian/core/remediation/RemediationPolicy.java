package dev.modelguardian.core.remediation;

import java.time.Duration;

/**
 * The guards between a firing target and a new training Job, and how that Job is named.
 *
 * @param cooldown        least time between the end of one remediation and the start of the next
 * @param maxPerDay       most remediations started in any 24 hours
 * @param requireApproval park in AWAITING_APPROVAL until a human approves
 * @param dryRun          record the Job that would be created and create nothing
 * @param jobTimeout      how long a training Job without {@code activeDeadlineSeconds} may run before it counts
 *                        as failed
 * @param jobTimeoutMargin added to a Job's {@code activeDeadlineSeconds}: the timeout of a Job that has one
 * @param jobNamePrefix   prefix of the Job name, followed by {@code -<unix-seconds>}
 * @param logTail         how much of a failed training run's log is kept with its remediation
 */
public record RemediationPolicy(Duration cooldown, int maxPerDay, boolean requireApproval, boolean dryRun,
        Duration jobTimeout, Duration jobTimeoutMargin, String jobNamePrefix, LogTail.Limits logTail) {

    public RemediationPolicy {
        logTail = logTail == null ? LogTail.Limits.DEFAULT : logTail;
    }

    /** A policy keeping the {@link LogTail.Limits#DEFAULT default} log tail. */
    public RemediationPolicy(Duration cooldown, int maxPerDay, boolean requireApproval, boolean dryRun,
            Duration jobTimeout, Duration jobTimeoutMargin, String jobNamePrefix) {
        this(cooldown, maxPerDay, requireApproval, dryRun, jobTimeout, jobTimeoutMargin, jobNamePrefix,
                LogTail.Limits.DEFAULT);
    }

    /** How long a running Job may take: its own deadline plus the margin, else {@link #jobTimeout()}. */
    public Duration timeoutFor(java.util.Optional<Duration> activeDeadline) {
        return activeDeadline.map(d -> d.plus(jobTimeoutMargin)).orElse(jobTimeout);
    }

    /** Kubernetes object names used as label values must fit in 63 characters. */
    public static final int MAX_NAME = 63;

    /** {@code <prefix>-<unix-seconds>}, the prefix shortened so the name is always a valid name of at most 63 chars. */
    public String jobName(java.time.Instant at) {
        String suffix = "-" + at.getEpochSecond();
        String prefix = jobNamePrefix.length() + suffix.length() > MAX_NAME
                ? jobNamePrefix.substring(0, MAX_NAME - suffix.length())
                : jobNamePrefix;
        while (prefix.endsWith("-") || prefix.endsWith(".")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix + suffix;
    }
}
