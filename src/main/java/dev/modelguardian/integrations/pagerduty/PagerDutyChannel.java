package dev.modelguardian.integrations.pagerduty;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.modelguardian.core.notify.Channel;
import dev.modelguardian.core.notify.Milestone;
import dev.modelguardian.core.notify.Notification;
import dev.modelguardian.core.notify.Outgoing;
import dev.modelguardian.integrations.http.Json;

/**
 * PagerDuty Events API v2: a {@code trigger} for each configured milestone under the incident's
 * {@code IncidentKeys stable dedup_key} (the failure and the rollback of one remediation are one incident), and on
 * {@link Milestone#RECOVERED} a {@code resolve} for every incident the recovery ends. The routing key is in the body
 * only, never logged.
 */
public final class PagerDutyChannel implements Channel {

    static final int SUMMARY_MAX = 1024;

    private final URI uri;
    private final String routingKey;
    private final Set<Milestone> triggers;
    private final Map<Milestone, String> severity;
    private final String source;

    public PagerDutyChannel(String url, String routingKey, Set<Milestone> triggers, Map<Milestone, String> severity,
            String source) {
        this.uri = URI.create(url);
        this.routingKey = routingKey;
        this.triggers = Set.copyOf(triggers);
        this.severity = Map.copyOf(severity);
        this.source = source;
    }

    @Override
    public String name() {
        return "pagerduty";
    }

    @Override
    public String describe() {
        return Channel.describe(name(), uri);
    }

    @Override
    public boolean wants(Notification n) {
        return triggers.contains(n.milestone()) || (n.milestone() == Milestone.RECOVERED && !n.resolves().isEmpty());
    }

    @Override
    public Set<String> secrets() {
        return Set.of(routingKey);
    }

    @Override
    public List<Outgoing> render(Notification n) {
        if (triggers.contains(n.milestone())) {
            return List.of(outgoing(trigger(n), "trigger " + n.milestone().configName() + " of " + n.target()));
        }
        return n.resolves().stream().map(key -> outgoing(resolve(key), "resolve of " + n.target())).toList();
    }

    private Outgoing outgoing(Map<String, Object> event, String what) {
        return new Outgoing(uri, Json.bytes(event), Map.of(), what);
    }

    Map<String, Object> trigger(Notification n) {
        String summary = n.headline() + ": " + n.reason()
                + (n.hasTrigger() ? "; trigger: " + n.triggerText() : "")
                + n.rollbackHint().map(h -> "; make it permanent: " + h).orElse("");
        return Json.object()
                .with("routing_key", routingKey)
                .with("event_action", "trigger")
                .with("dedup_key", n.incidentKey())
                .with("payload", Json.object()
                        .with("summary", summary.length() <= SUMMARY_MAX ? summary
                                : summary.substring(0, SUMMARY_MAX - 1) + "…")
                        .with("source", source)
                        .with("severity", severity.getOrDefault(n.milestone(), defaultSeverity(n.milestone())))
                        .with("timestamp", n.at().toString())
                        .with("component", n.target())
                        .with("group", n.namespace())
                        .with("class", n.milestone().configName())
                        .with("custom_details", Json.facts(n)));
    }

    Map<String, Object> resolve(String dedupKey) {
        return Json.object()
                .with("routing_key", routingKey)
                .with("event_action", "resolve")
                .with("dedup_key", dedupKey);
    }

    /** Severities when {@code guardian.notify.pagerduty.severity} says nothing of a milestone. */
    static String defaultSeverity(Milestone milestone) {
        return switch (milestone) {
            case ROLLED_BACK, ROLLBACK_FAILED -> "critical";
            case FAILED, VALIDATION_FAILED, VERIFICATION_FAILED -> "error";
            case RECOVERED, VALIDATION_PASSED, PROMOTED, RETRAINING_STARTED -> "info";
            case FIRING, INCONCLUSIVE_TOO_LONG -> "warning";
        };
    }
}
