package dev.modelguardian.core.remediation;

import java.util.Locale;

import dev.modelguardian.core.policy.Bound;

/**
 * An absolute bound on one run metric of a candidate model version, written as in Neural Hive's own promotion
 * criteria: {@code "< 15"}, {@code ">= 0.75"}. The operator also says which way is better, which the regression check
 * needs: for {@code <} and {@code <=} lower is better, for {@code >} and {@code >=} higher is better.
 *
 * @param metric the run metric, e.g. {@code mae_percentage}
 * @param op     the comparison the candidate's value must satisfy
 * @param bound  the bound
 */
public record MetricRule(String metric, Op op, double bound) {

    /** A comparison operator. */
    public enum Op {
        LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        boolean holds(double value, double bound) {
            return switch (this) {
                case LT -> value < bound;
                case LE -> value <= bound;
                case GT -> value > bound;
                case GE -> value >= bound;
            };
        }

        /** True when a lower value is the better one. */
        public boolean lowerIsBetter() {
            return this == LT || this == LE;
        }
    }

    /**
     * Parses {@code "< 15"}, {@code "<=0.2"}, {@code ">= 0.75"}.
     *
     * @throws IllegalArgumentException saying what is wrong and what is expected
     */
    public static MetricRule parse(String metric, String text) {
        String t = text == null ? "" : text.strip();
        Op op = t.startsWith("<=") ? Op.LE : t.startsWith(">=") ? Op.GE : t.startsWith("<") ? Op.LT
                : t.startsWith(">") ? Op.GT : null;
        if (op == null) {
            throw new IllegalArgumentException("'" + text + "' has no comparison; write it as '< 15', '<= 15', "
                    + "'> 0.75' or '>= 0.75'");
        }
        String number = t.substring(op.symbol().length()).strip();
        try {
            double bound = Double.parseDouble(number);
            if (!Double.isFinite(bound)) {
                throw new NumberFormatException();
            }
            return new MetricRule(metric, op, bound);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no finite number after '" + op.symbol()
                    + "'; write it as e.g. '" + op.symbol() + " 15'");
        }
    }

    /** Whether {@code value} satisfies the rule (exactly at the bound: true for {@code <=} and {@code >=} only). */
    public boolean holds(double value) {
        return op.holds(value, bound);
    }

    /** {@code < 15}. */
    public String text() {
        return op.symbol() + " " + Bound.format(bound);
    }

    @Override
    public String toString() {
        return metric + " " + text().toLowerCase(Locale.ROOT);
    }
}
