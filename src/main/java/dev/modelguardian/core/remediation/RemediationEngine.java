package dev.modelguardian.core.remediation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.modelguardian.core.policy.Evaluation;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.core.policy.PolicyStateStore;
import dev.modelguardian.core.policy.PolicyStatus;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.registry.ModelVersion;

/**
 * The runbook's loop, level-triggered: observe (policies, persisted state, the cluster), decide
 * ({@link RemediationDecider}, pure), persist (compare-and-set in the {@link StateStore}), then act (create the Job),
 * then persist what happened. A step whose write loses a race is re-read and re-decided; a crash between any two
 * lines resumes at the persisted step, and Job creation is idempotent on the remediation id.
 */
public final class RemediationEngine {

    /** Enough for the longest chain of one cycle (HEALTHY, FIRING, RETRAINING, Job created) plus a few races. */
    private static final int MAX_STEPS = 24;
    private static final Duration DAY = Duration.ofHours(24);
    private static final Logger LOG = Logger.getLogger(RemediationEngine.class);

    private final PolicyEngine policyEngine;
    private final List<Policy> policies;
    private final List<TargetSpec> targets;
    private final StateStore store;
    private final TrainingTrigger trigger;
    private final RemediationPolicy policy;
    private final int historyLimit;
    private final Clock clock;
    private final RemediationListener listener;
    private final BooleanSupplier mayAct;
    private final Optional<ModelRegistry> registry;
    private final ModelServer server;

    /**
     * @param mayAct checked before every write and every action: false as soon as this replica is no longer the
     *               leader
     */
    public RemediationEngine(PolicyEngine policyEngine, List<Policy> policies, List<TargetSpec> targets,
            StateStore store, TrainingTrigger trigger, RemediationPolicy policy, int historyLimit, Clock clock,
            RemediationListener listener, BooleanSupplier mayAct) {
        this(policyEngine, policies, targets, store, trigger, policy, historyLimit, clock, listener, mayAct,
                Optional.empty(), ModelServer.NONE);
    }

    /**
     * @param registry the model registry, when validation, promotion and version rollback are configured
     * @param server   the model server's flag ConfigMap and Deployment
     */
    public RemediationEngine(PolicyEngine policyEngine, List<Policy> policies, List<TargetSpec> targets,
            StateStore store, TrainingTrigger trigger, RemediationPolicy policy, int historyLimit, Clock clock,
            RemediationListener listener, BooleanSupplier mayAct, Optional<ModelRegistry> registry,
            ModelServer server) {
        this.registry = registry;
        this.server = server;
        this.policyEngine = policyEngine;
        this.policies = List.copyOf(policies);
        this.targets = List.copyOf(targets);
        this.store = store;
        this.trigger = trigger;
        this.policy = policy;
        this.historyLimit = historyLimit;
        this.clock = clock;
        this.listener = listener;
        this.mayAct = mayAct;
    }

    public List<TargetSpec> targets() {
        return targets;
    }

    public Optional<TargetSpec> target(String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** One full cycle: every policy evaluated and persisted, then every target advanced as far as it can go now. */
    public CycleReport runCycle() {
        return runCycle(report -> {
        });
    }

    /**
     * One full cycle, {@code done} told of it once every target was tried, before it returns or throws a target's
     * failure: the report then holds the evaluations and the targets that were advanced, so that what was done is
     * recorded even though the cycle fails with that target's error. A failure before any target is tried (the state
     * cannot be read, the statuses not written) or one that is not a target's read or write (a bug) is thrown as it
     * happens, without telling {@code done}. A failure of {@code done} itself is thrown after the targets' (suppressed
     * in the first of theirs when there is one).
     */
    public CycleReport runCycle(Consumer<CycleReport> done) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        GuardianState state = store.load();
        List<Evaluation> evaluations = evaluate(state, policies);
        Map<String, List<Evaluation>> byTarget = byTarget(targets, evaluations);
        Advanced advanced = eachTarget(targets, target -> {
            TargetHealth health = TargetHealth.of(byTarget.get(target.name()));
            boolean noted = noteInconclusive(target, state, health);
            // The cycle's one read serves each target's first step; a target re-reads only after a write.
            return advance(target, health, Optional.empty(), noted ? Optional.empty()
                    : Optional.of(state.target(target.name(), clock.instant())));
        });
        CycleReport report = new CycleReport(started, evaluations, advanced.reports(),
                Duration.ofNanos(System.nanoTime() - t0));
        try {
            done.accept(report);
        } catch (RuntimeException e) {
            RuntimeException failure = advanced.failure().orElseThrow(() -> e);
            failure.addSuppressed(e);
        }
        advanced.orThrow();
        return report;
    }

    /**
     * The targets advanced, and the first failure among those that could not be (the others suppressed in it).
     *
     * @param reports  the reports of the targets advanced, in order
     * @param failure  the first target's failure, if any
     * @param failures each target that could not be advanced, by name, with its own failure
     */
    private record Advanced(List<TargetReport> reports, Optional<RuntimeException> failure,
            Map<String, RuntimeException> failures) {

        /** The reports, or the failure thrown: the caller sees the cycle fail. */
        List<TargetReport> orThrow() {
            if (failure.isPresent()) {
                throw failure.get();
            }
            return reports;
        }
    }

