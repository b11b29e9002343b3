package dev.modelguardian.core.remediation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What validation decided, with every number it used: kept in the remediation state and its history entry.
 *
 * @param at     when it was decided
 * @param passed whether every model passed
 * @param models one verdict per trained model
 */
public record Verdict(Instant at, boolean passed, List<ModelVerdict> models) {

    public Verdict {
        models = List.copyOf(models);
    }

    /** One line: each model's verdict, e.g. {@code ticket-duration-predictor v8 passed (mae_percentage 12.1 < 15)}. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        for (ModelVerdict m : models) {
            text.append(text.isEmpty() ? "" : "; ").append(m.summary());
        }
        return text.toString();
    }

    /**
     * @param model     the model
     * @param candidate the version validated, if one was found
     * @param source    where the candidate came from (registered since the Job started, or promoted by the Job)
     * @param passed    whether it passed every check
     * @param checks    each rule with the value it saw
     * @param problem   why there is no verdict on metrics (no candidate, registration failed, ...)
     */
    public record ModelVerdict(String model, Optional<String> candidate, String source, boolean passed,
            List<Check> checks, Optional<String> problem) {

        public ModelVerdict {
            checks = List.copyOf(checks);
        }

        public String summary() {
            String what = model + candidate.map(v -> " v" + v).orElse("");
            if (problem.isPresent()) {
                return what + " failed: " + problem.get();
            }
            StringBuilder text = new StringBuilder(what).append(passed ? " passed" : " failed");
            if (!checks.isEmpty()) {
                text.append(" (");
                for (int i = 0; i < checks.size(); i++) {
                    text.append(i == 0 ? "" : ", ").append(checks.get(i).detail());
                }
                text.append(')');
            }
            return text.toString();
        }
    }

    /**
     * One rule applied to one metric.
     *
     * @param metric   the run metric
     * @param rule     the rule, e.g. {@code < 15} or {@code regression <= 5% vs v7 (12.0)}
     * @param value    the candidate's value; empty when the run did not log the metric
     * @param baseline the serving version's value, for a regression check
     * @param passed   whether the rule holds
     * @param detail   the check in words, with the numbers
     */
    public record Check(String metric, String rule, Optional<Double> value, Optional<Double> baseline, boolean passed,
            String detail) {
    }
}
