package dev.modelguardian.core.policy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A store that lives as long as the process: what one-shot commands and replay use. */
public final class InMemoryPolicyStateStore implements PolicyStateStore {

    private final Map<String, PolicyStatus> statuses = new ConcurrentHashMap<>();

    @Override
    public Map<String, PolicyStatus> load() {
        return Map.copyOf(statuses);
    }

    @Override
    public void save(Map<String, PolicyStatus> updated) {
        statuses.putAll(updated);
    }
}
