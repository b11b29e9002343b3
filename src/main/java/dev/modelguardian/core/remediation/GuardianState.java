package dev.modelguardian.core.remediation;

import java.time.Instant;
import java.util.Map;

import dev.modelguardian.core.policy.PolicyStatus;

/**
 * What the state store holds: every policy's status (so a long {@code for} survives a restart) and every target's
 * record.
 *
 * @param policies policy statuses by {@link dev.modelguardian.core.policy.Policy#key()}
 * @param targets  target records by target name
 */
public record GuardianState(Map<String, PolicyStatus> policies, Map<String, TargetRecord> targets) {

    public GuardianState {
        policies = Map.copyOf(policies);
        targets = Map.copyOf(targets);
    }

    public static GuardianState empty() {
        return new GuardianState(Map.of(), Map.of());
    }

    /** The record of {@code target}, or a fresh healthy one. */
    public TargetRecord target(String target, Instant now) {
        TargetRecord record = targets.get(target);
        return record != null ? record : TargetRecord.initial(now);
    }
}
