package dev.modelguardian.app.replay;

import java.time.Instant;
import java.util.Map;

/**
 * One thing that happened on the replay's timeline, drawn as a marker in the report. Generic on purpose: a signal's
 * state change, or an event of the remediation (a retraining Job created, the world completing it, a candidate
 * validated, a promotion verified, a rollback), drawn the same way.
 *
 * @param at     virtual time of the event
 * @param kind   short machine name, e.g. {@code firing}, {@code pending}, {@code retraining}, {@code rollback}; the
 *               report uses it as a CSS class ({@code marker-KIND}) and in the legend
 * @param signal the {@code model/signal} whose chart carries the marker, or null for an event of no single signal
 *               (drawn on every chart)
 * @param text   one line for people
 * @param values numbers worth showing with the event (e.g. {@code value}), in insertion order
 */
public record TimelineEvent(Instant at, String kind, String signal, String text, Map<String, Double> values) {

    public TimelineEvent {
        values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }
}
