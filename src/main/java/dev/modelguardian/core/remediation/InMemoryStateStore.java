package dev.modelguardian.core.remediation;

import java.util.HashMap;
import java.util.Map;

import dev.modelguardian.core.policy.PolicyStatus;

/** A {@link StateStore} in memory, for replay and tests; the same compare-and-set rules as the cluster store. */
public final class InMemoryStateStore implements StateStore {

    private GuardianState state = GuardianState.empty();

    @Override
    public synchronized GuardianState load() {
        return state;
    }

    @Override
    public synchronized boolean compareAndSet(String target, long expectedRevision, TargetRecord next) {
        TargetRecord stored = state.targets().get(target);
        long revision = stored == null ? 0 : stored.revision();
        if (revision != expectedRevision) {
            return false;
        }
        Map<String, TargetRecord> targets = new HashMap<>(state.targets());
        targets.put(target, next);
        state = new GuardianState(state.policies(), targets);
        return true;
    }

    @Override
    public synchronized void savePolicies(Map<String, PolicyStatus> statuses) {
        Map<String, PolicyStatus> policies = new HashMap<>(state.policies());
        policies.putAll(statuses);
        state = new GuardianState(policies, state.targets());
    }
}
