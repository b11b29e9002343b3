package dev.modelguardian.integrations.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.modelguardian.core.notify.Notification;

/**
 * The notifiers' own JSON mapper: payloads do not change with the application's JSON settings. Public only so that
 * {@code app/NativeImage} can name {@link Fields}, which Jackson serialises in the native binary.
 */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_ABSENT)
            .build();

    private Json() {
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a notification as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** An ordered JSON object that leaves out absent values (null, empty Optional). */
    public static final class Fields extends java.util.LinkedHashMap<String, Object> {
        public Fields with(String key, Object value) {
            if (value instanceof java.util.Optional<?> o) {
                value = o.orElse(null);
            }
            if (value != null) {
                put(key, value);
            }
            return this;
        }
    }

    public static Fields object() {
        return new Fields();
    }

    /** The facts of a notification, shared by the webhook payload and PagerDuty's custom details. */
    public static Fields facts(Notification n) {
        return object()
                .with("milestone", n.milestone().configName())
                .with("title", n.milestone().title())
                .with("at", n.at().toString())
                .with("namespace", n.namespace())
                .with("target", n.target())
                .with("cronJob", n.trainer().cronJob())
                .with("training", object()
                        .with("trigger", n.trainer().trigger())
                        .with("kind", n.trainer().kind())
                        .with("name", n.trainer().name())
                        .with("runKind", n.trainer().runKind()))
                .with("models", n.models())
                .with("from", n.from().name())
                .with("to", n.to().name())
                .with("remediationId", n.remediationId())
                .with("job", n.job())
                .with("trigger", n.trigger().stream().map(f -> object()
                        .with("model", f.model())
                        .with("signal", f.signal())
                        .with("value", number(f.value()))
                        .with("bound", f.bound())).toList())
                .with("requestedBy", n.requestedBy())
                .with("action", n.action())
                .with("reason", n.reason())
                .with("outcome", n.outcome())
                .with("tookSeconds", n.took().map(java.time.Duration::toSeconds))
                .with("rollbackHint", n.rollbackHint())
                .with("incidentKey", n.incidentKey())
                .with("resolves", n.resolves().isEmpty() ? null : n.resolves())
                .with("trainingLog", n.trainingLog().map(log -> object()
                        .with("source", log.source())
                        .with("lines", log.lines())
                        .with("truncated", log.truncated())
                        .with("unavailable", log.unavailable())));
    }

    /** A number for a payload: NaN and infinities have no JSON form and become null. */
    static Double number(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
