package dev.modelguardian.integrations.prometheus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.modelguardian.core.signal.Series;

/**
 * Instant reads that differ only by the values of their label matchers, asked of Prometheus as one query.
 * {@code max(x{model="a",signal="s0"})} and {@code max(x{model="b",signal="s0"})} become
 * {@code max by (model, signal) (x{model=~"a|b",signal="s0"})}, and each read is answered by the series that carries
 * its own values: what it would have read alone. Five thousand signals generated from one template are a handful of
 * requests instead of five thousand.
 *
 * <p>Only what splits back exactly is batched: one selector with a metric name and equality matchers on non-empty
 * values, bare or inside one aggregation that partitions by its grouping labels ({@code sum}, {@code min},
 * {@code max}, {@code avg}, {@code count}, {@code group}, {@code stddev}, {@code stdvar}) with no {@code by} or
 * {@code without} of its own. Any other query (a function, a range, an offset, a regex matcher, an escape other than
 * {@code \\}, {@code \"} and {@code \'}) is read alone, as written. Pure: no I/O.
 */
final class PromQlBatches {

    /** Aggregations whose {@code by (labels)} form answers, for each value of the labels, the aggregation alone. */
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "count", "group", "stddev",
            "stdvar");
    /** Words PromQL reads as keywords, never as a metric name before {@code {}. */
    private static final Set<String> KEYWORDS = Set.of("sum", "min", "max", "avg", "count", "group", "stddev",
            "stdvar", "topk", "bottomk", "quantile", "count_values", "by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "atan2");
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

        List<String> values() {
            return List.copyOf(matchers.values());
        }
    }

    /** One read of a batch: its query and the values of the batch's labels it selects. */
    record Member(PromQlQuery query, List<String> values) {
    }

    /**
     * Several reads as one query.
     *
     * @param promql  the query that answers them all
     * @param labels  the labels whose values tell the members apart, in the order of {@link Member#values()}
     * @param members the reads it answers, at least two
     */
    record Batch(String promql, List<String> labels, List<Member> members) {

        /** The queries this batch answers. */
        List<PromQlQuery> queries() {
            return members.stream().map(Member::query).toList();
        }

        /**
         * Each member's values from the batch's answer: the values of the series whose labels carry the member's own;
         * none (as its own query would have answered) when no series does.
         */
        Map<PromQlQuery, double[]> answer(List<Series> series) {
            Map<List<String>, List<Double>> byValues = new HashMap<>();
            for (Series s : series) {
                List<String> key = new ArrayList<>(labels.size());
                for (String label : labels) {
                    key.add(s.labels().getOrDefault(label, ""));
                }
                List<Double> values = byValues.computeIfAbsent(key, k -> new ArrayList<>(1));
                s.points().forEach(p -> values.add(p.value()));
            }
            Map<PromQlQuery, double[]> answers = new HashMap<>();
            for (Member member : members) {
                answers.put(member.query(), byValues.getOrDefault(member.values(), List.of()).stream()
                        .mapToDouble(Double::doubleValue).toArray());
            }
            return answers;
        }
    }

    /**
     * The batches that answer {@code queries}: queries of the same shape together, in chunks whose query stays within
     * {@code maxLength} characters (a URL that proxies in front of Prometheus still accept). A query of no batchable
     * shape, or alone with its shape, is in no batch.
     */
    static List<Batch> plan(Collection<PromQlQuery> queries, int maxLength) {
        Map<String, List<Map.Entry<Selector, PromQlQuery>>> byShape = new LinkedHashMap<>();
        for (PromQlQuery query : queries) {
            parse(query.query()).ifPresent(selector -> byShape
                    .computeIfAbsent(selector.shape(), k -> new ArrayList<>()).add(Map.entry(selector, query)));
        }
        List<Batch> batches = new ArrayList<>();
        for (List<Map.Entry<Selector, PromQlQuery>> same : byShape.values()) {
            same.sort(Comparator.comparing(e -> String.join("\u0000", e.getKey().values())));
            Selector first = same.getFirst().getKey();
            List<String> labels = List.copyOf(first.matchers().keySet());
            int fixed = first.aggregation().length() + first.metric().length() + 16
                    + labels.stream().mapToInt(l -> 2 * l.length() + 8).sum();
            List<Member> chunk = new ArrayList<>();
            List<Set<String>> chunkValues = new ArrayList<>();
            int length = fixed;
            for (Map.Entry<Selector, PromQlQuery> e : same) {
                Member member = new Member(e.getValue(), e.getKey().values());
                if (!chunk.isEmpty() && length + added(member, chunkValues) > maxLength) {
                    addBatch(batches, first, labels, chunk);
                    chunk = new ArrayList<>();
                    chunkValues.clear();
                    length = fixed;
                }
                length += added(member, chunkValues);
                for (int i = 0; i < labels.size(); i++) {
                    if (chunkValues.size() == i) {
                        chunkValues.add(new HashSet<>());
                    }
                    chunkValues.get(i).add(member.values().get(i));
                }
                chunk.add(member);
            }
            addBatch(batches, first, labels, chunk);
        }
        return batches;
    }

    private static void addBatch(List<Batch> batches, Selector shape, List<String> labels, List<Member> chunk) {
        if (chunk.size() < 2) {
            return;
        }
        StringBuilder selector = new StringBuilder(shape.metric()).append('{');
        for (int i = 0; i < labels.size(); i++) {
            TreeSet<String> values = new TreeSet<>();
            for (Member member : chunk) {
                values.add(member.values().get(i));
            }
            selector.append(i == 0 ? "" : ",").append(labels.get(i));
            if (values.size() == 1) {
                selector.append('=').append(quote(values.first()));
            } else {
                selector.append("=~").append(quote(String.join("|", values.stream().map(PromQlBatches::regex)
                        .toList())));
            }
        }
        selector.append('}');
        String promql = shape.aggregation().isEmpty() ? selector.toString()
                : shape.aggregation() + " by (" + String.join(", ", labels) + ") (" + selector + ")";
        batches.add(new Batch(promql, labels, List.copyOf(chunk)));
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

    /** How much longer the batch's query grows with {@code member}: its values the chunk does not select yet. */
    private static int added(Member member, List<Set<String>> chunkValues) {
        int added = 0;
        for (int i = 0; i < member.values().size(); i++) {
            String value = member.values().get(i);
            if (i >= chunkValues.size() || !chunkValues.get(i).contains(value)) {
                added += quote(regex(value)).length() - 1; // its alternative and a '|', without the quotes
            }
        }
        return added;
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
            if (KEYWORDS.contains(metric) || !next('{')) {
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
                if (label == null || label.startsWith("__")) {
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

        /** A string literal: double or single quotes with the escapes {@code \\}, {@code \"}, {@code \'}; backticks raw. */
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
                    if (c != '\\' && c != '"' && c != '\'') {
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

        private void space() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
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