    /**
     * Advances every target, even when one of them fails: a target whose training runs or state cannot be read or
     * written now must not keep the others from being remediated (a registry failure never gets here: the steps that
     * read the registry turn it into a decision). The first such failure carries the others suppressed in it.
     */
    private static Advanced eachTarget(List<TargetSpec> targets,
            Function<TargetSpec, TargetReport> advance) {
        List<TargetReport> reports = new ArrayList<>();
        Map<String, RuntimeException> failures = new HashMap<>();
        RuntimeException failed = null;
        for (TargetSpec target : targets) {
            try {
                reports.add(advance.apply(target));
            } catch (ClusterException | StateStore.StoreException e) {
                LOG.errorf("Target %s was not advanced (tried again at the next cycle or follow-up): %s", target.name(),
                        e.getMessage());
                failures.put(target.name(), e);
                if (failed == null) {
                    failed = e;
                } else if (e != failed) {
                    failed.addSuppressed(e);
                }
            }
        }
        return new Advanced(List.copyOf(reports), Optional.ofNullable(failed), Map.copyOf(failures));
    }

    /**
     * Advances only the targets whose remediation is under way (a Job running, a hand-over pending), without a full
     * cycle: what the Job informer and the re-list call between cycles ({@code remediate}'s wait loop calls
     * {@link #followUp(String)}). Verification watches the live signals, so the policies of the targets that are
     * verifying (and only those) are evaluated now.
     */
    public List<TargetReport> followUp() {
        return followingUp().orThrow();
    }

    /**
     * A follow-up as {@link #followUp()}, for a caller that waits on the target {@code waitingOn} alone
     * ({@code remediate}): only that target's failure (or a failure to read the state) fails it. Another target whose
     * runs cannot be read now is logged and taken up again at the next follow-up; it is not the caller's error.
     */
    public List<TargetReport> followUp(String waitingOn) {
        Advanced advanced = followingUp();
        RuntimeException own = advanced.failures().get(waitingOn);
        if (own != null) {
            throw own;
        }
        return advanced.reports();
    }

    private Advanced followingUp() {
        GuardianState state = store.load();
        List<TargetSpec> underWay = targets.stream().filter(t -> stateOf(state, t).filter(
                RemediationEngine::inProgress).isPresent()).toList();
        List<TargetSpec> verifying = underWay.stream().filter(t -> stateOf(state, t).orElseThrow()
                == RemediationState.VERIFYING).toList();
        List<Evaluation> evaluations = verifying.isEmpty() ? List.of() : evaluate(state, policiesOf(verifying));
        Map<String, List<Evaluation>> byTarget = byTarget(verifying, evaluations);
        return eachTarget(underWay, target -> {
            TargetHealth health = byTarget.containsKey(target.name()) ? TargetHealth.of(byTarget.get(target.name()))
                    : UNOBSERVED;
            return advance(target, health, Optional.empty(), Optional.of(state.target(target.name(),
                    clock.instant())));
        });
    }

    /**
     * A human asks for the runbook now on {@code target}. With {@code force} the request stands in for a firing
     * signal while no remediation is under way (the guards still apply), and {@code by} is recorded as who asked;
     * without it the signals decide. Either way the signals are evaluated now, and a remediation already under way
     * goes on deciding on them: a request is never a signal that verification waits to clear.
     */
    public TargetReport request(TargetSpec target, boolean force, String by) {
        List<Evaluation> evaluations = evaluate(store.load(), policies);
        List<Evaluation> own = byTarget(List.of(target), evaluations).get(target.name());
        return advance(target, TargetHealth.of(own), force ? Optional.of(by) : Optional.empty(), Optional.empty())
                .with(own);
    }

    /**
     * Approves the target's parked remediation, recording {@code approver} (e.g. {@code api-token}) in its timeline;
     * problem {@code not-awaiting-approval} when it is not waiting for approval.
     */
    public TargetReport approve(TargetSpec target, String approver) {
        for (int attempt = 0; attempt < MAX_STEPS; attempt++) {
            TargetRecord record = store.target(target.name(), clock.instant());
            TargetState s = record.current();
            if (s.state() != RemediationState.AWAITING_APPROVAL) {
                return new TargetReport(target, record, "not waiting for approval (state " + s.state() + ")",
                        Optional.of("not-awaiting-approval"));
            }
            TargetState approved = new TargetState(s.state(), s.since(), s.remediationId(), s.jobName(),
                    s.jobCreated(), s.trigger(), true, s.recentStarts(), s.lastFinished());
            if (persist(target, record, record.with(approved, "approved by " + approver)
                    .approvedBy(approver, clock.instant()), new Decision.MoveTo(Reason.APPROVED,
                            "approved by " + approver))) {
                // The approved remediation starts on its recorded trigger; no signal is read here.
                return advance(target, UNOBSERVED, Optional.empty(), Optional.empty());
            }
        }
        throw new IllegalStateException("target " + target.name() + " kept changing while being approved");
    }

