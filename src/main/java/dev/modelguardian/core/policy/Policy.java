package dev.modelguardian.core.policy;

import java.time.Duration;
import java.util.Optional;

import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.SignalQuery;

/**
 * One signal of one model, ready to evaluate: what to read, the bound, how long it must hold, how series reduce and
 * what no data means.
 */
public record Policy(String model, String signal, SignalQuery query, Bound bound, Duration forDuration, Reduce reduce,
        NoDataPolicy noData, String description, Optional<String> breakdown) {

    public Policy {
        breakdown = breakdown == null ? Optional.empty() : breakdown;
    }

    /** A policy whose signal is not split by a label. */
    public Policy(String model, String signal, SignalQuery query, Bound bound, Duration forDuration, Reduce reduce,
            NoDataPolicy noData, String description) {
        this(model, signal, query, bound, forDuration, reduce, noData, description, Optional.empty());
    }

    /** Stable identity of the policy, {@code model/signal}. */
    public String key() {
        return model + "/" + signal;
    }

    /** Bound and duration as one phrase, e.g. {@code > 20 for 1h (clear <= 18)}. */
    public String describeBound() {
        String text = bound.describe();
        if (!forDuration.isZero()) {
            int paren = text.indexOf(" (");
            String head = paren < 0 ? text : text.substring(0, paren);
            String tail = paren < 0 ? "" : text.substring(paren);
            text = head + " for " + Durations.format(forDuration) + tail;
        }
        return text;
    }
}
