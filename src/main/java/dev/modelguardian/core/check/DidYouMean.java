package dev.modelguardian.core.check;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** "Did you mean": the closest of some names to a wrong one, for the messages of validation and doctor. */
public final class DidYouMean {

    private DidYouMean() {
    }

    /** The name closest to {@code wanted} by edit distance, for "did you mean"; empty when there is none. */
    public static Optional<String> closest(List<String> names, String wanted) {
        return names.stream().min(Comparator.comparingInt((String n) -> distance(n, wanted)).thenComparing(n -> n));
    }

    /** Levenshtein distance, for "did you mean". */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
