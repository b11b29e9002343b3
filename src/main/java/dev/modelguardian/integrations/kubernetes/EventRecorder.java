package dev.modelguardian.integrations.kubernetes;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Writes Kubernetes Events (events.k8s.io/v1) about the objects the guardian acts on, best effort: a failed Event
 * (403 without RBAC for events, 500, a timeout) is logged once at WARN with the reason, the object and the HTTP code,
 * and never fails the caller. The note is not logged: it is for the Event only.
 *
 * <p>In dry run Events are still written: an Event changes nothing the runbook acts on, and it is where the dry run
 * records what would have happened ({@link EventReason#RETRAINING_DRY_RUN}). So the recorder has no dry-run switch.
 *
 * <p>A failed create is subject to the client's own retry policy for 5xx and I/O errors
 * ({@code quarkus.kubernetes-client.request-retry-backoff-limit}) before it is given up.
 */
public final class EventRecorder {

    /** The Event's {@code reportingController}. */
    public static final String REPORTING_CONTROLLER = "model-guardian.dev/guardian";

    /** events.k8s.io/v1 limit on {@code note}, in bytes of UTF-8 (the API server counts bytes). */
    public static final int NOTE_LIMIT_BYTES = 1024;

    /** events.k8s.io/v1 limit on {@code reportingInstance}. */
    public static final int REPORTING_INSTANCE_LIMIT = 128;

    /** Longest object name that leaves room for the {@code .<16 hex>} suffix within a 253-character name. */
    private static final int NAME_PREFIX_LIMIT = 253 - 17;

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final KubernetesClient client;
    private final String namespace;
    private final String reportingInstance;
    private final Clock clock;

    /**
     * @param client            the Kubernetes client
     * @param namespace         where the Events are created (the guardian's namespace)
     * @param reportingInstance this replica's identity (pod name); cut to 128 characters
     * @param clock             the clock of {@code eventTime}
     */
    public EventRecorder(KubernetesClient client, String namespace, String reportingInstance, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(reportingInstance, "reportingInstance");
        if (reportingInstance.isBlank()) {
            throw new IllegalArgumentException("reportingInstance must not be blank");
        }
        this.reportingInstance = reportingInstance.length() > REPORTING_INSTANCE_LIMIT
                ? reportingInstance.substring(0, REPORTING_INSTANCE_LIMIT)
                : reportingInstance;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records an Event regarding an object read from the cluster (kind, apiVersion, name, namespace and uid). */
    public void record(HasMetadata regarding, EventReason reason, String note) {
        ObjectReference reference;
        try {
            reference = reference(regarding);
        } catch (RuntimeException e) {
            LOG.warnf("Event %s not recorded: the object it regards has no name (%s)", reason.reason(),
                    e.getClass().getSimpleName());
            return;
        }
        record(reference, reason, note);
    }

    /** Records an Event regarding {@code regarding}; never throws on an API failure. */
    public void record(ObjectReference regarding, EventReason reason, String note) {
        String about = regarding == null ? "no object" : regarding.getKind() + " " + regarding.getName();
        try {
            Event event = event(regarding, reason, note);
            client.events().v1().events().inNamespace(namespace).resource(event).create();
            LOG.debugf("Event %s %s about %s recorded as %s", reason.type().value(), reason.reason(), about,
                    event.getMetadata().getName());
        } catch (KubernetesClientException e) {
            LOG.warnf("Event %s about %s in namespace %s not recorded: %s", reason.reason(), about, namespace,
                    describe(e));
        } catch (RuntimeException e) {
            // Only class names: the message of an unexpected failure might quote the Event, note included.
            LOG.warnf("Event %s about %s in namespace %s not recorded: %s", reason.reason(), about, namespace,
                    e.getClass().getSimpleName());
        }
    }

    /** The Event {@link #record} creates; package-private for tests. */
    Event event(ObjectReference regarding, EventReason reason, String note) {
        Objects.requireNonNull(regarding, "regarding");
        Objects.requireNonNull(regarding.getName(), "regarding.name");
        return new EventBuilder()
                .withNewMetadata()
                .withName(eventName(regarding.getName()))
                .withNamespace(namespace)
                .endMetadata()
                .withRegarding(regarding)
                .withReason(reason.reason())
                .withType(reason.type().value())
                .withAction(reason.action())
                .withNote(truncate(note == null ? "" : note, NOTE_LIMIT_BYTES))
                .withEventTime(new MicroTime(MICRO_TIME.format(clock.instant())))
                .withReportingController(REPORTING_CONTROLLER)
                .withReportingInstance(reportingInstance)
                .build();
    }

    /** A reference to an object read from the cluster, with its uid when it has one. */
    public static ObjectReference reference(HasMetadata object) {
        return new ObjectReferenceBuilder()
                .withKind(object.getKind())
                .withApiVersion(object.getApiVersion())
                .withName(object.getMetadata().getName())
                .withNamespace(object.getMetadata().getNamespace())
                .withUid(object.getMetadata().getUid())
                .build();
    }

    /** {@code <name>.<16 hex>}, like client-go's recorder; the name is cut so the whole stays a valid 253-char name. */
    static String eventName(String regardingName) {
        String prefix = regardingName.length() > NAME_PREFIX_LIMIT
                ? regardingName.substring(0, NAME_PREFIX_LIMIT)
                : regardingName;
        int end = prefix.length();
        while (end > 0 && (prefix.charAt(end - 1) == '-' || prefix.charAt(end - 1) == '.')) {
            end--;
        }
        return prefix.substring(0, end) + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** The longest prefix of {@code text} of at most {@code maxBytes} UTF-8 bytes that does not split a character. */
    static String truncate(String text, int maxBytes) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes) {
            return text;
        }
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return text.substring(0, i);
    }

    /** HTTP code and the API's short reason (Forbidden, InternalError); never the request or the response body. */
    private static String describe(KubernetesClientException e) {
        if (e.getCode() > 0) {
            String status = e.getStatus() != null && e.getStatus().getReason() != null
                    ? " " + e.getStatus().getReason()
                    : "";
            return "HTTP " + e.getCode() + status;
        }
        return "no HTTP response (" + rootCause(e) + ")";
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
