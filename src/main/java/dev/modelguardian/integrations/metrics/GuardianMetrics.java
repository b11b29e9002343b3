package dev.modelguardian.integrations.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.modelguardian.core.policy.Evaluation;
import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.core.remediation.Decision;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;

/**
 * The guardian's Micrometer metrics, served by {@code serve} on {@code /q/metrics}. Micrometer names are dotted; the
 * Prometheus registry renders them as below (counters get {@code _total}, timers {@code _seconds} with
 * {@code _count}, {@code _sum} and {@code _max}):
 *
 * <pre>
 * guardian.signal.value          guardian_signal_value{model,signal}                      gauge, NaN without a value
 * guardian.signal.source.errors  guardian_signal_source_errors{model,signal}              gauge, source errors in a row
 * guardian.source.error.limit    guardian_source_error_limit                              gauge, guardian.source-error-limit
 * guardian.policy.state          guardian_policy_state{model,signal,state}                1 for the current state, 0 for the others
 * guardian.target.state          guardian_target_state{target,state}                      1 for the current state, 0 for the others
 * guardian.target.state.since    guardian_target_state_since_timestamp_seconds{target}    when it entered its state (Unix time)
 * guardian.target.deadline       guardian_target_deadline_timestamp_seconds{target}       when the guardian moves it on by itself, NaN for none
 * guardian.remediations          guardian_remediations_total{target,outcome}              counter
 * guardian.remediation.duration  guardian_remediation_duration_seconds{outcome}           histogram, decided to ended
 * guardian.action.failures       guardian_action_failures_total{target,state}             counter of failed cluster or registry actions
 * guardian.leader                guardian_leader                                          1 while this replica leads, else 0
 * guardian.cycle                 guardian_cycle_seconds                                   timer of whole evaluation cycles
 * guardian.external.call         guardian_external_call_seconds{system,operation,outcome} timer of calls to other systems
 * </pre>
 *
 * The dashboard in {@code monitoring/grafana-dashboard.json} and the alert rules in {@code monitoring/rules.yaml} read
 * these names; renaming one breaks them (MonitoringTest and DashboardIT run every expression against a real
 * Prometheus).
 *
 * The remediation counter of a target exists at 0 for every outcome from the first cycle that reads the target,
 * and the duration histogram for every outcome from the start, so {@code increase()} counts the first remediation too
 * (a series that appears at 1 has no increase). The histogram has no target tag: 11 series per outcome whatever the
 * number of targets.
 *
 * <p>Tags are low-cardinality: model, signal and target names come from the configuration, states and outcomes from
 * enums (lower case), {@code operation} must be a fixed word chosen by the caller (never an object name or a query).
 * Every state of a state set is present, so PromQL can alert on {@code guardian_policy_state{state="firing"} == 1}.
 *
 * <p>Gauges read from holders this object keeps in maps (strong references), so Micrometer never loses them to the
 * garbage collector; a repeated call updates the holder and registers nothing new.
 */
@Singleton
public final class GuardianMetrics implements RemediationListener {

    /**
     * The systems the guardian calls besides its metric sources, as the {@code system} tag of
     * {@code guardian_external_call_seconds}; a metric source's reads are tagged with its kind ({@link #sourceRead}).
     */
    public enum ExternalSystem {
        KUBERNETES,
        MLFLOW;

        /** The tag value, lower case. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The histogram buckets of {@code guardian_remediation_duration_seconds}: training runs for minutes to hours. */
    static final Duration[] MITIGATION_BUCKETS = {Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(24)};

    /** The states in which a remediation takes actions that can fail (snapshot, Job, promotion, rollback). */
    static final List<RemediationState> ACTING = List.of(RemediationState.RETRAINING, RemediationState.VALIDATING,
            RemediationState.PROMOTING, RemediationState.VERIFYING, RemediationState.ROLLING_BACK);

    private final MeterRegistry registry;
    private final Map<List<String>, AtomicReference<Double>> signalValues = new ConcurrentHashMap<>();
    private final Map<List<String>, AtomicReference<PolicyState>> policyStates = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<RemediationState>> targetStates = new ConcurrentHashMap<>();
    private final Map<List<String>, AtomicReference<Double>> sourceErrors = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> since = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> deadlines = new ConcurrentHashMap<>();
    private final AtomicInteger sourceErrorLimit = new AtomicInteger();
    private final AtomicInteger leader = new AtomicInteger();
    private final Timer cycle;

