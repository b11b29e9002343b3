package dev.modelguardian.app.page;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.modelguardian.app.replay.SignalChart;
import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.policy.Durations;
import dev.modelguardian.core.policy.Evaluation;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.postmortem.SignalWindow;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.StepDurations;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Timeline;

/**
 * The status page's HTML, rendered on the server from what {@code serve} holds: readable with JavaScript off. The
 * script ({@code /ui/page.js}) only refreshes {@code <main id="live">} and sends the actions; the stylesheet is
 * {@code /ui/page.css}. Nothing inline (no {@code style=}, no {@code <script>} body, no handler attribute), so the
 * strict Content-Security-Policy of {@link StatusPage} holds; every text is escaped.
 */
public final class StatusPageHtml {

    /** How often the script reloads the live part of the page. */
    static final Duration REFRESH = Duration.ofSeconds(5);

    private StatusPageHtml() {
    }

    /**
     * How current the data is: the last cycle, the cycle interval, the last cycle's failure, and the signals whose
     * source failed in it.
     */
    public record Freshness(Optional<Instant> lastCycle, Duration interval, Optional<String> cycleError,
            List<Evaluation> sourceErrors) {

        /** Data older than three intervals is stale: the leader's cycles stopped. */
        boolean stale(Instant now) {
            return lastCycle.map(at -> Duration.between(at, now).compareTo(interval.multipliedBy(3)) > 0)
                    .orElse(true);
        }
    }

    /** What every page shows: where, when, who leads, how fresh, and whether actions can be sent at all. */
    public record Context(String namespace, Instant now, String identity, boolean leading, Optional<String> leader,
            Freshness freshness, boolean tokenConfigured) {
    }

    /** One target with its record as the state ConfigMap holds it. */
    public record Row(TargetSpec spec, TargetRecord record) {
    }

