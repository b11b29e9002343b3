package dev.modelguardian.app.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.modelguardian.core.postmortem.PostmortemDraft;
import dev.modelguardian.core.postmortem.SignalWindow;

/**
 * The post-mortem draft as one self-contained HTML page: the draft's Markdown as HTML, and after the signals' table one
 * chart per signal over the incident window, drawn by the replay report's renderer ({@link HtmlReport#chart}) with a
 * marker for each state the remediation entered. As the report: no script, no external resource (a
 * Content-Security-Policy of {@code default-src 'none'}), every text escaped, and well-formed XML.
 *
 * <p>The shading of a chart is the signal past its trigger (or inconclusive) at each point, not the policy's state:
 * the draft has the values, not the evaluations with their {@code for}.
 */
public final class PostmortemPage {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern BOLD = Pattern.compile("\\*\\*([^*]+)\\*\\*");

    private PostmortemPage() {
    }

    /** The page of {@code draft}. */
    public static String render(PostmortemDraft draft) {
        String title = "Post-mortem draft: " + draft.target().name() + ", remediation " + draft.entry().id();
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src"
                        + " 'unsafe-inline'\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>").append(Html.escape(title)).append("</title>\n")
                .append("<style>\n").append(HtmlReport.CSS).append("td{white-space:normal}</style>\n</head>\n<body>\n");
        List<String> lines = List.of(draft.markdown().split("\n", -1));
        boolean inSignals = false;
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                if (inSignals) {
                    charts(html, draft);
                }
                inSignals = line.equals(PostmortemDraft.SIGNALS_HEADING);
                html.append("<h2>").append(inline(line.substring(3))).append("</h2>\n");
                i++;
            } else if (line.startsWith("# ")) {
                html.append("<h1>").append(inline(line.substring(2))).append("</h1>\n");
                i++;
            } else if (line.startsWith("```")) {
                html.append("<pre>");
                for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    html.append(Html.escape(lines.get(i))).append('\n');
                }
                html.append("</pre>\n");
                i++;
            } else if (line.startsWith("|")) {
                i = table(html, lines, i);
            } else if (line.startsWith("- ") || line.matches("\\d+\\. .*")) {
                boolean ordered = !line.startsWith("- ");
                html.append(ordered ? "<ol>\n" : "<ul>\n");
                for (; i < lines.size() && (ordered ? lines.get(i).matches("\\d+\\. .*")
                        : lines.get(i).startsWith("- ")); i++) {
                    String item = lines.get(i).substring(lines.get(i).indexOf(' ') + 1);
                    html.append("<li>").append(item.startsWith("[ ] ") ? "&#9744; " + inline(item.substring(4))
                            : inline(item)).append("</li>\n");
                }
                html.append(ordered ? "</ol>\n" : "</ul>\n");
            } else if (line.startsWith("> ")) {
                html.append("<p class=\"meta\">").append(inline(line.substring(2))).append("</p>\n");
                i++;
            } else if (line.isBlank()) {
                i++;
            } else {
                List<String> paragraph = new ArrayList<>();
                for (; i < lines.size() && !lines.get(i).isBlank() && !lines.get(i).startsWith("#")
                        && !lines.get(i).startsWith("|") && !lines.get(i).startsWith("```"); i++) {
                    paragraph.add(inline(lines.get(i)));
                }
                html.append("<p>").append(String.join("<br/>", paragraph)).append("</p>\n");
            }
        }
        if (inSignals) {
            charts(html, draft);
        }
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    /** One chart per signal with a value in the window, with a marker per state the remediation entered. */
    private static void charts(StringBuilder html, PostmortemDraft draft) {
        PostmortemDraft.Window window = PostmortemDraft.window(draft.entry(), draft.at());
        List<SignalChart.Marker> marks = draft.entry().timeline().marks().stream()
                .map(m -> SignalChart.Marker.of(draft.target().name(), m)).toList();
        for (SignalWindow w : draft.signals()) {
            // Unavailable, or no value at all over the window: the table says so; an empty chart adds nothing.
            String chart = SignalChart.render(w, marks, window.from(), window.to());
            if (!chart.isEmpty()) {
                html.append("<section class=\"signal\">\n<h3>").append(Html.escape(w.policy().key())).append("</h3>\n")
                        .append(chart).append("</section>\n");
            }
        }
    }

    /** A Markdown table (a header row, a separator, body rows) from line {@code start}; the line after it. */
    private static int table(StringBuilder html, List<String> lines, int start) {
        html.append("<table>\n");
        int i = start;
        boolean header = true;
        for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String row = lines.get(i);
            if (row.matches("\\|(-+\\|)+")) {
                continue;
            }
            html.append("<tr>");
            for (String cell : cells(row)) {
                html.append(header ? "<th>" : "<td>").append(inline(cell.strip())).append(header ? "</th>" : "</td>");
            }
            html.append("</tr>\n");
            header = false;
        }
        html.append("</table>\n");
        return i;
    }

    /** The cells of {@code | a | b \| c |}: split on the bars that are not escaped. */
    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int i = 1; i < row.length(); i++) {
            char c = row.charAt(i);
            if (c == '\\' && i + 1 < row.length() && row.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        return cells;
    }

    /** Escaped text with {@code `code`} and {@code **bold**}. */
    private static String inline(String text) {
        String escaped = Html.escape(text);
        Matcher code = CODE.matcher(escaped);
        escaped = code.replaceAll("<code>$1</code>");
        return BOLD.matcher(escaped).replaceAll("<strong>$1</strong>");
    }
}