    @Inject
    public GuardianMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("guardian.leader", leader, AtomicInteger::get)
                .description("1 while this replica holds the leader Lease and acts, else 0")
                .strongReference(true)
                .register(registry);
        for (HistoryEntry.Outcome outcome : HistoryEntry.Outcome.values()) {
            duration(outcome);
        }
        Gauge.builder("guardian.source.error.limit", sourceErrorLimit, AtomicInteger::get)
                .description("Consecutive source errors after which a signal raises its own alert"
                        + " (guardian.source-error-limit)")
                .strongReference(true)
                .register(registry);
        this.cycle = Timer.builder("guardian.cycle")
                .description("Duration of one evaluation cycle over every policy and target")
                .publishPercentileHistogram(false)
                .register(registry);
    }

    /**
     * Follows every persisted step: the target's state and since when, no deadline until the next stay says one, and
     * the outcome and duration of a remediation that ended.
     */
    @Override
    public void stepped(Step step) {
        String target = step.target().name();
        target(target, step.after());
        deadline(target).set(Double.NaN);
        if (step.after().history().size() != step.before().history().size()
                || !step.after().last().equals(step.before().last())) {
            step.after().last().ifPresent(entry -> remediationEnded(target, entry));
        }
    }

    /** A stay: the target's state, and the deadline by which the guardian itself moves it on, if the stay has one. */
    @Override
    public void stayed(TargetSpec target, TargetRecord record, Decision.Stay stay) {
        target(target.name(), record);
        deadline(target.name())
                .set(stay.until().map(GuardianMetrics::seconds).orElse(Double.NaN));
    }

    /** Counts an action that failed, by the state the target was in (a failed rollback: {@code rolling_back}). */
    @Override
    public void actionFailed(TargetSpec target, TargetRecord record, String action, String message) {
        actionFailures(target.name(), record.current().state()).increment();
    }

