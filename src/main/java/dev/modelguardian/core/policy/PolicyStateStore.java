package dev.modelguardian.core.policy;

import java.util.Map;

/**
 * Where policy statuses survive between evaluations (and, in the cluster, across restarts), keyed by
 * {@link Policy#key()}. A policy with no stored status is backfilled from its source's history.
 */
public interface PolicyStateStore {

    Map<String, PolicyStatus> load();

    void save(Map<String, PolicyStatus> statuses);
}
