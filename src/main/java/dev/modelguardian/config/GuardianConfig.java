package dev.modelguardian.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import dev.modelguardian.policy.NoDataPolicy;
import dev.modelguardian.policy.Reduce;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The whole {@code guardian.*} configuration tree.
 *
 * <p>A file given with {@code --config} overrides {@code application.yaml}; environment variables and system
 * properties override both. When no model is configured, the bundled Neural Hive models and targets apply (see
 * {@link ModelSet}). {@link ConfigValidator} checks the tree at start-up.
 */
@ConfigMapping(prefix = "guardian")
public interface GuardianConfig {

    /**
     * Namespace the guardian works in. Defaults to the pod's own namespace ({@code POD_NAMESPACE}, else the
     * service-account namespace file), else {@code default}.
     */
    Optional<String> namespace();

    /** When true, every action is logged and recorded exactly as it would happen, and nothing is changed. */
    @WithDefault("false")
    boolean dryRun();

    /** How often {@code serve} evaluates every policy. */
    @WithDefault("1m")
    Duration interval();

    /**
     * After this many consecutive source errors on one signal, the signal raises a source-error alert of its own
     * (errors are always inconclusive, never a trigger).
     */
    @WithDefault("3")
    int sourceErrorLimit();

    /** The Prometheus HTTP API the {@code prometheus} source queries. */
    Prometheus prometheus();

    /** A Prometheus text-format endpoint read directly by the {@code scrape} source (e.g. the model server's /metrics). */
    Scrape scrape();

    /** Models to watch, by model name; each has named signals. Empty: the bundled Neural Hive models. */
    Map<String, Model> models();

    /** Training targets, by name: a CronJob and the models it trains. Empty: the bundled targets. */
    Map<String, Target> targets();

    /** How a firing target is remediated: the guards before a training Job and how the Job is watched. */
    Remediation remediation();

    /** Where the guardian keeps its state in the cluster. */
    State state();

    /** Leader election among the replicas of {@code serve}: only the holder of the Lease evaluates and acts. */
    Leader leader();

    /** The HTTP API of {@code serve}. */
    Api api();

    /** The MLflow tracking server whose model registry the guardian reads and promotes in. */
    Mlflow mlflow();

    /** Connection to a Prometheus server. */
    interface Prometheus {
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

    /** Direct scrape of a Prometheus text-format endpoint. */
    interface Scrape {
        /**
         * URL of the endpoint, e.g. {@code http://localhost:8000/metrics} from a sidecar. Required by commands that
         * read {@code scrape} signals.
         */
        Optional<String> url();

        /** Timeout of one scrape. */
        @WithDefault("5s")
        Duration timeout();
    }

    /** One watched model. */
    interface Model {
        /** Signals of this model, by signal name. */
        Map<String, Signal> signals();
    }

    /** One named signal of a model: a value, a bound and how long the bound must be crossed. */
    interface Signal {
        /** Which source reads this signal: {@code prometheus} (default) or {@code scrape}. */
        @WithDefault("prometheus")
        String source();

        /** PromQL query for the {@code prometheus} source. */
        Optional<String> query();

        /** Metric name for the {@code scrape} source. */
        Optional<String> metric();

        /** Exact label matchers for the {@code scrape} source. */
        Map<String, String> labels();

        /** Trigger when the value is strictly above this bound. Exactly one of {@code above}/{@code below}. */
        OptionalDouble above();

        /** Trigger when the value is strictly below this bound. Exactly one of {@code above}/{@code below}. */
        OptionalDouble below();

        /** How long the bound must stay crossed before the signal fires; {@code 0s} fires at once. */
        @WithName("for")
        @WithDefault("0s")
        Duration forDuration();

        /**
         * Hysteresis: once firing, the signal is healthy again only when the value is at or below this bound (for
         * {@code above}) or at or above it (for {@code below}). Without it the trigger bound is used.
         */
        OptionalDouble clear();

        /** How several series reduce to one value; default {@code max} for {@code above}, {@code min} for {@code below}. */
        Optional<Reduce> reduce();

        /** What no data means: {@code inconclusive} (default), {@code healthy} or {@code breach}. */
        @WithDefault("inconclusive")
        NoDataPolicy noData();

        /** Free text shown next to the signal in reports. */
        Optional<String> description();
    }

    /** A training target: one CronJob that trains one or more models. */
    interface Target {
        /** Name of the training CronJob; defaults to the target's own name. */
        Optional<String> cronJob();

