package dev.modelguardian.integrations.prometheus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.modelguardian.core.signal.Series;

/**
 * Reads (at an instant, or over one range) that differ only by the values of their label matchers, asked of
 * Prometheus as one query.
 * {@code max(x{model="a",signal="s0"})} and {@code max(x{model="b",signal="s0"})} become
 * {@code max by (model) (x{model=~"a|b",signal="s0"})}, and each read is answered by the series that carries its own
 * value: what it would have read alone. One label varies within a batch, so a batch selects exactly its reads'
 * series. Five thousand signals generated from one template are a handful of
 * requests instead of five thousand.
 *
 * <p>Only what splits back exactly is batched: one selector with a metric name and equality matchers on non-empty
 * values, bare or inside one aggregation that partitions by its grouping labels ({@code sum}, {@code min},
 * {@code max}, {@code avg}, {@code count}, {@code group}, {@code stddev}, {@code stdvar}) with no {@code by} or
 * {@code without} of its own, no label or metric name that is a PromQL keyword. Any other query (a function, a range,
 * an offset, a regex matcher, an empty value, a label starting with {@code __}, a control character, an escape other
 * than a backslash or the string's own quote) is read alone, as written. Pure: no I/O.
 */
final class PromQlBatches {

    /** Aggregations whose {@code by (labels)} form answers, for each value of the labels, the aggregation alone. */
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "count", "group", "stddev",
            "stdvar");
    /**
     * Words some PromQL version reads as keywords or numbers (in any case): never batched as a metric name, nor as a
     * label, which a batch names in {@code by (...)}, where older versions refuse some of them.
     */
    private static final Set<String> KEYWORDS = Set.of("sum", "min", "max", "avg", "count", "group", "stddev",
            "stdvar", "topk", "bottomk", "limitk", "limit_ratio", "quantile", "count_values", "by", "without", "on",
            "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "atan2", "start", "end",
            "step", "anchored", "smoothed", "inf", "nan");
    /** Characters RE2 reads as operators: escaped so that a label value matches only itself. */
    private static final String REGEX_OPERATORS = "\\.+*?()|[]{}^$";

    private PromQlBatches() {
    }

    /**
     * A query of the one shape that batches: {@code aggregation} empty for a bare selector; {@code matchers} by label
     * name, at least one.
     */
    record Selector(String aggregation, String metric, SortedMap<String, String> matchers) {

        /** Queries with the same shape differ only by their labels' values. */
        String shape() {
            return aggregation + " " + metric + " " + matchers.keySet();
        }
    }

    /** One read of a batch: its query and the value of the batch's label it selects. */
    record Member(PromQlQuery query, String value) {
    }

    /**
     * Several reads as one query.
     *
     * @param promql  the query that answers them all
     * @param metric  the metric its reads select
     * @param label   the one label whose values tell the members apart (the others are the same for all)
     * @param members the reads it answers, at least two
     */
    record Batch(String promql, String metric, String label, List<Member> members) {

        /** The queries this batch answers. */
        List<PromQlQuery> queries() {
            return members.stream().map(Member::query).toList();
        }

        /**
         * Each member's values from the batch's answer: the values of the series whose label carries the member's
         * value; none (as its own query would have answered) when no series does.
         */
        Map<PromQlQuery, double[]> answer(List<Series> series) {
            Map<PromQlQuery, double[]> answers = new HashMap<>();
            split(series).forEach((query, own) -> answers.put(query, own.stream()
                    .flatMap(one -> one.points().stream()).mapToDouble(Series.Point::value).toArray()));
            return answers;
        }

        /**
         * Each member's series from the batch's answer (an instant or a range query): those whose label carries the
         * member's value; none (as its own query would have answered) when no series does.
         */
        Map<PromQlQuery, List<Series>> split(List<Series> series) {
            Map<String, List<Series>> byValue = new HashMap<>();
            for (Series s : series) {
                String value = s.labels().get(label);
                if (value != null) {
                    byValue.computeIfAbsent(value, k -> new ArrayList<>(1)).add(s);
                }
            }
            Map<PromQlQuery, List<Series>> answers = new HashMap<>();
            for (Member member : members) {
                answers.put(member.query(), List.copyOf(byValue.getOrDefault(member.value(), List.of())));
            }
            return answers;
        }
    }

    /**
     * The batches that answer {@code queries}. Queries of the same shape are grouped by the values of all their labels
     * but one (so a batch selects exactly its members' series, never the cross-product of two labels' values): first
     * letting the label with the most distinct values vary, then, among the queries still alone, the next, and so on.
     * Each group is chunked so that each batch's query, URL-encoded, stays within {@code maxEncodedLength} characters
     * (a request line that proxies in front of Prometheus still accept). A query of no batchable shape, or alone in
     * its group whichever label varies, is in no batch.
     */
    static List<Batch> plan(Collection<PromQlQuery> queries, int maxEncodedLength) {
        return plan(queries, maxEncodedLength, Integer.MAX_VALUE);
    }

    /**
     * The batches that answer {@code queries} as {@link #plan(Collection, int)} plans them, each also selecting at most
     * {@code maxValues} values of its label (a range batch's answer grows with its values times its steps).
     */
    static List<Batch> plan(Collection<PromQlQuery> queries, int maxEncodedLength, int maxValues) {
        Map<String, List<Map.Entry<Selector, PromQlQuery>>> byShape = new LinkedHashMap<>();
        for (PromQlQuery query : queries) {
            parse(query.query()).ifPresent(selector -> byShape
                    .computeIfAbsent(selector.shape(), k -> new ArrayList<>()).add(Map.entry(selector, query)));
        }
        List<Batch> batches = new ArrayList<>();
        for (List<Map.Entry<Selector, PromQlQuery>> same : byShape.values()) {
            List<Map.Entry<Selector, PromQlQuery>> alone = same;
            for (String label : byDistinctValues(same)) {
                if (alone.size() < 2) {
                    break;
                }
                Map<Map<String, String>, List<Map.Entry<Selector, PromQlQuery>>> byRest = new LinkedHashMap<>();
                for (Map.Entry<Selector, PromQlQuery> e : alone) {
                    Map<String, String> rest = new TreeMap<>(e.getKey().matchers());
                    rest.remove(label);
                    byRest.computeIfAbsent(rest, k -> new ArrayList<>()).add(e);
                }
                alone = new ArrayList<>();
                for (List<Map.Entry<Selector, PromQlQuery>> group : byRest.values()) {
                    if (group.size() < 2) {
                        alone.addAll(group);
                    } else {
                        alone.addAll(chunk(group, label, maxEncodedLength, maxValues, batches));
                    }
                }
            }
        }
        return batches;
    }

    /** The labels of queries of one shape, most distinct values first; in name order on a tie. */
    private static List<String> byDistinctValues(List<Map.Entry<Selector, PromQlQuery>> same) {
        Map<String, Long> distinct = new LinkedHashMap<>();
        for (String label : same.getFirst().getKey().matchers().keySet()) {
            distinct.put(label, same.stream().map(e -> e.getKey().matchers().get(label)).distinct().count());
        }
        return distinct.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * Queries that differ only by {@code label}'s value as batches, in value order, each within the length and the
     * number of values; what is left alone in a chunk of its own (a last one, or one too long for any batch) is
     * returned.
     */
    private static List<Map.Entry<Selector, PromQlQuery>> chunk(List<Map.Entry<Selector, PromQlQuery>> group,
            String label, int maxEncodedLength, int maxValues, List<Batch> batches) {
        group.sort(Comparator.comparing(e -> e.getKey().matchers().get(label)));
        Selector shape = group.getFirst().getKey();
        int fixed = encodedLength(promql(shape, label, List.of()));
        List<Map.Entry<Selector, PromQlQuery>> alone = new ArrayList<>();
        List<Map.Entry<Selector, PromQlQuery>> chunk = new ArrayList<>();
        Set<String> values = new HashSet<>();
        int length = fixed;
        for (Map.Entry<Selector, PromQlQuery> e : group) {
            String value = e.getKey().matchers().get(label);
            // Nothing when the chunk selects its value already (the same selector written twice).
            boolean newValue = !values.contains(value);
            int added = newValue ? alternativeLength(value) : 0;
            boolean full = length + added > maxEncodedLength || newValue && values.size() >= maxValues;
            if (!chunk.isEmpty() && full) {
                addBatch(batches, shape, label, chunk, alone);
                chunk = new ArrayList<>();
                values.clear();
                length = fixed;
                added = alternativeLength(value);
            }
            chunk.add(e);
            values.add(value);
            length += added;
        }
        addBatch(batches, shape, label, chunk, alone);
        return alone;
    }

    /** {@code chunk} as a batch when it holds two reads or more, else into {@code alone}. */
    private static void addBatch(List<Batch> batches, Selector shape, String label,
            List<Map.Entry<Selector, PromQlQuery>> chunk, List<Map.Entry<Selector, PromQlQuery>> alone) {
        if (chunk.size() < 2) {
            alone.addAll(chunk);
            return;
        }
        List<Member> members = chunk.stream().map(e -> new Member(e.getValue(), e.getKey().matchers().get(label)))
                .toList();
        batches.add(new Batch(promql(shape, label, members.stream().map(Member::value).distinct().toList()),
                shape.metric(), label, members));
    }

    /** {@code shape}'s query with {@code label} matching any of {@code values}, aggregated by it. */
    private static String promql(Selector shape, String label, List<String> values) {
        StringBuilder selector = new StringBuilder(shape.metric()).append('{');
        shape.matchers().forEach((name, value) -> {
            selector.append(selector.charAt(selector.length() - 1) == '{' ? "" : ",").append(name);
            if (!name.equals(label)) {
                selector.append('=').append(quote(value));
            } else if (values.size() == 1) {
                selector.append('=').append(quote(values.getFirst()));
            } else {
                selector.append("=~").append(quote(String.join("|", values.stream().map(PromQlBatches::regex)
                        .toList())));
            }
        });
        selector.append('}');
        return shape.aggregation().isEmpty() ? selector.toString()
                : shape.aggregation() + " by (" + label + ") (" + selector + ")";
    }

    /** How much {@code value} adds to a batch's regex, encoded: its alternative, quoted as in the query, and a '|'. */
    private static int alternativeLength(String value) {
        return encodedLength(quote(regex(value))) - 6 + 3;
    }

    /**
     * How long {@code text} is as a URL query parameter's value, counted as a client that percent-encodes everything
     * but the unreserved characters would send it: one character each for letters, digits and {@code -._~}, three
     * for each other byte of its UTF-8.
     */
    static int encodedLength(String text) {
        int length = 0;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean unreserved = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~';
            length += unreserved ? 1 : 3;
        }
        return length;
    }

    /** The value as an RE2 expression that matches exactly it. */
    static String regex(String value) {
        StringBuilder out = new StringBuilder(value.length() + 4);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (REGEX_OPERATORS.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** A PromQL double-quoted string literal of {@code text}. */
    static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static boolean isKeyword(String name) {
        return KEYWORDS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** {@code promql} when it is of the one shape that batches (see the class), else empty. */
    static Optional<Selector> parse(String promql) {
        return Optional.ofNullable(new Parser(promql).query());
    }

    /** A reader of exactly the batchable shape; {@code null} for anything else. */
    private static final class Parser {

        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        Selector query() {
            space();
            String name = identifier(true);
            if (name == null) {
                return null;
            }
            space();
            String aggregation = "";
            String metric = name;
            if (AGGREGATIONS.contains(name) && next('(')) {
                aggregation = name;
                space();
                metric = identifier(true);
                if (metric == null) {
                    return null;
                }
                space();
            }
            if (isKeyword(metric) || !next('{')) {
                return null;
            }
            SortedMap<String, String> matchers = matchers();
            if (matchers == null) {
                return null;
            }
            space();
            if (!aggregation.isEmpty()) {
                if (!next(')')) {
                    return null;
                }
                space();
            }
            return at == text.length() ? new Selector(aggregation, metric, matchers) : null;
        }

        /** After {@code {}: equality matchers to the closing brace, at least one, each label once. */
        private SortedMap<String, String> matchers() {
            SortedMap<String, String> matchers = new TreeMap<>();
            while (true) {
                space();
                if (next('}')) {
                    return matchers.isEmpty() ? null : matchers;
                }
                String label = identifier(false);
                if (label == null || label.startsWith("__") || isKeyword(label)) {
                    return null;
                }
                space();
                if (!next('=') || peek() == '~') {
                    return null;
                }
                space();
                String value = string();
                if (value == null || value.isEmpty() || matchers.put(label, value) != null) {
                    return null;
                }
                space();
                if (!next(',') && peek() != '}') {
                    return null;
                }
            }
        }

        /** A string literal: double or single quotes escaping only a backslash and themselves; backticks raw. */
        private String string() {
            char quote = peek();
            if (quote != '"' && quote != '\'' && quote != '`') {
                return null;
            }
            at++;
            StringBuilder value = new StringBuilder();
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == quote) {
                    return value.toString();
                }
                if (c < 0x20) {
                    return null;
                }
                if (c == '\\' && quote != '`') {
                    if (at == text.length()) {
                        return null;
                    }
                    c = text.charAt(at++);
                    if (c != '\\' && c != quote) { // PromQL refuses any other escape of these two
                        return null;
                    }
                }
                value.append(c);
            }
            return null;
        }

        /** A metric name ({@code colons}: letters, digits, {@code _} and {@code :}) or a label name. */
        private String identifier(boolean colons) {
            int start = at;
            while (at < text.length()) {
                char c = text.charAt(at);
                boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || colons && c == ':';
                if (!letter && !(at > start && c >= '0' && c <= '9')) {
                    break;
                }
                at++;
            }
            return at == start ? null : text.substring(start, at);
        }

        /** PromQL's white space: space, tab, newline, carriage return (no other). */
        private void space() {
            while (at < text.length() && " \t\n\r".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        private boolean next(char c) {
            if (peek() == c) {
                at++;
                return true;
            }
            return false;
        }

        private char peek() {
            return at < text.length() ? text.charAt(at) : 0;
        }
    }
}
