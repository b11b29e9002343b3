package dev.modelguardian.remediation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One finished remediation, as the state ConfigMap keeps it (newest last, at most {@code guardian.state.history}).
 *
 * @param id      the remediation id
 * @param job     the training Job it created or adopted, if any
 * @param started when retraining was decided
 * @param ended   when the remediation ended
 * @param outcome how it ended
 * @param reason  the last decision's reason, with the numbers
 * @param trigger what fired
 */
@RegisterForReflection
public record HistoryEntry(String id, Optional<String> job, Instant started, Instant ended, Outcome outcome,
        String reason, List<TargetHealth.FiredSignal> trigger) {

    /** How a remediation ended. Low cardinality: also the {@code outcome} tag of the remediation counter. */
    public enum Outcome {
        /** Training completed and no registry step is configured: the target went back to watching. */
        RETRAINED,
        /** A new model version was promoted and verified (registry step). */
        PROMOTED,
        /** Training failed, got stuck, timed out or vanished; the target ended ROLLED_BACK. */
        ROLLED_BACK,
        /** The Job could not be created (CronJob missing, rejected, forbidden). */
        NOT_STARTED,
        /** Dry run: the Job that would have been created was recorded, nothing was created. */
        DRY_RUN;

        /** The tag value: the name in lower case, e.g. {@code rolled_back}. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
