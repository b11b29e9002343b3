package dev.modelguardian.integrations.kubernetes;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;

import dev.modelguardian.core.leader.LeaderElection;

/**
 * Leader election among the replicas of {@code serve} with a Kubernetes Lease: only the replica for which
 * {@link #isLeader()} is true evaluates and acts; every replica stays ready.
 *
 * <p>Wraps fabric8's {@link LeaderElector}. A replica that held the Lease and lost it (another holder in the Lease,
 * or no successful renewal within the renew deadline) stops leading at once and runs {@code onLost}, which in
 * production exits the process so that Kubernetes restarts it, as mature operators do; it never leads again. A
 * {@link #stop()} releases the Lease (empty holder) so that another replica takes over within one retry period
 * instead of waiting for the Lease to expire, and does not run {@code onLost}.
 *
 * <p>{@link #isLeader()} is also bounded by time: it turns false once {@code renewDeadline} has passed since the
 * start of the last successful renewal, even when the renewal call itself still hangs (fabric8 only checks its
 * deadline between calls). Because the renew deadline is shorter than the lease duration, a replica stops acting
 * before any other can take the Lease over. A watchdog then reports that loss to {@code onLost} within one retry
 * period.
 *
 * <p>Nothing touches the cluster before {@link #start()}.
 */
public final class Leadership implements LeaderElection {

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String leaseName;
    private final String identity;
    private final Duration leaseDuration;
    private final Duration renewDeadline;
    private final Duration retryPeriod;
    private final Runnable onLost;
    private final LongSupplier nanoTime;

    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean leader = new AtomicBoolean();
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile Optional<String> currentLeader = Optional.empty();
    private volatile Instant leadingSince;
    /** {@link #nanoTime} when fabric8 reported this replica leading. */
    private volatile long leadingSinceNanos;
    /** {@link #nanoTime} at the start of the last renewal that wrote this replica into the Lease. */
    private volatile long renewedAtNanos;

    private volatile CompletableFuture<?> election;
    private volatile ScheduledExecutorService watchdog;

    /**
     * A Leadership that has not started yet.
     *
     * @param onLost run once, on the thread that noticed, when this replica held the Lease and lost it; not on
     *        {@link #stop()}
     */
    public Leadership(KubernetesClient client, String namespace, String leaseName, String identity,
            Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, Runnable onLost) {
        this(client, namespace, leaseName, identity, leaseDuration, renewDeadline, retryPeriod, onLost,
                System::nanoTime);
    }