    /**
     * A human rejects the remediation waiting for approval ({@code reject}): it ends REJECTED with who and why in
     * its history, nothing is started, the target goes back to FIRING and the cooldown starts, so the guardian does
     * not ask again at once. Anywhere but AWAITING_APPROVAL nothing changes.
     *
     * @param by  who rejected it
     * @param why the reason they gave
     */
    public TargetReport reject(TargetSpec target, String by, String why) {
        for (int attempt = 0; attempt < MAX_STEPS; attempt++) {
            Instant now = clock.instant();
            TargetRecord record = store.target(target.name(), now);
            if (record.current().state() != RemediationState.AWAITING_APPROVAL) {
                return new TargetReport(target, record, "not waiting for approval (state " + record.current().state()
                        + ")", Optional.of("not-awaiting-approval"));
            }
            Decision.EndRemediation end = new Decision.EndRemediation(Reason.REJECTED, HistoryEntry.Outcome.REJECTED,
                    "rejected by " + by + ": " + why);
            if (end(target, record, end, now)) {
                return new TargetReport(target, store.target(target.name(), now), end.detail(),
                        Optional.empty());
            }
        }
        throw new IllegalStateException("target " + target.name() + " kept changing while being rejected");
    }

    /**
     * A human asks for a rollback now ({@code rollback}, the HTTP API): the flag keys to their rollback values, each
     * model's version from the last snapshot back to serving, the restart. Without any snapshot one is taken now, so
     * the flag is still turned off. From ROLLING_BACK it resumes; anywhere else it starts over, so running it twice
     * gives the same result.
     *
     * @throws ModelRegistry.RegistryException      when there is no snapshot and none can be taken
     * @throws ClusterException     likewise
     */
    public TargetReport rollback(TargetSpec target) {
        for (int attempt = 0; attempt < MAX_STEPS; attempt++) {
            if (!mayAct.getAsBoolean()) {
                return new TargetReport(target, null, "not acting: this replica is not the leader",
                        Optional.of("not-leader"));
            }
            Instant now = clock.instant();
            TargetRecord record = store.target(target.name(), now);
            TargetState s = record.current();
            if (s.state() == RemediationState.ROLLING_BACK) {
                return advance(target, UNOBSERVED, Optional.empty(), Optional.empty());
            }
            String id = "rollback-" + now.getEpochSecond();
            Progress progress = record.progress().snapshot().isPresent() ? record.progress()
                    : record.progress().withSnapshot(takeSnapshot(target, id, now));
            String why = "rollback requested by hand" + (s.state() == RemediationState.RETRAINING
                    ? "; " + target.trainer().run(s.jobName().orElse("?")) + " keeps running but is no longer watched"
                    : "");
            TargetState next = new TargetState(RemediationState.ROLLING_BACK, now, Optional.of(
                    s.remediationId().orElse(id)), s.jobName(), s.jobCreated(), s.trigger(), s.approved(),
                    s.recentStarts(), s.lastFinished(), s.requestedBy());
            Decision.MoveTo move = new Decision.MoveTo(Reason.ROLLBACK_REQUESTED, why);
            if (persist(target, record, record.with(next, progress, why), move)) {
                return advance(target, UNOBSERVED, Optional.empty(), Optional.empty());
            }
        }
        throw new IllegalStateException("target " + target.name() + " kept changing while a rollback was requested");
    }

    /** What {@link #rollback} would do now, changing nothing (the snapshot is read, not persisted, when missing). */
    public List<Action> rollbackPlan(TargetSpec target) {
        Instant now = clock.instant();
        TargetRecord record = store.target(target.name(), now);
        Progress progress = record.progress().snapshot().isPresent() ? record.progress()
                : record.progress().withSnapshot(takeSnapshot(target, "rollback-" + now.getEpochSecond(), now));
        TargetState s = record.current();
        TargetState rolling = s.state() == RemediationState.ROLLING_BACK ? s
                : s.moveTo(RemediationState.ROLLING_BACK, now);
        TargetRecord planned = new TargetRecord(record.revision(), rolling, record.reason(),
                s.state() == RemediationState.ROLLING_BACK ? progress : progress.withCause("dry run"),
                record.flagsToRestore(), record.history());
        List<String> done = planned.progress().done();
        return RecoveryDecider.rollbackPlan(planned, target.recovery()).stream()
                .filter(a -> !done.contains(a.key())).toList();
    }

    /** {@code evaluated} evaluated now, statuses read from {@code state} and saved to the state store. */
    private List<Evaluation> evaluate(GuardianState state, List<Policy> evaluated) {
        PolicyStateStore view = new PolicyStateStore() {
            @Override
            public Map<String, PolicyStatus> load() {
                return state.policies();
            }

            @Override
            public void save(Map<String, PolicyStatus> statuses) {
                if (mayAct.getAsBoolean()) {
                    store.savePolicies(statuses);
                }
            }
        };
        return policyEngine.evaluate(evaluated, view);
    }

    /** The policies of the models {@code of} train. */
    private List<Policy> policiesOf(List<TargetSpec> of) {
        Set<String> models = of.stream().flatMap(t -> t.models().stream()).collect(Collectors.toSet());
        return policies.stream().filter(p -> models.contains(p.model())).toList();
    }

    private static Optional<RemediationState> stateOf(GuardianState state, TargetSpec target) {
        return Optional.ofNullable(state.targets().get(target.name())).map(r -> r.current().state());
    }

