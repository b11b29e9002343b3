package dev.modelguardian.integrations.scrape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.OptionalLong;

/**
 * Parser for the Prometheus text exposition format, version 0.0.4, as served by a model
 * server's own {@code /metrics} endpoint.
 *
 * <p>What is read:
 * <ul>
 *   <li>Sample lines {@code name[{label="value",...}] value [timestamp]}. Tokens are separated
 *       by spaces or tabs; blanks around {@code =}, {@code ,}, {@code {} and {@code }} are
 *       tolerated, as are a trailing comma and an empty label set {@code {}}.</li>
 *   <li>Metric names match {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, label names
 *       {@code [a-zA-Z_][a-zA-Z0-9_]*}. Label values are double-quoted; the escapes
 *       {@code \\}, {@code \"} and {@code \n} are resolved, any other escape is an error.
 *       A label name may appear only once per line.</li>
 *   <li>Values use Go's {@code strconv.ParseFloat} decimal syntax ({@code 1}, {@code -1.5},
 *       {@code .5}, {@code 1e-3}) plus {@code NaN}, {@code Inf}, {@code +Inf}, {@code -Inf},
 *       {@code Infinity} (case-insensitive; {@code NaN} takes no sign). Hexadecimal floats,
 *       underscores and Java suffixes such as {@code 1d} are rejected, and so is a finite
 *       literal too large for a double (e.g. {@code 1e400}), as the Prometheus parser does.</li>
 *   <li>The optional timestamp is a signed 64-bit decimal integer of milliseconds.</li>
 *   <li>{@code # HELP} and {@code # TYPE} lines yield no samples. A {@code # TYPE} line without
 *       a metric name or type, with an invalid metric name, or with a type other than
 *       {@code counter}, {@code gauge}, {@code histogram}, {@code summary} or {@code untyped}
 *       (case-insensitive, as in the Prometheus parser) is a problem, and so is a
 *       {@code # HELP} line with an invalid metric name. The help text itself is not checked.
 *       Every other line starting with {@code #} is a comment.</li>
 *   <li>Lines end with {@code \n} or {@code \r\n}; blank lines and spaces, tabs or carriage
 *       returns at either end of a line are ignored.</li>
 * </ul>
 *
 * <p>Each unreadable line becomes one {@link ParseProblem} and parsing continues with the next
 * line, so a sample line yields exactly one sample or one problem. The parser is a single
 * forward cursor over the body: no regular expressions, no per-line substrings except for the
 * strings that end up in a sample or problem.
 *
 * <p>Not checked (the Prometheus server does check these): repeated or late {@code # HELP} /
 * {@code # TYPE} lines for one metric, samples that do not fit their declared type, the
 * reserved label name {@code __name__}, and the quoted-name syntax of newer format versions.
 *
 * <p>Thread-safe: the class is stateless, each call uses its own cursor.
 */
public final class TextFormatParser {

    /** Maximum length of {@link ParseProblem#text()}. */
    public static final int MAX_PROBLEM_TEXT = 200;

    private static final String[] METRIC_TYPES = {"counter", "gauge", "histogram", "summary", "untyped"};

    /** Integers of up to this many digits are exact in a double and skip {@link Double#parseDouble}. */
    private static final int MAX_FAST_PATH_DIGITS = 15;

    private TextFormatParser() {
    }

    /**
     * Parses one scrape body.
     *
     * @param body the response body of a {@code /metrics} scrape; {@code null} is treated as empty
     * @return the samples and the problems found; never {@code null}
     */
    public static ScrapeParseResult parse(String body) {
        if (body == null || body.isEmpty()) {
            return new ScrapeParseResult(List.of(), List.of());
        }
        return new Cursor(body).run();
    }

    /** Parsing state for one body. Methods return the next position, or -1 with {@link #error} set. */
    private static final class Cursor {
        private final String s;
        private final List<ScrapedSample> samples = new ArrayList<>();
        private final List<ParseProblem> problems = new ArrayList<>();
        /** Scratch label set, reused per line; {@link ScrapedSample} takes its own copy. */
        private final LinkedHashMap<String, String> labels = new LinkedHashMap<>();
        private StringBuilder unescaped;
        private String error;
        private String labelValue;
        private double value;
        private long timestamp;

