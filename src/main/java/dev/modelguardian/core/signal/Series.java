package dev.modelguardian.core.signal;

import java.util.List;
import java.util.Map;

/** One series of a range query: its labels and its points, oldest first. */
public record Series(Map<String, String> labels, List<Point> points) {

    /** One value at one instant (epoch milliseconds). */
    public record Point(long epochMillis, double value) {
    }
}
