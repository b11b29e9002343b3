package dev.modelguardian.app.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.notify.PendingNotifications;
import dev.modelguardian.core.policy.Durations;
import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.Hold;
import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TrainingTrigger;

/** The one-shot Job mode: the runbook now, for one training target, followed to its end. */
@Command(name = "remediate", mixinStandardHelpOptions = true,
        description = { "Runs the runbook now for one training target: evaluates its policies and, when one fires"
                + " (or with --force), creates the retraining Job from the target's CronJob and follows it to the end,"
                + " printing each state change and Job/pod progress with the elapsed time, and the training pods'"
                + " log lines as kubectl logs -f would, each behind its pod's name (--no-logs turns them off).",
                "The same guards as serve apply: an active Job of the CronJob is adopted instead of starting another,"
                        + " cooldown, daily cap, approval, dry run. State is written to the state ConfigMap with"
                        + " compare-and-set, so a serve leader running at the same time never creates a second Job." },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:retrained (or, without --force, nothing fires: nothing to do; with --no-wait: the Job runs)",
                "1:rolled back after validation or verification (registry step)",
                "2:training failed: the Job failed, got stuck, timed out or vanished",
                "3:configuration or runtime error, or the Job could not be created",
                "4:not started: a guard holds it back (cooldown, daily cap, approval not given with --no-wait,"
                        + " or a remediation already under way with --no-wait)" })
public class RemediateCommand implements Callable<Integer> {

    static final int RETRAINED = 0;
    static final int ROLLED_BACK = 1;
    static final int TRAINING_FAILED = 2;
    static final int ERROR = 3;
    static final int NOT_STARTED = 4;
    private static final int MAX_CONSECUTIVE_ERRORS = 5;
    /** Past the end of a verify window, so that the follow-up that ends it is not a hair too early. */
    private static final long VERIFY_END_MARGIN_MILLIS = 50;

    @Mixin
    ConfigFileOption configFile;

    @Option(names = "--target", required = true, paramLabel = "NAME", description = "the training target (by default"
            + " the CronJob's name, e.g. orchestrator-dynamic-ml-training)")
    String targetName;

    @Option(names = "--force", description = "start even if no policy fires (the guards still apply)")
    boolean force;

    @Option(names = "--no-wait", description = "return as soon as the Job is created or adopted")
    boolean noWait;

    @Option(names = "--no-logs", description = "do not follow the training pods' logs while the training runs")
    boolean noLogs;

    @Option(names = { "-o", "--output" }, defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default: lines for people) or json (one JSON object per line: step, progress,"
                    + " signal, log, log-unavailable, end; each with type and elapsedSeconds)")
    Output output;

    enum Output {
        TEXT,
        JSON
    }

    @Spec
    CommandSpec spec;

    @Inject
    GuardianConfig config;

    @Inject
    Settings settings;

    @Inject
    ModelSet modelSet;

    /** Resolved only when the command runs, after the configuration is validated (picocli builds every command). */
    @Inject
    Instance<RemediationEngine> engines;

    @Inject
    Instance<StateStore> stores;

    @Inject
    Instance<TrainingTrigger> triggers;

    @Inject
    ProgressLines progressLines;

    @Inject
    java.time.Clock clock;

    @Inject
    Instance<PendingNotifications> notifiers;

    @Inject
    ObjectMapper mapper;

    private RemediationEngine engine;
    private StateStore store;
    /** Watched only to follow a Job to its end (not with --no-wait, which returns first). */
    private TrainingTrigger jobs;

    private long started;
    private String lastLine = "";
    /** The training run whose pods' logs are followed, while {@link #following} is not null. */
    private String followed;
    private TrainingTrigger.Watch following;

    @Override
    public Integer call() throws InterruptedException {
        try {
            return remediate();
        } finally {
            // What the remediation told Slack, PagerDuty or the webhook must not die with the process.
            if (engine != null) {
                notifiers.get().awaitDelivered(config.notifications().timeout().multipliedBy(2));
            }
        }
    }

