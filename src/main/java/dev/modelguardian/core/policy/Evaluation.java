package dev.modelguardian.core.policy;

import java.time.Duration;

/** The outcome of evaluating one policy in a cycle, and how long reading its signal took. */
public record Evaluation(Policy policy, PolicyStatus status, Duration took) {
}