        Cursor(String body) {
            this.s = body;
        }

        ScrapeParseResult run() {
            int length = s.length();
            int lineStart = 0;
            int lineNumber = 0;
            while (true) {
                lineNumber++;
                int newline = s.indexOf('\n', lineStart);
                int lineEnd = newline < 0 ? length : newline;
                parseLine(lineNumber, lineStart, lineEnd);
                if (newline < 0) {
                    break;
                }
                lineStart = newline + 1;
            }
            return new ScrapeParseResult(samples, problems);
        }

        private void parseLine(int lineNumber, int start, int end) {
            while (start < end && isSpace(s.charAt(start))) {
                start++;
            }
            while (end > start && isSpace(s.charAt(end - 1))) {
                end--;
            }
            if (start == end) {
                return;
            }
            error = null;
            if (s.charAt(start) == '#') {
                parseComment(start, end);
            } else {
                parseSample(start, end);
            }
            if (error != null) {
                int cut = Math.min(end, start + MAX_PROBLEM_TEXT);
                if (cut < end && Character.isHighSurrogate(s.charAt(cut - 1))) {
                    cut--; // do not split a surrogate pair
                }
                problems.add(new ParseProblem(lineNumber, error, s.substring(start, cut)));
            }
        }

        // ---- comments -------------------------------------------------------------------

        private void parseComment(int start, int end) {
            int p = skipBlanks(start + 1, end);
            int keywordStart = p;
            while (p < end && !isBlank(s.charAt(p))) {
                p++;
            }
            boolean help = isToken(keywordStart, p, "HELP");
            boolean type = !help && isToken(keywordStart, p, "TYPE");
            if (!help && !type) {
                return; // ordinary comment
            }
            String kind = help ? "# HELP" : "# TYPE";
            p = skipBlanks(p, end);
            if (p == end) {
                if (type) {
                    error = "missing metric name in # TYPE";
                }
                return;
            }
            int nameEnd = scanMetricName(p, end);
            if (nameEnd == p || (nameEnd < end && !isBlank(s.charAt(nameEnd)))) {
                error = "invalid metric name in " + kind;
                return;
            }
            if (help) {
                return; // the rest is free help text
            }
            p = skipBlanks(nameEnd, end);
            if (p == end) {
                error = "missing metric type in # TYPE";
                return;
            }
            for (String known : METRIC_TYPES) {
                if (end - p == known.length() && s.regionMatches(true, p, known, 0, known.length())) {
                    return;
                }
            }
            error = "unknown metric type in # TYPE";
        }

        private boolean isToken(int from, int to, String token) {
            return to - from == token.length() && s.startsWith(token, from);
        }

        // ---- samples --------------------------------------------------------------------

        private void parseSample(int start, int end) {
            int nameEnd = scanMetricName(start, end);
            if (nameEnd == start) {
                error = "invalid metric name";
                return;
            }
            if (nameEnd < end) {
                char c = s.charAt(nameEnd);
                if (c != '{' && !isBlank(c)) {
                    error = "invalid character in metric name";
                    return;
                }
            }
            labels.clear();
            int p = skipBlanks(nameEnd, end);
            if (p < end && s.charAt(p) == '{') {
                p = parseLabels(p + 1, end);
                if (p < 0) {
                    return;
                }
                p = skipBlanks(p, end);
            }

            int valueStart = p;
            p = skipToken(p, end);
            if (p == valueStart) {
                error = "missing value";
                return;
            }
            if (!parseValue(valueStart, p)) {
                return;
            }

            p = skipBlanks(p, end);
            OptionalLong ts = OptionalLong.empty();
            if (p < end) {
                int tsStart = p;
                p = skipToken(p, end);
                if (!parseTimestamp(tsStart, p)) {
                    return;
                }
                ts = OptionalLong.of(timestamp);
                if (skipBlanks(p, end) < end) {
                    error = "unexpected text after timestamp";
                    return;
                }
            }
            samples.add(new ScrapedSample(s.substring(start, nameEnd), labels, value, ts));
        }

