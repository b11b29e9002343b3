package dev.modelguardian.config.extension;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.notify.Milestone;

/**
 * What every notification channel checks the same way, in the same words: the milestones it is sent, a URL that is a
 * secret, a channel that is off while routing is written for it. Webhook URLs and keys are secrets: nothing here
 * repeats any part of one, only whether it is set and what is wrong with it.
 */
public final class ChannelChecks {

    /** The Secret the channels' URLs and keys come from in the shipped manifests. */
    public static final String SECRET = "model-guardian-secrets";

    private ChannelChecks() {
    }

    // ---------------------------------------------------------------- validation

    /** A problem for every name in {@code names} that is no milestone. */
    public static void milestones(List<ConfigProblem> problems, String property, List<String> names) {
        for (String name : names) {
            if (Milestone.byConfigName(name).isEmpty()) {
                problems.add(new ConfigProblem(property, "unknown milestone '" + name + "'; use any of "
                        + Milestone.names()));
            }
        }
    }

    /** A URL that is a secret: what is wrong is said without repeating any part of it beyond the scheme. */
    public static void secretUrl(List<ConfigProblem> problems, String property, String value, String env) {
        secretUrlProblem(value).ifPresent(problem -> problems.add(new ConfigProblem(property, problem
                + "; set an absolute https URL from a Secret (env " + env + ")")));
    }

    /**
     * What is wrong with a URL that is a secret (a webhook URL), in words that repeat no part of it; empty when it is
     * an absolute http(s) URL with a host.
     */
    public static Optional<String> secretUrlProblem(String value) {
        try {
            URI uri = new URI(value.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return Optional.of("not an http(s) URL (the value is a secret and not shown)");
            } else if (uri.getHost() == null || uri.getHost().isBlank()) {
                return Optional.of("the URL has no host (the value is a secret and not shown)");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("not a valid URL (the value is a secret and not shown)");
        }
    }

    // ---------------------------------------------------------------- doctor

    /**
     * A channel whose URL or key is not set: OK, unless routing was written for it.
     *
     * @param routing the channel's routing properties someone set (see {@link #routing})
     */
    public static Check off(String check, String channel, String property, String env, String secretKey,
            List<String> routing) {
        if (routing.isEmpty()) {
            return Check.ok(check, "off: " + property + " (" + env + ") is not set");
        }
        return Check.warn(check, "off (" + property + " is not set), but " + String.join(", ", routing)
                + (routing.size() == 1 ? " is" : " are") + " configured for it: nothing goes to " + channel,
                "set " + env + " from Secret " + SECRET + ", key " + secretKey + ", or remove "
                        + String.join(" and ", routing));
    }

    /** The properties among {@code properties} that someone set. */
    public static List<String> routing(Predicate<String> explicitlySet, String... properties) {
        return List.of(properties).stream().filter(explicitlySet).toList();
    }

    /**
     * Whether a secret URL is usable; adds a FAIL when it is not (or a WARN for plain http, and it is still usable),
     * without showing it.
     */
    public static boolean secretUrl(List<Check> checks, String check, String channel, String what, String value,
            String env, String secretKey) {
        Optional<String> problem = secretUrlProblem(value);
        if (problem.isPresent()) {
            checks.add(Check.fail(check, what + " set, but " + problem.get() + ": nothing can reach " + channel,
                    "put the absolute https URL in Secret " + SECRET + ", key " + secretKey + " (env " + env + ")"));
            return false;
        }
        if (value.strip().toLowerCase(Locale.ROOT).startsWith("http:")) {
            checks.add(Check.warn(check, what + " set (a secret, not shown), but it is plain http: the secret"
                    + " travels unencrypted", "use the https URL (Secret " + SECRET + ", key " + secretKey + ")"));
        }
        return true;
    }

    /** Whether a channel that is on takes at least one milestone; adds a WARN when it takes none. */
    public static boolean takesMilestones(List<Check> checks, String check, String channel, String property,
            List<String> names) {
        if (known(names).isEmpty()) {
            checks.add(Check.warn(check, "on, but " + property + " names no known milestone: nothing is sent to "
                    + channel, "list milestones in " + property + " (any of " + Milestone.names()
                            + "), or turn the channel off"));
            return false;
        }
        return true;
    }

    /** The milestones in {@code names} that exist (unknown names are configuration FAILs of their own). */
    public static List<String> known(List<String> names) {
        return names.stream().map(String::strip).filter(n -> Milestone.byConfigName(n).isPresent()).toList();
    }

    // ---------------------------------------------------------------- channel

    /** The milestones a channel is sent, from their configured names (unknown names are left out). */
    public static Set<Milestone> milestoneSet(List<String> names) {
        Set<Milestone> set = EnumSet.noneOf(Milestone.class);
        names.forEach(name -> Milestone.byConfigName(name).ifPresent(set::add));
        return set;
    }
}
