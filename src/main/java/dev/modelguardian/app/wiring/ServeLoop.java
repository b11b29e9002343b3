package dev.modelguardian.app.wiring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.core.policy.Evaluation;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.SignalAlerts;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.retry.Backoff;
import dev.modelguardian.core.retry.Jitter;
import dev.modelguardian.integrations.metrics.GuardianMetrics;

/**
 * The heartbeat of {@code serve}: every {@code guardian.remediation.relist-interval} it follows up remediations under
 * way, and every {@code guardian.interval} it runs a full cycle. Only while {@code serve} has enabled it and this
 * replica may act (holds the Lease); cycles never overlap, whoever triggers them (the scheduler, the Job informer, the
 * HTTP API).
 */
@ApplicationScoped
public class ServeLoop {

    private static final Logger LOG = Logger.getLogger(ServeLoop.class);

    private final ReentrantLock lock = new ReentrantLock();
    /** A follow-up asked for by {@link #followUpSoon} has not started yet. */
    private final AtomicBoolean followUpQueued = new AtomicBoolean();
    private volatile boolean enabled;
    private volatile Instant lastFull = Instant.EPOCH;
    private volatile RemediationEngine.CycleReport lastCycle;
    private volatile String lastError;
    /** Scheduled cycles that failed in a row (API server or state unreachable); 0 after a success. */
    private volatile int failures;
    /** After a failure, no scheduled cycle before this instant. */
    private volatile Instant retryAt = Instant.EPOCH;

    @Inject
    RemediationEngine engine;

    @Inject
    GuardianConfig config;

    @Inject
    Acting acting;

    @Inject
    GuardianMetrics metrics;

    @Inject
    Clock clock;

    @Inject
    SignalAlerts listener;

    /** From now on the scheduler runs cycles ({@code serve} only). */
    public void enable() {
        metrics.sourceErrorLimit(config.sourceErrorLimit());
        enabled = true;
    }

    public boolean enabled() {
        return enabled;
    }

    @Scheduled(every = "${guardian.remediation.relist-interval}", delay = 1, delayUnit = TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!enabled || !acting.getAsBoolean()) {
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(retryAt)) {
            return;
        }
        boolean full = Duration.between(lastFull, now).compareTo(config.interval()) >= 0;
        boolean ok = full ? cycle().isPresent() : locked(engine::followUp).isPresent();
        if (ok) {
            failures = 0;
            retryAt = Instant.EPOCH;
            return;
        }
        failures++;
        Duration relist = config.remediation().relistInterval();
        Duration wait = backoff(failures, relist, relist.compareTo(config.interval()) > 0 ? relist : config.interval());
        retryAt = now.plus(wait);
        LOG.warnf("%d scheduled cycle(s) failed in a row; next attempt in %s", failures, wait);
    }

    /**
     * How long to wait after {@code failures} scheduled cycles failed in a row: {@code base} doubled per further
     * failure, at most {@code cap}, without jitter (one replica acts at a time); zero after no failure. A cluster API
     * or state store that does not answer is not hammered every relist.
     */
    static Duration backoff(int failures, Duration base, Duration cap) {
        return Backoff.doubling(base, cap, Jitter.NONE).delay(failures);
    }

    /** A full cycle now; waits for a running one to finish first. */
    public Optional<RemediationEngine.CycleReport> cycle() {
        return locked(() -> {
            lastFull = clock.instant();
            RemediationEngine.CycleReport report = engine.runCycle(this::recorded);
            lastError = null;
            return report;
        });
    }

    /**
     * What a cycle did, recorded: the status's last cycle, the gauges, the timers and the source-error alerts. Also
     * for a cycle that then fails because a target could not be advanced: the others were, and the signals were read.
     */
    private void recorded(RemediationEngine.CycleReport report) {
        lastCycle = report;
        metrics.evaluations(report.evaluations());
        metrics.targets(report.targets());
        metrics.cycle(report.took());
        for (Evaluation e : report.evaluations()) {
            String kind = e.policy().query().kind();
            metrics.sourceRead(kind, Extensions.readOperation(kind),
                    e.status().consecutiveSourceErrors() == 0, e.took());
            if (e.status().consecutiveSourceErrors() == config.sourceErrorLimit()) {
                sourceErrors(e);
            }
        }
        LOG.debugf("Cycle: %d policies, %d targets in %d ms", report.evaluations().size(),
                report.targets().size(), report.took().toMillis());
    }

    /** One Event when a signal reaches the source-error limit (not on every cycle after it). */
    private void sourceErrors(Evaluation e) {
        String note = e.policy().key() + ": " + e.status().consecutiveSourceErrors()
                + " consecutive source errors (limit " + config.sourceErrorLimit() + "); inconclusive, never a trigger: "
                + e.status().reason().orElse("source error");
        LOG.warn(note);
        engine.targets().stream().filter(t -> t.models().contains(e.policy().model())).findFirst()
                .ifPresent(t -> listener.signalAlert(t, note));
    }

    /** Follows up remediations under way (the Job informer saw a Job end, or the re-list is due). */
    public void followUp() {
        locked(engine::followUp);
    }

    /**
     * Follows up remediations under way soon, on a virtual thread, without blocking the caller (the Job informer's
     * event thread). Requests made while one is still waiting to start share it: Jobs that end together, or the
     * informer's first list of finished Jobs, cost one follow-up, not one each. A request made while one runs gets a
     * new one, which reads what changed after the running one read.
     */
    public void followUpSoon() {
        if (followUpQueued.compareAndSet(false, true)) {
            Thread.ofVirtual().name("job-follow-up").start(() -> {
                followUpQueued.set(false);
                followUp();
            });
        }
    }

    /**
     * Runs {@code work} as the only cycle; logs and records a failure instead of killing the scheduler. Only a full
     * cycle that succeeds clears the recorded failure: a follow-up or an API call that succeeds says nothing of the
     * targets a failed cycle could not advance.
     */
    public <T> Optional<T> locked(Supplier<T> work) {
        lock.lock();
        try {
            T result = work.get();
            return Optional.ofNullable(result);
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            LOG.errorf("Cycle failed: %s", e.getMessage());
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    public Optional<RemediationEngine.CycleReport> lastCycle() {
        return Optional.ofNullable(lastCycle);
    }

    /**
     * The error of the last cycle, follow-up or API change that failed since the last full cycle that succeeded;
     * empty when there is none.
     */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    public List<TargetSpec> targets() {
        return engine.targets();
    }
}
