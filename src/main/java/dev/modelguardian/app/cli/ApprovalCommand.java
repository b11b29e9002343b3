package dev.modelguardian.app.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.core.notify.PendingNotifications;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.remediation.CallerIdentity;
import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.TargetSpec;

/**
 * What {@code approve} and {@code reject} share: the target, who decides ({@code --by}, else the Kubernetes user the
 * API server names), and the decision written through the remediation engine, as the HTTP API writes it (state
 * ConfigMap, compare-and-set).
 */
abstract class ApprovalCommand implements Callable<Integer> {

    static final int DONE = 0;
    static final int ERROR = 3;
    static final int NOT_AWAITING = 4;

    @Mixin
    ConfigFileOption configFile;

    @Option(names = "--target", required = true, paramLabel = "NAME", description = "the training target waiting for"
            + " approval, e.g. orchestrator-dynamic-ml-training")
    String targetName;

    @Option(names = "--by", paramLabel = "WHO", description = "who decides, as recorded in the history; default: the"
            + " Kubernetes user of the current credentials (kubectl auth whoami)")
    String by;

    @Spec
    CommandSpec spec;

    /** Resolved only when the command runs (picocli builds every command). */
    @Inject
    Instance<RemediationEngine> engines;

    @Inject
    Instance<CallerIdentity> callers;

    @Inject
    Instance<PendingNotifications> notifiers;

    @Inject
    GuardianConfig config;

    /** The command's name, for messages. */
    abstract String name();

    /** The decision, written by {@code who}. */
    abstract RemediationEngine.TargetReport decide(RemediationEngine engine, TargetSpec target, String who);

    /** The line that says the decision was written. */
    abstract String done(RemediationEngine.TargetReport report, String who);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RemediationEngine engine = engines.get();
        Optional<TargetSpec> target = engine.target(targetName);
        if (target.isEmpty()) {
            return fail(err, GuardianMain.unknownTarget(targetName, engine.targets()), ERROR);
        }
        Optional<String> who = by != null && !by.isBlank() ? Optional.of(by.strip()) : callers.get().name();
        if (who.isEmpty()) {
            return fail(err, "the Kubernetes API server did not say who you are (SelfSubjectReview needs Kubernetes"
                    + " 1.28+); pass --by NAME so the history records who decided; nothing was changed", ERROR);
        }
        try {
            RemediationEngine.TargetReport report = decide(engine, target.get(), who.get());
            if (report.problem().filter("not-awaiting-approval"::equals).isPresent()) {
                return fail(err, targetName + " is " + report.reason() + "; nothing was changed", NOT_AWAITING);
            }
            out.println(done(report, who.get()));
            out.flush();
            // What the approved remediation told Slack, PagerDuty or the webhook must not die with the process.
            notifiers.get().awaitDelivered(config.notifications().timeout().multipliedBy(2));
            return DONE;
        } catch (StateStore.StoreException | ClusterException | ModelRegistry.RegistryException e) {
            return fail(err, e.getMessage(), ERROR);
        }
    }

    private int fail(PrintWriter err, String message, int code) {
        err.println("model-guardian: " + name() + ": " + message);
        err.flush();
        return code;
    }
}
