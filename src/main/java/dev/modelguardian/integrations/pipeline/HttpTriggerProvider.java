package dev.modelguardian.integrations.pipeline;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonPointer;

import io.fabric8.kubernetes.client.KubernetesClient;

import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.ConfigValidator;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.extension.DoctorContext;
import dev.modelguardian.config.extension.Permission;
import dev.modelguardian.config.extension.TriggerProvider;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Trainer;
import dev.modelguardian.core.remediation.TrainingTrigger;

/**
 * The {@code http} trigger ({@code trigger.kind: http}), whole: each target's {@code trigger.http.*} validated (URLs,
 * placeholders, the body's JSON, the JSON Pointers, the end states, the Secret), the {@code doctor} checks (the
 * Secret and its keys; the runs request answering with a list), the permission on the Secret, and its
 * {@code TrainingTrigger}, {@link PipelineRuns}.
 */
public final class HttpTriggerProvider implements TriggerProvider {

    /** This trigger's kind, as {@code trigger.kind} names it. */
    public static final String KIND = "http";
    /**
     * What Events of an http-trained target regard: a pipeline is not a Kubernetes object, so the reference names it
     * under the guardian's own group ({@code kubectl get events --field-selector involvedObject.kind=Pipeline}).
     */
    static final String API_VERSION = "model-guardian.dev/v1";
    /** An HTTP header name (RFC 9110 token). */
    private static final String HEADER_NAME = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Optional<Class<?>> settingsRoot() {
        return Optional.of(HttpTriggerSettings.class);
    }

    @Override
    public Trainer trainer(String name, GuardianConfig.Target target, Settings settings) {
        HttpTriggerSettings.HttpTrigger http = settings.of(HttpTriggerSettings.class).of(name);
        return new Trainer(KIND, "Pipeline", http.name().orElse(name), http.runKind(), API_VERSION);
    }

    /** {@inheritDoc} The pipeline {@code from}, whose runs are called runs. */
    @Override
    public Trainer trainedFrom(String from) {
        return new Trainer(KIND, "Pipeline", from, "run", API_VERSION);
    }

    @Override
    public TrainingTrigger trigger(Settings settings, Map<String, GuardianConfig.Target> targets,
            KubernetesClient client, String namespace, Clock clock) {
        HttpTriggerSettings http = settings.of(HttpTriggerSettings.class);
        Map<String, PipelineService> services = new TreeMap<>();
        targets.keySet().forEach(name -> services.put(name,
                new PipelineService(client, namespace, PipelineSpec.of(name, http.of(name)))));
        return new PipelineRuns(services, clock);
    }