    private int remediate() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ConfigProblem> problems = Extensions.validateSourcesConfigured(settings, modelSet);
        if (!problems.isEmpty()) {
            return GuardianMain.reportProblems(err, problems);
        }
        engine = engines.get();
        store = stores.get();
        jobs = triggers.get();
        Optional<TargetSpec> target = engine.target(targetName);
        if (target.isEmpty()) {
            err.println("model-guardian: remediate: " + GuardianMain.unknownTarget(targetName, engine.targets()));
            err.flush();
            return ERROR;
        }
        started = System.nanoTime();
        progressLines.connect(step -> {
            if (step.target().name().equals(targetName)) {
                RemediationState from = step.before().current().state();
                RemediationState to = step.after().current().state();
                String change = from == to ? to.toString() : from + " -> " + to;
                String what = step.decision() instanceof dev.modelguardian.core.remediation.Decision.CreateJob c
                        ? step.target().trainer().run(c.jobName()) + " created from " + step.target().trainer().source()
                        : step.after().reason();
                lastLine = to + "  " + what;
                emit(out, targetName + " " + change + "  " + what, "step", "target", targetName, "from", from.name(),
                        "to", to.name(), "reason", step.reason().name(), "message", what);
            }
        });
        RemediationEngine.TargetReport report;
        Optional<HistoryEntry> lastBefore;
        try {
            lastBefore = store.load().target(targetName, Instant.now()).last();
            report = engine.request(target.get(), force, "remediate --force");
        } catch (StateStore.StoreException | ClusterException e) {
            err.println("model-guardian: remediate: " + e.getMessage());
            err.flush();
            return ERROR;
        }
        TargetRecord record = store.load().target(targetName, Instant.now());
        Optional<HistoryEntry> ended = record.last().filter(last -> !Optional.of(last).equals(lastBefore));
        if (ended.isPresent() && record.current().remediationId().isEmpty()) {
            // The whole remediation ran within the request: a dry run, a Job that could not be created, or one that
            // finished at once (whose pods' logs are printed now, read to their end).
            HistoryEntry end = ended.get();
            if (end.job().isPresent() && end.outcome() != HistoryEntry.Outcome.NOT_STARTED
                    && end.outcome() != HistoryEntry.Outcome.DRY_RUN) {
                followLogs(out, target.get(), end.job().get());
            }
            return exitFor(out, end);
        }
        progress(out, record, report.reason());
        if (record.current().state() == RemediationState.HEALTHY || record.current().state() == RemediationState.PENDING
                || report.hold().equals(Optional.of(Hold.INCONCLUSIVE))) {
            report.evaluations().forEach(e -> emit(out, "  " + e.policy().key() + " " + e.status().state()
                    + e.status().value().stream().mapToObj(v -> " " + dev.modelguardian.core.policy.Bound.format(v))
                            .findFirst().orElse("")
                    + " (" + e.policy().describeBound() + ")" + e.status().reason().map(r -> ": " + r).orElse(""),
                    "signal", "signal", e.policy().key(), "state", e.status().state().name(),
                    "value", e.status().value().stream().boxed().filter(Double::isFinite).findFirst().orElse(null),
                    "bound", e.policy().describeBound(), "why", e.status().reason().orElse(null)));
        }
        Optional<Integer> settled = settled(record, report);
        if (settled.isPresent()) {
            return settled.get();
        }
        if (noWait) {
            return record.current().state() == RemediationState.AWAITING_APPROVAL ? NOT_STARTED : RETRAINED;
        }
        return follow(out, err, target.get(), record);
    }

    /** The exit code when the request already settled the matter, empty when there is something to wait for. */
    private Optional<Integer> settled(TargetRecord record, RemediationEngine.TargetReport report) {
        if (report.problem().filter("job-create-failed"::equals).isPresent()
                && record.current().state() != RemediationState.RETRAINING) {
            return Optional.of(ERROR);
        }
        return switch (record.current().state()) {
            case HEALTHY, PENDING -> Optional.of(RETRAINED);
            case FIRING -> Optional.of(NOT_STARTED);
            case ROLLED_BACK -> Optional.of(NOT_STARTED);
            case AWAITING_APPROVAL, RETRAINING, VALIDATING, PROMOTING, VERIFYING, ROLLING_BACK -> Optional.empty();
        };
    }

    /**
     * Follows the remediation to its end: the Job informer wakes it when a Job ends (and the Job is then read from its
     * cache), the re-list at the latest, and the end of a verify window on time (verification reads the live signals
     * at each follow-up).
     */
    private int follow(PrintWriter out, PrintWriter err, TargetSpec target, TargetRecord first)
            throws InterruptedException {
        Semaphore wake = new Semaphore(0);
        Duration relist = config.remediation().relistInterval();
        String remediation = first.current().remediationId().orElse(null);
        int errors = 0;
        followLogs(out, target, first);
        try (TrainingTrigger.Watch watch = jobs.watch(name -> wake.release())) {
            while (true) {
                Duration nap = relist;
                try {
                    // Another target's failing read is logged by the engine, not counted among this wait's errors.
                    Optional<String> said = engine.followUp(target.name()).stream()
                            .filter(r -> r.target().name().equals(target.name()))
                            .map(RemediationEngine.TargetReport::reason).findFirst();
                    TargetRecord record = store.load().target(target.name(), Instant.now());
                    if (remediation == null) {
                        remediation = record.current().remediationId().orElse(null);
                    }
                    String id = remediation;
                    Optional<HistoryEntry> end = id == null ? Optional.empty()
                            : record.history().stream().filter(h -> h.id().equals(id)).reduce((a, b) -> b);
                    followLogs(out, target, record);
                    if (end.isPresent()) {
                        return exitFor(out, end.get());
                    }
                    RemediationState state = record.current().state();
                    if (state == RemediationState.RETRAINING && record.current().jobName().isPresent()
                            && jobs.observe(target, record.current().jobName().get())
                                    instanceof JobObservation.Running r) {
                        progress(out, record, target.trainer().run(record.current().jobName().get()) + ": "
                                + r.progress());
                    } else if (state == RemediationState.VERIFYING && said.isPresent()) {
                        progress(out, record, said.get());
                        nap = untilVerified(record, target, relist, clock.instant());
                    } else {
                        progress(out, record, record.reason());
                    }
                    errors = 0;
                } catch (StateStore.StoreException | ClusterException e) {
                    errors++;
                    err.println("model-guardian: remediate: " + e.getMessage() + " (attempt " + errors + " of "
                            + MAX_CONSECUTIVE_ERRORS + ")");
                    err.flush();
                    if (errors >= MAX_CONSECUTIVE_ERRORS) {
                        return ERROR;
                    }
                }
                if (wake.tryAcquire(Math.max(1, nap.toMillis()), TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            }
        } finally {
            stopFollowingLogs();
        }
    }

    /**
     * Follows the training pods' logs while the remediation trains with a run known to exist, and stops (after the
     * pods that ended are read to their end) as soon as it does not: the log lines come before the end's line.
     */
    private void followLogs(PrintWriter out, TargetSpec target, TargetRecord record) {
        boolean training = record.current().state() == RemediationState.RETRAINING && record.current().jobCreated()
                && record.current().jobName().isPresent();
        Optional<String> run = training ? record.current().jobName() : Optional.empty();
        if (following != null && !run.equals(Optional.of(followed))) {
            stopFollowingLogs();
        }
        if (following == null && run.isPresent()) {
            followLogs(out, target, run.get());
        }
    }

    /** Starts following the logs of {@code run}'s pods, unless {@code --no-logs}; {@link #exitFor} stops it. */
    private void followLogs(PrintWriter out, TargetSpec target, String run) {
        if (noLogs) {
            return;
        }
        followed = run;
        following = jobs.followLog(target, followed, new TrainingTrigger.LogSink() {
            @Override
            public void line(String pod, String line) {
                emit(out, pod + " | " + line, "log", "pod", pod, "line", line);
            }

            @Override
            public void unreadable(String source, String why) {
                emit(out, "log of " + source + " cannot be read: " + why, "log-unavailable", "source", source,
                        "why", why);
            }
        });
    }

    private void stopFollowingLogs() {
        if (following != null) {
            following.close();
            following = null;
        }
    }

    /** How long to wait while verifying: the re-list, or less when the verify window ends sooner. */
    static Duration untilVerified(TargetRecord record, TargetSpec target, Duration relist, Instant now) {
        Instant end = record.current().since().plus(target.recovery().verifyWindow());
        Duration left = Duration.between(now, end).plusMillis(VERIFY_END_MARGIN_MILLIS);
        return left.isNegative() ? Duration.ZERO : left.compareTo(relist) < 0 ? left : relist;
    }

    private int exitFor(PrintWriter out, HistoryEntry end) {
        stopFollowingLogs();
        int exit = switch (end.outcome()) {
            case RETRAINED, PROMOTED, DRY_RUN -> RETRAINED;
            // A verdict means training succeeded: validation or verification is what rolled it back.
            case ROLLED_BACK -> end.verdict().isPresent() ? ROLLED_BACK : TRAINING_FAILED;
            case FAILED -> TRAINING_FAILED;
            case NOT_STARTED -> ERROR;
            case REJECTED -> NOT_STARTED;
        };
        emit(out, "remediation " + end.id() + " ended " + end.outcome().tag() + ": " + end.reason(), "end",
                "remediationId", end.id(), "outcome", end.outcome().tag(), "reason", end.reason(),
                "trainingLog", end.trainingLog().orElse(null), "exitCode", exit);
        return exit;
    }

    /** One progress line, only when something changed. */
    private void progress(PrintWriter out, TargetRecord record, String what) {
        String text = record.current().state() + "  " + what;
        if (!text.equals(lastLine)) {
            lastLine = text;
            emit(out, targetName + " " + text, "progress", "target", targetName, "state",
                    record.current().state().name(), "message", what);
        }
    }

    /**
     * One line of progress: {@code text} behind the elapsed time, or with {@code --output json} one JSON object with
     * {@code type}, {@code elapsedSeconds} and the {@code fields} (name, value, ...; null values left out). Called
     * from the log follower's thread too, hence synchronized.
     */
    private synchronized void emit(PrintWriter out, String text, String type, Object... fields) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        if (output == Output.JSON) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("type", type);
            object.put("elapsedSeconds", elapsed.toMillis() / 1000.0);
            for (int i = 0; i + 1 < fields.length; i += 2) {
                if (fields[i + 1] != null) {
                    object.put((String) fields[i], fields[i + 1]);
                }
            }
            try {
                out.println(mapper.writeValueAsString(object));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("remediate --output json: " + e.getOriginalMessage(), e);
            }
        } else {
            out.printf("[%6s] %s%n", Durations.format(elapsed.withNanos(0).isZero() ? Duration.ZERO
                    : elapsed.withNanos(0)), text);
        }
        out.flush();
    }
}