    /** With the clock that bounds {@link #isLeader()}, for tests. */
    Leadership(KubernetesClient client, String namespace, String leaseName, String identity, Duration leaseDuration,
            Duration renewDeadline, Duration retryPeriod, Runnable onLost, LongSupplier nanoTime) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.leaseName = Objects.requireNonNull(leaseName, "leaseName");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.leaseDuration = Objects.requireNonNull(leaseDuration, "leaseDuration");
        this.renewDeadline = Objects.requireNonNull(renewDeadline, "renewDeadline");
        this.retryPeriod = Objects.requireNonNull(retryPeriod, "retryPeriod");
        this.onLost = Objects.requireNonNull(onLost, "onLost");
        this.nanoTime = nanoTime;
        this.renewedAtNanos = nanoTime.getAsLong() - renewDeadline.toNanos();
    }

    /**
     * This replica's identity: {@code configured} if set, else {@code POD_NAME}, else {@code HOSTNAME}, else a random
     * {@code model-guardian-<8 hex digits>} (unique, but a restarted process no longer recognises its own Lease).
     */
    public static String identity(Optional<String> configured, Map<String, String> env) {
        return configured.map(String::strip).filter(s -> !s.isEmpty())
                .or(() -> nonBlank(env.get("POD_NAME")))
                .or(() -> nonBlank(env.get("HOSTNAME")))
                .orElseGet(() -> "model-guardian-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(s -> !s.isEmpty());
    }

    /**
     * Starts competing for the Lease in the background and returns at once. Calling it again does nothing; a stopped
     * Leadership cannot start again.
     *
     * @throws IllegalArgumentException when the timings are inconsistent (fabric8 requires
     *         {@code leaseDuration > renewDeadline > 2.2 * retryPeriod})
     */
    @Override
    public void start() {
        if (stopping) {
            throw new IllegalStateException("Lease " + describe() + ": a stopped Leadership cannot start again");
        }
        if (!started.compareAndSet(false, true)) {
            return;
        }
        LeaderElectionConfig config = new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new RenewalTrackingLock(new LeaseLock(namespace, leaseName, identity)))
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(renewDeadline)
                .withRetryPeriod(retryPeriod)
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader))
                .build();
        LeaderElector elector = client.leaderElector().withConfig(config).build();
        watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lease-watchdog-" + leaseName);
            thread.setDaemon(true);
            return thread;
        });
        watchdog.scheduleWithFixedDelay(this::checkRenewal, retryPeriod.toMillis(), retryPeriod.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.infof("competing for Lease %s as %s (lease %s, renew deadline %s, retry every %s)", describe(), identity,
                leaseDuration, renewDeadline, retryPeriod);
        election = elector.start();
        election.whenComplete((ignored, failure) -> LOG.debugf("leader election for Lease %s as %s ended (%s)",
                describe(), identity, failure == null ? "done" : failure.toString()));
    }

    /**
     * Stops competing; if this replica leads, it releases the Lease (so another replica takes over within one retry
     * period) before this method returns. Does not run {@code onLost}. Idempotent.
     */
    @Override
    public synchronized void stop() {
        if (stopping) {
            return;
        }
        boolean wasLeading = leader.get();
        stopping = true;
        CompletableFuture<?> running = election;
        if (running != null) {
            // Runs fabric8's release and onStopLeading on this thread, after any renewal in flight.
            running.cancel(true);
        }
        ScheduledExecutorService timer = watchdog;
        if (timer != null) {
            timer.shutdownNow();
        }
        if (wasLeading) {
            clearHolder();
        }
    }

    /**
     * Finishes the release: fabric8 7.5.2 releases by writing a null holder in a JSON merge patch, and a null field
     * is left out of the patch, so the Lease keeps naming this replica (with a 1 s duration that fabric8 electors
     * ignore: they judge expiry by their own lease duration). Writes an empty holder instead, as client-go does, which
     * every elector reads as free. The write carries the resourceVersion read, so it never clears a new holder.
     */
    private void clearHolder() {
        try {
            Lease lease = client.leases().inNamespace(namespace).withName(leaseName).get();
            if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
                return;
            }
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            client.resource(new LeaseBuilder(lease).editSpec()
                    .withHolderIdentity("")
                    .withLeaseDurationSeconds(1)
                    .withRenewTime(now)
                    .endSpec().build()).update();
            LOG.infof("cleared the holder of Lease %s: another replica can take over at once", describe());
        } catch (KubernetesClientException e) {
            LOG.warnf("could not clear the holder of Lease %s (HTTP %d, %s); the other replicas take over when it"
                    + " expires, within %s", describe(), e.getCode(), e.getMessage(), leaseDuration);
        } catch (IllegalStateException e) {
            // The client was closed first (shutdown order); the Lease expires on its own.
            LOG.warnf("could not clear the holder of Lease %s (%s); the other replicas take over when it expires,"
                    + " within %s", describe(), e.getMessage(), leaseDuration);
        }
    }

    /**
     * True while this replica holds the Lease: after fabric8 reported it leading, before it reported the loss, and
     * no longer than the renew deadline after the start of the last successful renewal. Never true again once lost.
     */
    @Override
    public boolean isLeader() {
        return leader.get() && renewedRecently();
    }

    /** This replica's identity in the Lease. */
    @Override
    public String identity() {
        return identity;
    }

    /** The holder of the Lease as last observed; empty before the first observation and while the Lease is free. */
    @Override
    public Optional<String> currentLeader() {
        return currentLeader;
    }

    /**
     * Calls {@code listener} with {@code true} when this replica starts leading and with {@code false} when it stops
     * (before {@code onLost} runs); only on changes, so register it before {@link #start()}.
     */
    @Override
    public void onChange(Consumer<Boolean> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private boolean renewedRecently() {
        return nanoTime.getAsLong() - renewedAtNanos < renewDeadline.toNanos();
    }

    private void startedLeading() {
        if (lost.get() || stopping) {
            LOG.warnf("Lease %s names %s again after this replica stopped leading; it does not lead again",
                    describe(), identity);
            return;
        }
        leadingSince = Instant.now();
        leadingSinceNanos = nanoTime.getAsLong();
        if (leader.compareAndSet(false, true)) {
            LOG.infof("leading: this replica (%s) holds Lease %s", identity, describe());
            notifyListeners(true);
        }
    }

    private void stoppedLeading() {
        if (stopping) {
            if (leader.compareAndSet(true, false)) {
                LOG.infof("released Lease %s held since %s", describe(), leadingSince);
                notifyListeners(false);
            }
            return;
        }
        lose(currentLeader.filter(holder -> !holder.equals(identity))
                .map(holder -> "the Lease is now held by " + holder)
                .orElse("it could not be renewed within the renew deadline (" + renewDeadline + ")"));
    }

    private void newLeader(String holder) {
        currentLeader = Optional.ofNullable(holder).filter(h -> !h.isEmpty());
        if (!identity.equals(holder)) {
            LOG.infof("Lease %s is held by %s", describe(), currentLeader.orElse("nobody (released)"));
        }
    }

    /**
     * The watchdog's check. fabric8 may report leading before its first write (when the Lease already names this
     * identity, e.g. after a container restart in the same pod), so the deadline also runs from that report.
     */
    private void checkRenewal() {
        long now = nanoTime.getAsLong();
        long deadline = renewDeadline.toNanos();
        if (leader.get() && !stopping && now - renewedAtNanos >= deadline && now - leadingSinceNanos >= deadline) {
            lose("no successful renewal for longer than the renew deadline (" + renewDeadline + ")");
        }
    }

    /** The one way out of leadership other than {@link #stop()}: flip, tell the listeners, then run onLost once. */
    private void lose(String why) {
        if (!leader.compareAndSet(true, false)) {
            return;
        }
        lost.set(true);
        LOG.errorf("lost Lease %s held since %s (for %s): %s; stopping so that Kubernetes restarts this replica",
                describe(), leadingSince, Duration.between(leadingSince, Instant.now()), why);
        notifyListeners(false);
        try {
            onLost.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "the action on losing Lease %s failed", describe());
        }
        // A lost replica competes no more. Usually fabric8 has ended the election already; it has not when the
        // renewal hangs or when it took an expired Lease back. Cancelling releases the Lease if it names this
        // replica. Not on this thread: fabric8 may be calling from inside its own acquire-or-renew step.
        ScheduledExecutorService timer = watchdog;
        CompletableFuture<?> running = election;
        if (timer != null && running != null) {
            try {
                timer.execute(() -> running.cancel(true));
            } catch (RejectedExecutionException e) {
                // stop() ran meanwhile and cancels the election itself
            }
        }
    }

    private void notifyListeners(boolean leading) {
        for (Consumer<Boolean> listener : listeners) {
            try {
                listener.accept(leading);
            } catch (RuntimeException e) {
                LOG.warnf(e, "a leadership listener failed on leading=%s for Lease %s", leading, describe());
            }
        }
    }

    private String describe() {
        return namespace + "/" + leaseName;
    }

    /**
     * The Lease lock, noting when a write that names this replica as holder succeeded. The time noted is the start
     * of the read that preceded the write; fabric8 takes the renewTime it writes just before that read. So this
     * replica stops claiming the Lease one renew deadline after that renewTime, while the other replicas wait a whole
     * lease duration after it: the difference absorbs clock skew between nodes.
     */
    private final class RenewalTrackingLock implements Lock {

        private final Lock delegate;
        private volatile long readStartedNanos;

        RenewalTrackingLock(Lock delegate) {
            this.delegate = delegate;
        }

        @Override
        public LeaderElectionRecord get(KubernetesClient kubernetesClient) {
            readStartedNanos = nanoTime.getAsLong();
            return delegate.get(kubernetesClient);
        }

        @Override
        public void create(KubernetesClient kubernetesClient, LeaderElectionRecord record) {
            long started = readStartedNanos;
            delegate.create(kubernetesClient, record);
            written(record, started);
        }

        @Override
        public void update(KubernetesClient kubernetesClient, LeaderElectionRecord record) {
            long started = readStartedNanos;
            delegate.update(kubernetesClient, record);
            written(record, started);
        }

        private void written(LeaderElectionRecord record, long started) {
            if (identity.equals(record.getHolderIdentity())) {
                renewedAtNanos = started;
            }
        }

        @Override
        public String identity() {
            return delegate.identity();
        }

        @Override
        public String describe() {
            return delegate.describe();
        }
    }
}
