package dev.modelguardian.app.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.remediation.Action;
import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.RecoveryDecider;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;

/** The runbook's step 4 by hand: turn ML off, put the previous versions back, restart the model server. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = { "Rolls a training target back now: sets the target's rollback keys in the flag ConfigMap"
                + " (Neural Hive: ENABLE_ML_ENHANCED_SCHEDULING=false in orchestrator-dynamic-config), puts each"
                + " model's version from the last snapshot back to Production (or its alias), and restarts the model"
                + " server Deployment. Without any snapshot one is taken now, so the flag is still turned off.",
                "Every step is idempotent: running it twice gives the same result, and an interrupted rollback is"
                        + " resumed by the next run (or by serve). A helm upgrade re-renders the ConfigMap: the"
                        + " output names the Helm values key that makes the rollback permanent." },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:rolled back (with --dry-run: the plan was printed, nothing changed)",
                "1:rollback not complete: a step failed and will be retried by the next run or by serve",
                "3:configuration or runtime error (unknown target, cluster or registry unreachable, nothing to"
                        + " snapshot); nothing was changed" })
public class RollbackCommand implements Callable<Integer> {

    static final int ROLLED_BACK = 0;
    static final int INCOMPLETE = 1;
    static final int ERROR = 3;

    @Mixin
    ConfigFileOption configFile;

    @Option(names = "--target", required = true, paramLabel = "NAME", description = "the training target, e.g."
            + " orchestrator-dynamic-ml-training")
    String targetName;

    @Option(names = "--dry-run", description = "print what would be changed, change nothing")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    /** Resolved only when the command runs (picocli builds every command). */
    @Inject
    Instance<RemediationEngine> engines;

    @Inject
    ProgressLines progressLines;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RemediationEngine engine = engines.get();
        Optional<TargetSpec> target = engine.target(targetName);
        if (target.isEmpty()) {
            err.println("model-guardian: rollback: " + GuardianMain.unknownTarget(targetName, engine.targets()));
            err.flush();
            return ERROR;
        }
        try {
            if (dryRun) {
                List<Action> plan = engine.rollbackPlan(target.get());
                out.println("rollback of " + targetName + " would (dry run, nothing changed):");
                plan.forEach(a -> out.println("  " + a.describe()));
                if (plan.isEmpty()) {
                    out.println("  nothing: no flag, registry or restart is configured for this target");
                }
                RecoveryDecider.permanentHint(target.get().recovery()).ifPresent(h -> out.println(h));
                out.flush();
                return ROLLED_BACK;
            }
            progressLines.connect(step -> {
                if (step.target().name().equals(targetName)) {
                    out.println(targetName + " " + step.after().current().state() + "  " + step.after().reason());
                    out.flush();
                }
            });
            RemediationEngine.TargetReport report = engine.rollback(target.get());
            TargetRecord record = report.record();
            if (record != null && record.current().state() == RemediationState.ROLLED_BACK
                    && report.problem().isEmpty()) {
                out.println("rolled back: " + record.last().map(h -> h.reason()).orElse(record.reason()));
                out.flush();
                return ROLLED_BACK;
            }
            err.println("model-guardian: rollback: not complete: " + report.reason());
            err.flush();
            return INCOMPLETE;
        } catch (StateStore.StoreException | ClusterException | ModelRegistry.RegistryException e) {
            err.println("model-guardian: rollback: " + e.getMessage() + "; nothing was changed");
            err.flush();
            return ERROR;
        }
    }
}