        /** Models this CronJob trains; a firing policy on any of them starts this target's remediation. */
        List<String> models();
    }

    /** Guards and timing of one remediation. */
    interface Remediation {
        /** Least time between the end of one remediation of a target and the start of the next. */
        @WithDefault("6h")
        Duration cooldown();

        /** Most remediations started for one target in any 24 hours. */
        @WithDefault("3")
        int maxPerDay();

        /** When true, a firing target waits in AWAITING_APPROVAL until approved through the HTTP API. */
        @WithDefault("false")
        boolean requireApproval();

        /** Prefix of the training Job's name, followed by {@code -<unix-seconds>}; shortened to fit 63 characters. */
        @WithDefault("ml-retrain-emergency")
        String jobNamePrefix();

        /** How long a training Job may run when its template sets no {@code activeDeadlineSeconds}. */
        @WithDefault("45m")
        Duration jobTimeout();

        /** Added to the Job's {@code activeDeadlineSeconds} to give Kubernetes time to report the deadline itself. */
        @WithDefault("5m")
        Duration jobTimeoutMargin();

        /** How long a training pod may stay Unschedulable before the Job counts as stuck. */
        @WithDefault("10m")
        Duration unschedulableGrace();

        /** While a Job runs, how often it is re-read in addition to the watch (a missed watch event is caught here). */
        @WithDefault("10s")
        Duration relistInterval();
    }

    /** The state ConfigMap. */
    interface State {
        /** Name of the ConfigMap that holds each target's remediation, its history and the policies' pending-since. */
        @WithDefault("model-guardian-state")
        String configMap();

        /** How many finished remediations are kept per target. */
        @WithDefault("50")
        int history();
    }

    /** The Lease that elects one acting replica. */
    interface Leader {
        /** Name of the Lease. */
        @WithDefault("model-guardian-leader")
        String lease();

        /** How long a Lease is valid without renewal; other replicas take over after it. */
        @WithDefault("15s")
        Duration leaseDuration();

        /** How long the leader keeps trying to renew before it gives up leadership (and exits). */
        @WithDefault("10s")
        Duration renewDeadline();

        /** How often a replica tries to acquire or renew the Lease. */
        @WithDefault("2s")
        Duration retryPeriod();

        /** This replica's identity in the Lease; defaults to {@code POD_NAME}, else {@code HOSTNAME}. */
        Optional<String> identity();
    }

    /** HTTP API settings. */
    interface Api {
        /**
         * Bearer token that the mutating endpoints ({@code remediate}, {@code approve}) require; mount it from a
         * Secret (e.g. env {@code GUARDIAN_API_TOKEN}). Without a token those endpoints are disabled (403).
         */
        Optional<String> token();
    }

    /**
     * Connection to the MLflow REST API ({@code /api/2.0/mlflow/...}). Credentials are never logged and never appear in
     * error messages.
     */
    interface Mlflow {
        /**
         * Base URL of the MLflow tracking server, without {@code /api}, e.g. {@code http://mlflow.mlflow:5000} (env
         * {@code GUARDIAN_MLFLOW_URL}). Required by commands that read or change the model registry.
         */
        Optional<String> url();

        /**
         * Bearer token sent as {@code Authorization: Bearer ...} (env {@code GUARDIAN_MLFLOW_TOKEN}, mounted from a
         * Secret); never logged. Exclusive with {@link #username()}/{@link #password()}.
         */
        Optional<String> token();

        /** User name for HTTP basic auth (with {@link #password()}), e.g. MLflow's basic-auth app. */
        Optional<String> username();

        /** Password for HTTP basic auth, mounted from a Secret (env {@code GUARDIAN_MLFLOW_PASSWORD}); never logged. */
        Optional<String> password();

        /** PEM file of the CA that signed MLflow's certificate, for https with a private CA. */
        Optional<Path> caFile();

        /** Timeout of one HTTP call to MLflow: connecting, and waiting for the answer, each. */
        @WithDefault("10s")
        Duration timeout();

        /**
         * How many times a failed call is repeated before it fails. Only connection errors, timeouts and 5xx answers are
         * retried; a 4xx answer never is. {@code 0} disables retries.
         */
        @WithDefault("3")
        int retries();

        /**
         * Wait before the first retry; each further retry waits twice as long as the one before, with random jitter
         * (up to half the wait) so that replicas do not retry in step.
         */
        @WithDefault("500ms")
        Duration retryBackoff();
    }
}