    /** Every target and signal. */
    public static String overview(Context context, List<Row> targets, List<Evaluation> evaluations) {
        StringBuilder html = head(context, "model-guardian · " + context.namespace(), true);
        live(html, context);
        html.append("<h2>Targets</h2>\n<table class=\"targets\">\n<tr><th>target</th><th>state</th><th>since</th>"
                + "<th>models</th><th>now</th><th>last remediation</th></tr>\n");
        for (Row row : targets) {
            TargetRecord r = row.record();
            html.append("<tr data-target=\"").append(esc(row.spec().name())).append("\"><td><a href=\"/targets/")
                    .append(esc(row.spec().name())).append("\">").append(esc(row.spec().name())).append("</a></td><td>");
            badge(html, r.current().state());
            html.append("</td><td>").append(since(r.current().since(), context.now())).append("</td><td>")
                    .append(esc(String.join(", ", row.spec().models()))).append("</td><td class=\"detail\">")
                    .append(esc(r.reason())).append("</td><td>")
                    .append(r.last().map(e -> esc(e.outcome().tag()) + " " + ago(e.ended(), context.now()))
                            .orElse("none yet"))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n");
        signals(html, evaluations);
        return foot(html);
    }

    /**
     * One target: its state, a chart per signal over {@code window} ending at {@code until} (live when it ends now),
     * the actions, and every remediation the state keeps.
     */
    public static String target(Context context, Row row, List<Evaluation> evaluations, ChartWindow window,
            Instant until, boolean live, List<SignalWindow> charts) {
        TargetSpec spec = row.spec();
        TargetRecord r = row.record();
        StringBuilder html = head(context, spec.name() + " · model-guardian", live);
        live(html, context);
        html.append("<p class=\"crumbs\"><a href=\"/\">all targets</a></p>\n<h2 class=\"target\">")
                .append(esc(spec.name())).append(' ');
        badge(html, r.current().state());
        html.append("</h2>\n<p class=\"meta\">").append(esc(r.current().state().name())).append(" since ")
                .append(since(r.current().since(), context.now())).append(" · trained by ")
                .append(esc(spec.trainer().kind() + " " + spec.trainer().name())).append(" · models ")
                .append(esc(String.join(", ", spec.models()))).append("</p>\n<p class=\"reason\">")
                .append(esc(r.reason())).append("</p>\n");
        current(html, r, context.now());
        actions(html, context, spec, r, live);
        charts(html, context, row, window, until, live, charts);
        signals(html, evaluations);
        history(html, spec, r);
        return foot(html);
    }

    /** The remediation under way: its id, run, trigger, steps so far and a failed run's last lines. */
    private static void current(StringBuilder html, TargetRecord r, Instant now) {
        if (r.current().remediationId().isEmpty()) {
            return;
        }
        html.append("<section class=\"current\">\n<h3>Remediation ").append(esc(r.current().remediationId().get()))
                .append("</h3>\n<p>").append(r.current().jobName().map(j -> "run " + esc(j) + " · ").orElse(""))
                .append("why: ").append(esc(RemediationEngine.summary(r.current().trigger(),
                        r.current().requestedBy()))).append("</p>\n<p>steps: ")
                .append(esc(StepDurations.summary(StepDurations.current(r.timeline(), now)))).append("</p>\n");
        r.progress().trainingLog().ifPresent(log -> logTail(html, log));
        html.append("</section>\n");
    }

    /**
     * The four actions, each a form the script sends with the typed token after a confirmation. Disabled, with why,
     * when no token is configured, in a past window, and until the script runs (it needs JavaScript: reading does not).
     */
    private static void actions(StringBuilder html, Context context, TargetSpec spec, TargetRecord r, boolean live) {
        RemediationState state = r.current().state();
        String why = !context.tokenConfigured()
                ? "Actions are off: no API token is configured (guardian.api.token, env GUARDIAN_API_TOKEN)."
                : !live ? "Actions act on the present: open the live view." : "";
        html.append("<section class=\"actions\" data-enabled=\"").append(why.isEmpty()).append("\">\n<h3>Actions</h3>\n");
        if (!why.isEmpty()) {
            html.append("<p class=\"why\">").append(esc(why)).append("</p>\n");
        } else {
            html.append("<p class=\"why\" data-needs-script=\"true\">Actions need JavaScript and the API token.</p>\n")
                    .append("<p><label>API token <input type=\"password\" id=\"token\" autocomplete=\"off\""
                            + " spellcheck=\"false\"/></label> <span class=\"hint\">kept in this tab only, sent as"
                            + " Authorization: Bearer</span></p>\n");
        }
        String base = "/api/v1/targets/" + esc(spec.name());
        boolean awaiting = state == RemediationState.AWAITING_APPROVAL;
        action(html, base + "/approve", "approve", "Approve", "Approve the retraining of " + spec.name() + "?",
                why.isEmpty() && awaiting, awaiting ? "" : "nothing waits for approval", false);
        action(html, base + "/reject", "reject", "Reject", "Reject the retraining of " + spec.name() + "?",
                why.isEmpty() && awaiting, awaiting ? "" : "nothing waits for approval", true);
        action(html, base + "/remediate", "remediate", "Remediate now", "Start a remediation of " + spec.name()
                + " now (retrain from its " + spec.trainer().kind() + ")?", why.isEmpty(), "", false);
        action(html, base + "/rollback", "rollback", "Roll back", "Roll " + spec.name()
                + " back: restore the serving versions and flags of its last snapshot?", why.isEmpty(), "", false);
        html.append("<p class=\"result\" role=\"status\" aria-live=\"polite\"></p>\n</section>\n");
    }

    private static void action(StringBuilder html, String url, String name, String label, String confirm,
            boolean usable, String unusable, boolean reason) {
        html.append("<form class=\"action\" method=\"post\" action=\"").append(url).append("\" data-action=\"")
                .append(name).append("\" data-confirm=\"").append(esc(confirm)).append("\">");
        if (reason) {
            html.append("<input type=\"text\" name=\"reason\" placeholder=\"why (required)\" required=\"required\"")
                    .append(usable ? "" : " disabled=\"disabled\"").append("/>");
        }
        // Disabled in the HTML: the script enables the usable ones, so without it nothing is sent without a token.
        html.append("<button type=\"submit\" disabled=\"disabled\" data-usable=\"").append(usable).append("\">")
                .append(esc(label)).append("</button>");
        if (!unusable.isEmpty()) {
            html.append(" <span class=\"hint\">").append(esc(unusable)).append("</span>");
        }
        html.append("</form>\n");
    }

    /** The window links and one chart per signal of the target's models, or why there is none. */
    private static void charts(StringBuilder html, Context context, Row row, ChartWindow window, Instant until,
            boolean live, List<SignalWindow> charts) {
        String name = esc(row.spec().name());
        Instant from = until.minus(window.length());
        html.append("<h3>Signals ").append(live ? "over the last " + window.label() : "from " + from + " to " + until)
                .append("</h3>\n<p class=\"windows\">");
        for (ChartWindow w : ChartWindow.values()) {
            String href = "/targets/" + name + "?window=" + w.label() + (live ? "" : "&amp;until=" + until);
            html.append(w == window ? "<strong>" + w.label() + "</strong>" : "<a href=\"" + href + "\">" + w.label()
                    + "</a>").append(' ');
        }
        if (!live) {
            html.append("· <a href=\"/targets/").append(name).append("?window=").append(window.label())
                    .append("\">live</a>");
        }
        html.append("</p>\n");
        List<String> unavailable = charts.stream().flatMap(c -> c.unavailable().stream()).distinct().toList();
        if (!unavailable.isEmpty()) {
            html.append("<p class=\"banner stale\" data-banner=\"source\">The metric source did not answer, charts"
                    + " are missing: ").append(esc(String.join("; ", unavailable))).append("</p>\n");
        }
        List<SignalChart.Marker> markers = markers(row);
        for (SignalWindow chart : charts) {
            Policy policy = chart.policy();
            html.append("<section class=\"signal\" data-signal=\"").append(esc(policy.key())).append("\">\n<h4>")
                    .append(esc(policy.key())).append(" <span class=\"bound\">").append(esc(policy.describeBound()))
                    .append("</span>").append(chart.last().flatMap(p -> box(SignalWindow.value(p)))
                            .map(v -> " <span class=\"value\">last " + esc(Bound.format(v)) + "</span>").orElse(""))
                    .append("</h4>\n");
            String svg = SignalChart.render(chart, markers, from, until);
            html.append(svg.isEmpty() ? "<p class=\"none\">" + esc(chart.unavailable()
                    .orElse("no value over this window")) + "</p>\n" : svg);
            html.append("</section>\n");
        }
    }

    private static Optional<Double> box(java.util.OptionalDouble v) {
        return v.isPresent() ? Optional.of(v.getAsDouble()) : Optional.empty();
    }

    /** A marker for each state entered: by the remediation under way and by those the history keeps. */
    static List<SignalChart.Marker> markers(Row row) {
        String name = row.spec().name();
        List<Timeline.Mark> marks = new java.util.ArrayList<>(row.record().timeline().marks());
        row.record().history().forEach(e -> marks.addAll(e.timeline().marks()));
        return marks.stream().distinct().map(m -> SignalChart.Marker.of(name, m)).toList();
    }

    /** The signals of the last cycle: state, value, bound, source errors. */
    private static void signals(StringBuilder html, List<Evaluation> evaluations) {
        html.append("<h3>Signals now</h3>\n");
        if (evaluations.isEmpty()) {
            html.append("<p class=\"none\">No cycle has read the signals yet.</p>\n");
            return;
        }
        html.append("<table class=\"signals\">\n<tr><th>signal</th><th>state</th><th>value</th><th>bound</th>"
                + "<th>source</th></tr>\n");
        for (Evaluation e : evaluations) {
            String state = e.status().state().name().toLowerCase(Locale.ROOT);
            html.append("<tr><td>").append(esc(e.policy().key())).append("</td><td><span class=\"badge policy-")
                    .append(state).append("\">").append(state).append("</span></td><td class=\"num\">")
                    .append(e.status().value().isPresent() ? esc(Bound.format(e.status().value().getAsDouble()))
                            : "no value")
                    .append("</td><td>").append(esc(e.policy().describeBound())).append("</td><td class=\"detail\">")
                    .append(e.status().consecutiveSourceErrors() == 0 ? "ok"
                            : esc(e.status().consecutiveSourceErrors() + " errors in a row: "
                                    + e.status().reason().orElse("source error")))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    /** Every remediation the state keeps, newest first. */
    private static void history(StringBuilder html, TargetSpec spec, TargetRecord r) {
        html.append("<h3>History</h3>\n");
        if (r.history().isEmpty()) {
            html.append("<p class=\"none\">No remediation has ended yet.</p>\n");
            return;
        }
        String name = esc(spec.name());
        for (HistoryEntry e : r.history().reversed()) {
            Duration took = Duration.between(e.started(), e.ended());
            Instant until = e.ended().plus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MINUTES);
            ChartWindow around = Duration.between(e.started().minus(Duration.ofMinutes(30)), until)
                    .compareTo(ChartWindow.SIX_HOURS.length()) <= 0 ? ChartWindow.SIX_HOURS
                    : took.compareTo(Duration.ofHours(23)) <= 0 ? ChartWindow.ONE_DAY : ChartWindow.SEVEN_DAYS;
            html.append("<article class=\"remediation\" data-id=\"").append(esc(e.id())).append("\">\n<h4>")
                    .append(esc(e.id())).append(" <span class=\"badge outcome-").append(esc(e.outcome().tag()))
                    .append("\">").append(esc(e.outcome().tag())).append("</span></h4>\n<table>\n");
            row(html, "started", e.started() + " · ended " + e.ended() + " · took " + Durations.format(took));
            row(html, "why", RemediationEngine.summary(e.trigger(), e.requestedBy()));
            e.timeline().approval().ifPresent(a -> row(html, "approved", a.by() + " at " + a.at()));
            e.job().ifPresent(j -> row(html, "run", spec.trainer().run(j)));
            row(html, "steps", StepDurations.summary(StepDurations.finished(e.timeline())));
            e.verdict().ifPresent(v -> row(html, "validation", v.summary()));
            if (!e.actions().isEmpty()) {
                row(html, "changed", String.join("; ", e.actions()));
            }
            row(html, "ended", e.reason());
            html.append("</table>\n");
            e.trainingLog().ifPresent(log -> logTail(html, log));
            html.append("<p class=\"links\"><a href=\"/targets/").append(name).append("?window=")
                    .append(around.label()).append("&amp;until=").append(until).append("\">signals around it</a>");
            if (e.outcome() != HistoryEntry.Outcome.DRY_RUN) {
                html.append(" · <a href=\"/targets/").append(name).append("/remediations/").append(esc(e.id()))
                        .append("/postmortem\">post-mortem draft</a>");
            }
            html.append("</p>\n</article>\n");
        }
    }

    private static void row(StringBuilder html, String key, String value) {
        html.append("<tr><th>").append(esc(key)).append("</th><td class=\"detail\">").append(esc(value))
                .append("</td></tr>\n");
    }

    private static void logTail(StringBuilder html, LogTail log) {
        html.append("<details class=\"log\" open=\"open\"><summary>").append(esc(log.heading())).append("</summary>");
        if (log.unavailable().isPresent()) {
            html.append("<p>").append(esc(log.unavailable().get())).append("</p>");
        } else {
            html.append("<pre>").append(esc(String.join("\n", log.lines()))).append("</pre>");
        }
        html.append("</details>\n");
    }

    /**
     * The document up to {@code <main>}: stylesheet and script by URL, the header; a page of the past
     * ({@code live} false) is not refreshed.
     */
    private static StringBuilder head(Context context, String title, boolean live) {
        StringBuilder html = new StringBuilder(16 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
                .append(esc(title)).append("</title>\n<meta name=\"viewport\" content=\"width=device-width,"
                        + " initial-scale=1\"/>\n<link rel=\"stylesheet\" href=\"/ui/page.css\"/>\n"
                        + "<script src=\"/ui/page.js\" defer=\"defer\"></script>\n</head>\n<body data-refresh=\"")
                .append(live ? REFRESH.toSeconds() : 0).append("\">\n<header><h1><a href=\"/\">model-guardian</a></h1>"
                        + "<p class=\"meta\">namespace ").append(esc(context.namespace())).append(" · ")
                .append(context.leading() ? "this replica (" + esc(context.identity()) + ") leads"
                        : "this replica (" + esc(context.identity()) + ") does not lead"
                                + context.leader().map(l -> "; " + esc(l) + " does").orElse(""))
                .append("</p></header>\n<p class=\"banner stale\" id=\"offline\" hidden=\"hidden\">The guardian does"
                        + " not answer: the page shows the data as of <span id=\"offline-since\"></span>.</p>\n");
        return html;
    }

    /** Opens {@code <main id="live">} with the freshness line and the banners that say what is wrong. */
    private static void live(StringBuilder html, Context context) {
        Freshness f = context.freshness();
        html.append("<main id=\"live\" data-generated=\"").append(context.now()).append("\">\n<p class=\"meta\">")
                .append(f.lastCycle().map(at -> "last cycle " + ago(at, context.now()))
                        .orElse("no cycle has run yet"))
                .append(" (every ").append(esc(Durations.format(f.interval()))).append(") · page rendered ")
                .append(context.now().truncatedTo(ChronoUnit.SECONDS)).append("</p>\n");
        if (!context.leading()) {
            // Only the leader evaluates: a follower's page shows the state (shared) but no fresh signals.
            html.append("<p class=\"banner stale\" data-banner=\"follower\">This replica does not lead, so it does"
                    + " not evaluate the signals; ").append(context.leader().map(l -> "the leader " + esc(l)
                            + " does: its page is current (kubectl port-forward pod/" + esc(l) + " 8686).")
                            .orElse("no replica leads now.")).append("</p>\n");
        } else if (f.stale(context.now())) {
            html.append("<p class=\"banner stale\" data-banner=\"stale\">The data is stale: ")
                    .append(f.lastCycle().map(at -> "the last cycle ran " + ago(at, context.now()))
                            .orElse("no cycle has run yet"))
                    .append(", cycles run every ").append(esc(Durations.format(f.interval()))).append(".</p>\n");
        }
        f.cycleError().ifPresent(e -> html.append("<p class=\"banner stale\" data-banner=\"cycle\">The last cycle"
                + " failed: ").append(esc(e)).append("</p>\n"));
        if (!f.sourceErrors().isEmpty()) {
            html.append("<p class=\"banner stale\" data-banner=\"source\">")
                    .append(f.sourceErrors().size()).append(f.sourceErrors().size() == 1 ? " signal" : " signals")
                    .append(" could not be read in the last cycle (inconclusive, never a trigger): ")
                    .append(esc(f.sourceErrors().getFirst().status().reason().orElse("source error")))
                    .append("</p>\n");
        }
    }

    private static String foot(StringBuilder html) {
        return html.append("</main>\n</body>\n</html>\n").toString();
    }

    private static void badge(StringBuilder html, RemediationState state) {
        String name = state.name().toLowerCase(Locale.ROOT).replace('_', '-');
        html.append("<span class=\"badge state-").append(name).append("\">").append(name).append("</span>");
    }

    private static String since(Instant at, Instant now) {
        return "<time datetime=\"" + at + "\">" + at.truncatedTo(ChronoUnit.SECONDS) + "</time> (" + ago(at, now) + ")";
    }

    /** How long ago, as precise as is useful: {@code 42s}, {@code 3m12s}, {@code 5h20m}, {@code 295d}. */
    static String ago(Instant at, Instant now) {
        Duration d = Duration.between(at, now);
        if (d.isNegative()) {
            return "just now";
        }
        Duration shown = d.compareTo(Duration.ofDays(2)) >= 0 ? d.truncatedTo(ChronoUnit.DAYS)
                : d.compareTo(Duration.ofHours(1)) >= 0 ? d.truncatedTo(ChronoUnit.MINUTES)
                : d.truncatedTo(ChronoUnit.SECONDS);
        return (shown.compareTo(Duration.ofDays(2)) >= 0 ? shown.toDays() + "d" : Durations.format(shown)) + " ago";
    }

    private static String esc(String text) {
        return SignalChart.escape(text);
    }

    /** The page's own rules, after the charts' (served as {@code /ui/page.css}). */
    static final String CSS = SignalChart.CSS + """
            header h1{margin:0;font-size:1.4em}header h1 a{color:inherit;text-decoration:none}
            h2.target{margin-top:8px}h3{font-size:1.05em;margin:22px 0 6px}h4{margin:14px 0 4px;font-size:1em}
            .badge{display:inline-block;white-space:nowrap;padding:1px 8px;border-radius:10px;font-size:12px;background:#e0e0e0}
            .state-healthy,.policy-healthy,.outcome-promoted,.outcome-retrained{background:#c8e6c9}
            .state-pending,.policy-pending,.state-awaiting-approval{background:#ffe0a3}
            .state-firing,.policy-firing,.state-rolling-back,.state-rolled-back,.outcome-rolled_back,
            .outcome-failed,.outcome-not_started{background:#f7c3c2}
            .state-retraining,.state-validating,.state-promoting,.state-verifying{background:#d1c4e9}
            .policy-inconclusive,.outcome-rejected,.outcome-dry_run{background:#e2e2e2}
            .banner{padding:8px 12px;border-radius:4px;margin:8px 0}.banner.stale{background:#fff3cd;border:1px solid #e0b800}
            .banner[hidden]{display:none}
            .actions form{display:inline-block;margin:4px 12px 4px 0}.actions .why{color:#555}
            .actions .result.error{color:#b71c1c}.actions .result.ok{color:#1b5e20}
            .hint{color:#777;font-size:12px}.none{color:#777}.reason{margin:4px 0 10px}
            article.remediation{border-top:1px solid #ddd;margin-top:10px}
            article.remediation th{width:90px;vertical-align:top}
            details.log pre{max-height:320px}
            table.targets,table.signals{width:100%}table.targets td,table.signals td{white-space:normal}
            """;
}
