package dev.modelguardian.integrations.kubernetes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.modelguardian.core.remediation.TrainingTrigger;

/**
 * Follows the logs of a training run's pods (those carrying one label value) as {@code kubectl logs -f} does, one pod
 * after another in the order they were created: a Job retried after a failed attempt ({@code backoffLimit}), a pod
 * replaced, an Argo Workflow's steps. Each pod is read to its end once; a pod that has not started is tried again at
 * the next look. Runs on its own daemon thread; {@link #close()} reads the pods that ended and are not read yet, then
 * stops, within a bounded time, abandoning a pod that still runs.
 *
 * <p>A log that cannot be read is told to the sink once: the Role lacking {@code get pods/log} stops the follower (no
 * other pod can be read either); a pod that is gone is skipped. Nothing here fails the remediation.
 */
public final class PodLogFollower implements TrainingTrigger.Watch {

    /** How long {@link #close()} waits for ended pods to be read before it cuts the stream. */
    static final Duration DRAIN = Duration.ofSeconds(5);
    /** How often the pods are listed for one to start (a retry, a replacement, the next step). */
    static final Duration POLL = Duration.ofSeconds(1);

    private final KubernetesClient client;
    private final PodLogs logs;
    private final String namespace;
    private final String label;
    private final String value;
    private final Function<Pod, String> container;
    private final TrainingTrigger.LogSink sink;
    private final Set<String> read = ConcurrentHashMap.newKeySet();
    private final Object wake = new Object();
    private final Thread thread;
    private volatile boolean closing;
    private volatile InputStream current;

    private PodLogFollower(KubernetesClient client, String namespace, String label, String value,
            Function<Pod, String> container, TrainingTrigger.LogSink sink) {
        this.client = client;
        this.logs = new PodLogs(client, namespace);
        this.namespace = namespace;
        this.label = label;
        this.value = value;
        this.container = container;
        this.sink = sink;
        this.thread = new Thread(this::run, "log-follower-" + value);
        this.thread.setDaemon(true);
    }

    /**
     * Starts following the pods of {@code namespace} labelled {@code label=value}, looking for new pods every
     * {@link #POLL}; {@code container} picks the container of each pod to read.
     */
    public static PodLogFollower start(KubernetesClient client, String namespace, String label, String value,
            Function<Pod, String> container, TrainingTrigger.LogSink sink) {
        PodLogFollower follower = new PodLogFollower(client, namespace, label, value, container, sink);
        follower.thread.start();
        return follower;
    }

    private void run() {
        try {
            while (true) {
                boolean last = closing;
                for (Pod pod : pods()) {
                    // While following: every pod whose container has started. At the end: the pods that ended.
                    boolean due = last ? ended(pod) : started(pod);
                    if (read.contains(pod.getMetadata().getName()) || !due) {
                        continue;
                    }
                    if (!follow(pod, last)) {
                        return;
                    }
                }
                if (last) {
                    return;
                }
                synchronized (wake) {
                    if (!closing) {
                        wake.wait(POLL.toMillis());
                    }
                }
            }
        } catch (KubernetesClientException e) {
            if (!closing) {
                sink.unreadable("the pods of " + value, ApiFailures.of(namespace, "list pods " + label + "=" + value,
                        e).getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads one pod's log to its end; false when nothing more can be followed (the Role forbids logs, or the follower
     * was cut while reading).
     */
    private boolean follow(Pod pod, boolean last) {
        String name = pod.getMetadata().getName();
        String c = container.apply(pod);
        InputStream in = null;
        try {
            in = logs.follow(name, c);
            current = in;
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                sink.line(name, line);
            }
            // At its end: left open, as PodLogs.abort says why.
            read.add(name);
            return true;
        } catch (PodLogs.Unreadable e) {
            return switch (e.kind()) {
                case NOT_STARTED -> {
                    if (last) {
                        read.add(name);
                        sink.unreadable(PodLogs.source(pod, c), e.getMessage());
                    }
                    yield true;
                }
                case GONE, FAILED -> {
                    read.add(name);
                    sink.unreadable(PodLogs.source(pod, c), e.getMessage());
                    yield true;
                }
                case FORBIDDEN -> {
                    sink.unreadable(PodLogs.source(pod, c), e.getMessage());
                    yield false;
                }
            };
        } catch (IOException e) {
            PodLogs.abort(in);
            if (closing) {
                return false;
            }
            read.add(name);
            sink.unreadable(PodLogs.source(pod, c), "the log stream broke: " + e.getMessage());
            return true;
        } finally {
            current = null;
        }
    }

    private List<Pod> pods() {
        return client.pods().inNamespace(namespace).withLabel(label, value).list().getItems().stream()
                .sorted(PodLogs.BY_AGE).toList();
    }

    /** Whether a container of the pod runs or ran: it has a log. */
    private static boolean started(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
                && pod.getStatus().getContainerStatuses().stream().anyMatch(s -> s.getState() != null
                        && (s.getState().getRunning() != null || s.getState().getTerminated() != null));
    }

    private static boolean ended(Pod pod) {
        return pod.getStatus() != null && ("Succeeded".equals(pod.getStatus().getPhase())
                || "Failed".equals(pod.getStatus().getPhase()));
    }

    /**
     * Reads the pods that ended and are not read yet, then stops; a pod still running is abandoned after
     * {@link #DRAIN}. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            thread.join(DRAIN.toMillis());
            if (thread.isAlive()) {
                PodLogs.abort(current);
                thread.interrupt();
                thread.join(DRAIN.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
