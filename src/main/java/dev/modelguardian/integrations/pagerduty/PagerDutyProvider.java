package dev.modelguardian.integrations.pagerduty;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.ConfigValidator;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.extension.ChannelChecks;
import dev.modelguardian.config.extension.ChannelProvider;
import dev.modelguardian.config.extension.DoctorContext;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.notify.Channel;
import dev.modelguardian.core.notify.Milestone;

/**
 * PagerDuty Events API v2, whole: {@code guardian.notify.pagerduty.*} validated, its {@code doctor} check
 * ({@code notify/pagerduty}) and the {@link PagerDutyChannel} when the routing key is set. The routing key is a
 * secret: nothing here shows any part of it. The endpoint is not a secret; only its host is shown all the same.
 */
public final class PagerDutyProvider implements ChannelProvider {

    /** PagerDuty's event severities. */
    public static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

    private static final String PREFIX = "guardian.notify.pagerduty";
    private static final String ENV = "GUARDIAN_NOTIFY_PAGERDUTY_ROUTING_KEY";

    @Override
    public String name() {
        return "pagerduty";
    }

    @Override
    public Optional<Class<?>> settingsRoot() {
        return Optional.of(PagerDutySettings.class);
    }

    @Override
    public void validate(Settings settings, List<ConfigProblem> problems) {
        PagerDutySettings pd = settings.of(PagerDutySettings.class);
        pd.routingKey().flatMap(PagerDutyProvider::routingKeyProblem)
                .ifPresent(problem -> problems.add(new ConfigProblem(PREFIX + ".routing-key", problem)));
        ConfigValidator.url(problems, PREFIX + ".url", pd.url(), "http://prometheus.monitoring:9090",
                "username/password or bearer-token");
        ChannelChecks.milestones(problems, PREFIX + ".milestones", pd.milestones());
        new TreeSet<>(pd.severity().keySet()).forEach(name -> {
            String property = PREFIX + ".severity." + name;
            if (Milestone.byConfigName(name).isEmpty()) {
                problems.add(new ConfigProblem(property, "unknown milestone '" + name + "'; use one of "
                        + Milestone.names()));
            }
            String severity = pd.severity().get(name).strip().toLowerCase(Locale.ROOT);
            if (!SEVERITIES.contains(severity)) {
                problems.add(new ConfigProblem(property, "unknown severity '" + pd.severity().get(name)
                        + "'; use critical, error, warning or info"));
            }
        });
    }

    /** What is wrong with a PagerDuty routing key, in words that repeat no part of it; empty when it looks right. */
    public static Optional<String> routingKeyProblem(String key) {
        if (key.isBlank()) {
            return Optional.of("blank; set the integration's routing key from a Secret (env"
                    + " GUARDIAN_NOTIFY_PAGERDUTY_ROUTING_KEY) or remove it");
        }
        if (key.strip().length() != 32 || !key.strip().chars().allMatch(Character::isLetterOrDigit)) {
            return Optional.of("not an Events API v2 routing key (" + key.strip().length() + " characters; expected"
                    + " 32 letters and digits); copy the Integration Key of the service's Events API v2 integration");
        }
        return Optional.empty();
    }

    @Override
    public List<Check> doctor(Settings settings, DoctorContext context) {
        String check = "notify/pagerduty";
        PagerDutySettings pd = settings.of(PagerDutySettings.class);
        List<Check> checks = new ArrayList<>();
        Optional<String> key = pd.routingKey();
        if (key.isEmpty()) {
            List<String> routing = new ArrayList<>(ChannelChecks.routing(context.explicitlySet(),
                    PREFIX + ".milestones", PREFIX + ".source", PREFIX + ".url"));
            if (!pd.severity().isEmpty()) {
                routing.add(PREFIX + ".severity");
            }
            checks.add(ChannelChecks.off(check, "PagerDuty", PREFIX + ".routing-key", ENV, "pagerduty-routing-key",
                    routing));
            return checks;
        }
        Optional<String> keyProblem = routingKeyProblem(key.get());
        if (keyProblem.isPresent()) {
            checks.add(Check.fail(check, "routing key set (a secret, not shown), but " + keyProblem.get(),
                    "put it in Secret " + ChannelChecks.SECRET + ", key pagerduty-routing-key (env " + ENV + ")"));
            return checks;
        }
        Optional<String> host = host(pd.url());
        if (host.isEmpty()) {
            checks.add(Check.fail(check, "guardian.notify.pagerduty.url is not an absolute http(s) URL",
                    "remove it to use the default, https://events.pagerduty.com/v2/enqueue"));
            return checks;
        }
        if (!ChannelChecks.takesMilestones(checks, check, "PagerDuty", PREFIX + ".milestones", pd.milestones())) {
            return checks;
        }
        List<String> triggers = ChannelChecks.known(pd.milestones());
        for (String milestone : new TreeSet<>(pd.severity().keySet())) {
            if (Milestone.byConfigName(milestone).isPresent() && triggers.stream().noneMatch(
                    t -> t.equalsIgnoreCase(milestone.strip()))) {
                checks.add(Check.warn(check, "guardian.notify.pagerduty.severity." + milestone + " is set, but "
                        + milestone + " is not among the milestones PagerDuty is sent (" + String.join(", ", triggers)
                        + ")", "add " + milestone + " to guardian.notify.pagerduty.milestones, or remove its"
                                + " severity"));
            }
        }
        checks.add(Check.ok(check, "on: routing key set (a secret, not shown), endpoint " + host.get()
                + "; triggers on " + String.join(", ", triggers) + ", resolves when the target is healthy again"));
        return checks;
    }

    @Override
    public Optional<Channel> channel(Settings settings, String namespace) {
        PagerDutySettings pd = settings.of(PagerDutySettings.class);
        return pd.routingKey().filter(k -> !k.isBlank()).map(key -> {
            Map<Milestone, String> severity = new EnumMap<>(Milestone.class);
            pd.severity().forEach((name, value) -> Milestone.byConfigName(name)
                    .ifPresent(m -> severity.put(m, value.strip().toLowerCase(Locale.ROOT))));
            return new PagerDutyChannel(pd.url(), key, ChannelChecks.milestoneSet(pd.milestones()), severity,
                    pd.source().orElse("model-guardian/" + namespace));
        });
    }

    /** The host of a URL that is not a secret; empty when it is not an absolute http(s) URL. */
    private static Optional<String> host(String url) {
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return Optional.of(uri.getHost());
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
