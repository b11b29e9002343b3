package dev.modelguardian.app.replay;

import java.util.Locale;

/**
 * A tiny SVG writer: elements with escaped attributes and text, nothing else. Attributes are given as name/value
 * pairs; numbers go through {@link #num(double)} so the output never depends on the default locale.
 */
final class Svg {

    private final StringBuilder out = new StringBuilder();

    Svg(double width, double height, String... attributes) {
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(num(width)).append(' ')
                .append(num(height)).append('"');
        attributes(attributes);
        out.append(">\n");
    }

    /** An element with no content, e.g. {@code line}. */
    Svg empty(String name, String... attributes) {
        out.append('<').append(name);
        attributes(attributes);
        out.append("/>\n");
        return this;
    }

    /** An element whose content is text (escaped), e.g. {@code text} or {@code title}. */
    Svg text(String name, String text, String... attributes) {
        out.append('<').append(name);
        attributes(attributes);
        out.append('>').append(Html.escape(text)).append("</").append(name).append(">\n");
        return this;
    }

    /** Opens an element that holds others ({@code g}); close it with {@link #close(String)}. */
    Svg open(String name, String... attributes) {
        out.append('<').append(name);
        attributes(attributes);
        out.append(">\n");
        return this;
    }

    Svg close(String name) {
        out.append("</").append(name).append(">\n");
        return this;
    }

    /** The finished {@code <svg>} element. */
    String end() {
        return out + "</svg>\n";
    }

    private void attributes(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name/value pairs");
        }
        for (int i = 0; i < pairs.length; i += 2) {
            out.append(' ').append(pairs[i]).append("=\"").append(Html.escape(pairs[i + 1])).append('"');
        }
    }

    /** A coordinate: at most two decimals, a dot as separator. */
    static String num(double value) {
        String text = String.format(Locale.ROOT, "%.2f", value);
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }
}
