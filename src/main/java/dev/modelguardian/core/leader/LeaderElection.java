package dev.modelguardian.core.leader;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Which replica of {@code serve} may act: the port the serve loop, the HTTP API and the status page read. A Kubernetes
 * Lease is one implementation ({@code integrations.kubernetes.Leadership}); another lock could be another.
 */
public interface LeaderElection {

    /**
     * Starts competing in the background and returns at once. Calling it again does nothing.
     *
     * @throws IllegalStateException    when the election was stopped: a stopped election cannot start again
     * @throws IllegalArgumentException when its timings are inconsistent
     */
    void start();

    /** Stops competing and gives up the lead if this replica holds it; calling it again does nothing. */
    void stop();

    /** True while this replica holds the lead, and never again once it lost it. */
    boolean isLeader();

    /** This replica's identity, as the other replicas see it. */
    String identity();

    /** The holder of the lead as last observed; empty before the first observation and while no one holds it. */
    Optional<String> currentLeader();

    /**
     * Calls {@code listener} with {@code true} when this replica starts leading and with {@code false} when it stops;
     * only on changes, so register it before {@link #start()}.
     */
    void onChange(Consumer<Boolean> listener);
}
