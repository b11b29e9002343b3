package dev.modelguardian.core.remediation;

import java.util.Map;

import dev.modelguardian.core.policy.PolicyStatus;

/**
 * Where the guardian's state lives: the state ConfigMap in the cluster, or memory for replay and tests. Every write
 * is a compare-and-set on a target's {@link TargetRecord#revision()}, so two actors (a {@code serve} leader and a
 * {@code remediate} Job, or a leader and its successor) can never both take the same step.
 */
public interface StateStore {

    /** The whole state as stored now. */
    GuardianState load();

    /**
     * One target's record as stored now ({@link TargetRecord#initial} at {@code now} when none is): what a
     * remediation step re-reads after a write. By default the whole state is loaded; a store that can read one target
     * alone does, so that a step costs the same whatever the number of targets.
     */
    default TargetRecord target(String target, java.time.Instant now) {
        return load().target(target, now);
    }

    /**
     * Writes {@code next} for {@code target} if the stored record still has {@code expectedRevision} (0 when none is
     * stored). Returns false, writing nothing, when someone else wrote first: the caller re-reads and re-decides.
     * Transient conflicts of the store itself (HTTP 409 on the ConfigMap) are retried inside.
     */
    boolean compareAndSet(String target, long expectedRevision, TargetRecord next);

    /** Merges policy statuses into the stored ones (last writer wins per policy). */
    void savePolicies(Map<String, PolicyStatus> statuses);

    /**
     * Keeps the targets' records in memory, followed as the store changes, for {@link #load()} to read until the
     * returned handle is closed: what a long-lived process ({@code serve}) asks for, so that a cycle does not read
     * every target's record and history again. The store's own writes show at once; another writer's may lag by a
     * moment. That is safe: every write is a compare-and-set on the stored revision, and the engine re-reads a record
     * ({@link #target}) before any step; a decision to stay, taken on a lagging record, is looked at again at the next
     * cycle or follow-up. By default nothing is kept: every load reads the store.
     */
    default Following follow() {
        return () -> {
        };
    }

    /** Following the store's changes; closing it stops that, and loads read the store again. Idempotent. */
    interface Following extends AutoCloseable {

        /** Stops following. */
        @Override
        void close();
    }

    /** Thrown when the store cannot be read or written (API down, forbidden, ...). */
    final class StoreException extends RuntimeException {
        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
