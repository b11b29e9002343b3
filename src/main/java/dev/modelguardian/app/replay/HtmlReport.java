package dev.modelguardian.app.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.policy.Direction;
import dev.modelguardian.core.policy.Durations;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.policy.PolicyState;

/**
 * The replay as one self-contained HTML page: a summary table, one inline-SVG chart per signal (the value over time,
 * the trigger and clear bounds, shaded pending / firing / inconclusive intervals, a marker for each
 * {@link TimelineEvent}), and the terminal timeline. No script, no external resource: a Content-Security-Policy of
 * {@code default-src 'none'} forbids any fetch. Every text from the configuration or the scenario is escaped, and the
 * page is also well-formed XML (void elements self-closed), so tests can read it with the JDK's XML parser.
 */
public final class HtmlReport {

    static final double WIDTH = 960;
    static final double HEIGHT = 280;
    static final double LEFT = 64;
    static final double RIGHT = 24;
    static final double TOP = 16;
    static final double BOTTOM = 48;
    static final double PLOT_W = WIDTH - LEFT - RIGHT;
    static final double PLOT_H = HEIGHT - TOP - BOTTOM;

    private static final long[] TICK_MINUTES = { 1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080 };
    private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_HOUR = DateTimeFormatter.ofPattern("MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    /** Marker colours of the known kinds; any other kind is drawn blue. Kept in step with the CSS below. */
    private static final Map<String, String> MARKER_COLORS = Map.ofEntries(Map.entry("firing", "#c62828"),
            Map.entry("pending", "#ef8f00"), Map.entry("healthy", "#2e7d32"), Map.entry("inconclusive", "#757575"),
            Map.entry("retraining", "#6a1b9a"), Map.entry("world", "#455a64"), Map.entry("validated", "#00838f"),
            Map.entry("verified", "#1b5e20"), Map.entry("retrained", "#1b5e20"), Map.entry("rollback", "#e65100"),
            Map.entry("failed", "#b71c1c"));

    static final String CSS = """
            body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1000px;padding:0 16px;color:#222}
            h1{font-size:1.4em}h2{font-size:1.1em;margin:28px 0 4px}
            p.meta{color:#555;margin:2px 0}
            table{border-collapse:collapse;margin:8px 0;font-size:14px}
            th,td{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left;white-space:nowrap}
            td.num{text-align:right}
            pre{background:#f6f6f6;padding:10px;overflow-x:auto;font-size:12px}
            svg.chart{width:100%;height:auto;display:block;border:1px solid #ddd;background:#fff}
            .legend span{display:inline-block;margin-right:14px;font-size:13px}
            .swatch{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle}
            .value-line{fill:none;stroke:#1f5fbf;stroke-width:2}.value-point{fill:#1f5fbf}
            .bound-trigger{stroke:#c62828;stroke-width:1.5;stroke-dasharray:6 4}
            .bound-clear{stroke:#2e7d32;stroke-width:1.5;stroke-dasharray:2 3}
            .bound-label{font-size:11px}.bound-label.trigger{fill:#c62828}.bound-label.clear{fill:#2e7d32}
            .state-pending{fill:#ffb300;fill-opacity:.22}.state-firing{fill:#e53935;fill-opacity:.2}
            .state-inconclusive{fill:#9e9e9e;fill-opacity:.22}
            .grid{stroke:#eee}.axis{stroke:#555;fill:none}.tick-label,.axis-title{font-size:11px;fill:#555}
            .marker circle{stroke:#fff;stroke-width:1.5;fill:#1565c0}.marker-rule{stroke:#555;stroke-dasharray:1 3}
            .marker-firing circle{fill:#c62828}.marker-pending circle{fill:#ef8f00}
            .marker-healthy circle{fill:#2e7d32}.marker-inconclusive circle{fill:#757575}
            .marker-retraining circle{fill:#6a1b9a}.marker-world circle{fill:#455a64}
            .marker-validated circle{fill:#00838f}.marker-verified circle,.marker-retrained circle{fill:#1b5e20}
            .marker-rollback circle{fill:#e65100}.marker-failed circle{fill:#b71c1c}
            td.detail{white-space:normal}
            """;

    private HtmlReport() {
    }

    /**
     * @param result       the replay
     * @param policies     the policies replayed, for bounds and queries
     * @param timelineText the terminal output, shown as is at the end of the page
     */
    public static String render(Replay.Result result, Map<String, Policy> policies, String timelineText) {
        Scenario s = result.scenario();
        Instant end = s.start().plus(s.duration());
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>model-guardian replay: ").append(Html.escape(s.name())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        html.append("<h1>model-guardian replay: ").append(Html.escape(s.name())).append("</h1>\n");
        if (!s.description().isBlank()) {
            html.append("<p class=\"meta\">").append(Html.escape(s.description())).append("</p>\n");
        }
        html.append("<p class=\"meta\">From ").append(s.start()).append(" to ").append(end).append(" (")
                .append(Html.escape(Durations.format(s.duration()))).append("), one evaluation every ")
                .append(Html.escape(Durations.format(s.step()))).append(" on a virtual clock. Times are UTC.</p>\n");

        summary(html, result, policies);
        legend(html, result);
        for (Map.Entry<String, List<Replay.Sample>> e : result.samples().entrySet()) {
            Policy policy = policies.get(e.getKey());
            String query = policy.query().describe();
            html.append("<section class=\"signal\">\n<h2>").append(Html.escape(e.getKey())).append("</h2>\n")
                    .append("<p class=\"meta\"><code>").append(Html.escape(query)).append("</code> ")
                    .append(Html.escape(policy.describeBound())).append("</p>\n")
                    .append(chart(e.getKey(), policy, e.getValue(), result.timeline(), s.start(), end))
                    .append("</section>\n");
        }
        remediation(html, result);
        html.append("<h2>Timeline</h2>\n<pre>").append(Html.escape(timelineText)).append("</pre>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void summary(StringBuilder html, Replay.Result result, Map<String, Policy> policies) {
        html.append("<h2>Summary</h2>\n<table class=\"summary\">\n<thead><tr><th>Signal</th><th>Bound</th>"
                + "<th>Healthy</th><th>Pending</th><th>Firing</th><th>Inconclusive</th><th>Fired</th></tr></thead>\n"
                + "<tbody>\n");
        int fired = 0;
        for (Replay.SignalSummary sum : result.summaries()) {
            html.append("<tr><td>").append(Html.escape(sum.signal())).append("</td><td>")
                    .append(Html.escape(policies.get(sum.signal()).describeBound())).append("</td>");
            for (PolicyState state : List.of(PolicyState.HEALTHY, PolicyState.PENDING, PolicyState.FIRING,
                    PolicyState.INCONCLUSIVE)) {
                html.append("<td class=\"num\">").append(Html.escape(Durations.format(
                        sum.timeIn().getOrDefault(state, Duration.ZERO)).toLowerCase(Locale.ROOT))).append("</td>");
            }
            html.append("<td class=\"num\">").append(sum.firings()).append("</td></tr>\n");
            fired += sum.firings();
        }
        html.append("</tbody>\n</table>\n<p>Signals began firing ").append(fired).append(fired == 1 ? " time" : " times")
                .append(".</p>\n");
    }

    /** Each remediation step and what the world did, then what each target's remediations came to. */
    private static void remediation(StringBuilder html, Replay.Result result) {
        html.append("<h2>Remediation</h2>\n");
        if (result.steps().isEmpty()) {
            html.append("<p>Nothing was done.</p>\n");
        } else {
            html.append("<table class=\"remediation\">\n<thead><tr><th>Time</th><th>Target</th><th>Step</th>"
                    + "<th>Detail</th></tr></thead>\n<tbody>\n");
            for (Replay.Step step : result.steps()) {
                html.append("<tr><td>").append(HOUR_MINUTE.format(step.at())).append("</td><td>")
                        .append(Html.escape(step.target())).append("</td><td>").append(Html.escape(step.change()))
                        .append("</td><td class=\"detail\">").append(Html.escape(step.what())).append("</td></tr>\n");
            }
            html.append("</tbody>\n</table>\n");
        }
        for (Replay.TargetSummary t : result.targets()) {
            html.append("<p class=\"target\">Target ").append(Html.escape(t.target())).append(": ")
                    .append(t.started()).append(" retraining ").append(Html.escape(t.runKind()))
                    .append(t.started() == 1 ? "" : "s")
                    .append(" started; remediations ended: ").append(Html.escape(t.outcomes()))
                    .append("; time in each state: ").append(Html.escape(t.timeInStates())).append(".</p>\n");
        }
    }

    private static void legend(StringBuilder html, Replay.Result result) {
        html.append("<p class=\"legend\">")
                .append("<span><span class=\"swatch\" style=\"background:#1f5fbf\"></span>value</span>")
                .append("<span><span class=\"swatch\" style=\"border-top:2px dashed #c62828;height:0\"></span>trigger bound</span>")
                .append("<span><span class=\"swatch\" style=\"border-top:2px dotted #2e7d32;height:0\"></span>clear bound</span>")
                .append("<span><span class=\"swatch\" style=\"background:#ffe3a3\"></span>pending</span>")
                .append("<span><span class=\"swatch\" style=\"background:#f7c3c2\"></span>firing</span>")
                .append("<span><span class=\"swatch\" style=\"background:#e2e2e2\"></span>inconclusive</span>");
        Set<String> kinds = new LinkedHashSet<>();
        result.timeline().forEach(e -> kinds.add(e.kind()));
        for (String kind : kinds) {
            html.append("<span><span class=\"swatch\" style=\"border-radius:50%;width:10px;background:")
                    .append(MARKER_COLORS.getOrDefault(kind, "#1565c0")).append("\"></span>")
                    .append(Html.escape(kind)).append(" (marker)</span>");
        }
        if (!kinds.isEmpty()) {
            html.append("<span>hover a marker or a shaded interval for details</span>");
        }
        html.append("</p>\n");
    }

    /** One chart: shading, grid and ticks, bounds, the value line, markers, axes. */
    static String chart(String signal, Policy policy, List<Replay.Sample> samples, List<TimelineEvent> timeline,
            Instant start, Instant end) {
        Bound bound = policy.bound();
        double[] range = valueRange(samples, bound);
        double tick = niceStep((range[1] - range[0]) / 5);
        double lo = Math.floor(range[0] / tick) * tick;
        double hi = Math.ceil(range[1] / tick) * tick;
        Scale scale = new Scale(start, end, lo, hi, bound.direction() == Direction.ABOVE);

        Svg svg = new Svg(WIDTH, HEIGHT, "class", "chart", "role", "img", "data-signal", signal,
                "aria-label", signal + " over time");
        svg.text("title", signal + " " + policy.describeBound());
        stateShading(svg, samples, end, scale);
        for (double v = lo; v <= hi + tick / 2; v += tick) {
            double y = scale.y(v);
            svg.empty("line", "class", "grid", "x1", Svg.num(LEFT), "x2", Svg.num(LEFT + PLOT_W), "y1", Svg.num(y),
                    "y2", Svg.num(y));
            svg.text("text", Bound.format(roundToTick(v, tick)), "class", "tick-label", "x", Svg.num(LEFT - 6), "y",
                    Svg.num(y + 4), "text-anchor", "end");
        }
        timeTicks(svg, start, end, scale);
        boolean above = bound.direction() == Direction.ABOVE;
        // Each label on the side of its line away from the other line, so the two never overlap.
        boundLine(svg, "trigger", bound.trigger(), "trigger " + (above ? "> " : "< ") + Bound.format(bound.trigger()),
                true, scale);
        if (bound.clear().isPresent()) {
            double clear = bound.clear().getAsDouble();
            boundLine(svg, "clear", clear, "clear " + (above ? "<= " : ">= ") + Bound.format(clear), false, scale);
        }
        valueLine(svg, samples, scale);
        // Events of no single signal sit along the top, stacked when several happen at the same time.
        Map<Instant, Integer> stacked = new java.util.HashMap<>();
        for (TimelineEvent event : timeline) {
            if (event.signal() == null) {
                marker(svg, event, scale, stacked.merge(event.at(), 1, Integer::sum) - 1);
            } else if (event.signal().equals(signal)) {
                marker(svg, event, scale, 0);
            }
        }
        svg.empty("rect", "class", "axis", "x", Svg.num(LEFT), "y", Svg.num(TOP), "width", Svg.num(PLOT_W), "height",
                Svg.num(PLOT_H));
        svg.text("text", "time (UTC, " + start.atOffset(ZoneOffset.UTC).toLocalDate() + ")", "class", "axis-title",
                "x", Svg.num(LEFT + PLOT_W / 2), "y", Svg.num(HEIGHT - 6), "text-anchor", "middle");
        svg.text("text", "value", "class", "axis-title", "transform",
                "translate(14 " + Svg.num(TOP + PLOT_H / 2) + ") rotate(-90)", "text-anchor", "middle");
        return svg.end();
    }

    private static void stateShading(Svg svg, List<Replay.Sample> samples, Instant end, Scale scale) {
        int i = 0;
        while (i < samples.size()) {
            PolicyState state = samples.get(i).state();
            int j = i + 1;
            while (j < samples.size() && samples.get(j).state() == state) {
                j++;
            }
            Instant from = samples.get(i).at();
            Instant to = j < samples.size() ? samples.get(j).at() : end;
            if (state != PolicyState.HEALTHY && to.isAfter(from)) {
                String name = state.name().toLowerCase(Locale.ROOT);
                double x1 = scale.x(from);
                svg.open("rect", "class", "state state-" + name, "x", Svg.num(x1), "y", Svg.num(TOP), "width",
                        Svg.num(scale.x(to) - x1), "height", Svg.num(PLOT_H))
                        .text("title", state + " from " + HOUR_MINUTE.format(from) + " to " + HOUR_MINUTE.format(to))
                        .close("rect");
            }
            i = j;
        }
    }

    private static void timeTicks(Svg svg, Instant start, Instant end, Scale scale) {
        long spanMinutes = Math.max(1, Duration.between(start, end).toMinutes());
        long every = TICK_MINUTES[TICK_MINUTES.length - 1];
        for (long candidate : TICK_MINUTES) {
            if (spanMinutes / candidate <= 8) {
                every = candidate;
                break;
            }
        }
        long stepSeconds = every * 60;
        DateTimeFormatter format = spanMinutes > 1440 ? DAY_HOUR : HOUR_MINUTE;
        long first = Math.ceilDiv(start.getEpochSecond(), stepSeconds) * stepSeconds;
        for (long t = first; t <= end.getEpochSecond(); t += stepSeconds) {
            double x = scale.x(Instant.ofEpochSecond(t));
            svg.empty("line", "class", "grid", "x1", Svg.num(x), "x2", Svg.num(x), "y1", Svg.num(TOP), "y2",
                    Svg.num(TOP + PLOT_H));
            svg.text("text", format.format(Instant.ofEpochSecond(t)), "class", "tick-label", "x", Svg.num(x), "y",
                    Svg.num(TOP + PLOT_H + 16), "text-anchor", "middle");
        }
    }

    /** A bound as a horizontal line, labelled at the right on the breaching side (trigger) or the other (clear). */
    private static void boundLine(Svg svg, String which, double value, String label, boolean labelOnBreachSide,
            Scale scale) {
        double y = scale.y(value);
        boolean labelAbove = labelOnBreachSide == scale.breachUp();
        svg.empty("line", "class", "bound-" + which, "x1", Svg.num(LEFT), "x2", Svg.num(LEFT + PLOT_W), "y1",
                Svg.num(y), "y2", Svg.num(y));
        svg.text("text", label, "class", "bound-label " + which, "x", Svg.num(LEFT + PLOT_W - 4), "y",
                Svg.num(labelAbove ? y - 4 : y + 12), "text-anchor", "end");
    }

    private static void valueLine(Svg svg, List<Replay.Sample> samples, Scale scale) {
        List<String> run = new ArrayList<>();
        for (Replay.Sample sample : samples) {
            OptionalDouble v = sample.value();
            if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
                run.add(Svg.num(scale.x(sample.at())) + "," + Svg.num(scale.y(v.getAsDouble())));
            } else {
                flush(svg, run);
            }
        }
        flush(svg, run);
    }

    private static void flush(Svg svg, List<String> run) {
        if (run.size() == 1) {
            String[] xy = run.getFirst().split(",");
            svg.empty("circle", "class", "value-point", "cx", xy[0], "cy", xy[1], "r", "2");
        } else if (run.size() > 1) {
            svg.empty("polyline", "class", "value-line", "points", String.join(" ", run));
        }
        run.clear();
    }

    private static void marker(Svg svg, TimelineEvent event, Scale scale, int stack) {
        double x = scale.x(event.at());
        Double value = event.values().get("value");
        double y = value != null && Double.isFinite(value) ? scale.clampY(value) : TOP + 8 + 12 * Math.min(stack, 8);
        String kind = event.kind().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        StringBuilder title = new StringBuilder(HOUR_MINUTE.format(event.at()) + " " + event.text());
        event.values().forEach((k, v) -> title.append(k.equals("value") ? "" : "; " + k + " " + Bound.format(v)));
        svg.open("g", "class", "marker marker-" + kind, "data-kind", event.kind())
                .text("title", title.toString())
                .empty("line", "class", "marker-rule", "x1", Svg.num(x), "x2", Svg.num(x), "y1", Svg.num(TOP), "y2",
                        Svg.num(TOP + PLOT_H))
                .empty("circle", "cx", Svg.num(x), "cy", Svg.num(y), "r", "5")
                .close("g");
    }

    /** The values and both bounds, padded a little so nothing sits on the frame. */
    static double[] valueRange(List<Replay.Sample> samples, Bound bound) {
        double min = bound.trigger();
        double max = bound.trigger();
        if (bound.clear().isPresent()) {
            min = Math.min(min, bound.clear().getAsDouble());
            max = Math.max(max, bound.clear().getAsDouble());
        }
        for (Replay.Sample s : samples) {
            if (s.value().isPresent() && Double.isFinite(s.value().getAsDouble())) {
                min = Math.min(min, s.value().getAsDouble());
                max = Math.max(max, s.value().getAsDouble());
            }
        }
        double pad = max > min ? (max - min) * 0.08 : Math.max(Math.abs(max) * 0.1, 1);
        return new double[] { min - pad, max + pad };
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] { 1, 2, 5, 10 }) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static double roundToTick(double v, double tick) {
        return Math.round(v / tick) * tick;
    }

    /** Time and value to chart coordinates. */
    private record Scale(Instant start, Instant end, double lo, double hi, boolean breachUp) {

        double x(Instant at) {
            double span = Math.max(1, Duration.between(start, end).toMillis());
            return LEFT + Duration.between(start, at).toMillis() / span * PLOT_W;
        }

        double y(double value) {
            return TOP + (hi - value) / (hi - lo) * PLOT_H;
        }

        double clampY(double value) {
            return y(Math.max(lo, Math.min(hi, value)));
        }
    }
}