    /**
     * Persists since when the target's signals are inconclusive, or that they no longer are, so that a restart keeps
     * the time ({@code inconclusive-too-long}). Written only when that changes, on the record read at the start of the
     * cycle: when someone wrote in between, the next cycle notes it. Bookkeeping, not a step: no listener hears it.
     * Returns whether it wrote (or tried to): the record read at the start of the cycle is then stale.
     */
    private boolean noteInconclusive(TargetSpec target, GuardianState state, TargetHealth health) {
        if (!mayAct.getAsBoolean()) {
            return false;
        }
        Instant now = clock.instant();
        TargetRecord record = state.target(target.name(), now);
        Optional<TargetRecord> next = record.inconclusive(health.state() == PolicyState.INCONCLUSIVE, now);
        next.ifPresent(n -> store.compareAndSet(target.name(), record.revision(), n));
        return next.isPresent();
    }

    /**
     * The evaluations of the models each of {@code targets} trains, by target name, in the evaluations' order. One pass
     * over the evaluations: filtering them once per target cost a cycle of 1000 targets and 5000 policies about a
     * quarter of a second (docs/benchmarks.md).
     */
    private static Map<String, List<Evaluation>> byTarget(List<TargetSpec> targets, List<Evaluation> evaluations) {
        Map<String, Set<String>> trainedBy = new HashMap<>();
        targets.forEach(t -> t.models().forEach(model -> trainedBy.computeIfAbsent(model, m -> new LinkedHashSet<>())
                .add(t.name())));
        Map<String, List<Evaluation>> mine = new HashMap<>();
        targets.forEach(t -> mine.put(t.name(), new ArrayList<>()));
        for (Evaluation e : evaluations) {
            trainedBy.getOrDefault(e.policy().model(), Set.of()).forEach(target -> mine.get(target).add(e));
        }
        mine.replaceAll((target, own) -> List.copyOf(own));
        return mine;
    }

    /** Not even a health reading: what the follow-up passes for targets whose step does not look at the signals. */
    private static final TargetHealth UNOBSERVED = new TargetHealth(PolicyState.INCONCLUSIVE, List.of());

    /** The states that follow the signals: a move to one of them ends a request. */
    private static boolean watching(RemediationState state) {
        return state == RemediationState.HEALTHY || state == RemediationState.PENDING;
    }

    private static boolean inProgress(RemediationState state) {
        return switch (state) {
            case RETRAINING, VALIDATING, PROMOTING, VERIFYING, ROLLING_BACK -> true;
            case HEALTHY, PENDING, FIRING, AWAITING_APPROVAL, ROLLED_BACK -> false;
        };
    }