    @Override
    public void validate(String name, GuardianConfig.Target target, Settings settings, List<ConfigProblem> problems) {
        String prefix = "guardian.targets." + name + ".trigger.http";
        HttpTriggerSettings.HttpTrigger http = settings.of(HttpTriggerSettings.class).of(name);
        if (!target.trigger().kind().equals(KIND)) {
            Map<String, Optional<?>> set = new LinkedHashMap<>();
            set.put("name", http.name());
            set.put("start.url", http.start().url());
            set.put("start.body", http.start().body());
            set.put("status.url", http.status().url());
            set.put("runs.url", http.runs().url());
            set.put("auth.secret", http.auth().secret());
            set.forEach((key, value) -> value.ifPresent(v -> problems.add(new ConfigProblem(prefix + "." + key, key
                    + " is only read by an http trigger, and this target's trigger.kind is " + target.trigger().kind()
                    + "; remove it, or set trigger.kind: http"))));
            return;
        }
        HttpTriggerSettings.HttpStart start = http.start();
        url(problems, prefix + ".start.url", start.url(), "https://kfp.example/apis/v2beta1/runs",
                Placeholders.START);
        if (!Set.of("POST", "PUT").contains(start.method().toUpperCase(Locale.ROOT))) {
            problems.add(new ConfigProblem(prefix + ".start.method", "'" + start.method()
                    + "' cannot start a run; use POST or PUT"));
        }
        start.body().ifPresent(body -> {
            try {
                PipelineSpec.json(body);
                unknown(problems, prefix + ".start.body", body, Placeholders.START);
            } catch (UncheckedIOException e) {
                problems.add(new ConfigProblem(prefix + ".start.body", "not JSON (" + e.getCause().getMessage()
                        .lines().findFirst().orElse("") + "); write the body as JSON with placeholders inside strings,"
                        + " e.g. {\"display_name\": \"{run}\"}"));
            }
        });
        pointer(problems, prefix + ".start.run-id", start.runId());
        if (!start.idempotencyHeader().equalsIgnoreCase("none")
                && !start.idempotencyHeader().matches(HEADER_NAME)) {
            problems.add(new ConfigProblem(prefix + ".start.idempotency-header", "'" + start.idempotencyHeader()
                    + "' is not an HTTP header name; use e.g. Idempotency-Key, or none"));
        }

        HttpTriggerSettings.HttpStatus status = http.status();
        url(problems, prefix + ".status.url", status.url(), "https://kfp.example/apis/v2beta1/runs/{run-id}",
                Placeholders.STATUS);
        status.url().filter(u -> !Placeholders.contains(u, Placeholders.RUN_ID)
                && !Placeholders.contains(u, Placeholders.RUN)).ifPresent(u -> problems.add(new ConfigProblem(
                        prefix + ".status.url", "the URL does not say which run: put {run-id} where the run's id goes,"
                                + " e.g. .../runs/{run-id}")));
        if (status.state().isEmpty()) {
            problems.add(new ConfigProblem(prefix + ".status.state", "not set; set the JSON Pointer to the run's state"
                    + " in the status answer, e.g. /state"));
        }
        pointer(problems, prefix + ".status.state", status.state());
        pointer(problems, prefix + ".status.message", status.message());
        List<String> succeeded = status.succeeded().orElse(List.of());
        List<String> failed = status.failed().orElse(List.of());
        if (succeeded.isEmpty()) {
            problems.add(new ConfigProblem(prefix + ".status.succeeded", "not set; list the states of a run that"
                    + " succeeded, e.g. SUCCEEDED"));
        }
        if (failed.isEmpty()) {
            problems.add(new ConfigProblem(prefix + ".status.failed", "not set; list the states of a run that ended"
                    + " without success, e.g. FAILED,CANCELED (any other state is running)"));
        }
        Set<String> both = new TreeSet<>(succeeded);
        both.retainAll(new HashSet<>(failed));
        if (!both.isEmpty()) {
            problems.add(new ConfigProblem(prefix + ".status.failed", String.join(", ", both)
                    + " is also in status.succeeded; a state is one or the other"));
        }

        HttpTriggerSettings.HttpRuns runs = http.runs();
        if (runs.url().isPresent()) {
            url(problems, prefix + ".runs.url", runs.url(), "https://kfp.example/apis/v2beta1/runs?page_size=20",
                    Placeholders.RUNS);
            Map<String, Optional<String>> required = new LinkedHashMap<>();
            required.put("items", runs.items());
            required.put("name", runs.name());
            required.forEach((key, value) -> {
                if (value.isEmpty()) {
                    problems.add(new ConfigProblem(prefix + ".runs." + key, "not set; the runs list needs where its"
                            + " array is (runs.items, e.g. /runs) and where a run's name is within one item"
                            + " (runs.name, e.g. /display_name)"));
                }
            });
        } else {
            Map<String, Optional<String>> orphans = new LinkedHashMap<>();
            orphans.put("items", runs.items());
            orphans.put("name", runs.name());
            orphans.put("run-id", runs.runId());
            orphans.put("state", runs.state());
            orphans.forEach((key, value) -> value.ifPresent(v -> problems.add(new ConfigProblem(prefix + ".runs."
                    + key, "set, but runs.url is not; set runs.url (the list of runs) or remove it"))));
            if (start.runId().isPresent()) {
                problems.add(new ConfigProblem(prefix + ".runs.url", "not set, but the service gives runs their own"
                        + " id (start.run-id): a guardian restarted after starting a run finds it again only in the"
                        + " list of runs; set runs.url, runs.items and runs.name"));
            }
        }
        pointer(problems, prefix + ".runs.items", runs.items());
        pointer(problems, prefix + ".runs.name", runs.name());
        pointer(problems, prefix + ".runs.run-id", runs.runId());
        pointer(problems, prefix + ".runs.state", runs.state());

        HttpTriggerSettings.HttpAuth auth = http.auth();
        if (!Set.of("bearer", "basic").contains(auth.scheme().toLowerCase(Locale.ROOT))) {
            problems.add(new ConfigProblem(prefix + ".auth.scheme", "'" + auth.scheme()
                    + "' is not a scheme the guardian sends; use bearer or basic"));
        }
        auth.secret().filter(s -> !ConfigValidator.dnsSubdomain(s)).ifPresent(s -> problems.add(new ConfigProblem(
                prefix + ".auth.secret", "'" + s + "' is not a valid Secret name; use lower-case letters, digits, '-'"
                        + " and '.'")));
        Map<String, String> keys = Map.of("token-key", auth.tokenKey(), "username-key", auth.usernameKey(),
                "password-key", auth.passwordKey());
        new TreeMap<>(keys).forEach((key, value) -> {
            if (!value.matches("[-._a-zA-Z0-9]+")) {
                problems.add(new ConfigProblem(prefix + ".auth." + key, "'" + value + "' is not a Secret key; use"
                        + " letters, digits, '-', '_' and '.'"));
            }
        });
        new TreeMap<>(http.headers()).forEach((header, value) -> {
            if (!header.matches(HEADER_NAME)) {
                problems.add(new ConfigProblem(prefix + ".headers." + header, "'" + header
                        + "' is not an HTTP header name; use letters, digits and '-'"));
            } else if (Set.of("authorization", "proxy-authorization", "cookie", "host", "content-length", "connection",
                    "expect", "upgrade")
                    .contains(header.toLowerCase(Locale.ROOT))) {
                problems.add(new ConfigProblem(prefix + ".headers." + header, header + " is not set here: credentials"
                        + " come from a Secret (trigger.http.auth), the rest from the request itself"));
            } else if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                problems.add(new ConfigProblem(prefix + ".headers." + header, "the value holds a line break or another"
                        + " control character, which no HTTP header may; write it on one line"));
            }
        });
        ConfigValidator.positive(problems, prefix + ".request-timeout", http.requestTimeout(), "e.g. 10s");
        http.caFile().filter(ca -> !Files.isRegularFile(ca) || !Files.isReadable(ca)).ifPresent(ca -> problems.add(
                new ConfigProblem(prefix + ".ca-file", "'" + ca + "' does not exist or is not a readable file; mount"
                        + " the PEM file of the CA that signed the service's certificate there")));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Per target: the Secret and its keys (never their values), then the runs request, which must answer with a
     * list. Nothing is started; without a runs request the service is not called.
     */
    @Override
    public List<Check> doctor(List<TargetSpec> targets, KubernetesClient client, DoctorContext context) {
        List<Check> checks = new ArrayList<>();
        for (TargetSpec target : targets) {
            if (context.settings().isEmpty()) {
                continue;
            }
            PipelineSpec spec = PipelineSpec.of(target.name(),
                    context.settings().get().of(HttpTriggerSettings.class).of(target.name()));
            PipelineService service = new PipelineService(client, context.namespace(), spec);
            String check = "pipeline/" + spec.name();
            if (spec.auth().isPresent()) {
                PipelineSpec.Auth auth = spec.auth().get();
                try {
                    service.secretData(auth);
                    checks.add(Check.ok(check + " credentials", "Secret " + context.namespace() + "/" + auth.secret()
                            + " has key " + String.join(" and ", auth.keys()) + " (training target " + target.name()
                            + ")"));
                } catch (ClusterException e) {
                    checks.add(Check.fail(check + " credentials", e.getMessage(), "create the Secret with those keys,"
                            + " and grant get on it (src/main/kubernetes/components/http)"));
                    continue;
                }
            }
            // The scheme, whatever its case; the URL itself may hold placeholders, so it is not parsed here.
            if (spec.start().url().regionMatches(true, 0, "http:", 0, 5) && spec.auth().isPresent()) {
                checks.add(Check.warn(check + " transport", "the credentials travel unencrypted to "
                        + PipelineService.where(spec.start().url()), "use the service's https URL"));
            }
            if (spec.runs().isEmpty()) {
                checks.add(Check.warn(check, "not called: without trigger.http.runs.url doctor has nothing to read"
                        + " (it never starts a run), and a running " + spec.runKind() + " is not adopted",
                        "set runs.url, runs.items and runs.name to the service's list of runs"));
                continue;
            }
            try {
                List<PipelineService.Item> runs = service.runs(Map.of("target", target.name(), "models",
                        String.join(",", target.models())));
                long running = runs.stream().filter(r -> !spec.status().ended(r.state())).count();
                checks.add(Check.ok(check, "GET " + PipelineService.where(spec.runs().get().url()) + " answers: "
                        + runs.size() + " " + spec.runKind() + (runs.size() == 1 ? "" : "s") + " listed, " + running
                        + " not ended (training target " + target.name() + ")"));
            } catch (ClusterException e) {
                checks.add(Check.fail(check, e.getMessage(), e.permanent()
                        ? "fix trigger.http of target " + target.name() + " (or the Secret)"
                        : "check that the service is up and reachable from the guardian's namespace"));
            }
        }
        return List.copyOf(checks);
    }

