package dev.modelguardian.integrations.prometheus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The Prometheus HTTP API the {@code prometheus} source queries, {@code guardian.prometheus.*}. */
@ConfigMapping(prefix = "guardian.prometheus")
// Quarkus registers a mapping root nothing injects only when it is unremovable: the providers read it through
// Settings.of, not by injection.
@Unremovable
public interface PrometheusSettings {
    /**
     * Base URL of the Prometheus HTTP API, e.g. {@code http://prometheus.monitoring:9090} (env
     * {@code GUARDIAN_PROMETHEUS_URL}). Required by commands that read {@code prometheus} signals.
     */
    Optional<String> url();

    /** Timeout of one HTTP call to Prometheus (connect and read). */
    @WithDefault("10s")
    Duration timeout();

    /** Bearer token sent as {@code Authorization: Bearer ...}; never logged. */
    Optional<String> bearerToken();

    /** User name for HTTP basic auth (with {@link #password()}). */
    Optional<String> username();

    /** Password for HTTP basic auth; never logged. */
    Optional<String> password();

    /** PEM file of the CA that signed Prometheus' certificate, for https with a private CA. */
    Optional<Path> caFile();

    /** Most queries in flight to Prometheus at once during one evaluation cycle. */
    @WithDefault("4")
    int maxConcurrency();

    /**
     * Resolution of the range query that backfills a {@code for} window at start-up (and in {@code check}).
     * Coarsened automatically so one query never asks for more than 10,000 points.
     */
    @WithDefault("15s")
    Duration backfillStep();
}