    /**
     * Decide, persist, act, persist, until the decider says stay. {@code request} is who asked for a remediation by
     * hand, when someone did: it is decided first, and stands in for a firing signal while no remediation is under
     * way. {@code known} is the record the caller read for this target just before (the cycle's one read), used for
     * the first step; a first step that would do anything but stay checks that the record is still that one (else it
     * decides again on the fresh one), and every later step, and the first without it, reads the target's record.
     */
    private TargetReport advance(TargetSpec target, TargetHealth health, Optional<String> request,
            Optional<TargetRecord> known) {
        boolean requestPending = request.isPresent();
        // The request stands in for a firing signal until a remediation is under way, never after.
        boolean forcing = request.isPresent();
        String lastReason = "";
        TargetRecord record = null;
        for (int step = 0; step < MAX_STEPS; step++) {
            if (!mayAct.getAsBoolean()) {
                return new TargetReport(target, record, "not acting: this replica is not the leader",
                        Optional.of("not-leader"));
            }
            Instant now = clock.instant();
            record = step == 0 && known.isPresent() ? known.get() : store.target(target.name(), now);
            TargetState s = record.current();
            forcing = forcing && !inProgress(s.state()) && s.state() != RemediationState.AWAITING_APPROVAL;
            TargetHealth seen = forcing ? health.requested() : health;
            Optional<Decision> asked = requestPending ? Optional.of(RemediationDecider.requested(s))
                    .filter(d -> !(d instanceof Decision.Stay)) : Optional.empty();
            boolean requestStep = asked.isPresent();
            TargetRecord read = record;
            Decision decision = asked.orElseGet(() -> decide(target, read, seen, now));
            if (step == 0 && known.isPresent() && !(decision instanceof Decision.Stay)
                    && store.target(target.name(), now).revision() != record.revision()) {
                // Someone wrote since the cycle's read (a command, a follow-up): an action (a promotion, flag keys)
                // must never be taken on a stale record, so decide again on the record as it is now.
                continue;
            }
            requestPending = false;
            switch (decision) {
                case Decision.Stay stay -> {
                    TargetRecord stayed = record;
                    tell(() -> listener.stayed(target, stayed, stay));
                    return new TargetReport(target, record, stay.detail(), Optional.empty(), Optional.of(stay.hold()));
                }
                case Decision.MoveTo move -> {
                    List<TargetHealth.FiredSignal> trigger = health.firing().isEmpty() ? s.trigger() : health.firing();
                    Optional<String> requestedBy = requestStep ? request
                            : watching(move.to()) ? Optional.empty() : s.requestedBy();
                    TargetState next = new TargetState(move.to(), now, s.remediationId(), s.jobName(), s.jobCreated(),
                            keepsTrigger(move.to()) ? trigger : s.trigger(), s.approved(), s.recentStarts(),
                            s.lastFinished(), requestedBy);
                    if (StateMachine.TRAINING_FAILURES.contains(move.reason())) {
                        Progress withLog = trainingLog(target, s).map(record.progress()::withTrainingLog)
                                .orElse(record.progress());
                        persist(target, record, record.with(next, withLog, move.detail()), move);
                    } else {
                        write(target, record, next, move.detail(), move);
                    }
                    lastReason = move.detail();
                }
                case Decision.StartRetraining start -> {
                    TargetState next = new TargetState(RemediationState.RETRAINING, now,
                            Optional.of(start.remediationId()), Optional.of(start.jobName()), false, start.trigger(),
                            false, starts(s, now), s.lastFinished(), request.or(s::requestedBy));
                    lastReason = "retraining: " + target.trainer().run(start.jobName()) + " to be created from "
                            + target.trainer().source();
                    write(target, record, next, lastReason, start);
                }
                case Decision.AdoptJob adopt -> {
                    TargetState next = new TargetState(RemediationState.RETRAINING, now,
                            Optional.of(adopt.remediationId()), Optional.of(adopt.jobName()), true, adopt.trigger(),
                            false, starts(s, now), s.lastFinished(), request.or(s::requestedBy));
                    lastReason = "retraining: adopted " + target.trainer().run(adopt.jobName()) + " of "
                            + target.trainer().source() + ", already running; no second "
                            + target.trainer().runKind();
                    write(target, record, next, lastReason, adopt);
                }
                case Decision.CreateJob create -> {
                    Optional<Decision> failed = createJob(target, record, create);
                    if (failed.isPresent()) {
                        if (failed.get() instanceof Decision.Stay retry) {
                            return new TargetReport(target, record, retry.detail(), Optional.of("job-create-failed"));
                        }
                        // One attempt per cycle: the next cycle may try again, within the daily cap.
                        Decision.EndRemediation end = (Decision.EndRemediation) failed.get();
                        end(target, record, end, now);
                        return new TargetReport(target, record, end.detail(), Optional.of("job-create-failed"));
                    }
                    TargetState next = new TargetState(s.state(), s.since(), s.remediationId(), s.jobName(), true,
                            s.trigger(), s.approved(), s.recentStarts(), s.lastFinished(), s.requestedBy());
                    lastReason = target.trainer().run(create.jobName()) + " created from " + target.trainer().source();
                    write(target, record, next, lastReason, create);
                }
                case Decision.RecordDryRun dry -> {
                    HistoryEntry entry = new HistoryEntry("dry-" + now.getEpochSecond(), Optional.of(dry.jobName()),
                            now, now, HistoryEntry.Outcome.DRY_RUN, "dry run: would create "
                                    + target.trainer().run(dry.jobName())
                                    + " from " + target.trainer().source(), dry.trigger())
                            .requestedBy(request.or(s::requestedBy));
                    TargetState next = new TargetState(RemediationState.FIRING, s.since(), Optional.empty(),
                            Optional.empty(), false, dry.trigger(), false, starts(s, now), Optional.of(now));
                    lastReason = entry.reason();
                    writeFinished(target, record, next, entry, dry);
                }
                case Decision.EndRemediation end -> {
                    end(target, record, end, now);
                    lastReason = end.detail();
                }
                case Decision.TakeSnapshot take -> {
                    Optional<Decision.EndRemediation> failed = snapshot(target, record, take, now);
                    if (failed.isPresent()) {
                        end(target, record, failed.get(), now);
                        return new TargetReport(target, record, failed.get().detail(), Optional.of("no-snapshot"));
                    }
                    lastReason = "snapshot taken";
                }
                case Decision.Validated validated -> {
                    TargetState next = s.moveTo(validated.to(), now);
                    persist(target, record, record.with(next, record.progress().withVerdict(validated.verdict()),
                            validated.detail()), validated);
                    lastReason = validated.detail();
                }
                case Decision.Act act -> {
                    Optional<String> retry = act(target, record, act, now);
                    if (retry.isPresent()) {
                        return new TargetReport(target, record, retry.get(), Optional.of("action-failed"));
                    }
                    lastReason = act.action().describe();
                }
            }
        }
        LOG.warnf("Target %s did not settle within %d steps; last: %s", target.name(), MAX_STEPS, lastReason);
        return new TargetReport(target, record, lastReason, Optional.of("did-not-settle"));
    }

    private Decision decide(TargetSpec target, TargetRecord record, TargetHealth health, Instant now) {
        TargetState s = record.current();
        RecoverySpec recovery = target.recovery();
        return switch (s.state()) {
            case RETRAINING -> RecoveryDecider.needsSnapshot(record) ? new Decision.TakeSnapshot()
                    : RecoveryDecider.afterTraining(retraining(target, s, health, now), recovery);
            case VALIDATING -> RecoveryDecider.validating(record, recovery, observeRegistry(target, record), now);
            case PROMOTING -> RecoveryDecider.promoting(record, recovery);
            case VERIFYING -> RecoveryDecider.verifying(record, recovery, health, now);
            case ROLLING_BACK -> RecoveryDecider.rollingBack(record, recovery);
            case HEALTHY, PENDING, FIRING, AWAITING_APPROVAL, ROLLED_BACK -> retraining(target, s, health, now);
        };
    }