    private Counter actionFailures(String target, RemediationState state) {
        return Counter.builder("guardian.action.failures")
                .description("Cluster or registry actions of a remediation that failed (each try), by the state the"
                        + " target was in")
                .tags("target", target, "state", state.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    /** The state of every target a cycle read (a replica that does not lead reads none). */
    public void targets(List<RemediationEngine.TargetReport> reports) {
        for (RemediationEngine.TargetReport report : reports) {
            if (report.record() != null) {
                target(report.target().name(), report.record());
            }
        }
    }

    /** The configured {@code guardian.source-error-limit}, for alerts that compare with it. */
    public void sourceErrorLimit(int limit) {
        sourceErrorLimit.set(limit);
    }

    private AtomicReference<Double> deadline(String target) {
        return holder(deadlines, target, "guardian.target.deadline", "When the guardian moves the target out of its"
                + " current state by itself (a training's timeout, the end of the registry wait or verify window),"
                + " Unix time; NaN when the state has no deadline");
    }

    /**
     * The target's state and since when; a target the state has never stored (revision 0) has no since. The first time
     * a target is seen, its remediation counters (every outcome) and action-failure counters (every state a
     * remediation acts in) start at 0, so that {@code increase()} counts the first one.
     */
    private void target(String target, TargetRecord record) {
        if (!targetStates.containsKey(target)) {
            for (HistoryEntry.Outcome outcome : HistoryEntry.Outcome.values()) {
                remediations(target, outcome);
            }
            for (RemediationState state : ACTING) {
                actionFailures(target, state);
            }
        }
        targetState(target, record.current().state());
        holder(since, target, "guardian.target.state.since", "When the target entered its current state, Unix time;"
                + " NaN for a target the state has not stored yet")
                .set(record.revision() == 0 ? Double.NaN : seconds(record.current().since()));
    }

    private AtomicReference<Double> holder(Map<String, AtomicReference<Double>> holders, String target, String name,
            String description) {
        return holders.computeIfAbsent(target, k -> {
            AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
            Gauge.builder(name, holder, AtomicReference::get)
                    .description(description)
                    .baseUnit("timestamp_seconds")
                    .tags("target", target)
                    .strongReference(true)
                    .register(registry);
            return holder;
        });
    }

    private static double seconds(Instant at) {
        return at.toEpochMilli() / 1000.0;
    }

    /** Updates the signal value and policy state of every evaluated policy. */
    public void evaluations(List<Evaluation> evaluations) {
        for (Evaluation evaluation : evaluations) {
            String model = evaluation.policy().model();
            String signal = evaluation.policy().signal();
            List<String> key = List.of(model, signal);
            double value = evaluation.status().value().isPresent() ? evaluation.status().value().getAsDouble()
                    : Double.NaN;
            signalValues.computeIfAbsent(key, k -> {
                AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
                Gauge.builder("guardian.signal.value", holder, AtomicReference::get)
                        .description("Last value read for the signal; NaN when the last read had none")
                        .tags("model", model, "signal", signal)
                        .strongReference(true)
                        .register(registry);
                return holder;
            }).set(value);
            sourceErrors.computeIfAbsent(key, k -> {
                AtomicReference<Double> holder = new AtomicReference<>(0.0);
                Gauge.builder("guardian.signal.source.errors", holder, AtomicReference::get)
                        .description("Source errors in a row for the signal; 0 after any answer from the source")
                        .tags("model", model, "signal", signal)
                        .strongReference(true)
                        .register(registry);
                return holder;
            }).set((double) evaluation.status().consecutiveSourceErrors());
            policyStates.computeIfAbsent(key, k -> stateSet("guardian.policy.state",
                    "1 for the policy's current state, 0 for the others", PolicyState.values(), "model", model,
                    "signal", signal)).set(evaluation.status().state());
        }
    }

    /** Updates the state set of one training target. */
    public void targetState(String target, RemediationState state) {
        targetStates.computeIfAbsent(target, k -> stateSet("guardian.target.state",
                "1 for the training target's current remediation state, 0 for the others",
                RemediationState.values(), "target", target)).set(state);
    }

    /** Counts a remediation that ended, and how long it took from the decision to retrain to its end. */
    public void remediationEnded(String target, HistoryEntry entry) {
        remediations(target, entry.outcome()).increment();
        Duration took = Duration.between(entry.started(), entry.ended());
        duration(entry.outcome()).record(took.isNegative() ? Duration.ZERO : took);
    }

    private Counter remediations(String target, HistoryEntry.Outcome outcome) {
        return Counter.builder("guardian.remediations")
                .description("Remediations by training target and outcome")
                .tags("target", target, "outcome", outcome.tag())
                .register(registry);
    }

    private Timer duration(HistoryEntry.Outcome outcome) {
        return Timer.builder("guardian.remediation.duration")
                .description("How long remediations took, from the decision to retrain to their end (time to"
                        + " mitigation for promoted, retrained and rolled back ones)")
                .tags("outcome", outcome.tag())
                .serviceLevelObjectives(MITIGATION_BUCKETS)
                .register(registry);
    }

    /**
     * Whether this replica leads (and so evaluates and acts). A replica that stops leading stops evaluating: its
     * signal values, policy and target states, deadlines and source errors are cleared (NaN, no state, 0) so that
     * only the leader's are counted and no alert fires on what a former leader last saw.
     */
    public void leader(boolean leading) {
        leader.set(leading ? 1 : 0);
        if (!leading) {
            signalValues.values().forEach(h -> h.set(Double.NaN));
            sourceErrors.values().forEach(h -> h.set(0.0));
            policyStates.values().forEach(h -> h.set(null));
            targetStates.values().forEach(h -> h.set(null));
            since.values().forEach(h -> h.set(Double.NaN));
            deadlines.values().forEach(h -> h.set(Double.NaN));
        }
    }

    /** Records how long one evaluation cycle took. */
    public void cycle(Duration took) {
        cycle.record(took);
    }

    /**
     * Records one call to another system.
     *
     * @param operation a fixed word naming the call ({@code query}, {@code query_range}, {@code create_job}); never
     *                  an object name, a query or a URL
     */
    public void externalCall(ExternalSystem system, String operation, boolean ok, Duration took) {
        externalCall(system.tag(), operation, ok, took);
    }

    /**
     * Records one read of a signal from a metric source, tagged with the source's kind ({@code prometheus},
     * {@code scrape}, as a signal's {@code source} key names it).
     *
     * @param operation a fixed word naming how the source reads ({@code query}, {@code scrape})
     */
    public void sourceRead(String kind, String operation, boolean ok, Duration took) {
        externalCall(kind, operation, ok, took);
    }

    private void externalCall(String system, String operation, boolean ok, Duration took) {
        Timer.builder("guardian.external.call")
                .description("Duration of calls to Prometheus, the Kubernetes API, MLflow and scraped endpoints")
                .tags("system", system, "operation", operation, "outcome", ok ? "ok" : "error")
                .publishPercentileHistogram(false)
                .register(registry)
                .record(took.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** One gauge per state, each 1 while the holder is in that state; the holder is returned for updates. */
    private <S extends Enum<S>> AtomicReference<S> stateSet(String name, String description, S[] states,
            String... tags) {
        AtomicReference<S> holder = new AtomicReference<>();
        for (S state : states) {
            Gauge.builder(name, holder, h -> h.get() == state ? 1 : 0)
                    .description(description)
                    .tags(tags)
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .strongReference(true)
                    .register(registry);
        }
        return holder;
    }
}
