package dev.modelguardian.integrations.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;

import dev.modelguardian.config.extension.Permission;
import dev.modelguardian.core.remediation.LogTail;

/**
 * Training pods' logs, as {@code kubectl logs} reads them: {@code GET /api/v1/namespaces/NS/pods/NAME/log}, for the
 * tail of a failed run or a followed stream. Raw HTTP through the Kubernetes client's own HttpClient (its
 * credentials, TLS and proxy), not fabric8's {@code Loggable}: that first waits for the pod to be ready with an
 * informer, which needs {@code watch} on pods and logs a stack trace when the Role does not grant it. A log that
 * cannot be read is a {@link Unreadable} with the reason a person can act on; nothing here throws anything else.
 */
public final class PodLogs {

    /** What reading a training pod's log needs: {@code get} on the {@code pods/log} subresource. */
    public static final List<Permission> PERMISSIONS = Permission.of("", "pods/log",
            "the last lines of a failed training pod's log (status, Event, Slack, PagerDuty); remediate follows it",
            null, "get");

    private static final long TIMEOUT_SECONDS = 30;

    private final KubernetesClient client;
    private final String namespace;

    public PodLogs(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** A log that cannot be read, and why, in words a person can act on (names the pod, never a credential). */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;
        private final Cause kind;

        Unreadable(Cause kind, String why) {
            super(why, null, false, false);
            this.kind = kind;
        }

        /** Why, as a type: what a follower does next depends on it, never on the message. */
        public Cause kind() {
            return kind;
        }
    }

    /** Why a log cannot be read. */
    public enum Cause {
        /** The Role lacks {@code get pods/log}: no other pod's log can be read either. */
        FORBIDDEN,
        /** The pod is gone. */
        GONE,
        /** The container has not started yet (400 from the API server): it may have a log later. */
        NOT_STARTED,
        /** The API server did not answer, or answered something else. */
        FAILED
    }

