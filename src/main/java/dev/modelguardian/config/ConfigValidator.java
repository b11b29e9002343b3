package dev.modelguardian.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.modelguardian.config.GuardianConfig.Signal;
import dev.modelguardian.config.GuardianConfig.Target;
import dev.modelguardian.core.check.DidYouMean;

/**
 * Checks the {@code guardian.*} tree for everything the type system cannot: each problem names the property and the
 * fix. Commands refuse to start (exit 3) while any problem remains, so nothing half-configured ever acts.
 */
public final class ConfigValidator {

    private static final Pattern DNS_1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private ConfigValidator() {
    }

    /**
     * Every problem of the tree, in a stable order; empty when the configuration is usable. The extensions check
     * their own keys: the registries where the registry settings are checked, the channels after the general
     * {@code guardian.notify} settings, the training triggers first among each target's settings, each in the order
     * given. The metric sources check their own keys first of all the extensions, and each signal's keys for the
     * source it reads.
     *
     * @param sources    the metric sources' validation, in registration order; a signal may read only these
     * @param channels   the notification channels' validation, in registration order
     * @param registries the model registries' validation, in registration order
     * @param triggers   the training triggers' validation of each target, in registration order
     */
    public static List<ConfigProblem> validate(Settings settings, ModelSet set,
            List<? extends SourceRules> sources, List<? extends ConfigRules> channels,
            List<? extends ConfigRules> registries,
            List<? extends TargetRules> triggers) {
        GuardianConfig config = settings.guardian();
        List<ConfigProblem> problems = new ArrayList<>();
        config.namespace().ifPresent(ns -> {
            if (!DNS_1123_LABEL.matcher(ns).matches()) {
                problems.add(new ConfigProblem("guardian.namespace",
                        "'" + ns + "' is not a valid namespace name; use lower-case letters, digits and '-'"));
            }
        });
        positive(problems, "guardian.interval", config.interval(), "e.g. 1m");
        if (config.sourceErrorLimit() < 1) {
            problems.add(new ConfigProblem("guardian.source-error-limit",
                    config.sourceErrorLimit() + " is below 1; use a count such as 3"));
        }
        sources.forEach(source -> source.validate(settings, problems));

        registries.forEach(registry -> registry.validate(settings, problems));
        remediation(problems, config);
        notifications(problems, config.notifications());
        channels.forEach(channel -> channel.validate(settings, problems));

        if (set.models().isEmpty()) {
            problems.add(new ConfigProblem("guardian.models", "no models are configured; add at least one model"
                    + " with a signal under guardian.models"));
        }
        Map<String, String> lowerCaseModels = new HashMap<>();
        new TreeSet<>(set.models().keySet()).forEach(model -> {
            String prefix = "guardian.models." + model;
            String previous = lowerCaseModels.putIfAbsent(model.toLowerCase(Locale.ROOT), model);
            if (previous != null) {
                problems.add(new ConfigProblem(prefix, "duplicate model name: '" + model + "' and '" + previous
                        + "' differ only in case; rename one"));
            }
            Map<String, Signal> signals = set.models().get(model).signals();
            if (signals.isEmpty()) {
                problems.add(new ConfigProblem(prefix + ".signals",
                        "model '" + model + "' has no signals; add at least one under " + prefix + ".signals"));
            }
            Set<String> lowerCaseSignals = new HashSet<>();
            new TreeSet<>(signals.keySet()).forEach(name -> {
                if (!lowerCaseSignals.add(name.toLowerCase(Locale.ROOT))) {
                    problems.add(new ConfigProblem(prefix + ".signals." + name,
                            "duplicate signal name: another signal of '" + model + "' differs only in case; rename one"));
                }
                signal(problems, prefix + ".signals." + name, signals.get(name), sources);
            });
            registry(problems, prefix, set.models().get(model));
        });

        Map<String, String> trainedBy = new HashMap<>();
        new TreeSet<>(set.targets().keySet()).forEach(name -> {
            String prefix = "guardian.targets." + name;
            Target target = set.targets().get(name);
            List<String> kinds = triggers.stream().map(TargetRules::kind).toList();
            String kind = target.trigger().kind();
            if (!kinds.contains(kind)) {
                problems.add(new ConfigProblem(prefix + ".trigger.kind", "unknown training trigger kind '" + kind
                        + "'; use " + DidYouMean.closest(kinds, kind).map(c -> c + " (closest), or one of ")
                                .orElse("one of ") + String.join(", ", kinds)));
            }
            triggers.forEach(trigger -> trigger.validate(name, target, settings, problems));
            if (target.models().isEmpty()) {
                problems.add(new ConfigProblem(prefix + ".models",
                        "target '" + name + "' trains no models; list the models its training produces"));
            }
            afterTraining(problems, prefix, target);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < target.models().size(); i++) {
                String model = target.models().get(i);
                String property = prefix + ".models[" + i + "]";
                if (!set.models().containsKey(model)) {
                    problems.add(new ConfigProblem(property, "unknown model '" + model + "'; known models: "
                            + String.join(", ", new TreeSet<>(set.models().keySet()))));
                } else if (!seen.add(model)) {
                    problems.add(new ConfigProblem(property, "duplicate model '" + model + "' in target '" + name
                            + "'; list each model once"));
                } else {
                    String other = trainedBy.putIfAbsent(model, name);
                    if (other != null) {
                        problems.add(new ConfigProblem(property, "model '" + model + "' is already trained by target '"
                                + other + "'; a model belongs to exactly one training target"));
                    }
                }
            }
        });
        return List.copyOf(problems);
    }

    private static final Pattern CONFIG_MAP_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    /** A model's registry entry and validation rules. */
    private static void registry(List<ConfigProblem> problems, String prefix, GuardianConfig.Model model) {
        GuardianConfig.ModelRegistry registry = model.registry();
        registry.name().filter(String::isBlank).ifPresent(n -> problems.add(new ConfigProblem(prefix
                + ".registry.name", "blank registered model name; remove it to use the model's name, or set the"
                + " name MLflow knows")));
        if (registry.mode() == dev.modelguardian.core.registry.RegistryModel.Mode.ALIAS && registry.alias().isBlank()) {
            problems.add(new ConfigProblem(prefix + ".registry.alias", "alias mode needs an alias, e.g. champion"));
        }
        registry.experiment().filter(String::isBlank).ifPresent(e -> problems.add(new ConfigProblem(prefix
                + ".registry.experiment", "blank experiment name; remove it or name the MLflow experiment, e.g."
                + " orchestrator-predictive-models")));
        new TreeMap<>(model.validation().rules()).forEach((metric, rule) -> {
            try {
                dev.modelguardian.core.remediation.MetricRule.parse(metric, rule);
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(prefix + ".validation.rules." + metric, e.getMessage()));
            }
        });
        double margin = model.validation().maxRegression();
        if (!(margin >= 0 && margin <= 1)) {
            problems.add(new ConfigProblem(prefix + ".validation.max-regression", margin + " is not a fraction"
                    + " between 0 and 1; use e.g. 0.05 for 5%"));
        }
    }

    /** A target's promotion, verification and rollback settings. */
    private static void afterTraining(List<ConfigProblem> problems, String prefix, Target target) {
        target.deployment().ifPresent(d -> {
            if (!DNS_1123_SUBDOMAIN.matcher(d).matches()) {
                problems.add(new ConfigProblem(prefix + ".deployment", "'" + d + "' is not a valid Deployment name;"
                        + " use lower-case letters, digits, '-' and '.'"));
            }
        });
        positive(problems, prefix + ".verify-window", target.verifyWindow(), "e.g. 5m");
        positive(problems, prefix + ".registry-wait", target.registryWait(), "e.g. 5m");
        GuardianConfig.Rollback rollback = target.rollback();
        rollback.configMap().ifPresent(cm -> {
            if (!DNS_1123_SUBDOMAIN.matcher(cm).matches()) {
                problems.add(new ConfigProblem(prefix + ".rollback.config-map", "'" + cm + "' is not a valid"
                        + " ConfigMap name; use lower-case letters, digits, '-' and '.'"));
            }
            if (rollback.keys().isEmpty()) {
                problems.add(new ConfigProblem(prefix + ".rollback.keys", "config-map " + cm + " is set but no key;"
                        + " add the flag rollback turns off, e.g. ENABLE_ML_ENHANCED_SCHEDULING: {value: \"false\"}"));
            }
        });
        if (rollback.configMap().isEmpty() && !rollback.keys().isEmpty()) {
            problems.add(new ConfigProblem(prefix + ".rollback.config-map", "rollback keys are set but no"
                    + " ConfigMap; name the ConfigMap they live in, e.g. orchestrator-dynamic-config"));
        }
        new TreeMap<>(rollback.keys()).forEach((key, flag) -> {
            if (!CONFIG_MAP_KEY.matcher(key).matches() || key.length() > 253) {
                problems.add(new ConfigProblem(prefix + ".rollback.keys." + key, "'" + key + "' is not a valid"
                        + " ConfigMap key; use letters, digits, '-', '_' and '.'"));
            }
        });
    }

    /**
     * Problems that only matter to a command that reads signals now: every source a signal uses must be configured.
     *
     * @param sources the metric sources, in registration order (the order of their problems)
     */
    public static List<ConfigProblem> validateSourcesConfigured(Settings settings, ModelSet set,
            List<? extends SourceRules> sources) {
        List<ConfigProblem> problems = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        Map<String, String> firstUser = new HashMap<>();
        set.models().forEach((model, m) -> m.signals().forEach((name, s) -> {
            String source = s.source().toLowerCase(Locale.ROOT);
            used.add(source);
            firstUser.putIfAbsent(source, model + "/" + name);
        }));
        for (SourceRules source : sources) {
            if (used.contains(source.kind())) {
                source.unconfigured(settings, firstUser.get(source.kind())).ifPresent(problems::add);
            }
        }
        return problems;
    }

    private static void remediation(List<ConfigProblem> problems, GuardianConfig config) {
        GuardianConfig.Remediation r = config.remediation();
        if (r.cooldown().isNegative()) {
            problems.add(new ConfigProblem("guardian.remediation.cooldown",
                    "negative duration " + r.cooldown() + "; use 0s for no cooldown, or e.g. 6h"));
        }
        if (r.maxPerDay() < 1) {
            problems.add(new ConfigProblem("guardian.remediation.max-per-day",
                    r.maxPerDay() + " is below 1; use a count such as 3 (dry-run disables actions instead)"));
        }
        String prefix = r.jobNamePrefix();
        if (!DNS_1123_LABEL.matcher(prefix).matches() || prefix.length() > 40) {
            problems.add(new ConfigProblem("guardian.remediation.job-name-prefix", "'" + prefix
                    + "' is not a usable Job name prefix; use at most 40 lower-case letters, digits and '-',"
                    + " e.g. ml-retrain-emergency"));
        }
        positive(problems, "guardian.remediation.job-timeout", r.jobTimeout(), "e.g. 45m");
        if (r.jobTimeoutMargin().isNegative()) {
            problems.add(new ConfigProblem("guardian.remediation.job-timeout-margin",
                    "negative duration " + r.jobTimeoutMargin() + "; use e.g. 5m"));
        }
        positive(problems, "guardian.remediation.unschedulable-grace", r.unschedulableGrace(), "e.g. 10m");
        positive(problems, "guardian.remediation.relist-interval", r.relistInterval(), "e.g. 10s");
        if (r.logTail().lines() < 0 || r.logTail().lines() > 1000) {
            problems.add(new ConfigProblem("guardian.remediation.log-tail.lines", r.logTail().lines()
                    + " is not between 0 and 1000; use e.g. 40 (0 keeps no log)"));
        }
        if (r.logTail().bytes() < 0 || r.logTail().bytes() > 64 * 1024) {
            problems.add(new ConfigProblem("guardian.remediation.log-tail.bytes", r.logTail().bytes()
                    + " is not between 0 and 65536: the tail is kept in the state ConfigMap with every remediation"
                    + " of the history; use e.g. 8192"));
        }

        String configMap = config.state().configMap();
        if (!DNS_1123_SUBDOMAIN.matcher(configMap).matches()) {
            problems.add(new ConfigProblem("guardian.state.config-map", "'" + configMap
                    + "' is not a valid ConfigMap name; use lower-case letters, digits, '-' and '.'"));
        } else if (configMap.length() > 244) {
            // Each target's state is in ConfigMap <name>-<target>, at least 9 characters more (ConfigMapStateStore).
            problems.add(new ConfigProblem("guardian.state.config-map", "'" + configMap.substring(0, 20) + "...' is "
                    + configMap.length() + " characters; at most 244 leave room for each target's state ConfigMap"
                    + " <name>-<target>; use a shorter name"));
        }
        if (config.state().history() < 1) {
            problems.add(new ConfigProblem("guardian.state.history",
                    config.state().history() + " is below 1; keep at least one finished remediation, e.g. 50"));
        }

        GuardianConfig.Leader leader = config.leader();
        if (!DNS_1123_SUBDOMAIN.matcher(leader.lease()).matches()) {
            problems.add(new ConfigProblem("guardian.leader.lease", "'" + leader.lease()
                    + "' is not a valid Lease name; use lower-case letters, digits, '-' and '.'"));
        }
        positive(problems, "guardian.leader.retry-period", leader.retryPeriod(), "e.g. 2s");
        // fabric8's elector waits up to 2.2 retry periods between attempts (120% jitter) and refuses to start
        // unless the renew deadline is longer than that.
        Duration jitteredRetry = leader.retryPeriod()
                .plusMillis((long) Math.ceil(leader.retryPeriod().toMillis() * 1.2));
        if (leader.renewDeadline().compareTo(jitteredRetry) <= 0) {
            problems.add(new ConfigProblem("guardian.leader.renew-deadline", "must be longer than 2.2 x retry-period"
                    + " (" + jitteredRetry + "), the longest wait between two attempts; e.g. 10s with a 2s retry"
                    + " period"));
        }
        if (leader.leaseDuration().compareTo(leader.renewDeadline()) <= 0) {
            problems.add(new ConfigProblem("guardian.leader.lease-duration", "must be longer than renew-deadline ("
                    + leader.renewDeadline() + "); e.g. 15s with a 10s renew deadline"));
        } else if (leader.leaseDuration().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add(new ConfigProblem("guardian.leader.lease-duration", leader.leaseDuration()
                    + " is below 1s, and the Lease counts whole seconds; e.g. 15s"));
        }
        leader.identity().filter(String::isBlank).ifPresent(blank -> problems.add(new ConfigProblem(
                "guardian.leader.identity", "blank identity; remove it to use POD_NAME or HOSTNAME")));
        config.api().token().filter(t -> t.length() < 16).ifPresent(t -> problems.add(new ConfigProblem(
                "guardian.api.token", "the token is shorter than 16 characters; use a long random value from a Secret"
                        + " (e.g. openssl rand -hex 32), or remove it to disable the mutating endpoints")));
    }

    /** The general notification settings; each channel checks its own keys. */
    private static void notifications(List<ConfigProblem> problems, GuardianConfig.Notify notify) {
        String prefix = "guardian.notify";
        positive(problems, prefix + ".inconclusive-after", notify.inconclusiveAfter(), "e.g. 2h");
        positive(problems, prefix + ".initial-backoff", notify.initialBackoff(), "e.g. 1s");
        positive(problems, prefix + ".timeout", notify.timeout(), "e.g. 10s");
        if (notify.maxBackoff().compareTo(notify.initialBackoff()) < 0) {
            problems.add(new ConfigProblem(prefix + ".max-backoff", notify.maxBackoff()
                    + " is shorter than initial-backoff (" + notify.initialBackoff() + "); e.g. 2m"));
        }
        if (notify.queueSize() < 1) {
            problems.add(new ConfigProblem(prefix + ".queue-size", notify.queueSize() + " is below 1; e.g. 100"));
        }
        if (notify.maxAttempts() < 1 || notify.maxAttempts() > 20) {
            problems.add(new ConfigProblem(prefix + ".max-attempts", notify.maxAttempts()
                    + " is outside 1..20 (the first try included); e.g. 5"));
        }
    }

    private static void signal(List<ConfigProblem> problems, String prefix, Signal signal,
            List<? extends SourceRules> sources) {
        String kind = signal.source().toLowerCase(Locale.ROOT);
        Optional<? extends SourceRules> source = sources.stream().filter(s -> s.kind().equals(kind)).findFirst();
        if (source.isEmpty()) {
            problems.add(new ConfigProblem(prefix + ".source", "unknown source '" + signal.source() + "'; use "
                    + kinds(sources)));
        } else {
            source.get().validateSignal(prefix, signal, problems);
        }

        signal.breakdown().ifPresent(label -> {
            if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                problems.add(new ConfigProblem(prefix + ".breakdown", "'" + label + "' is not a label name; use the"
                        + " label whose values to rank, e.g. feature"));
            } else if (!kind.equals("prometheus")) {
                problems.add(new ConfigProblem(prefix + ".breakdown", "the " + kind + " source keeps no history to"
                        + " rank '" + label + "' over; remove breakdown or read the signal from prometheus"));
            }
        });

        OptionalDouble above = signal.above();
        OptionalDouble below = signal.below();
        if (above.isEmpty() && below.isEmpty()) {
            problems.add(new ConfigProblem(prefix, "no bound; set exactly one of 'above' or 'below'"));
        } else if (above.isPresent() && below.isPresent()) {
            problems.add(new ConfigProblem(prefix, "both 'above' and 'below' are set; keep one (use two signals to"
                    + " watch both sides)"));
        }
        boolean boundsOk = bound(problems, prefix + ".above", above) & bound(problems, prefix + ".below", below)
                & bound(problems, prefix + ".clear", signal.clear());
        if (boundsOk && signal.clear().isPresent() && above.isPresent() != below.isPresent()) {
            double clear = signal.clear().getAsDouble();
            if (above.isPresent() && clear > above.getAsDouble()) {
                problems.add(new ConfigProblem(prefix + ".clear", "clear bound " + fmt(clear)
                        + " is above the trigger bound " + fmt(above.getAsDouble())
                        + "; for an 'above' signal it must be at or below the trigger, e.g. "
                        + fmt(above.getAsDouble() * 0.9)));
            }
            if (below.isPresent() && clear < below.getAsDouble()) {
                problems.add(new ConfigProblem(prefix + ".clear", "clear bound " + fmt(clear)
                        + " is below the trigger bound " + fmt(below.getAsDouble())
                        + "; for a 'below' signal it must be at or above the trigger, e.g. "
                        + fmt(below.getAsDouble() * 1.1)));
            }
        }
        Duration forDuration = signal.forDuration();
        if (forDuration.isNegative()) {
            problems.add(new ConfigProblem(prefix + ".for", "negative duration " + forDuration
                    + "; use 0s to fire at once or a positive duration such as 1h"));
        }
    }

    private static boolean bound(List<ConfigProblem> problems, String property, OptionalDouble value) {
        if (value.isEmpty()) {
            return true;
        }
        double v = value.getAsDouble();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            problems.add(new ConfigProblem(property, fmt(v) + " is not a usable bound; use a finite number"));
            return false;
        }
        if (v < 0) {
            problems.add(new ConfigProblem(property, "negative bound " + fmt(v)
                    + "; drift scores, error rates and precision are never negative, use a value >= 0"));
            return false;
        }
        return true;
    }

    /** The kinds of {@code sources}, quoted, e.g. {@code 'prometheus' or 'scrape'}. */
    private static String kinds(List<? extends SourceRules> sources) {
        List<String> quoted = sources.stream().map(s -> "'" + s.kind() + "'").toList();
        if (quoted.size() <= 1) {
            return quoted.isEmpty() ? "a registered source" : quoted.get(0);
        }
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
    }

    /**
     * A problem when {@code value} is not an absolute http(s) URL with a host, or carries credentials.
     *
     * @param example              a URL to write instead, shown in the fix
     * @param credentialProperties where credentials belong instead of the URL
     */
    public static void url(List<ConfigProblem> problems, String property, String value, String example,
            String credentialProperties) {
        String hint = "; use an absolute http or https URL such as " + example;
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problems.add(new ConfigProblem(property, "'" + value + "' is not an http(s) URL" + hint));
            } else if (uri.getHost() == null || uri.getHost().isBlank()) {
                problems.add(new ConfigProblem(property, "'" + value + "' has no host" + hint));
            } else if (uri.getUserInfo() != null) {
                problems.add(new ConfigProblem(property,
                        "the URL carries credentials; move them to " + credentialProperties));
            }
        } catch (URISyntaxException e) {
            problems.add(new ConfigProblem(property, "'" + value + "' is not a valid URL (" + e.getReason() + ")"
                    + hint));
        }
    }

    /** Whether {@code name} is a DNS-1123 subdomain, as Kubernetes object names must be (length aside). */
    public static boolean dnsSubdomain(String name) {
        return DNS_1123_SUBDOMAIN.matcher(name).matches();
    }

    /** A problem when {@code value} is zero or negative; {@code example} is the fix, e.g. {@code "e.g. 10s"}. */
    public static void positive(List<ConfigProblem> problems, String property, Duration value, String example) {
        if (value.isNegative() || value.isZero()) {
            problems.add(new ConfigProblem(property, value + " must be positive; " + example));
        }
    }

    private static String fmt(double v) {
        return dev.modelguardian.core.policy.Bound.format(v);
    }
}
