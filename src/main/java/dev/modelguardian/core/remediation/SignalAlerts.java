package dev.modelguardian.core.remediation;

/** Told when a signal of a target needs a human's attention on its own (e.g. its source keeps failing). */
public interface SignalAlerts {

    /** {@code note} says which signal, the numbers and why. */
    void signalAlert(TargetSpec target, String note);
}