        /** Parses the label set after '{' into {@link #labels}; returns the position after '}'. */
        private int parseLabels(int p, int end) {
            while (true) {
                p = skipBlanks(p, end);
                if (p >= end) {
                    return fail("unterminated label set");
                }
                char c = s.charAt(p);
                if (c == '}') {
                    return p + 1;
                }
                if (!isLabelNameStart(c)) {
                    return fail("invalid label name");
                }
                int nameStart = p++;
                while (p < end && isLabelNameChar(s.charAt(p))) {
                    p++;
                }
                int nameEnd = p;
                if (p < end && continuesLabelName(s.charAt(p))) {
                    return fail("invalid label name"); // e.g. a-b, a:b, a.b
                }
                p = skipBlanks(p, end);
                if (p >= end || s.charAt(p) != '=') {
                    return fail("expected '=' after label name");
                }
                p = skipBlanks(p + 1, end);
                if (p >= end || s.charAt(p) != '"') {
                    return fail("expected '\"' to open label value");
                }
                p = readLabelValue(p + 1, end);
                if (p < 0) {
                    return -1;
                }
                String name = s.substring(nameStart, nameEnd);
                if (labels.putIfAbsent(name, labelValue) != null) {
                    return fail("duplicate label name \"" + name + "\"");
                }
                p = skipBlanks(p, end);
                if (p >= end) {
                    return fail("unterminated label set");
                }
                c = s.charAt(p);
                if (c == ',') {
                    p++;
                } else if (c == '}') {
                    return p + 1;
                } else {
                    return fail("expected ',' or '}' after label value");
                }
            }
        }

        /** Reads a label value after its opening quote into {@link #labelValue}; returns the position after the closing quote. */
        private int readLabelValue(int p, int end) {
            int valueStart = p;
            while (p < end) { // fast path: no escapes
                char c = s.charAt(p);
                if (c == '"') {
                    labelValue = s.substring(valueStart, p);
                    return p + 1;
                }
                if (c == '\\') {
                    break;
                }
                p++;
            }
            if (p >= end) {
                return fail("unterminated label value");
            }
            StringBuilder b = unescaped == null ? (unescaped = new StringBuilder()) : unescaped;
            b.setLength(0);
            b.append(s, valueStart, p);
            while (p < end) {
                char c = s.charAt(p);
                if (c == '"') {
                    labelValue = b.toString();
                    return p + 1;
                }
                if (c != '\\') {
                    b.append(c);
                    p++;
                    continue;
                }
                if (p + 1 >= end) {
                    return fail("unterminated label value");
                }
                char escaped = s.charAt(p + 1);
                switch (escaped) {
                    case '\\' -> b.append('\\');
                    case '"' -> b.append('"');
                    case 'n' -> b.append('\n');
                    default -> {
                        return fail("unknown escape sequence \\" + escaped + " in label value");
                    }
                }
                p += 2;
            }
            return fail("unterminated label value");
        }

        /** Parses [from, to) as a Go float into {@link #value}. */
        private boolean parseValue(int from, int to) {
            int p = from;
            boolean negative = false;
            char c = s.charAt(p);
            if (c == '+' || c == '-') {
                negative = c == '-';
                p++;
            }
            if (p < to) {
                c = s.charAt(p);
                if (c == 'i' || c == 'I' || c == 'n' || c == 'N') {
                    return parseSpecialValue(from, p, to, negative);
                }
            }
            int digits = 0;
            long integer = 0;
            boolean plainInteger = true;
            while (p < to && isDigit(c = s.charAt(p))) {
                if (digits < MAX_FAST_PATH_DIGITS) {
                    integer = integer * 10 + (c - '0');
                }
                digits++;
                p++;
            }
            if (p < to && s.charAt(p) == '.') {
                plainInteger = false;
                p++;
                while (p < to && isDigit(s.charAt(p))) {
                    digits++;
                    p++;
                }
            }
            if (digits == 0) {
                error = "invalid value";
                return false;
            }
            if (p < to && (s.charAt(p) == 'e' || s.charAt(p) == 'E')) {
                plainInteger = false;
                p++;
                if (p < to && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
                    p++;
                }
                int exponentStart = p;
                while (p < to && isDigit(s.charAt(p))) {
                    p++;
                }
                if (p == exponentStart) {
                    error = "invalid value";
                    return false;
                }
            }
            if (p != to) {
                error = "invalid value";
                return false;
            }
            if (plainInteger && digits <= MAX_FAST_PATH_DIGITS) {
                value = negative ? -(double) integer : (double) integer;
                return true;
            }
            double parsed = Double.parseDouble(s.substring(from, to)); // syntax already checked
            if (Double.isInfinite(parsed)) {
                error = "value out of range";
                return false;
            }
            value = parsed;
            return true;
        }

