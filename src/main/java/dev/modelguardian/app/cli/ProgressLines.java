package dev.modelguardian.app.cli;

import java.util.function.Consumer;

import jakarta.inject.Singleton;

import dev.modelguardian.core.remediation.RemediationListener;

/**
 * Hands every persisted step to whoever prints progress ({@code remediate}); silent until a command connects to it.
 */
@Singleton
public class ProgressLines implements RemediationListener {

    private volatile Consumer<Step> sink;

    /** From now on every persisted step goes to {@code sink}. */
    public void connect(Consumer<Step> sink) {
        this.sink = sink;
    }

    @Override
    public void stepped(Step step) {
        Consumer<Step> current = sink;
        if (current != null) {
            current.accept(step);
        }
    }
}
