package dev.modelguardian.app.cli;

import picocli.CommandLine.Command;

import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.TargetSpec;

/** Approves the remediation waiting for approval, as {@code POST /api/v1/targets/{target}/approve} does. */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = { "Approves the remediation of a training target that waits for approval"
                + " (guardian.remediation.require-approval): the retraining starts now, as the HTTP API's approve does,"
                + " through the state ConfigMap with compare-and-set, so a serve leader never starts a second Job.",
                "The history records who approved: --by, else the Kubernetes user of the current credentials." },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:approved; the retraining started",
                "3:configuration or runtime error (unknown target, cluster unreachable, who you are unknown without"
                        + " --by); nothing was changed",
                "4:nothing waits for approval on that target (its state is printed); nothing was changed" })
public class ApproveCommand extends ApprovalCommand {

    @Override
    String name() {
        return "approve";
    }

    @Override
    RemediationEngine.TargetReport decide(RemediationEngine engine, TargetSpec target, String who) {
        return engine.approve(target, who);
    }

    @Override
    String done(RemediationEngine.TargetReport report, String who) {
        return targetName + " approved by " + who + "; now " + report.record().current().state() + ": "
                + report.reason();
    }
}