        /** NaN (unsigned) or [+-]Inf / [+-]Infinity, case-insensitive, as Go's ParseFloat. */
        private boolean parseSpecialValue(int from, int p, int to, boolean negative) {
            int length = to - p;
            boolean signed = p > from;
            if (!signed && length == 3 && s.regionMatches(true, p, "nan", 0, 3)) {
                value = Double.NaN;
                return true;
            }
            if ((length == 3 && s.regionMatches(true, p, "inf", 0, 3))
                    || (length == 8 && s.regionMatches(true, p, "infinity", 0, 8))) {
                value = negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                return true;
            }
            error = "invalid value";
            return false;
        }

        /** Parses [from, to) as a signed decimal 64-bit integer into {@link #timestamp}. */
        private boolean parseTimestamp(int from, int to) {
            int p = from;
            boolean negative = false;
            char c = s.charAt(p);
            if (c == '+' || c == '-') {
                negative = c == '-';
                p++;
            }
            if (p == to) {
                error = "invalid timestamp";
                return false;
            }
            long accumulated = 0; // kept negative so Long.MIN_VALUE fits
            for (; p < to; p++) {
                c = s.charAt(p);
                if (!isDigit(c)) {
                    error = "invalid timestamp";
                    return false;
                }
                int digit = c - '0';
                if (accumulated < Long.MIN_VALUE / 10) {
                    error = "timestamp out of range";
                    return false;
                }
                accumulated *= 10;
                if (accumulated < Long.MIN_VALUE + digit) {
                    error = "timestamp out of range";
                    return false;
                }
                accumulated -= digit;
            }
            if (!negative) {
                if (accumulated == Long.MIN_VALUE) {
                    error = "timestamp out of range";
                    return false;
                }
                accumulated = -accumulated;
            }
            timestamp = accumulated;
            return true;
        }

        // ---- scanning helpers -----------------------------------------------------------

        /** Returns the end of the metric name starting at p, or p if there is none. */
        private int scanMetricName(int p, int end) {
            if (p >= end || !isMetricNameStart(s.charAt(p))) {
                return p;
            }
            p++;
            while (p < end && isMetricNameChar(s.charAt(p))) {
                p++;
            }
            return p;
        }

        private int skipBlanks(int p, int end) {
            while (p < end && isBlank(s.charAt(p))) {
                p++;
            }
            return p;
        }

        private int skipToken(int p, int end) {
            while (p < end && !isBlank(s.charAt(p))) {
                p++;
            }
            return p;
        }

        private int fail(String reason) {
            error = reason;
            return -1;
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isMetricNameStart(char c) {
        return isLetter(c) || c == '_' || c == ':';
    }

    private static boolean isMetricNameChar(char c) {
        return isMetricNameStart(c) || isDigit(c);
    }

    private static boolean isLabelNameStart(char c) {
        return isLetter(c) || c == '_';
    }

    private static boolean isLabelNameChar(char c) {
        return isLabelNameStart(c) || isDigit(c);
    }

    /** A character right after a label name that is neither a label-name character nor one that can follow a name. */
    private static boolean continuesLabelName(char c) {
        return c != '=' && c != ',' && c != '}' && c != '"' && !isBlank(c);
    }
}
