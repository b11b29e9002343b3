package dev.modelguardian.core.policy;

import java.util.OptionalDouble;

/**
 * A trigger bound with an optional clear bound (hysteresis).
 *
 * <p>A value breaches when it is strictly beyond {@code trigger} (so a value exactly at the bound is healthy, matching
 * the runbook's "PSI &gt; 0.25"). Once firing, the signal clears only when the value is at or inside {@code clear};
 * without a clear bound, when it no longer breaches.
 */
public record Bound(Direction direction, double trigger, OptionalDouble clear) {

    public static Bound above(double trigger) {
        return new Bound(Direction.ABOVE, trigger, OptionalDouble.empty());
    }

    public static Bound below(double trigger) {
        return new Bound(Direction.BELOW, trigger, OptionalDouble.empty());
    }

    public Bound withClear(double clearBound) {
        return new Bound(direction, trigger, OptionalDouble.of(clearBound));
    }

    /** True when {@code value} is strictly beyond the trigger bound. */
    public boolean breached(double value) {
        return switch (direction) {
            case ABOVE -> value > trigger;
            case BELOW -> value < trigger;
        };
    }

    /** True when a firing signal with this value may return to healthy; never for NaN. */
    public boolean cleared(double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (clear.isEmpty()) {
            return !breached(value);
        }
        double c = clear.getAsDouble();
        return switch (direction) {
            case ABOVE -> value <= c;
            case BELOW -> value >= c;
        };
    }

    /** Short human form, e.g. {@code > 20 (clear <= 18)}. */
    public String describe() {
        String op = direction == Direction.ABOVE ? ">" : "<";
        String text = op + " " + format(trigger);
        if (clear.isPresent()) {
            text += " (clear " + (direction == Direction.ABOVE ? "<=" : ">=") + " " + format(clear.getAsDouble()) + ")";
        }
        return text;
    }

    /** Formats a value the way people write it: at most 6 significant digits, no trailing zeros. */
    public static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
