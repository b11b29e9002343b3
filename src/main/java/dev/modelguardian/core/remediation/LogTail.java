package dev.modelguardian.core.remediation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The last lines a training run printed, read once when the run failed, timed out or got stuck, and kept with its
 * remediation (in the state, then the history) so that whoever is paged sees why training failed without opening a
 * terminal; or, when they could not be read, why not. Never a reason for a remediation to fail.
 *
 * @param source      where the lines come from, e.g. {@code pod ml-retrain-emergency-1-x7k2p container train}
 * @param lines       the last lines, oldest first, without line ends; empty when unavailable
 * @param truncated   whether earlier output was left out to keep within the {@link Limits}
 * @param unavailable why no line could be read (the Role lacks {@code pods/log}, the pod is gone, the container has
 *                    not started); empty when the lines were read
 */
public record LogTail(String source, List<String> lines, boolean truncated, Optional<String> unavailable) {

    public LogTail {
        lines = lines == null ? List.of() : List.copyOf(lines);
        unavailable = unavailable == null ? Optional.empty() : unavailable;
    }

    /** The lines read from {@code source}. */
    public static LogTail of(String source, List<String> lines, boolean truncated) {
        return new LogTail(source, lines, truncated, Optional.empty());
    }

    /** No line could be read from {@code source}, because of {@code why}. */
    public static LogTail unavailable(String source, String why) {
        return new LogTail(source, List.of(), false, Optional.of(why));
    }

    /**
     * What is kept of a log: at most {@code lines} lines and {@code bytes} bytes (UTF-8), the newest.
     *
     * @param lines the most lines kept; 0 keeps none and reads no log
     * @param bytes the most bytes kept
     */
    public record Limits(int lines, int bytes) {

        /** 40 lines, 8 KiB: enough for a stack trace's top, small enough for the state and a Slack message. */
        public static final Limits DEFAULT = new Limits(40, 8 * 1024);

        /** Whether no log is read at all. */
        public boolean off() {
            return lines == 0 || bytes == 0;
        }

        /**
         * The tail of {@code log} within these limits, read to its end with at most {@code bytes} (plus one chunk) in
         * memory whatever its size. A line cut by the byte limit is dropped whole; undecodable bytes become U+FFFD.
         *
         * @throws IOException when the stream fails
         */
        public LogTail read(String source, InputStream log) throws IOException {
            byte[] ring = new byte[bytes];
            long total = 0;
            byte[] chunk = new byte[8192];
            for (int n = log.read(chunk); n >= 0; n = log.read(chunk)) {
                for (int i = Math.max(0, n - bytes); i < n; i++) {
                    ring[(int) ((total + i) % bytes)] = chunk[i];
                }
                total += n;
            }
            int kept = (int) Math.min(total, bytes);
            byte[] tail = new byte[kept];
            for (int i = 0; i < kept; i++) {
                tail[i] = ring[(int) ((total - kept + i) % bytes)];
            }
            return cut(source, new String(tail, StandardCharsets.UTF_8), total > bytes);
        }

        /** The tail of {@code text} within these limits. */
        public LogTail tail(String source, String text) {
            byte[] all = text.getBytes(StandardCharsets.UTF_8);
            boolean over = all.length > bytes;
            String kept = over ? new String(Arrays.copyOfRange(all, all.length - bytes, all.length),
                    StandardCharsets.UTF_8) : text;
            return cut(source, kept, over);
        }

        private LogTail cut(String source, String text, boolean cutAtStart) {
            List<String> all = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
            if (!all.isEmpty() && all.getLast().isEmpty()) {
                all.removeLast();
            }
            boolean truncated = cutAtStart;
            if (cutAtStart && all.size() > 1) {
                // The oldest line kept was cut by the byte limit: drop it whole, unless it is the only one.
                all.removeFirst();
            }
            if (all.size() > lines) {
                all = all.subList(all.size() - lines, all.size());
                truncated = true;
            }
            return LogTail.of(source, all, truncated);
        }
    }

    /** A heading for people, e.g. {@code last 40 lines of pod x container train} or {@code no log of pod x: ...}. */
    public String heading() {
        return unavailable.map(why -> "no log of " + source + ": " + why)
                .orElseGet(() -> lines.isEmpty() ? source + " printed nothing"
                        : (truncated ? "last " : "") + lines.size() + (lines.size() == 1 ? " line" : " lines")
                                + " of " + source);
    }

    /**
     * The newest lines whose UTF-8 size, each with its line end, is at most {@code maxBytes}, oldest first: what fits
     * in a message with a size limit (an Event's note, a Slack block). A single line longer than the limit keeps its
     * end.
     */
    public List<String> lastFitting(int maxBytes) {
        List<String> kept = new ArrayList<>();
        int used = 0;
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            int size = line.getBytes(StandardCharsets.UTF_8).length + 1;
            if (used + size > maxBytes) {
                if (kept.isEmpty() && maxBytes > 4) {
                    kept.add("…" + endOf(line, maxBytes - 4));
                }
                break;
            }
            kept.addFirst(line);
            used += size;
        }
        return kept;
    }

    private static String endOf(String line, int maxBytes) {
        int from = line.length();
        int used = 0;
        while (from > 0) {
            int cp = line.codePointBefore(from);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > maxBytes) {
                break;
            }
            used += size;
            from -= Character.charCount(cp);
        }
        return line.substring(from);
    }
}
