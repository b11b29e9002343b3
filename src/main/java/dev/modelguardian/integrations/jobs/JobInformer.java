package dev.modelguardian.integrations.jobs;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;

import dev.modelguardian.core.remediation.TrainingTrigger;
import dev.modelguardian.integrations.kubernetes.ApiFailures;

/**
 * The guardian's own training Jobs (those carrying {@link TrainingJobs#REMEDIATION_ID}), kept by a fabric8
 * {@link SharedIndexInformer}: one list, then a watch from its resourceVersion, re-listed by the informer itself when
 * the watch breaks or its version is gone. A Job that finishes (or is deleted) is handed to {@link TrainingJobs#seen}
 * at once, so its outcome survives a history-limit deletion, and {@code onEnded} follows it up without waiting for
 * the next scheduled follow-up.
 *
 * <p>While it runs and has synced, {@link TrainingJobs#observe} reads the guardian's Jobs from this informer's cache
 * instead of a GET per Job per follow-up; before that, after {@link #close}, or for a Job not in the cache (created a
 * moment ago, or not the guardian's), it falls back to a GET.
 *
 * <p>The resync period is {@code guardian.remediation.relist-interval} (at least 1s): every period the informer hands
 * each cached Job to the handler again (from memory, no API call). A re-delivered finished Job whose outcome is already
 * remembered triggers nothing (the scheduled follow-up of {@code serve} runs at that period anyway); one whose outcome
 * was not yet remembered is followed up, as on an event.
 *
 * <p>Who starts one: {@code serve} (for as long as it serves) and {@code remediate} while it follows its Job to the
 * end. {@code check} never talks to the cluster, and {@code remediate --no-wait} returns before a Job could finish:
 * neither starts one, and their reads are GETs.
 */
public final class JobInformer implements TrainingTrigger.Watch {

    private static final Logger LOG = Logger.getLogger(JobInformer.class);
    /** fabric8's shortest resync; a shorter one is raised to it with a warning. */
    static final Duration MIN_RESYNC = Duration.ofSeconds(1);

    private final KubernetesClient client;
    private final TrainingJobs jobs;
    private final Duration resync;
    private SharedIndexInformer<Job> informer;
    private boolean closed;

    /**
     * An informer of {@code jobs}' namespace, not started.
     *
     * @param resync how often every cached Job is handed to the handler again; at least {@link #MIN_RESYNC}
     */
    public JobInformer(KubernetesClient client, TrainingJobs jobs, Duration resync) {
        this.client = client;
        this.jobs = jobs;
        this.resync = resync.compareTo(MIN_RESYNC) < 0 ? MIN_RESYNC : resync;
    }

    /**
     * Starts the informer without waiting for its first list: a list that fails is retried by the informer, and
     * until one succeeds reads are GETs. {@code onEnded} gets the name of each guardian Job seen finished or deleted;
     * it runs on the informer's event thread and must return quickly. Does nothing when already started or closed.
     */
    public synchronized void start(Consumer<String> onEnded) {
        if (closed || informer != null) {
            return;
        }
        informer = client.batch().v1().jobs().inNamespace(jobs.namespace()).withLabel(TrainingJobs.REMEDIATION_ID)
                .runnableInformer(resync.toMillis());
        informer.addEventHandler(new Handler(onEnded));
        informer.exceptionHandler(JobInformer::retry);
        jobs.readFrom(this::cached);
        informer.start().whenComplete((done, failure) -> {
            if (failure == null) {
                LOG.infof("Job informer in namespace %s synced: %d guardian Job(s) cached, resync every %s",
                        jobs.namespace(), informer.getStore().list().size(), resync);
            }
        });
    }

    /** Whether reads can come from the cache: the informer runs and has listed at least once. */
    public synchronized boolean synced() {
        return informer != null && informer.isRunning() && informer.hasSynced();
    }

    /** The Job {@code name} as the informer last saw it; empty when not synced or not in the cache. */
    Optional<Job> cached(String name) {
        SharedIndexInformer<Job> current;
        synchronized (this) {
            if (!synced()) {
                return Optional.empty();
            }
            current = informer;
        }
        return Optional.ofNullable(current.getStore().getByKey(Cache.namespaceKeyFunc(jobs.namespace(), name)));
    }

    /** Stops the informer (its watch and resync); reads go back to GETs. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (informer != null) {
            jobs.readFrom(TrainingJobs.NO_CACHE);
            informer.stop();
            LOG.debugf("Job informer in namespace %s stopped", jobs.namespace());
        }
    }

    /**
     * Whether the informer lists and watches again after {@code failure}: always. A guardian that stopped following
     * its Jobs would fall back to GETs silently; a retried failure is logged, classified by its type.
     */
    private static boolean retry(boolean started, Throwable failure) {
        String what = started ? "watch" : "first list";
        if (failure instanceof KubernetesClientException k && k.getCode() > 0) {
            LOG.warnf("Job informer %s failed with HTTP %d; retrying (reads are GETs until it syncs)", what,
                    k.getCode());
        } else {
            LOG.warnf("Job informer %s failed (%s); retrying (reads are GETs until it syncs)", what,
                    ApiFailures.rootCause(failure));
        }
        return true;
    }

    /** Hands finished and deleted Jobs to {@link TrainingJobs#seen} and {@code onEnded}. */
    private final class Handler implements ResourceEventHandler<Job> {

        private final Consumer<String> onEnded;

        Handler(Consumer<String> onEnded) {
            this.onEnded = onEnded;
        }

        @Override
        public void onAdd(Job job) {
            ended(job, TrainingJobs.finishedCondition(job).isPresent());
        }

        @Override
        public void onUpdate(Job before, Job job) {
            // A resync hands the cached Job again, same resourceVersion: only an outcome not yet remembered counts.
            boolean resynced = Objects.equals(before.getMetadata().getResourceVersion(),
                    job.getMetadata().getResourceVersion());
            ended(job, !resynced && TrainingJobs.finishedCondition(job).isPresent());
        }

        @Override
        public void onDelete(Job job, boolean finalStateUnknown) {
            ended(job, true);
        }

        private void ended(Job job, boolean event) {
            boolean remembered = jobs.seen(job);
            if (event || remembered) {
                onEnded.accept(job.getMetadata().getName());
            }
        }
    }
}
