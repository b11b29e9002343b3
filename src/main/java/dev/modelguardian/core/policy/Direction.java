package dev.modelguardian.core.policy;

import dev.modelguardian.core.signal.Reduce;

/** Which side of its bound a signal's value must cross to breach. */
public enum Direction {
    /** Breach when the value is strictly above the bound. */
    ABOVE,
    /** Breach when the value is strictly below the bound. */
    BELOW;

    /** The natural reduction over a signal's series for this direction: the worst series decides. */
    public Reduce defaultReduce() {
        return switch (this) {
            case ABOVE -> Reduce.MAX;
            case BELOW -> Reduce.MIN;
        };
    }
}