    /** {@inheritDoc} {@code get} on each credentials' Secret, by name. */
    @Override
    public List<Permission> permissions(Settings settings, List<TargetSpec> targets) {
        HttpTriggerSettings http = settings.of(HttpTriggerSettings.class);
        return targets.stream().flatMap(t -> http.of(t.name()).auth().secret().stream()).distinct().sorted()
                .flatMap(secret -> Permission.of("", "secrets", "the pipeline service's credentials (http trigger)",
                        secret, "get").stream())
                .toList();
    }

    /** Problems of a URL that may contain the {@code allowed} placeholders; one that is missing is one too. */
    private static void url(List<ConfigProblem> problems, String property, Optional<String> value, String example,
            List<String> allowed) {
        if (value.isEmpty()) {
            problems.add(new ConfigProblem(property, "not set; set the absolute URL, e.g. " + example));
            return;
        }
        String url = value.get();
        if (unknown(problems, property, url, allowed)) {
            return;
        }
        Map<String, String> sample = new LinkedHashMap<>();
        allowed.forEach(p -> sample.put(p, "x"));
        sample.put(Placeholders.RUN_ID, "x");
        String sampled = Placeholders.url(url, sample);
        List<ConfigProblem> found = new ArrayList<>();
        ConfigValidator.url(found, property, sampled, example, "trigger.http.auth (a Secret)");
        found.forEach(p -> problems.add(new ConfigProblem(p.property(), p.message().replace(sampled, url))));
    }

    /** Adds a problem naming the placeholders of {@code text} not among {@code allowed}; whether there were any. */
    private static boolean unknown(List<ConfigProblem> problems, String property, String text, List<String> allowed) {
        List<String> unknown = Placeholders.unknown(text, allowed);
        if (!unknown.isEmpty()) {
            problems.add(new ConfigProblem(property, "unknown placeholder {" + String.join("}, {", unknown)
                    + "}; use {" + String.join("}, {", allowed) + "}"));
        }
        return !unknown.isEmpty();
    }

    private static void pointer(List<ConfigProblem> problems, String property, Optional<String> value) {
        value.ifPresent(p -> {
            try {
                JsonPointer.compile(p);
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(property, "'" + p + "' is not a JSON Pointer; write it as /field or"
                        + " /field/0/inner (RFC 6901)"));
            }
        });
    }
}
