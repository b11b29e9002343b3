package dev.modelguardian.core.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetState;

/**
 * Incident keys (PagerDuty's {@code dedup_key}) derived from what the state ConfigMap persists, so that a restarted
 * guardian, or another replica, names the same incident with the same key without storing anything more:
 * {@code model-guardian/<namespace>/<target>/<remediation id>} for a remediation (its failure and its rollback are
 * one incident), {@code model-guardian/<namespace>/<target>/inconclusive} for signals inconclusive too long (at most
 * one such incident is open per target; PagerDuty opens a new incident for a key triggered again after its resolve),
 * and
 * {@code model-guardian/<namespace>/<target>/since-<epoch seconds>} for a milestone outside any remediation. At most
 * 255 characters: a longer key is shortened to a SHA-256 digest of itself.
 */
public final class IncidentKeys {

    static final int MAX = 255;
    /** How far back a recovery looks for failed remediations whose incidents it resolves. */
    static final int RESOLVE_LOOKBACK = 10;

    private IncidentKeys() {
    }

    /** The incident of a remediation. */
    public static String remediation(String namespace, String target, String remediationId) {
        return fit("model-guardian/" + namespace + "/" + target + "/" + remediationId);
    }

    /**
     * The incident of a target's signals inconclusive too long. Constant per target: a target that is never
     * persisted (inconclusive from the start) has no persisted time to derive anything else from.
     */
    public static String inconclusive(String namespace, String target) {
        return fit("model-guardian/" + namespace + "/" + target + "/inconclusive");
    }

    /** The incident a step's milestone belongs to. */
    public static String of(String namespace, String target, TargetRecord before, TargetRecord after) {
        Optional<String> id = after.current().remediationId().or(() -> before.current().remediationId())
                .or(() -> Milestone.ended(before, after).map(HistoryEntry::id));
        if (id.isPresent()) {
            return remediation(namespace, target, id.get());
        }
        return fit("model-guardian/" + namespace + "/" + target + "/since-" + after.current().since().getEpochSecond());
    }

    /**
     * The incidents a recovery ends: the remediation under way before the step, the one that ended in it, and every
     * failed remediation since the last good one (a rollback waits for a later good training).
     */
    public static List<String> resolvedBy(String namespace, String target, TargetRecord before, TargetRecord after) {
        Set<String> keys = new LinkedHashSet<>();
        TargetState left = before.current();
        left.remediationId().ifPresent(id -> keys.add(remediation(namespace, target, id)));
        List<HistoryEntry> history = new ArrayList<>(after.history());
        int seen = 0;
        for (int i = history.size() - 1; i >= 0 && seen < RESOLVE_LOOKBACK; i--, seen++) {
            HistoryEntry entry = history.get(i);
            boolean endedHere = i == history.size() - 1 && Milestone.ended(before, after).isPresent();
            switch (entry.outcome()) {
                case ROLLED_BACK, NOT_STARTED, REJECTED -> keys.add(remediation(namespace, target, entry.id()));
                case RETRAINED, PROMOTED -> {
                    if (!endedHere) {
                        return List.copyOf(keys);
                    }
                    keys.add(remediation(namespace, target, entry.id()));
                }
                case DRY_RUN -> {
                }
            }
        }
        return List.copyOf(keys);
    }

    static String fit(String key) {
        if (key.length() <= MAX) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "model-guardian/sha256-" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