    private Decision retraining(TargetSpec target, TargetState s, TargetHealth health, Instant now) {
        JobObservation job = s.state() == RemediationState.RETRAINING && s.jobName().isPresent() && s.jobCreated()
                ? trigger.observe(target, s.jobName().get())
                : new JobObservation.NotFound();
        Optional<String> active = s.state() == RemediationState.FIRING && health.state() == PolicyState.FIRING
                ? trigger.running(target, Optional.empty())
                : Optional.empty();
        return RemediationDecider.decide(s, health, job, active, policy, now, target.trainer().runKind());
    }

    /**
     * Takes and persists the snapshot of the current remediation; empty when it is persisted, else the end of a
     * remediation that cannot start without one (nothing has been changed yet).
     */
    private Optional<Decision.EndRemediation> snapshot(TargetSpec target, TargetRecord record,
            Decision.TakeSnapshot take, Instant now) {
        String id = record.current().remediationId().orElseThrow();
        Snapshot taken;
        try {
            taken = takeSnapshot(target, id, now);
        } catch (ModelRegistry.RegistryException | ClusterException e) {
            LOG.errorf("Remediation %s of target %s: no snapshot: %s", id, target.name(), e.getMessage());
            tell(() -> listener.actionFailed(target, record, "take the snapshot rollback needs", e.getMessage()));
            return Optional.of(new Decision.EndRemediation(Reason.NO_SNAPSHOT, HistoryEntry.Outcome.NOT_STARTED,
                    "no snapshot, so no remediation: " + e.getMessage()
                            + (record.current().jobCreated()
                                    ? "; " + target.trainer().run(record.current().jobName().orElse("?"))
                                    + " was not created by the guardian and is left alone" : "")));
        }
        persist(target, record, record.with(record.progress().withSnapshot(taken), "snapshot taken: "
                + describe(taken)), take);
        return Optional.empty();
    }

    /** What rollback would restore now: each model's serving version with its metrics, and the flag values. */
    Snapshot takeSnapshot(TargetSpec target, String remediationId, Instant now) {
        RecoverySpec recovery = target.recovery();
        java.util.Map<String, Snapshot.Serving> models = new java.util.TreeMap<>();
        for (var e : recovery.models().entrySet()) {
            ModelRegistry r = registry.orElseThrow();
            ModelVersion serving = r.serving(e.getValue().registry()).orElseThrow(
                    () -> new ModelRegistry.RegistryException("model " + e.getValue().registry().name() + " has no"
                            + " version in " + e.getValue().registry().servingLabel() + " to snapshot; promote one"
                            + " by hand first, or remove the model from target " + target.name(), false, null));
            Map<String, Double> metrics = serving.runId().map(run -> r.run(run).metrics()).orElse(Map.of());
            models.put(e.getKey(), new Snapshot.Serving(serving.version(), serving.runId(), metrics));
        }
        Map<String, Optional<String>> values = Map.of();
        if (recovery.configMap().isPresent() && !recovery.keys().isEmpty()) {
            String configMap = recovery.configMap().get();
            values = server.read(configMap, recovery.keys().keySet());
            List<String> missing = values.entrySet().stream().filter(v -> v.getValue().isEmpty())
                    .map(Map.Entry::getKey).sorted().toList();
            if (!missing.isEmpty()) {
                throw new ClusterException("ConfigMap " + configMap + " has no key "
                        + String.join(", ", missing) + "; fix targets." + target.name() + ".rollback.keys or the"
                        + " ConfigMap", true, null);
            }
        }
        recovery.restartTarget().ifPresent(server::requireDeployment);
        return new Snapshot(remediationId, now, models, recovery.configMap(), values);
    }

    private static String describe(Snapshot snapshot) {
        List<String> parts = new ArrayList<>();
        new java.util.TreeMap<>(snapshot.models()).forEach((m, s) -> parts.add(m + " v" + s.version()));
        new java.util.TreeMap<>(snapshot.values()).forEach((k, v) -> parts.add(k + "=" + v.orElse("(absent)")));
        return parts.isEmpty() ? "nothing to restore" : String.join(", ", parts);
    }

    /** What validation needs from the registry, or why it cannot be read. */
    private RegistryObservation observeRegistry(TargetSpec target, TargetRecord record) {
        if (target.recovery().models().isEmpty() || registry.isEmpty()) {
            return new RegistryObservation.Seen(Map.of());
        }
        ModelRegistry r = registry.get();
        Instant since = record.progress().snapshot().map(Snapshot::takenAt).orElse(record.current().since());
        try {
            Map<String, RegistryObservation.ModelView> views = new java.util.TreeMap<>();
            for (var e : target.recovery().models().entrySet()) {
                RecoverySpec.ModelCheck check = e.getValue();
                Optional<String> experiment = Optional.empty();
                if (check.experiment().isPresent()) {
                    experiment = r.experimentId(check.experiment().get());
                    if (experiment.isEmpty()) {
                        views.put(e.getKey(), new RegistryObservation.ModelView(Optional.empty(), List.of(),
                                Optional.of("experiment " + check.experiment().get() + " does not exist")));
                        continue;
                    }
                }
                Optional<ModelVersion> serving = r.serving(check.registry());
                List<RegistryObservation.Candidate> candidates = new ArrayList<>();
                for (ModelVersion v : r.versionsSince(check.registry().name(), since)) {
                    Optional<dev.modelguardian.core.registry.Run> run = v.runId().map(r::run);
                    if (matches(run, experiment)) {
                        candidates.add(new RegistryObservation.Candidate(v, run));
                    }
                }
                views.put(e.getKey(), new RegistryObservation.ModelView(serving, candidates, Optional.empty()));
            }
            return new RegistryObservation.Seen(views);
        } catch (ModelRegistry.RegistryException e) {
            LOG.warnf("Target %s: registry unreadable during validation: %s", target.name(), e.getMessage());
            return new RegistryObservation.Unreadable(e.getMessage(), e.retryable());
        }
    }

