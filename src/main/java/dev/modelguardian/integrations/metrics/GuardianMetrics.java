package dev.modelguardian.integrations.metrics;

import java.time.Duration;
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
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.RemediationState;

/**
 * The guardian's Micrometer metrics, served by {@code serve} on {@code /q/metrics}. Micrometer names are dotted; the
 * Prometheus registry renders them as below (counters get {@code _total}, timers {@code _seconds} with
 * {@code _count}, {@code _sum} and {@code _max}):
 *
 * <pre>
 * guardian.signal.value          guardian_signal_value{model,signal}                      gauge, NaN without a value
 * guardian.policy.state          guardian_policy_state{model,signal,state}                1 for the current state, 0 for the others
 * guardian.target.state          guardian_target_state{target,state}                      1 for the current state, 0 for the others
 * guardian.remediations          guardian_remediations_total{target,outcome}              counter
 * guardian.leader                guardian_leader                                          1 while this replica leads, else 0
 * guardian.cycle                 guardian_cycle_seconds                                   timer of whole evaluation cycles
 * guardian.external.call         guardian_external_call_seconds{system,operation,outcome} timer of calls to other systems
 * </pre>
 *
 * Tags are low-cardinality: model, signal and target names come from the configuration, states and outcomes from
 * enums (lower case), {@code operation} must be a fixed word chosen by the caller (never an object name or a query).
 * Every state of a state set is present, so PromQL can alert on {@code guardian_policy_state{state="firing"} == 1}.
 *
 * <p>Gauges read from holders this object keeps in maps (strong references), so Micrometer never loses them to the
 * garbage collector; a repeated call updates the holder and registers nothing new.
 */
@Singleton
public final class GuardianMetrics implements RemediationListener {

    /** The systems the guardian calls, as the {@code system} tag of {@code guardian_external_call_seconds}. */
    public enum ExternalSystem {
        PROMETHEUS,
        KUBERNETES,
        MLFLOW,
        SCRAPE;

        /** The tag value, lower case. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Map<List<String>, AtomicReference<Double>> signalValues = new ConcurrentHashMap<>();
    private final Map<List<String>, AtomicReference<PolicyState>> policyStates = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<RemediationState>> targetStates = new ConcurrentHashMap<>();
    private final AtomicInteger leader = new AtomicInteger();
    private final Timer cycle;

    @Inject
    public GuardianMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("guardian.leader", leader, AtomicInteger::get)
                .description("1 while this replica holds the leader Lease and acts, else 0")
                .strongReference(true)
                .register(registry);
        this.cycle = Timer.builder("guardian.cycle")
                .description("Duration of one evaluation cycle over every policy and target")
                .publishPercentileHistogram(false)
                .register(registry);
    }

    /** Follows every persisted step: the target's state, and the outcome of a remediation that ended. */
    @Override
    public void stepped(Step step) {
        targetState(step.target().name(), step.after().current().state());
        if (step.after().history().size() != step.before().history().size()
                || !step.after().last().equals(step.before().last())) {
            step.after().last().ifPresent(entry -> remediationEnded(step.target().name(), entry.outcome()));
        }
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

    /** Counts a remediation that reached {@code outcome}. */
    public void remediationEnded(String target, HistoryEntry.Outcome outcome) {
        Counter.builder("guardian.remediations")
                .description("Remediations by training target and outcome")
                .tags("target", target, "outcome", outcome.tag())
                .register(registry)
                .increment();
    }

    /** Whether this replica leads (and so evaluates and acts). */
    public void leader(boolean leading) {
        leader.set(leading ? 1 : 0);
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
        Timer.builder("guardian.external.call")
                .description("Duration of calls to Prometheus, the Kubernetes API, MLflow and scraped endpoints")
                .tags("system", system.tag(), "operation", operation, "outcome", ok ? "ok" : "error")
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
