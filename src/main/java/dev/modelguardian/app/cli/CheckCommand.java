package dev.modelguardian.app.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.notify.PendingNotifications;
import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.policy.Evaluation;
import dev.modelguardian.core.policy.InMemoryPolicyStateStore;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.GuardianState;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.TargetRecord;

/** The CronJob mode: one evaluation of every policy, and with {@code --remediate} one remediation cycle. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = { "Evaluates every policy once and prints a table (or JSON).",
                "A signal with a 'for' duration is judged on its Prometheus history over that window (a range query),"
                        + " so a breach that has held for the whole window fires at once. Scrape signals have no"
                        + " history: with a 'for' they can only be pending in a one-shot check.",
                "With --remediate it runs one remediation cycle as serve does once per interval: the policies are"
                        + " evaluated with the state kept in the state ConfigMap (a 'for' window continues across"
                        + " runs), and every training target is advanced as far as it can go now (a firing target gets"
                        + " its retraining Job from the CronJob, a running one is followed up, the registry step runs"
                        + " when the Job is done). The same guards as serve apply (an active Job is adopted, never a"
                        + " second one; cooldown, daily cap, approval, dry run). Like remediate it takes no Lease:"
                        + " the state ConfigMap's compare-and-set keeps it and a serve leader from acting twice. Run it"
                        + " from a CronJob with concurrencyPolicy: Forbid.",
                "Opens no HTTP port and starts no scheduler." },
        exitCodeListHeading = "%nExit codes (with or without --remediate):%n",
        exitCodeList = { "0:all signals healthy (or pending, not yet firing)",
                "1:at least one signal is firing (with --remediate: the cycle ran; the targets say what it did)",
                "2:no signal firing, but at least one is inconclusive (no data, NaN or a source error)",
                "3:configuration or runtime error (with --remediate also: the state ConfigMap or the cluster did not"
                        + " answer); no report",
                "4:--remediate only: a remediation step failed (the Job could not be created, no snapshot of the"
                        + " serving versions, a rollback action failed); the report names it" })
public class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption configFile;

    @Option(names = { "-o", "--output" }, defaultValue = "table", paramLabel = "FORMAT",
            description = "table (default) or json (schema model-guardian/check/v1, see docs/check-output.md)")
    OutputFormat output;

    @Option(names = "--remediate", description = "after evaluating, run one remediation cycle (state in the state"
            + " ConfigMap, retraining Job from the CronJob); needs the Kubernetes API and the guardian's Role")
    boolean remediate;

    @Spec
    CommandSpec spec;

    @Inject
    GuardianConfig config;

    @Inject
    Settings settings;

    @Inject
    ModelSet modelSet;

    @Inject
    Instance<PolicyEngine> engine;

    /** Resolved only with --remediate: the engine builds the cluster clients. */
    @Inject
    Instance<RemediationEngine> engines;

    @Inject
    Instance<StateStore> stores;

    @Inject
    Instance<PendingNotifications> notifiers;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper mapper;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        List<ConfigProblem> problems = Extensions.validateSourcesConfigured(settings, modelSet);
        if (!problems.isEmpty()) {
            return GuardianMain.reportProblems(spec.commandLine().getErr(), problems);
        }
        CheckReport report;
        if (remediate) {
            // On stderr, so that stdout stays the report (and valid JSON with --output json).
            modelSet.untrained().forEach(line -> spec.commandLine().getErr().println("model-guardian: warning: "
                    + line));
            spec.commandLine().getErr().flush();
            RemediationEngine.CycleReport cycle;
            GuardianState after;
            try {
                cycle = engines.get().runCycle();
                // As persisted: a step that failed leaves the report's record one step behind.
                after = stores.get().load();
            } catch (StateStore.StoreException | ClusterException e) {
                spec.commandLine().getErr().println("model-guardian: check --remediate: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return GuardianMain.EXIT_ERROR;
            } finally {
                // What the cycle told Slack, PagerDuty or the webhook must not die with the process.
                notifiers.get().awaitDelivered(config.notifications().timeout().multipliedBy(2));
            }
            report = CheckReport.of(cycle.evaluations(), cycle.at(), config.sourceErrorLimit())
                    .withTargets(cycle.targets().stream()
                            .map(t -> target(t, after.target(t.target().name(), cycle.at()))).toList());
        } else {
            List<Evaluation> evaluations = engine.get().evaluate(Policies.from(modelSet),
                    new InMemoryPolicyStateStore());
            Instant now = clock.instant();
            report = CheckReport.of(evaluations, now, config.sourceErrorLimit());
        }
        switch (output) {
            case JSON -> out.println(mapper.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            case TABLE -> printTable(out, report);
        }
        out.flush();
        return report.exitCode();
    }

    private static void printTable(PrintWriter out, CheckReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "MODEL", "SIGNAL", "VALUE", "BOUND", "STATE", "SINCE", "NOTE" });
        for (CheckReport.SignalResult s : report.signals()) {
            rows.add(new String[] { s.model(), s.signal(), s.value() == null ? "-" : Bound.format(s.value()),
                    s.bound().text(), s.state().toUpperCase(java.util.Locale.ROOT), s.since(),
                    note(s) });
        }
        Table.print(out, rows);
        if (report.targets() != null) {
            List<String[]> targets = new ArrayList<>();
            targets.add(new String[] { "TARGET", "TRAINED BY", "STATE", "RUN", "NOTE" });
            for (CheckReport.TargetResult t : report.targets()) {
                targets.add(new String[] { t.target(), t.trainedBy(), t.state().toUpperCase(java.util.Locale.ROOT),
                        t.job() == null ? "-" : t.job(),
                        t.reason() + (t.problem() == null ? "" : " [failed: " + t.problem() + "]") });
            }
            out.println();
            Table.print(out, targets);
        }
        CheckReport.Counts c = report.counts();
        out.printf("%d signal%s: %d healthy, %d pending, %d firing, %d inconclusive -> %s (exit %d)%n",
                report.signals().size(), report.signals().size() == 1 ? "" : "s", c.healthy(), c.pending(), c.firing(), c.inconclusive(), report.result(),
                report.exitCode());
    }

    private static CheckReport.TargetResult target(RemediationEngine.TargetReport t, TargetRecord persisted) {
        return new CheckReport.TargetResult(t.target().name(), t.target().trainer().cronJob().orElse(null),
                t.target().trainer().source(),
                persisted.current().state().name().toLowerCase(java.util.Locale.ROOT), t.reason(),
                persisted.current().jobName().orElse(null), persisted.current().remediationId().orElse(null),
                t.problem().orElse(null));
    }

    private static String note(CheckReport.SignalResult s) {
        String note = s.reason() == null ? "" : s.reason();
        if (s.sourceErrorAlert()) {
            note += " [source-error alert: " + s.consecutiveSourceErrors() + " in a row]";
        }
        return note;
    }

    /** Output formats of {@code check}. */
    enum OutputFormat {
        TABLE, JSON;
    }
}
