package dev.modelguardian.app.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.core.postmortem.SignalWindow;
import dev.modelguardian.core.remediation.Timeline;

/**
 * One signal read from its source over a window, drawn by the replay report's renderer ({@link HtmlReport#chart}):
 * the one chart code behind the replay report, the post-mortem page and the status page served by {@code serve}.
 *
 * <p>The shading is the signal past its trigger (or without a value) at each point, not the policy's state: a window
 * read back has the values, not the evaluations with their {@code for}.
 */
public final class SignalChart {

    /** The stylesheet the chart's classes need (the report's), for a page that serves it as a file. */
    public static final String CSS = HtmlReport.CSS;

    private SignalChart() {
    }

    /** One state a remediation entered, drawn as a marker: when, which state, and a label for its tooltip. */
    public record Marker(Instant at, String kind, String label) {

        /** A marker for {@code mark}, labelled {@code "<target> entered <STATE>"}. */
        public static Marker of(String target, Timeline.Mark mark) {
            return new Marker(mark.at(), mark.state().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    target + " entered " + mark.state());
        }
    }

    /**
     * The SVG chart of {@code window} from {@code from} to {@code to} (extended to the last point after it), with
     * {@code markers}; empty when the window has no value (unavailable, or no data: the caller says which).
     */
    public static String render(SignalWindow window, List<Marker> markers, Instant from, Instant to) {
        if (window.worst().isEmpty()) {
            return "";
        }
        List<Replay.Sample> samples = window.points().stream().map(p -> {
            OptionalDouble v = SignalWindow.value(p);
            PolicyState state = v.isEmpty() ? PolicyState.INCONCLUSIVE
                    : window.policy().bound().breached(v.getAsDouble()) ? PolicyState.FIRING : PolicyState.HEALTHY;
            return new Replay.Sample(p.at(), v, state);
        }).toList();
        List<TimelineEvent> events = new ArrayList<>();
        for (Marker marker : markers) {
            if (!marker.at().isBefore(from) && !marker.at().isAfter(to)) {
                events.add(new TimelineEvent(marker.at(), marker.kind(), null, marker.label(), Map.of()));
            }
        }
        Instant last = samples.getLast().at();
        return HtmlReport.chart(window.policy().key(), window.policy(), samples, events, from,
                last.isAfter(to) ? last : to);
    }

    /** {@code text} escaped for HTML text and attribute values. */
    public static String escape(String text) {
        return Html.escape(text);
    }
}
