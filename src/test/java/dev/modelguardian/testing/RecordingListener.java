package dev.modelguardian.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Singleton;

import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;

/** Records every step the engine persists, so tests can assert the path a target took. */
@Singleton
public class RecordingListener implements RemediationListener {

    private final List<Step> steps = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    @Override
    public void stepped(Step step) {
        steps.add(step);
    }

    @Override
    public void actionFailed(TargetSpec target, TargetRecord record, String action, String message) {
        failures.add(action + ": " + message);
    }

    /** The states the target entered, in order (a step that kept the state is not repeated). */
    public List<RemediationState> path() {
        return steps.stream().filter(s -> s.before().current().state() != s.after().current().state())
                .map(s -> s.after().current().state()).toList();
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    public void clear() {
        steps.clear();
        failures.clear();
    }
}
