package dev.modelguardian.testing;

import java.util.List;
import java.util.Map;

/**
 * JSON written the way MLflow's server writes it: Python's {@code json.dumps(obj, indent=2)} (two-space indent,
 * {@code "key": value}, {@code {}} and {@code []} for empty containers, non-ASCII escaped, no trailing newline). The
 * recorded Content-Length (433 for a get-by-alias answer) is that of this form, not of compact JSON.
 */
final class PyJson {

    private PyJson() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, int indent) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Double d) {
            out.append(number(d));
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(" ".repeat(indent + 2));
                string(out, String.valueOf(e.getKey()));
                out.append(": ");
                write(out, e.getValue(), indent + 2);
                out.append(++i < map.size() ? ",\n" : "\n");
            }
            out.append(" ".repeat(indent)).append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                out.append(" ".repeat(indent + 2));
                write(out, list.get(i), indent + 2);
                out.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            out.append(" ".repeat(indent)).append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass());
        }
    }

    /** Python's float repr for the values tests use (12.7, 0.81, 1.0); NaN as MLflow writes it. */
    private static String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return Double.toString(d).replace("E", "e");
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
