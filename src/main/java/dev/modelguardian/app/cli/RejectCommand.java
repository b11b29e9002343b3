package dev.modelguardian.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.TargetSpec;

/** Rejects the remediation waiting for approval: nothing is started, and the cooldown starts. */
@Command(name = "reject", mixinStandardHelpOptions = true,
        description = { "Rejects the remediation of a training target that waits for approval: nothing is started, the"
                + " history records who rejected it and why (outcome rejected), the target goes back to FIRING and the"
                + " cooldown (guardian.remediation.cooldown) starts, so the guardian asks again only after it if the"
                + " signals still fire.",
                "Written through the state ConfigMap with compare-and-set, as approve is." },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:rejected",
                "3:configuration or runtime error (unknown target, cluster unreachable, who you are unknown without"
                        + " --by); nothing was changed",
                "4:nothing waits for approval on that target (its state is printed); nothing was changed" })
public class RejectCommand extends ApprovalCommand {

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why, as recorded in the history"
            + " and the Event, e.g. \"training data of the last day is corrupt\"")
    String reason;

    @Override
    String name() {
        return "reject";
    }

    @Override
    RemediationEngine.TargetReport decide(RemediationEngine engine, TargetSpec target, String who) {
        return engine.reject(target, who, reason.strip());
    }

    @Override
    String done(RemediationEngine.TargetReport report, String who) {
        return targetName + " rejected by " + who + "; now " + report.record().current().state() + ": "
                + report.reason();
    }
}
