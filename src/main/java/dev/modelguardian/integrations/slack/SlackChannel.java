package dev.modelguardian.integrations.slack;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.modelguardian.core.notify.Channel;
import dev.modelguardian.core.notify.Milestone;
import dev.modelguardian.core.notify.Notification;
import dev.modelguardian.core.notify.Outgoing;
import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.integrations.http.Json;

/**
 * Slack incoming webhook: one message per milestone, Block Kit blocks (header, reason, facts, signals with values and
 * bounds, action, for a rollback how to make it permanent) and the same facts as plain {@code text}, the fallback
 * Slack shows in notifications and clients without blocks.
 */
public final class SlackChannel implements Channel {

    private static final int HEADER_MAX = 150;
    private static final int TEXT_MAX = 3000;
    /** Room for log lines in a section (3000 characters at most), beside the heading and the code fences. */
    private static final int LOG_MAX = 2600;

    private final URI uri;
    private final String url;
    private final Set<Milestone> milestones;
    private final boolean postmortemSummary;

    public SlackChannel(String url, Set<Milestone> milestones) {
        this(url, milestones, false);
    }

    /** As above; {@code postmortemSummary}: add the draft's summary when a remediation ended. */
    public SlackChannel(String url, Set<Milestone> milestones, boolean postmortemSummary) {
        this.postmortemSummary = postmortemSummary;
        this.url = url;
        this.uri = URI.create(url);
        this.milestones = Set.copyOf(milestones);
    }

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public String describe() {
        return Channel.describe(name(), uri);
    }

    @Override
    public boolean wants(Notification notification) {
        return milestones.contains(notification.milestone());
    }

    @Override
    public Set<String> secrets() {
        return Set.of(url, uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    @Override
    public List<Outgoing> render(Notification n) {
        return List.of(new Outgoing(uri, Json.bytes(message(n, postmortemSummary)), Map.of(),
                n.milestone().configName() + " of " + n.target()));
    }

    /** The message: {@code text} and {@code blocks}. */
    static Map<String, Object> message(Notification n) {
        return message(n, false);
    }

    /** The message, with the post-mortem draft's summary when asked and a remediation ended. */
    static Map<String, Object> message(Notification n, boolean postmortemSummary) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(Json.object().with("type", "header").with("text", plain(cut(icon(n.milestone()) + " "
                + n.headline(), HEADER_MAX))));
        blocks.add(section("*" + escape(n.milestone().title()) + ":* " + escape(n.reason())));
        List<Object> fields = new ArrayList<>();
        fields.add(mrkdwn("*Target*\n" + escape(n.target()) + " (" + escape(n.trainer().source()) + ")"));
        fields.add(mrkdwn("*Models*\n" + escape(String.join(", ", n.models()))));
        fields.add(mrkdwn("*State*\n" + n.from() + " → " + n.to()));
        n.job().ifPresent(job -> fields.add(mrkdwn("*" + n.trainer().runKind() + "*\n`" + escape(job) + "`")));
        n.remediationId().ifPresent(id -> fields.add(mrkdwn("*Remediation*\n" + escape(id))));
        n.took().ifPresent(took -> fields.add(mrkdwn("*Took*\n" + dev.modelguardian.core.policy.Durations.format(took))));
        n.requestedBy().ifPresent(by -> fields.add(mrkdwn("*Requested by hand*\n" + escape(by))));
        blocks.add(Json.object().with("type", "section").with("fields", fields));
        if (!n.trigger().isEmpty()) {
            StringBuilder signals = new StringBuilder("*Signals (value against bound)*");
            n.trigger().forEach(f -> signals.append("\n• ").append(escape(f.model() + "/" + f.signal())).append(' ')
                    .append(Double.isNaN(f.value()) ? "" : "`" + Bound.format(f.value()) + "` ")
                    .append(escape("(" + f.bound() + ")")));
            blocks.add(section(signals.toString()));
        }
        n.trainingLog().ifPresent(log -> blocks.add(section(logSection(log))));
        blocks.add(section("*Action:* " + escape(n.action())));
        if (postmortemSummary) {
            n.postmortem().ifPresent(d -> blocks.add(section("*Post-mortem draft:* " + escape(d.summary()).replace("**",
                    "*") + "\nWrite it with `" + escape(d.command()) + "`")));
        }
        n.rollbackHint().ifPresent(hint -> blocks.add(section("*Make the rollback permanent:* set `" + escape(hint)
                + "` in the Helm values (or your GitOps source), or the next sync re-enables it")));
        blocks.add(Json.object().with("type", "context").with("elements", List.of(mrkdwn("model-guardian · "
                + escape(n.namespace()) + " · " + n.at()))));
        return Json.object().with("text", cut(text(n), TEXT_MAX)).with("blocks", blocks);
    }

    /**
     * The failed training's log tail as a code block: its heading, then as many of the newest lines as fit a
     * section's 3000 characters once escaped.
     */
    static String logSection(LogTail log) {
        String heading = "*" + escape(log.heading()) + (log.lines().isEmpty() ? "*" : ":*");
        List<String> lines = log.lastFitting(LOG_MAX).stream()
                .map(line -> escape(line).replace("```", "'''")).toList();
        while (!lines.isEmpty() && String.join("\n", lines).length() > LOG_MAX) {
            lines = lines.subList(1, lines.size());
        }
        return lines.isEmpty() ? heading : heading + "\n```" + String.join("\n", lines) + "```";
    }

    /** The plain-text fallback, with the same facts. */
    static String text(Notification n) {
        StringBuilder text = new StringBuilder(n.headline()).append(": ").append(n.reason());
        text.append(". Models: ").append(String.join(", ", n.models()));
        if (n.hasTrigger()) {
            text.append(". Trigger: ").append(n.triggerText());
        }
        n.job().ifPresent(job -> text.append(". Job: ").append(job));
        text.append(". Action: ").append(n.action());
        n.rollbackHint().ifPresent(hint -> text.append(". Make the rollback permanent: set ").append(hint)
                .append(" in the Helm values"));
        return escape(text.toString());
    }

    private static String icon(Milestone milestone) {
        return switch (milestone) {
            case FIRING, INCONCLUSIVE_TOO_LONG -> ":warning:";
            case RETRAINING_STARTED -> ":hammer_and_wrench:";
            case VALIDATION_PASSED, PROMOTED, RECOVERED -> ":white_check_mark:";
            case VALIDATION_FAILED, VERIFICATION_FAILED, FAILED, ROLLED_BACK, ROLLBACK_FAILED -> ":rotating_light:";
        };
    }

    private static Object section(String text) {
        return Json.object().with("type", "section").with("text", mrkdwn(cut(text, TEXT_MAX)));
    }

    private static Object mrkdwn(String text) {
        return Json.object().with("type", "mrkdwn").with("text", text);
    }

    private static Object plain(String text) {
        return Json.object().with("type", "plain_text").with("text", text);
    }

    /** Slack's three control characters. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
