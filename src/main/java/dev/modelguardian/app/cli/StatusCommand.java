package dev.modelguardian.app.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Namespace;
import dev.modelguardian.core.policy.Durations;
import dev.modelguardian.core.remediation.GuardianState;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.StepDurations;
import dev.modelguardian.core.remediation.TargetHealth;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Timeline;
import dev.modelguardian.core.remediation.Trainer;

/** The audit trail: every target's persisted state and recent history, read from the state ConfigMap. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = { "Prints each training target's current state and its recent remediations as the state"
                + " ConfigMaps hold them (guardian.state.config-map, and <that name>-<target> for each target):"
                + " when, what fired with which values and bounds, which Job, who approved, the outcome, the reason,"
                + " how long it took and how long each step took.",

                "Reads only; needs 'list' and 'get' on configmaps (a kubeconfig or the guardian's service"
                        + " account)." },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:printed", "3:configuration error, no such target, or the state cannot be read (no"
                + " cluster, forbidden, a key that is not guardian state)" })
public class StatusCommand implements Callable<Integer> {

    public static final String SCHEMA = "model-guardian/status/v1";

    enum Output {
        TABLE,
        JSON
    }

    @Mixin
    ConfigFileOption configFile;

    @Option(names = "--target", paramLabel = "NAME", description = "only this training target")
    String targetName;

    @Option(names = { "-o", "--output" }, defaultValue = "table", paramLabel = "FORMAT",
            description = "table (default) or json (schema " + SCHEMA + ")")
    Output output;

    @Option(names = "--history", defaultValue = "10", paramLabel = "N",
            description = "how many of the newest finished remediations to show per target (default 10)")
    int history;

    @Spec
    CommandSpec spec;

    @Inject
    GuardianConfig config;

    @Inject
    ModelSet modelSet;

    @Inject
    Instance<StateStore> stores;

    @Inject
    ObjectMapper mapper;

    @Inject
    Clock clock;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<TargetSpec> targets = KubeBeans.targets(modelSet);
        if (targetName != null) {
            List<TargetSpec> chosen = targets.stream().filter(t -> t.name().equals(targetName)).toList();
            if (chosen.isEmpty()) {
                err.println("model-guardian: status: " + GuardianMain.unknownTarget(targetName, targets));
                err.flush();
                return GuardianMain.EXIT_ERROR;
            }
            targets = chosen;
        }
        StateStore store = stores.get();
        GuardianState state;
        try {
            state = store.load();
        } catch (StateStore.StoreException | IllegalStateException e) {
            err.println("model-guardian: status: " + e.getMessage() + " (status reads the cluster with a kubeconfig or"
                    + " the guardian's service account)");
            err.flush();
            return GuardianMain.EXIT_ERROR;
        }
        Instant now = clock.instant();
        List<TargetView> views = new ArrayList<>();
        for (TargetSpec target : targets) {
            TargetRecord record = state.targets().get(target.name());
            views.add(TargetView.of(target, Optional.ofNullable(record), Math.max(0, history), now));
        }
        StatusOutput report = new StatusOutput(SCHEMA, Namespace.resolve(config), config.state().configMap(), now,
                views);
        switch (output) {
            case JSON -> out.println(mapper.copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .setSerializationInclusion(JsonInclude.Include.NON_ABSENT).writeValueAsString(report));
            case TABLE -> table(out, report);
        }
        out.flush();
        return 0;
    }

    private static void table(PrintWriter out, StatusOutput report) {
        out.println("State ConfigMap " + report.namespace() + "/" + report.configMap() + " at " + report.at());
        for (TargetView t : report.targets()) {
            out.println();
            out.println("TARGET " + t.name() + "  (" + t.training().source() + "; models "
                    + String.join(", ", t.models())
                    + ")");
            if (!t.persisted()) {
                out.println("  nothing persisted yet: never left HEALTHY");
                continue;
            }
            out.println("  state        " + t.state() + " since " + t.since() + " (" + Durations.format(
                    Duration.between(t.since(), report.at()).withNanos(0)) + ")");
            out.println("  reason       " + t.reason());
            t.remediationId().ifPresent(id -> out.println("  remediation  " + id + t.job().map(j -> ", Job " + j)
                    .orElse("")));
            if (!t.trigger().isEmpty() || t.requestedBy().isPresent()) {
                out.println("  trigger      " + RemediationEngine.summary(t.trigger(), t.requestedBy()));
            }
            t.approvedBy().ifPresent(by -> out.println("  approved by  " + by + t.approvedAt().map(at -> " at " + at)
                    .orElse("")));
            if (!t.steps().isEmpty()) {
                out.println("  steps        " + StepDurations.summary(t.steps()));
            }
            t.inconclusiveSince().ifPresent(since -> out.println("  inconclusive signals since " + since + " ("
                    + Durations.format(Duration.between(since, report.at()).withNanos(0)) + ")"));
            t.lastFinished().ifPresent(f -> out.println("  last ended   " + f));
            t.snapshot().ifPresent(sn -> out.println("  snapshot     " + describe(sn)));
            t.verdict().ifPresent(v -> out.println("  validation   " + (v.passed() ? "passed: " : "failed: ")
                    + v.summary()));
            t.actions().forEach(a -> out.println("  done         " + a));
            t.trainingLog().ifPresent(log -> print(out, "  training log ", log));
            if (t.history().isEmpty()) {
                out.println("  no finished remediation");
                continue;
            }
            out.println("  history (newest first, " + t.history().size() + " of " + t.historySize() + "):");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] { "  STARTED", "TOOK", "OUTCOME", "REMEDIATION", "JOB", "TRIGGER", "REASON" });
            for (HistoryView h : t.history()) {
                HistoryEntry e = h.entry();
                rows.add(new String[] { "  " + e.started(), Durations.format(Duration.ofSeconds(h.tookSeconds())),
                        e.outcome().tag(), e.id(), e.job().orElse("-"),
                        RemediationEngine.summary(e.trigger(), e.requestedBy()),
                        e.reason() });
            }
            Table.print(out, rows);
            // The newest failed training's log in full; older ones by their heading only.
            Optional<String> fullLog = t.history().stream().map(HistoryView::entry)
                    .filter(e -> e.trainingLog().isPresent()).map(HistoryEntry::id).findFirst();
            for (HistoryView h : t.history()) {
                HistoryEntry e = h.entry();
                if (e.verdict().isEmpty() && e.actions().isEmpty() && h.approvedBy().isEmpty() && h.steps().isEmpty()
                        && e.trainingLog().isEmpty()) {
                    continue;
                }
                out.println("  " + e.id() + ":");
                h.approvedBy().ifPresent(by -> out.println("    approved   " + by + h.approvedAt().map(at -> " at " + at)
                        .orElse("")));
                if (!h.steps().isEmpty()) {
                    out.println("    steps      " + StepDurations.summary(h.steps()));
                }
                e.verdict().ifPresent(v -> out.println("    validation " + (v.passed() ? "passed: " : "failed: ")
                        + v.summary()));
                e.actions().forEach(a -> out.println("    done       " + a));
                e.trainingLog().ifPresent(log -> {
                    if (fullLog.equals(Optional.of(e.id()))) {
                        print(out, "    training log ", log);
                    } else {
                        out.println("    training log " + log.heading());
                    }
                });
            }
        }
    }

    /** A training log's heading after {@code label}, then its lines, each behind a bar, as a quoted block. */
    private static void print(PrintWriter out, String label, LogTail log) {
        out.println(label + log.heading() + (log.lines().isEmpty() ? "" : ":"));
        String indent = " ".repeat(label.length() - label.stripLeading().length() + 2) + "| ";
        log.lines().forEach(line -> out.println(indent + line));
    }

    private static String describe(dev.modelguardian.core.remediation.Snapshot snapshot) {
        List<String> parts = new ArrayList<>();
        new java.util.TreeMap<>(snapshot.models()).forEach((m, v) -> parts.add(m + " v" + v.version()));
        new java.util.TreeMap<>(snapshot.values()).forEach((k, v) -> parts.add(k + "=" + v.orElse("(absent)")));
        return "taken " + snapshot.takenAt() + " for " + snapshot.remediationId() + ": " + String.join(", ", parts);
    }

    /**
     * The JSON document, schema {@value StatusCommand#SCHEMA}. It and the views below are registered for reflection
     * in {@code app/NativeImage}: Jackson writes them reflectively.
     */
    public record StatusOutput(String schema, String namespace, String configMap, Instant at,
            List<TargetView> targets) {
    }

    /**
     * One target as persisted; the fields match {@code GET /api/v1/status} ({@code api/StatusView.Target}), plus the
     * snapshot and how long each remediation took. {@code approvedBy}/{@code approvedAt} and {@code steps} are those
     * of the remediation under way (its last step ongoing until {@code at}); each history entry has its own.
     */
    public record TargetView(String name, String cronJob, Trainer training, List<String> models, boolean persisted,
            RemediationState state, Instant since, String reason, Optional<String> remediationId, Optional<String> job,
            List<TargetHealth.FiredSignal> trigger, Optional<String> requestedBy, boolean approved,
            Optional<String> approvedBy, Optional<Instant> approvedAt, List<StepDurations.Step> steps,
            Optional<Instant> inconclusiveSince, Optional<Instant> lastFinished,
            Optional<dev.modelguardian.core.remediation.Snapshot> snapshot,
            Optional<dev.modelguardian.core.remediation.Verdict> verdict, List<String> actions,
            Optional<LogTail> trainingLog, Map<String, Optional<String>> flagsToRestore, int historySize,
            List<HistoryView> history) {

        static TargetView of(TargetSpec spec, Optional<TargetRecord> stored, int limit, Instant now) {
            TargetRecord record = stored.orElse(TargetRecord.initial(Instant.EPOCH));
            var s = record.current();
            List<HistoryEntry> all = record.history();
            List<HistoryView> recent = new ArrayList<>();
            for (int i = all.size() - 1; i >= 0 && recent.size() < limit; i--) {
                recent.add(HistoryView.of(all.get(i)));
            }
            return new TargetView(spec.name(), spec.trainer().cronJob().orElse(null), spec.trainer(), spec.models(),
                    stored.isPresent(), s.state(), s.since(),
                    record.reason(), s.remediationId(), s.jobName(), s.trigger(), s.requestedBy(), s.approved(),
                    record.timeline().approvedBy(), record.timeline().approval().map(Timeline.Approval::at),
                    StepDurations.current(record.timeline(), now), record.inconclusiveSince(), s.lastFinished(),
                    record.progress().snapshot(), record.progress().verdict(), record.progress().actions(),
                    record.progress().trainingLog(), record.flagsToRestore(), all.size(), recent);
        }
    }

    /**
     * One finished remediation: every field the state keeps, how long it took from start to end, who approved it and
     * how long each step took (none for entries written before timelines were kept).
     */
    public record HistoryView(@JsonUnwrapped HistoryEntry entry, long tookSeconds, Optional<String> approvedBy,
            Optional<Instant> approvedAt, List<StepDurations.Step> steps) {
        static HistoryView of(HistoryEntry entry) {
            return new HistoryView(entry, Duration.between(entry.started(), entry.ended()).toSeconds(),
                    entry.timeline().approvedBy(), entry.timeline().approval().map(Timeline.Approval::at),
                    StepDurations.finished(entry.timeline()));
        }
    }
}
