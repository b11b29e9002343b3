package dev.modelguardian.core.signal;

import java.util.function.DoubleBinaryOperator;

/** How the values of several series returned for one signal reduce to the one value compared with the bound. */
public enum Reduce {
    MAX(Math::max),
    MIN(Math::min),
    AVG(Double::sum),
    SUM(Double::sum);

    private final DoubleBinaryOperator op;

    Reduce(DoubleBinaryOperator op) {
        this.op = op;
    }

    /**
     * Reduces the values; NaN series are skipped, so the result is NaN only when every value is NaN (or there is none).
     * Infinite values are kept: the evaluator treats an infinite result as inconclusive.
     */
    public double apply(double[] values) {
        double acc = Double.NaN;
        int finite = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                continue;
            }
            acc = finite == 0 ? v : op.applyAsDouble(acc, v);
            finite++;
        }
        return this == AVG && finite > 0 ? acc / finite : acc;
    }
}
