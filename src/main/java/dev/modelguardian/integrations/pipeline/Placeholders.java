package dev.modelguardian.integrations.pipeline;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The {@code {name}} placeholders of a pipeline request: replaced URL-encoded in a URL, and inside the strings of a
 * JSON body (so a value is always JSON-escaped and can never change the body's shape). Double braces, as in Argo's or
 * GitHub's own {@code {{ ... }}} expressions, are left alone.
 */
final class Placeholders {

    /** The run's name, as the remediation persisted it before starting the run. */
    static final String RUN = "run";
    /** The service's id of the run: the status URL's. */
    static final String RUN_ID = "run-id";
    /** What a start request may contain. */
    static final List<String> START = List.of(RUN, "remediation-id", "target", "models", "trigger");
    /** What the status URL may contain: a run is observed without knowing why it was started. */
    static final List<String> STATUS = List.of(RUN, RUN_ID, "target", "models");
    /** What the runs URL may contain. */
    static final List<String> RUNS = List.of("target", "models");

    private static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\{)\\{([A-Za-z][A-Za-z0-9_.-]*)}(?!})");

    private Placeholders() {
    }

    /** The placeholders of {@code text} that are not among {@code allowed}, in order of appearance. */
    static List<String> unknown(String text, Collection<String> allowed) {
        return PLACEHOLDER.matcher(text).results().map(r -> r.group(1)).filter(p -> !allowed.contains(p)).distinct()
                .toList();
    }

    /** Whether {@code text} contains the placeholder {@code name}. */
    static boolean contains(String text, String name) {
        return PLACEHOLDER.matcher(text).results().anyMatch(r -> r.group(1).equals(name));
    }

    /** {@code url} with each placeholder replaced by its value, URL-encoded (a {@code /} too). */
    static String url(String url, Map<String, String> values) {
        return replace(url, values, true);
    }

    /** A copy of {@code body} with the placeholders in its strings (not its field names) replaced. */
    static JsonNode body(JsonNode body, Map<String, String> values) {
        if (body.isTextual()) {
            return TextNode.valueOf(replace(body.textValue(), values, false));
        }
        if (body.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            body.forEach(element -> out.add(body(element, values)));
            return out;
        }
        if (body.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.set(field.getKey(), body(field.getValue(), values));
            }
            return out;
        }
        return body;
    }

    private static String replace(String text, Map<String, String> values, boolean encode) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            String replacement = value == null ? m.group()
                    : encode ? URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20") : value;
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
