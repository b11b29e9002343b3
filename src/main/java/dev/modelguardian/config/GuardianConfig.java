package dev.modelguardian.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import dev.modelguardian.core.policy.NoDataPolicy;
import dev.modelguardian.core.signal.Reduce;

/**
 * The guardian's own {@code guardian.*} configuration tree. An integration's keys are a root of its own in its folder
 * ({@code guardian.prometheus}, {@code guardian.scrape}, {@code guardian.mlflow}, {@code guardian.notify.slack},
 * {@code guardian.notify.pagerduty}, {@code guardian.notify.webhook}); {@link Settings} holds the tree and the roots.
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

    /**
     * Telling people about remediation milestones: what every channel shares (queue, retries, timeout). Each channel
     * (Slack, PagerDuty, a generic JSON webhook), off until its URL or key is set, maps its own keys under
     * {@code guardian.notify.<channel>} in its folder. Kubernetes Events are always written and are not configured
     * here. (The method cannot be called {@code notify()}: that is {@link Object#notify()}, final.)
     */
    @WithName("notify")
    Notify notifications();

    /** The checks of {@code doctor} that {@code serve} runs at start-up. */
    Doctor doctor();

    /**
     * {@code serve} runs every check of {@code doctor} at start-up and logs each failed check (with its fix) and a
     * summary line.
     */
    interface Doctor {
        /**
         * When true, {@code serve} runs the checks before it competes for the Lease and exits with code 3 (the
         * start-up error of every command) if one fails. When false (the default), it runs them in the background,
         * logs the result and serves whatever they find, so that a slow or unreachable Prometheus or MLflow does not
         * delay the start.
         */
        @WithDefault("false")
        boolean failFast();
    }

    /** One watched model. */
    interface Model {
        /** Signals of this model, by signal name. */
        Map<String, Signal> signals();

        /** Where the model lives in the registry and how its serving version is marked. */
        ModelRegistry registry();

        /** What a retrained version of this model must satisfy before it is promoted. */
        Validation validation();
    }

    /** A model's entry in the MLflow registry. */
    interface ModelRegistry {
        /** The registered model's name in MLflow; defaults to the model's own name. */
        Optional<String> name();

        /**
         * {@code stage}: the latest version in stage Production serves ({@code models:/NAME/Production}; Neural Hive);
         * {@code alias}: the version {@link #alias()} points to serves ({@code models:/NAME@ALIAS}).
         */
        @WithDefault("stage")
        dev.modelguardian.core.registry.RegistryModel.Mode mode();

        /** The alias that marks the serving version in {@code alias} mode. */
        @WithDefault("champion")
        String alias();

        /** Only versions from runs of this MLflow experiment are candidates; any experiment when unset. */
        Optional<String> experiment();
    }

    /** Validation rules of a model's retrained versions. */
    interface Validation {
        /**
         * Absolute bounds on the candidate run's metrics, by metric name: {@code "< 15"}, {@code "<= 15"},
         * {@code "> 0.75"} or {@code ">= 0.75"}. A metric the run did not log fails validation.
         */
        Map<String, String> rules();

        /**
         * How much worse than the serving version's run a ruled metric may be, as a fraction ({@code 0.05} = 5%);
         * the rule's operator says which direction is worse.
         */
        @WithDefault("0.05")
        double maxRegression();
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

        /**
         * A label whose values the post-mortem ranks, worst first over the incident window: the inputs that moved most
         * (Neural Hive's per-feature drift: {@code feature}). The query must be {@code max(...)} or {@code min(...)}
         * of series that carry the label; the {@code prometheus} source only.
         */
        Optional<String> breakdown();
    }

    /** A training target: what trains one or more models (a CronJob by default), and what follows the training. */
    interface Target {
        /**
         * Name of the training CronJob of a {@code cronjob} trigger; defaults to the target's own name. The same as
         * {@code trigger.cron-job}, kept for the configurations written before there was a choice of trigger.
         */
        Optional<String> cronJob();

        /** How this target's training is started: a Job from a CronJob unless {@code kind} says otherwise. */
        Trigger trigger();

        /** Models this target trains; a firing policy on any of them starts this target's remediation. */
        List<String> models();

        /** The model server Deployment, restarted after a promotion or rollback so it loads models and flags. */
        Optional<String> deployment();

        /** Whether to restart {@link #deployment()}; off for a server that reloads models by itself. */
        @WithDefault("true")
        boolean restart();

        /**
         * What a failed, stuck, timed-out or vanished training Job leads to: {@code rollback} (flags off, versions
         * restored, restart) or {@code notify-only} (the remediation ends FAILED; nothing is changed).
         */
        @WithDefault("rollback")
        TrainingFailure onTrainingFailure();

        /**
         * How long the live signals are watched after a promotion. The signals that triggered the remediation must be
         * back within bounds when it ends (set it to how long the model server's metrics take to reflect a new model);
         * any other signal firing inside it rolls back at once.
         */
        @WithDefault("5m")
        Duration verifyWindow();

        /**
         * How long validation waits for versions still in PENDING_REGISTRATION, or for a registry that does not
         * answer, before it rolls back. Nothing is ever promoted on missing data.
         */
        @WithDefault("5m")
        Duration registryWait();

        /** After a verified promotion, put back the flag values an earlier rollback changed (and restart). */
        @WithDefault("false")
        boolean reenableAfterRecovery();

        /** What rollback changes in the model server's configuration. */
        Rollback rollback();
    }

    /**
     * How a target's training is started: its kind, and the CronJob's name; the other kinds' keys
     * ({@code trigger.<kind>.*}) are roots of their own in their folders.
     */
    interface Trigger {
        /**
         * The trigger kind: {@code cronjob} (a Job made from a CronJob, as {@code kubectl create job --from} does),
         * {@code job-template} (a Job made from a Job manifest kept in a ConfigMap or inline), {@code argo-workflow} (a
         * Workflow submitted from a WorkflowTemplate, as {@code argo submit --from} does) or {@code http} (a run of a
         * pipeline service started through its REST API).
         */
        @WithDefault("cronjob")
        String kind();

        /**
         * {@code cronjob}: the CronJob's name; defaults to {@code guardian.targets.<target>.cron-job}, then the
         * target's name. (The other kinds map their own keys, {@code trigger.<kind>.*}, in their folders.)
         */
        Optional<String> cronJob();
    }

    /** What a failed training leads to. */
    enum TrainingFailure {
        /** Roll back: flags off, previous versions restored, Deployment restarted. */
        ROLLBACK,
        /** Only tell people; the remediation ends FAILED and nothing is changed. */
        NOTIFY_ONLY
    }

    /** The flag ConfigMap keys a rollback sets. */
    interface Rollback {
        /** The ConfigMap the model server reads its flags from (e.g. {@code orchestrator-dynamic-config}). */
        Optional<String> configMap();

        /** The keys rollback sets, by key name. */
        Map<String, FlagKey> keys();
    }

    /** One key rollback sets. */
    interface FlagKey {
        /** The value rollback writes, e.g. {@code "false"}. */
        String value();

        /**
         * How to make the value survive the next Helm upgrade, named in every rollback message, e.g.
         * {@code config.scheduler.enableMlEnhancedScheduling=false}.
         */
        Optional<String> permanent();
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

        /**
         * While a remediation is under way, how often it is followed up in addition to the Job informer's events; also
         * the informer's resync period.
         */
        @WithDefault("10s")
        Duration relistInterval();

        /** How much of a failed training run's log is kept with its remediation and shown where it is told. */
        LogTail logTail();
    }

    /**
     * The last lines of a training run that failed, timed out or got stuck: read once at that step from the failing
     * pod, kept in the remediation's history, and shown in {@code status}, the Event, Slack and PagerDuty.
     */
    interface LogTail {
        /** Most lines kept, the newest; 0 keeps no log (and needs no {@code pods/log} permission). */
        @WithDefault("40")
        int lines();

        /** Most bytes kept (UTF-8), the newest; keeps a chatty run from filling the state ConfigMap. */
        @WithDefault("8192")
        int bytes();
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
     * Notifications. Delivery is asynchronous (one bounded queue and one sender per channel), retried with exponential
     * backoff and jitter on 429 (honouring Retry-After), 5xx and timeouts, never on other 4xx; a notification never
     * blocks, slows or fails a remediation. Milestone names: {@code firing}, {@code retraining-started},
     * {@code validation-passed}, {@code validation-failed}, {@code promoted}, {@code verification-failed},
     * {@code failed}, {@code rolled-back}, {@code rollback-failed}, {@code recovered}, {@code inconclusive-too-long}.
     */
    interface Notify {

        /**
         * What makes a rollback permanent for GitOps/Helm users, quoted in every rollback notification, e.g. the
         * Helm values key {@code config.scheduler.enableMlEnhancedScheduling=false} (Neural Hive's, the default).
         */
        Optional<String> rollbackHint();

        /** A target whose signals stay inconclusive (no data, NaN, source errors) this long raises a notification. */
        @WithDefault("2h")
        Duration inconclusiveAfter();

        /** Notifications waiting per channel; when a channel's queue is full, new ones are dropped and counted. */
        @WithDefault("100")
        int queueSize();

        /** Tries per notification, the first included; after the last one the notification is logged and counted as failed. */
        @WithDefault("5")
        int maxAttempts();

        /** Backoff before the first retry; doubled on each retry, with full jitter. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Longest wait between two tries, also the most of a Retry-After header that is honoured. */
        @WithDefault("2m")
        Duration maxBackoff();

        /** Timeout of one HTTP request to a notification endpoint (connect and response). */
        @WithDefault("10s")
        Duration timeout();
    }
}
