package dev.modelguardian.integrations.notify;

import dev.modelguardian.core.remediation.Decision;
import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;

/** Two listeners told in turn, as the application's composite tells them. */
record RemediationListenerPair(RemediationListener first, RemediationListener second) implements RemediationListener {

    @Override
    public void stepped(Step step) {
        first.stepped(step);
        second.stepped(step);
    }

    @Override
    public void stayed(TargetSpec target, TargetRecord record, Decision.Stay stay) {
        first.stayed(target, record, stay);
        second.stayed(target, record, stay);
    }

    @Override
    public void actionFailed(TargetSpec target, TargetRecord record, String action, String message) {
        first.actionFailed(target, record, action, message);
        second.actionFailed(target, record, action, message);
    }
}
