package dev.modelguardian.integrations.cronjob;

import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

/**
 * Watches the Jobs of the namespace: a Job that finishes (or is deleted) is handed to {@link TrainingJobs#seen} at
 * once, so its outcome survives a history-limit deletion, and {@code onFinished} follows it up without waiting for
 * the next re-list. The periodic re-list stays the safety net: a watch can miss events, a re-list cannot.
 */
public final class JobWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobWatch.class);

    private final KubernetesClient client;
    private final TrainingJobs jobs;
    private final Consumer<String> onFinished;
    private volatile Watch watch;
    private volatile boolean closed;

    public JobWatch(KubernetesClient client, TrainingJobs jobs, Consumer<String> onFinished) {
        this.client = client;
        this.jobs = jobs;
        this.onFinished = onFinished;
    }

    /** Starts (or restarts) the watch. */
    public synchronized void start() {
        if (closed) {
            return;
        }
        watch = client.batch().v1().jobs().inNamespace(jobs.namespace()).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (TrainingJobs.finishedCondition(job).isPresent()) {
                    jobs.seen(job);
                    onFinished.accept(job.getMetadata().getName());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                if (!closed) {
                    LOG.warnf("Job watch in %s closed (%s); restarting it (the re-list covers the gap)",
                            jobs.namespace(), cause.getMessage());
                    start();
                }
            }
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watch != null) {
            watch.close();
        }
    }
}
