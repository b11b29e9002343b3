package dev.modelguardian.app.page;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The windows a target's charts can show, as {@code ?window=} names them. */
public enum ChartWindow {
    ONE_HOUR("1h", Duration.ofHours(1)),
    SIX_HOURS("6h", Duration.ofHours(6)),
    ONE_DAY("24h", Duration.ofHours(24)),
    SEVEN_DAYS("7d", Duration.ofDays(7));

    /** The window a target's page opens with. */
    public static final ChartWindow DEFAULT = SIX_HOURS;

    private final String label;
    private final Duration length;

    ChartWindow(String label, Duration length) {
        this.label = label;
        this.length = length;
    }

    public String label() {
        return label;
    }

    public Duration length() {
        return length;
    }

    /** The window named {@code label} ({@code 1h}, {@code 6h}, {@code 24h}, {@code 7d}); empty for any other. */
    public static Optional<ChartWindow> parse(String label) {
        return Arrays.stream(values()).filter(w -> w.label.equals(label)).findFirst();
    }

    /** The accepted names, for an error message: {@code 1h, 6h, 24h, 7d}. */
    public static String labels() {
        return Arrays.stream(values()).map(ChartWindow::label).collect(Collectors.joining(", "));
    }
}