    private static boolean matches(Optional<dev.modelguardian.core.registry.Run> run, Optional<String> experiment) {
        return experiment.isEmpty() || run.map(x -> x.experimentId().equals(experiment.get())).orElse(false);
    }

    /**
     * Takes one planned action and persists it as done; empty when it is recorded (or the failure moved the target
     * on), else why it will be retried.
     */
    private Optional<String> act(TargetSpec target, TargetRecord record, Decision.Act act, Instant now) {
        Action action = act.action();
        TargetState s = record.current();
        String id = s.remediationId().orElse("-");
        String text;
        boolean failed = false;
        try {
            text = perform(action, id);
        } catch (ModelRegistry.RegistryException | ClusterException e) {
            boolean permanent = e instanceof ClusterException c ? c.permanent()
                    : !((ModelRegistry.RegistryException) e).retryable();
            LOG.errorf("Remediation %s of target %s: %s failed: %s", id, target.name(), action.describe(),
                    e.getMessage());
            tell(() -> listener.actionFailed(target, record, action.describe(), e.getMessage()));
            if (!permanent) {
                return Optional.of(action.describe() + " failed, will retry: " + e.getMessage());
            }
            if (s.state() == RemediationState.PROMOTING) {
                Decision.MoveTo back = new Decision.MoveTo(Reason.PROMOTION_FAILED, "promotion failed: "
                        + action.describe() + ": " + e.getMessage());
                persist(target, record, record.with(s.moveTo(back.to(), now), back.detail()), back);
                return Optional.empty();
            }
            // Rollback and recovery go on with the other actions; this one is recorded as failed.
            text = "FAILED: " + action.describe() + ": " + e.getMessage();
            failed = true;
        }
        Map<String, Optional<String>> toRestore = record.flagsToRestore();
        if (action instanceof Action.SetKeys keys && !failed) {
            toRestore = s.state() == RemediationState.ROLLING_BACK
                    ? (toRestore.isEmpty() ? keys.previous() : toRestore)
                    : Map.of();
        }
        persist(target, record, record.with(record.progress().withDone(action, text), toRestore, text), act);
        return Optional.empty();
    }

    private String perform(Action action, String remediationId) {
        return switch (action) {
            case Action.SetKeys keys -> {
                server.setKeys(keys.configMap(), keys.values(), keys.previous(), remediationId);
                yield action.describe();
            }
            case Action.Promote promote -> {
                ModelRegistry r = registry.orElseThrow(() -> new ModelRegistry.RegistryException(
                        "no registry configured (guardian.mlflow.url)", false, null));
                Optional<ModelVersion> serving = r.serving(promote.model());
                if (serving.isPresent() && serving.get().version().equals(promote.version())) {
                    yield action.describe() + " (already serving)";
                }
                r.promote(promote.model(), promote.version());
                yield action.describe() + serving.map(v -> " (was v" + v.version() + ")").orElse("");
            }
            case Action.Restart restart -> {
                server.restart(restart.deployment(), restart.at());
                yield action.describe();
            }
        };
    }

    /** Creates the Job; empty when it exists now, else what to do about the failure. */
    private Optional<Decision> createJob(TargetSpec target, TargetRecord record, Decision.CreateJob create) {
        try {
            trigger.start(target, create.jobName(), create.remediationId(),
                    summary(record.current().trigger(), record.current().requestedBy()));
            return Optional.empty();
        } catch (ClusterException e) {
            LOG.errorf("Remediation %s of target %s: %s", create.remediationId(), target.name(), e.getMessage());
            tell(() -> listener.actionFailed(target, record, "create " + target.trainer().run(create.jobName()),
                    e.getMessage()));
            return Optional.of(e.permanent()
                    ? RemediationDecider.notStarted(record.current(), e.getMessage(), target.trainer().runKind())
                    : new Decision.Stay(Hold.RETRYING, target.trainer().run(create.jobName())
                            + " not created yet, will retry: "
                            + e.getMessage()));
        }
    }

    private boolean end(TargetSpec target, TargetRecord record, Decision.EndRemediation end, Instant now) {
        TargetState s = record.current();
        Instant started = s.recentStarts().isEmpty() ? s.since() : s.recentStarts().getLast();
        HistoryEntry entry = new HistoryEntry(s.remediationId().orElse("-"), s.jobName(), started, now, end.outcome(),
                end.detail(), s.trigger(), record.progress().verdict(), record.progress().actions())
                .requestedBy(s.requestedBy())
                .withTrainingLog(record.progress().trainingLog().or(() -> StateMachine.TRAINING_FAILURES.contains(
                        end.reason()) ? trainingLog(target, s) : Optional.empty()));
        Optional<Instant> lastFinished = end.outcome() == HistoryEntry.Outcome.NOT_STARTED ? s.lastFinished()
                : Optional.of(now);
        TargetState next = new TargetState(end.to(), now, Optional.empty(), Optional.empty(), false,
                end.to() == RemediationState.FIRING ? s.trigger() : List.of(), false, s.recentStarts(), lastFinished);
        return writeFinished(target, record, next, entry, end);
    }