    /** Oldest first: created earlier, or (created in the same second) started earlier. */
    static final Comparator<Pod> BY_AGE = Comparator
            .comparing((Pod p) -> Objects.toString(p.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(p -> p.getStatus() == null ? "" : Objects.toString(p.getStatus().getStartTime(), ""));

    /** How a pod and its container are named in messages: {@code pod NAME container C}. */
    public static String source(Pod pod, String container) {
        return "pod " + pod.getMetadata().getName() + " container " + container;
    }

    /**
     * The pod whose log says why a run failed: the newest Failed one, else the newest with a container that exited
     * with an error, else the newest (a run that timed out or got stuck is still running).
     */
    public static Optional<Pod> failing(List<Pod> pods) {
        return pods.stream().filter(p -> p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()))
                .max(BY_AGE)
                .or(() -> pods.stream().filter(p -> failedContainer(p).isPresent()).max(BY_AGE))
                .or(() -> pods.stream().max(BY_AGE));
    }

    /** The container of {@code pod} that exited with an error, else its first. */
    public static String container(Pod pod) {
        return failedContainer(pod).orElseGet(() -> pod.getSpec() == null || pod.getSpec().getContainers() == null
                || pod.getSpec().getContainers().isEmpty() ? "?" : pod.getSpec().getContainers().getFirst().getName());
    }

    private static Optional<String> failedContainer(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream().filter(PodLogs::exitedWithError)
                .map(ContainerStatus::getName).findFirst();
    }

    private static boolean exitedWithError(ContainerStatus s) {
        return s.getState() != null && s.getState().getTerminated() != null
                && !Integer.valueOf(0).equals(s.getState().getTerminated().getExitCode());
    }

    /** The container names of {@code pod}, in its spec's order. */
    public static List<String> containers(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getContainers() == null ? List.of()
                : pod.getSpec().getContainers().stream().map(Container::getName).toList();
    }

    /**
     * The last lines of the {@link #failing} pod of a run whose pods carry {@code label=value}, of the container
     * {@code container} picks; {@code run} names the run where no pod can be named (e.g. {@code Job x}).
     */
    public LogTail tailOfFailing(String run, String label, String value, Function<Pod, String> container,
            LogTail.Limits limits) {
        List<Pod> pods;
        try {
            pods = client.pods().inNamespace(namespace).withLabel(label, value).list().getItems();
        } catch (KubernetesClientException e) {
            return LogTail.unavailable(run, "its pods cannot be listed: " + ApiFailures.of(namespace,
                    "list pods of " + run, e).getMessage());
        }
        return failing(pods).map(pod -> tail(pod, container.apply(pod), limits))
                .orElseGet(() -> LogTail.unavailable(run, "no pod of it is left"));
    }

    /** The last lines of {@code container} in {@code pod}, within {@code limits}; why not, when they cannot be read. */
    public LogTail tail(Pod pod, String container, LogTail.Limits limits) {
        String source = source(pod, container);
        InputStream log = null;
        try {
            log = open(pod.getMetadata().getName(), container, "tailLines=" + limits.lines(), false);
            // Read to its end, and then not closed: see abort().
            return limits.read(source, log);
        } catch (Unreadable e) {
            return LogTail.unavailable(source, e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            abort(log);
            return LogTail.unavailable(source, "reading the log failed: " + e.getMessage());
        }
    }

    /**
     * Stops reading a log whose end was not reached. A body read to its end is left alone: its response is complete
     * and its connection back in the client's pool, and fabric8's close of the stream cancels the body even then,
     * which resets that pooled connection under whatever request takes it next (seen as "HttpClosedException:
     * Connection was closed" on the state ConfigMap's read).
     */
    public static void abort(InputStream log) {
        if (log == null) {
            return;
        }
        try {
            log.close();
        } catch (IOException e) {
            // Cutting it was the point.
        }
    }

    /**
     * The log of {@code container} in {@code pod} as it is written ({@code follow=true}), from the start: the stream
     * ends when the container ends. The caller reads it to its end, or cuts it with {@link #abort}.
     */
    public InputStream follow(String pod, String container) throws Unreadable {
        return open(pod, container, "follow=true", true);
    }

    private InputStream open(String pod, String container, String query, boolean streaming) throws Unreadable {
        String url = client.getMasterUrl().toString().replaceAll("/+$", "") + "/api/v1/namespaces/"
                + encode(namespace) + "/pods/" + encode(pod) + "/log?container=" + encode(container) + "&" + query;
        HttpRequest.Builder request = client.getHttpClient().newHttpRequestBuilder().uri(url);
        if (streaming) {
            request.forStreaming();
        }
        HttpResponse<InputStream> response;
        try {
            response = client.getHttpClient().sendAsync(request.build(), InputStream.class)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreadable(Cause.FAILED, "interrupted while asking for the log of pod " + pod);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new Unreadable(Cause.FAILED, "the API server did not answer for the log of pod " + pod + ": "
                    + cause);
        }
        if (response.isSuccessful()) {
            return response.body();
        }
        String message = statusMessage(response);
        Cause cause = switch (response.code()) {
            case 401, 403 -> Cause.FORBIDDEN;
            case 404 -> Cause.GONE;
            case 400 -> Cause.NOT_STARTED;
            default -> Cause.FAILED;
        };
        throw new Unreadable(cause, switch (cause) {
            case FORBIDDEN -> "the guardian may not read pod logs (get pods/log in " + namespace
                    + "; src/main/kubernetes has the rule in each training trigger's component)";
            case GONE -> "pod " + pod + " is gone";
            case NOT_STARTED, FAILED -> "the API server answered " + response.code() + message;
        });
    }

    /** The Status message of an error answer, as {@code ": message"}, or nothing. */
    private static String statusMessage(HttpResponse<InputStream> response) {
        InputStream body = response.body();
        if (body == null) {
            return "";
        }
        try {
            byte[] head = body.readNBytes(4096);
            if (body.read() >= 0) {
                // Longer than any Status: a proxy's page. The code says enough.
                abort(body);
                return "";
            }
            Status status = Serialization.unmarshal(new String(head, StandardCharsets.UTF_8), Status.class);
            return status == null || status.getMessage() == null ? "" : ": " + status.getMessage();
        } catch (IOException | RuntimeException e) {
            abort(body);
            return "";
        }
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8);
    }
}
