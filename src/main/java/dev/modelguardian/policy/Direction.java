package dev.modelguardian.policy;

/** Which side of its bound a signal's value must cross to breach. */
public enum Direction {
    /** Breach when the value is strictly above the bound. */
    ABOVE,
    /** Breach when the value is strictly below the bound. */
    BELOW
}
