package dev.modelguardian.core.postmortem;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.modelguardian.core.notify.IncidentKeys;
import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.policy.Durations;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.RecoverySpec;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.StepDurations;
import dev.modelguardian.core.remediation.TargetHealth;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Timeline;
import dev.modelguardian.core.remediation.Verdict;

/**
 * The draft of a post-mortem for one finished remediation (runbook step 5: document the root cause and the actions
 * taken), as Markdown: a pure function of what the state ConfigMap kept about it, so every number in it is one the
 * guardian recorded. The sections only people can write (the root cause, the follow-ups) are left as questions.
 *
 * @param namespace   where the guardian runs
 * @param state       where the entry was read from, e.g. {@code the state ConfigMap neural-hive/model-guardian-state}
 * @param target      the training target
 * @param entry       the finished remediation
 * @param rollbackHint what makes a rollback stick (the Helm values key), when configured
 * @param signals     the target's signals over {@link #window}, each as its source kept it or why not; empty when
 *                    they were not read
 * @param inputs      the signals with a breakdown label split by it over the window (the inputs that moved most)
 * @param registry    the validated candidates as the registry shows them now; empty when it was not read
 * @param at          when the draft is written
 */
public record PostmortemDraft(String namespace, String state, TargetSpec target, HistoryEntry entry,
        Optional<String> rollbackHint, List<SignalWindow> signals, List<InputDrift> inputs,
        Optional<RegistryVersions> registry, Instant at) {

    /** The heading of the signals' section, after which a page may draw their charts. */
    public static final String SIGNALS_HEADING = "## Signals over the incident window";

    /** How far before the first breach and after the end the signals are shown. */
    public static final Duration MARGIN = Duration.ofMinutes(30);

    public PostmortemDraft {
        signals = List.copyOf(signals);
        inputs = List.copyOf(inputs);
        registry = registry == null ? Optional.empty() : registry;
    }

    /** A draft without any signal split by a label, the registry not read. */
    public PostmortemDraft(String namespace, String state, TargetSpec target, HistoryEntry entry,
            Optional<String> rollbackHint, List<SignalWindow> signals, Instant at) {
        this(namespace, state, target, entry, rollbackHint, signals, List.of(), Optional.empty(), at);
    }

    /** A draft with the registry not read. */
    public PostmortemDraft(String namespace, String state, TargetSpec target, HistoryEntry entry,
            Optional<String> rollbackHint, List<SignalWindow> signals, List<InputDrift> inputs, Instant at) {
        this(namespace, state, target, entry, rollbackHint, signals, inputs, Optional.empty(), at);
    }

    /** The incident window of {@code entry}: {@link #MARGIN} before its first breach to {@link #MARGIN} after its end. */
    public record Window(Instant from, Instant to) {
    }

    /** The window the signals of {@code entry} are read over, ending no later than {@code now}. */
    public static Window window(HistoryEntry entry, Instant now) {
        Instant end = entry.ended().plus(MARGIN);
        return new Window(firstBreach(entry).minus(MARGIN), end.isAfter(now) ? now : end);
    }

    /** The command that writes this draft from the cluster, with the signals over the window. */
    public String command() {
        return "model-guardian postmortem --target " + target.name() + " --remediation " + entry.id();
    }

    /** The draft as Markdown. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        String run = target.trainer().runKind();
        md.append("# Post-mortem draft: ").append(target.name()).append(", remediation ").append(entry.id())
                .append("\n\n");
        md.append("> Written by model-guardian at ").append(at).append(" from what ").append(state)
                .append(" kept about remediation ").append(entry.id())
                .append(". The numbers are the guardian's; the questions are for the people who handled it.\n\n");

        md.append("## Summary\n\n").append(summary()).append("\n\n");

        md.append("## Impact window\n\n");
        Instant firstBreach = firstBreach();
        md.append("| | time (UTC) |\n|---|---|\n");
        md.append("| first breach the guardian saw fire | ").append(firstBreach).append(" |\n");
        md.append("| retraining decided | ").append(entry.started()).append(" |\n");
        md.append("| remediation ended (").append(entry.outcome().tag()).append(") | ").append(entry.ended())
                .append(" |\n\n");
        md.append("From first breach to the end: **").append(format(Duration.between(firstBreach, entry.ended())))
                .append("**.");
        switch (entry.outcome()) {
            case PROMOTED -> md.append(" Every signal stayed within its bounds for the verify window at the end.");
            case RETRAINED -> md.append(" The training's own gate was trusted (no registry step): the guardian did not"
                    + " verify the signals after it.");
            case ROLLED_BACK -> md.append(" The previous state was restored at the end; the signals were not proven"
                    + " healthy by it.");
            case FAILED, NOT_STARTED, REJECTED, DRY_RUN -> md.append(" Nothing was mitigated by the guardian: the"
                    + " impact lasted beyond this window.");
        }
        md.append("\n\n");

        md.append("## What fired\n\n");
        if (entry.trigger().isEmpty()) {
            md.append("No signal was recorded").append(entry.requestedBy().map(by -> "; requested by hand by " + by)
                    .orElse("")).append(".\n\n");
        } else {
            md.append("| model | signal | value | bound |\n|---|---|---|---|\n");
            for (TargetHealth.FiredSignal f : entry.trigger()) {
                md.append("| ").append(f.model()).append(" | ").append(f.signal()).append(" | ")
                        .append(Double.isNaN(f.value()) ? "-" : Bound.format(f.value())).append(" | ")
                        .append(cell(f.bound())).append(" |\n");
            }
            entry.requestedBy().ifPresent(by -> md.append("\nRequested by hand by ").append(by).append(".\n"));
            md.append('\n');
        }

        appendSignals(md);

        md.append("## Timeline\n\n");
        List<StepDurations.Step> steps = StepDurations.finished(entry.timeline());
        if (entry.timeline().marks().isEmpty()) {
            md.append("Not recorded (the remediation was written by a version that kept no timeline).\n\n");
        } else {
            md.append("| time (UTC) | since first breach | state entered |\n|---|---|---|\n");
            for (Timeline.Mark mark : entry.timeline().marks()) {
                md.append("| ").append(mark.at()).append(" | +").append(format(Duration.between(firstBreach,
                        mark.at()))).append(" | ").append(mark.state()).append(" |\n");
            }
            md.append('\n');
            entry.timeline().approval().ifPresent(a -> md.append("Approved by ").append(a.by()).append(" at ")
                    .append(a.at()).append(".\n\n"));
            if (!steps.isEmpty()) {
                md.append("| step | took |\n|---|---|\n");
                steps.forEach(s -> md.append("| ").append(s.step()).append(" | ").append(format(s.took()))
                        .append(" |\n"));
                md.append('\n');
            }
        }
        md.append("Ended ").append(entry.outcome().tag()).append(": ").append(entry.reason()).append("\n\n");

        md.append("## Training\n\n");
        md.append(entry.job().map(job -> run + " `" + job + "` from " + target.trainer().source() + ".")
                .orElse("No training run was started.")).append('\n');
        steps.stream().filter(s -> s.step().equals(StepDurations.JOB_RUNNING)).findFirst()
                .ifPresent(s -> md.append("It ran for ").append(format(s.took())).append(".\n"));
        entry.trainingLog().ifPresent(log -> appendLog(md, log));
        md.append('\n');

        md.append("## Validation\n\n");
        if (entry.verdict().isEmpty()) {
            md.append("No candidate was validated by the guardian (no registry step, or training did not get that"
                    + " far).\n\n");
        } else {
            Verdict verdict = entry.verdict().get();
            md.append("At ").append(verdict.at()).append(": **").append(verdict.passed() ? "passed" : "failed")
                    .append("**.\n\n");
            md.append("| model | candidate | check | candidate value | serving value | result |\n")
                    .append("|---|---|---|---|---|---|\n");
            for (Verdict.ModelVerdict m : verdict.models()) {
                if (m.checks().isEmpty()) {
                    md.append("| ").append(m.model()).append(" | ").append(m.candidate().map(v -> "v" + v)
                            .orElse("none")).append(" | ").append(cell(m.problem().orElse("-")))
                            .append(" | - | - | ").append(m.passed() ? "passed" : "failed").append(" |\n");
                }
                for (Verdict.Check c : m.checks()) {
                    md.append("| ").append(m.model()).append(" | ").append(m.candidate().map(v -> "v" + v)
                            .orElse("none")).append(" | ").append(cell(c.metric() + " " + c.rule())).append(" | ")
                            .append(c.value().map(Bound::format).orElse("not logged")).append(" | ")
                            .append(c.baseline().map(Bound::format).orElse("-")).append(" | ")
                            .append(c.passed() ? "passed" : "failed").append(" |\n");
                }
            }
            md.append('\n');
        }

        registry.ifPresent(r -> appendRegistry(md, r));

        md.append("## Actions the guardian took\n\n");
        if (entry.actions().isEmpty()) {
            md.append("None beyond the training run.\n\n");
        } else {
            entry.actions().forEach(a -> md.append("1. ").append(a).append('\n'));
            md.append('\n');
        }

        md.append("## What a person must still do\n\n");
        todo().forEach(t -> md.append("- [ ] ").append(t).append('\n'));
        md.append('\n');

        md.append("## Root cause (to write)\n\n");
        for (String question : questions()) {
            md.append("- ").append(question).append('\n');
        }
        md.append('\n');

        md.append("## Identifiers\n\n");
        md.append("| what | value |\n|---|---|\n");
        md.append("| remediation | `").append(entry.id()).append("` |\n");
        entry.job().ifPresent(job -> md.append("| ").append(run).append(" | `").append(job).append("` in ")
                .append(namespace).append(" |\n"));
        md.append("| trained from | ").append(target.trainer().source()).append(" |\n");
        md.append("| models | ").append(String.join(", ", target.models())).append(" |\n");
        entry.verdict().ifPresent(v -> v.models().forEach(m -> m.candidate().ifPresent(c -> md.append("| MLflow ")
                .append(m.model()).append(" | candidate v").append(c).append(" |\n"))));
        md.append("| PagerDuty dedup key | `").append(IncidentKeys.remediation(namespace, target.name(), entry.id()))
                .append("` |\n");
        md.append("| state | ").append(state).append(" |\n");
        return md.toString();
    }

    /** One sentence: what degraded, what the guardian did, how it ended and how long it took. */
    public String summary() {
        String what = entry.trigger().isEmpty()
                ? entry.requestedBy().map(by -> "A remediation was requested by hand (" + by + ")")
                        .orElse("A remediation ran")
                : String.join(", ", entry.trigger().stream().map(f -> f.model() + " " + f.signal()).distinct()
                        .toList()) + " breached (" + RemediationEngine.summary(entry.trigger()) + ")";
        String did = entry.job().map(job -> "the guardian retrained through " + target.trainer().run(job) + " from "
                + target.trainer().source()).orElse("the guardian started no training");
        String took = format(Duration.between(firstBreach(), entry.ended()));
        List<String> against = new ArrayList<>();
        for (StepDurations.Step step : StepDurations.finished(entry.timeline())) {
            String byHand = RUNBOOK_BY_HAND.get(step.step());
            if (byHand != null) {
                against.add(step.step() + " " + format(step.took()) + " (" + byHand + ")");
            }
        }
        return what + "; " + did + ". Outcome: **" + entry.outcome().tag() + "** after " + took
                + " from the first breach." + (against.isEmpty() ? ""
                        : " Against the runbook's own estimates by hand: " + String.join(", ", against) + ".");
    }

    /**
     * What the runbook estimates each step takes a person by hand: retraining 15-30 min, validating the new versions
     * in MLflow 5 min, rolling back (flag off, previous version to Production) 2 min.
     */
    static final java.util.Map<String, String> RUNBOOK_BY_HAND = java.util.Map.of(
            StepDurations.JOB_RUNNING, "runbook 15-30 min", StepDurations.VALIDATION, "runbook 5 min",
            StepDurations.ROLLBACK, "runbook 2 min");

    private Instant firstBreach() {
        return firstBreach(entry);
    }

    /** The first FIRING mark of the timeline, else when retraining was decided. */
    private static Instant firstBreach(HistoryEntry entry) {
        return entry.timeline().marks().stream().map(Timeline.Mark::at).findFirst()
                .filter(first -> !first.isAfter(entry.started())).orElse(entry.started());
    }

    private void appendSignals(StringBuilder md) {
        if (signals.isEmpty()) {
            return;
        }
        Window window = window(entry, at);
        md.append(SIGNALS_HEADING).append("\n\n");
        md.append("From ").append(window.from()).append(" to ").append(window.to()).append(" (")
                .append(format(MARGIN)).append(" either side of the first breach and the end), as the signals'"
                        + " sources kept them.\n\n");
        md.append("| signal | bound | worst | at | at the end | past the trigger |\n|---|---|---|---|---|---|\n");
        for (SignalWindow w : signals) {
            md.append("| ").append(w.policy().key()).append(" | ").append(cell(w.policy().describeBound()))
                    .append(" | ");
            if (w.unavailable().isPresent()) {
                md.append("unavailable: ").append(cell(w.unavailable().get())).append(" | | | |\n");
                continue;
            }
            Optional<String> worst = w.worst().map(p -> Bound.format(SignalWindow.value(p).getAsDouble()));
            md.append(worst.orElse("no value")).append(" | ")
                    .append(w.worst().map(p -> p.at().toString()).orElse("-")).append(" | ")
                    .append(w.last().map(p -> Bound.format(SignalWindow.value(p).getAsDouble())).orElse("-"))
                    .append(" | ").append(format(w.breached()))
                    .append(w.inconclusive() > 0 ? " (" + w.inconclusive() + " of " + w.points().size()
                            + " points inconclusive)" : "")
                    .append(" |\n");
        }
        md.append('\n');
        appendInputs(md);
    }

    /** The validated candidates as the registry shows them now, or why a version or its run is missing. */
    private void appendRegistry(StringBuilder md, RegistryVersions versions) {
        if (versions.rows().isEmpty()) {
            return;
        }
        md.append("## Model versions in the registry now\n\n");
        md.append("As the registry showed them at ").append(at).append(":\n\n");
        md.append("| model | version | stage | aliases | status | run | run status |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (RegistryVersions.Row row : versions.rows()) {
            md.append("| ").append(cell(row.registered())).append(" | v").append(cell(row.version())).append(" | ");
            if (row.now().isEmpty()) {
                md.append(cell(row.problem().orElse("unavailable"))).append(" | | | | |\n");
                continue;
            }
            var v = row.now().get();
            md.append(cell(v.stage())).append(" | ").append(v.aliases().isEmpty() ? "-" : cell(String.join(", ",
                    v.aliases()))).append(" | ").append(v.status().name()).append(" | ")
                    .append(v.runId().map(id -> "`" + id + "`").orElse("-")).append(" | ")
                    .append(row.run().map(run -> cell(run.status()) + " (experiment " + cell(run.experimentId()) + ")")
                            .or(() -> row.problem().map(PostmortemDraft::cell)).orElse("-"))
                    .append(" |\n");
        }
        md.append('\n');
    }

    /** Per signal with a breakdown label: its inputs, worst first, at most {@link InputDrift#SHOWN}. */
    private void appendInputs(StringBuilder md) {
        if (inputs.isEmpty()) {
            return;
        }
        md.append("## Inputs that moved most\n\n");
        for (InputDrift drift : inputs) {
            md.append("`").append(drift.policy().key()).append("` by `").append(drift.label()).append("`");
            if (drift.unavailable().isPresent()) {
                md.append(": unavailable: ").append(cell(drift.unavailable().get())).append(".\n\n");
                continue;
            }
            if (drift.inputs().isEmpty()) {
                md.append(": no series over the window.\n\n");
                continue;
            }
            md.append(", worst first (bound ").append(cell(drift.policy().describeBound())).append("):\n\n");
            md.append("| ").append(drift.label()).append(" | worst | at | at the end | past the trigger |\n")
                    .append("|---|---|---|---|---|\n");
            for (InputDrift.Input input : drift.inputs().subList(0, Math.min(InputDrift.SHOWN,
                    drift.inputs().size()))) {
                md.append("| ").append(cell(input.value())).append(" | ").append(Bound.format(input.worst()))
                        .append(" | ").append(input.at()).append(" | ").append(Bound.format(input.last()))
                        .append(" | ").append(drift.policy().bound().breached(input.worst()) ? "yes" : "no")
                        .append(" |\n");
            }
            if (drift.inputs().size() > InputDrift.SHOWN) {
                md.append("\nAnd ").append(drift.inputs().size() - InputDrift.SHOWN).append(" more.\n");
            }
            md.append('\n');
        }
    }

    private List<String> todo() {
        List<String> todo = new ArrayList<>();
        RecoverySpec recovery = target.recovery();
        switch (entry.outcome()) {
            case ROLLED_BACK -> {
                // Only a target whose rollback sets flags has a flag to make stick or to re-enable.
                if (!recovery.keys().isEmpty()) {
                    rollbackHint.ifPresent(hint -> todo.add("Make the rollback stick: set `" + hint + "` in the Helm"
                            + " values (or the GitOps source), or the next sync undoes it."));
                }
                recovery.keys().forEach((key, flag) -> todo.add("Re-enable `" + key + "` in ConfigMap "
                        + recovery.configMap().orElse("?") + " once a good model serves"
                        + (recovery.reenableAfterRecovery() ? " (the guardian does it after a verified promotion)"
                                : "")
                        + "."));
                todo.add("Retrain once the cause is fixed: `model-guardian remediate --target " + target.name()
                        + " --force` (the target waits in ROLLED_BACK until then).");
            }
            case FAILED -> todo.add("Fix the training (its log is above), then `model-guardian remediate --target "
                    + target.name() + " --force`.");
            case NOT_STARTED -> todo.add("Make the training startable (see the reason above), then `model-guardian"
                    + " doctor`.");
            case PROMOTED, RETRAINED -> todo.add("Watch the signals for another day: the guardian verified them only"
                    + " for the verify window.");
            case REJECTED, DRY_RUN -> todo.add("Decide whether the signals still need a remediation.");
        }
        todo.add("Update the incident (PagerDuty/Slack) with the root cause and close it.");
        todo.add("Schedule the post-mortem review.");
        return todo;
    }

    private List<String> questions() {
        List<String> questions = new ArrayList<>();
        for (TargetHealth.FiredSignal f : entry.trigger()) {
            questions.add("Why did " + f.model() + " " + f.signal() + " reach " + (Double.isNaN(f.value()) ? "its bound"
                    : Bound.format(f.value())) + "? (input data, an upstream change, seasonality, a feature pipeline)");
        }
        if (entry.trainingLog().isPresent()) {
            questions.add("Why did the training run fail, and would it fail again?");
        }
        if (entry.verdict().filter(v -> !v.passed()).isPresent()) {
            questions.add("Why was the retrained candidate worse than the serving version?");
        }
        questions.add("What would have caught it earlier?");
        return questions;
    }

    private static void appendLog(StringBuilder md, LogTail log) {
        md.append("\n").append(capitalize(log.heading())).append(log.lines().isEmpty() ? ".\n" : ":\n\n");
        if (!log.lines().isEmpty()) {
            md.append("```\n");
            log.lines().forEach(line -> md.append(line.replace("```", "'''")).append('\n'));
            md.append("```\n");
        }
    }

    private static String capitalize(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** {@code text} as one Markdown table cell: bars escaped, line breaks as spaces, nothing for null. */
    private static String cell(String text) {
        return text == null ? "-" : text.replace("|", "\\|").replaceAll("\\R", " ");
    }

    private static String format(Duration d) {
        return Durations.format(d.isNegative() ? Duration.ZERO : d.withNanos(0));
    }
}
