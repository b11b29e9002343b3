package dev.modelguardian.core.remediation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The training triggers of a guardian whose targets do not all train the same way: each call goes to the trigger of
 * the target's {@link Trainer#trigger()} kind; {@link #watch} watches with all of them.
 */
public final class TrainingTriggers implements TrainingTrigger {

    private final Map<String, TrainingTrigger> byKind;

    private TrainingTriggers(Map<String, TrainingTrigger> byKind) {
        this.byKind = Map.copyOf(byKind);
    }

    /** The triggers by kind; none when no target is configured (every call then fails, as for an unknown kind). */
    public static TrainingTriggers of(Map<String, TrainingTrigger> byKind) {
        return new TrainingTriggers(byKind);
    }

    /** The kinds served, sorted. */
    public List<String> kinds() {
        return byKind.keySet().stream().sorted().toList();
    }

    @Override
    public Optional<String> running(TargetSpec target, Optional<String> excluding) {
        return of(target).running(target, excluding);
    }

    @Override
    public JobObservation observe(TargetSpec target, String runName) {
        return of(target).observe(target, runName);
    }

    @Override
    public void start(TargetSpec target, String runName, String remediationId, String why) {
        of(target).start(target, runName, remediationId, why);
    }

    @Override
    public LogTail logTail(TargetSpec target, String runName, LogTail.Limits limits) {
        return of(target).logTail(target, runName, limits);
    }

    @Override
    public Watch followLog(TargetSpec target, String runName, LogSink sink) {
        return of(target).followLog(target, runName, sink);
    }

    /** {@inheritDoc} Every trigger's watch, closed together (the one trigger's own watch when there is one). */
    @Override
    public Watch watch(Consumer<String> onEnded) {
        if (byKind.size() == 1) {
            return byKind.values().iterator().next().watch(onEnded);
        }
        List<Watch> watches = new ArrayList<>();
        for (String kind : kinds()) {
            watches.add(byKind.get(kind).watch(onEnded));
        }
        return () -> watches.forEach(Watch::close);
    }

    /**
     * The trigger of {@code target}'s kind.
     *
     * @throws ClusterException (permanent) when no trigger of that kind is configured: validation reports it first
     */
    private TrainingTrigger of(TargetSpec target) {
        TrainingTrigger trigger = byKind.get(target.trainer().trigger());
        if (trigger == null) {
            throw new ClusterException("target " + target.name() + " is trained by the " + target.trainer().trigger()
                    + " trigger, which is not configured (configured: " + String.join(", ", kinds()) + ")", true, null);
        }
        return trigger;
    }
}