    /**
     * The last lines of the remediation's training run, read once at the step where it failed; empty when log tails
     * are turned off. A log that cannot be read is kept as such (why not), never a failure of the step.
     */
    private Optional<LogTail> trainingLog(TargetSpec target, TargetState s) {
        if (policy.logTail().off()) {
            return Optional.empty();
        }
        String run = s.jobName().orElse("?");
        if (s.jobName().isEmpty() || !s.jobCreated()) {
            return Optional.of(LogTail.unavailable(target.trainer().run(run), "it was never created"));
        }
        LogTail tail;
        try {
            tail = trigger.logTail(target, run, policy.logTail());
        } catch (RuntimeException e) {
            tail = LogTail.unavailable(target.trainer().run(run), e.getMessage());
        }
        LOG.infof("Remediation %s of target %s: %s", s.remediationId().orElse("-"), target.name(), tail.heading());
        return Optional.of(tail);
    }

    private boolean write(TargetSpec target, TargetRecord before, TargetState next, String reason, Decision decision) {
        return persist(target, before, before.with(next, reason), decision);
    }

    private boolean writeFinished(TargetSpec target, TargetRecord before, TargetState next, HistoryEntry entry,
            Decision decision) {
        return persist(target, before, before.finished(next, entry.reason(), entry, historyLimit), decision);
    }

    private boolean persist(TargetSpec target, TargetRecord before, TargetRecord proposed, Decision decision) {
        if (!mayAct.getAsBoolean()) {
            return false;
        }
        TargetRecord after = proposed.keepingHistory(historyLimit);
        RemediationState from = before.current().state();
        Reason reason = StateMachine.reasonOf(decision, from);
        StateMachine.check(target.name(), from, reason, after.current().state());
        if (!store.compareAndSet(target.name(), before.revision(), after)) {
            LOG.infof("Target %s changed under us (revision %d); re-reading and re-deciding", target.name(),
                    before.revision());
            return false;
        }
        if (before.current().state() != after.current().state()) {
            LOG.infof("Target %s: %s -> %s: %s", target.name(), before.current().state(), after.current().state(),
                    after.reason());
        }
        tell(() -> listener.stepped(new RemediationListener.Step(target, before, after, decision, reason)));
        return true;
    }

    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warnf("A remediation listener failed (ignored): %s", e.toString());
        }
    }

    private static boolean keepsTrigger(RemediationState to) {
        return to == RemediationState.FIRING || to == RemediationState.AWAITING_APPROVAL;
    }

    /** Recent starts plus {@code now}, only those inside the daily-cap window kept. */
    private static List<Instant> starts(TargetState s, Instant now) {
        List<Instant> kept = new ArrayList<>(s.recentStarts().stream().filter(t -> t.isAfter(now.minus(DAY))).toList());
        kept.add(now);
        return kept;
    }

    /** What fired, for the Job's annotation and the Events: {@code model/signal value (bound)}, comma-separated. */
    public static String summary(List<TargetHealth.FiredSignal> trigger) {
        if (trigger.isEmpty()) {
            return "no signal recorded";
        }
        return trigger.stream().map(f -> f.model() + "/" + f.signal() + (Double.isNaN(f.value()) ? ""
                : " " + dev.modelguardian.core.policy.Bound.format(f.value())) + " (" + f.bound() + ")")
                .collect(Collectors.joining(", "));
    }

    /**
     * Why a remediation started: who asked for it by hand, if someone did, and the signals that fired, e.g.
     * {@code requested by hand (remediate --force)} or {@code requested by hand (api-token); firing: m/s 0.3 (> 0.25)}.
     */
    public static String summary(List<TargetHealth.FiredSignal> trigger, Optional<String> requestedBy) {
        return requestedBy.map(by -> "requested by hand (" + by + ")" + (trigger.isEmpty() ? ""
                : "; firing: " + summary(trigger))).orElseGet(() -> summary(trigger));
    }

    /**
     * What one target came to in a cycle. {@code problem} is a short code when it could not go on; {@code hold} why
     * it stays where it is, when it settled on a stay.
     */
    public record TargetReport(TargetSpec target, TargetRecord record, String reason, Optional<String> problem,
            Optional<Hold> hold, List<Evaluation> evaluations) {

        public TargetReport(TargetSpec target, TargetRecord record, String reason, Optional<String> problem) {
            this(target, record, reason, problem, Optional.empty(), List.of());
        }

        public TargetReport(TargetSpec target, TargetRecord record, String reason, Optional<String> problem,
                Optional<Hold> hold) {
            this(target, record, reason, problem, hold, List.of());
        }

        TargetReport with(List<Evaluation> evaluated) {
            return new TargetReport(target, record, reason, problem, hold, evaluated);
        }
    }

    /** One cycle: when it ran, every evaluation, every target, and how long it took. */
    public record CycleReport(Instant at, List<Evaluation> evaluations, List<TargetReport> targets, Duration took) {
    }
}
