package dev.modelguardian.integrations.mlflow;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.ConfigValidator;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.extension.DoctorContext;
import dev.modelguardian.config.extension.RegistryProvider;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.check.DidYouMean;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.registry.ModelVersion;
import dev.modelguardian.core.registry.RegistryModel;
import dev.modelguardian.core.remediation.RecoverySpec;

/**
 * MLflow, whole: {@code guardian.mlflow.*} validated, the {@code doctor} checks of MLflow and the
 * {@link MlflowRegistry} when {@code guardian.mlflow.url} is set.
 *
 * <p>The checks, for each model a training target validates and promotes (what the registry step reads, from the
 * same configuration): the registered model exists (else the closest registered name), it has a serving version (the
 * newest in stage Production, or the configured alias), that version is READY, and the configured experiment exists.
 * Without {@code guardian.mlflow.url} one line says the registry step is off.
 *
 * <p>An MLflow that does not answer, or refuses the credentials, is one FAIL and ends the MLflow checks: every other
 * call would fail the same way. Messages come from {@link MlflowException}, which never holds credentials; the URL is
 * shown without user info or query, and no message repeats a token or password, not even in part.
 */
public final class MlflowProvider implements RegistryProvider {

    /** One {@code registered-models/search} call; MLflow allows at most 1000 per page. */
    static final int NAMES_LISTED = 1000;

    @Override
    public String name() {
        return "mlflow";
    }

    @Override
    public Optional<Class<?>> settingsRoot() {
        return Optional.of(MlflowSettings.class);
    }

    @Override
    public Optional<ModelRegistry> registry(Settings settings) {
        MlflowSettings mlflow = settings.of(MlflowSettings.class);
        return mlflow.url().map(url -> MlflowRegistry.create(mlflow));
    }

    @Override
    public void validate(Settings settings, List<ConfigProblem> problems) {
        MlflowSettings mlflow = settings.of(MlflowSettings.class);
        mlflow.url().ifPresent(url -> ConfigValidator.url(problems, "guardian.mlflow.url", url,
                "http://mlflow.mlflow:5000", "guardian.mlflow.username/password or guardian.mlflow.token"));
        ConfigValidator.positive(problems, "guardian.mlflow.timeout", mlflow.timeout(), "e.g. 10s");
        if (mlflow.retries() < 0 || mlflow.retries() > 10) {
            problems.add(new ConfigProblem("guardian.mlflow.retries", mlflow.retries()
                    + " is outside 0..10; use a small count such as 3, or 0 to disable retries"));
        }
        if (mlflow.retryBackoff().isNegative()) {
            problems.add(new ConfigProblem("guardian.mlflow.retry-backoff",
                    "negative duration " + mlflow.retryBackoff() + "; use e.g. 500ms"));
        }
        mlflow.token().filter(String::isBlank).ifPresent(blank -> problems.add(new ConfigProblem(
                "guardian.mlflow.token", "the token is blank; set the Secret's value or remove the property")));
        if (mlflow.token().isPresent() && (mlflow.username().isPresent() || mlflow.password().isPresent())) {
            problems.add(new ConfigProblem("guardian.mlflow.token",
                    "both a bearer token and basic auth (username/password) are set; keep one"));
        }
        if (mlflow.username().isPresent() != mlflow.password().isPresent()) {
            problems.add(new ConfigProblem(mlflow.username().isPresent() ? "guardian.mlflow.password"
                    : "guardian.mlflow.username", "basic auth needs both guardian.mlflow.username and"
                    + " guardian.mlflow.password; set both or neither"));
        }
        mlflow.caFile().ifPresent(ca -> {
            if (!Files.isRegularFile(ca)) {
                problems.add(new ConfigProblem("guardian.mlflow.ca-file", "'" + ca + "' does not exist or is not a"
                        + " file; mount the PEM file of the CA that signed MLflow's certificate there"));
            } else if (!Files.isReadable(ca)) {
                problems.add(new ConfigProblem("guardian.mlflow.ca-file", "'" + ca + "' is not readable by the"
                        + " guardian; fix the file's permissions (or the volume's defaultMode)"));
            }
        });
    }

    @Override
    public List<Check> doctor(Settings settings, DoctorContext context) {
        return new Session(settings.of(MlflowSettings.class)).run(context.trained());
    }

    /** One run of the checks: the client, and the registered names once listed. */
    private static final class Session {

        private final MlflowSettings mlflow;
        private final List<Check> checks = new ArrayList<>();
        private String url;
        private MlflowRegistry registry;
        /** The registered model names, listed once when a configured name is missing; empty when they cannot be. */
        private Optional<List<String>> names;

        Session(MlflowSettings mlflow) {
            this.mlflow = mlflow;
        }

        List<Check> run(Map<String, RecoverySpec.ModelCheck> trained) {
            if (mlflow.url().filter(u -> !u.isBlank()).isEmpty()) {
                checks.add(Check.ok("mlflow", "guardian.mlflow.url is not set: validation and promotion are off (a"
                        + " completed training Job is trusted; rollback turns the flags off but restores no model"
                        + " version); set guardian.mlflow.url (env GUARDIAN_MLFLOW_URL) to turn them on"));
                return List.copyOf(checks);
            }
            url = shown(mlflow.url().get());
            if (trained.isEmpty()) {
                checks.add(Check.warn("mlflow", "MLflow at " + url + " is configured, but no training target trains a"
                        + " configured model: nothing is validated or promoted",
                        "list the models each target trains in guardian.targets.<target>.models"));
                return List.copyOf(checks);
            }
            try {
                registry = MlflowRegistry.create(mlflow);
            } catch (RuntimeException e) {
                checks.add(Check.fail("mlflow", "no MLflow client for " + url + ": " + rootCause(e),
                        "check guardian.mlflow.url (GUARDIAN_MLFLOW_URL) and guardian.mlflow.ca-file"));
                return List.copyOf(checks);
            }
            int done = 0;
            Map<String, RecoverySpec.ModelCheck> sorted = new TreeMap<>(trained);
            for (var e : sorted.entrySet()) {
                try {
                    model(e.getKey(), e.getValue());
                    done++;
                } catch (MlflowException failure) {
                    unusable(failure, trained.size() - done);
                    break;
                }
            }
            return List.copyOf(checks);
        }

        /** The checks of one model; throws when MLflow cannot be used at all. */
        private void model(String model, RecoverySpec.ModelCheck check) {
            RegistryModel registered = check.registry();
            String name = registered.name();
            String id = "mlflow/" + model;
            String property = "guardian.models." + model + ".registry";
            String which = "registered model " + name + (name.equals(model) ? "" : " (model " + model + ")");
            try {
                registry.client().registeredModel(name);
            } catch (MlflowException e) {
                if (!e.is(404, MlflowException.RESOURCE_DOES_NOT_EXIST)) {
                    throw e;
                }
                missing(id, which, name, property);
                return;
            }
            Optional<ModelVersion> serving = unwrapped(() -> registry.serving(registered));
            if (serving.isEmpty()) {
                String none = switch (registered.mode()) {
                    case STAGE -> " has no version in stage Production";
                    case ALIAS -> " has no alias " + registered.alias();
                };
                checks.add(Check.fail(id, which + none + ": no remediation of it can start (there would be no"
                        + " version to roll back to)", switch (registered.mode()) {
                            case STAGE -> "move the version the model server loads now to stage Production (MLflow UI,"
                                    + " or POST /api/2.0/mlflow/model-versions/transition-stage), or set " + property
                                    + ".mode: alias if the server loads models:/" + name + "@<alias>";
                            case ALIAS -> "point alias " + registered.alias() + " at the version the model server loads"
                                    + " now (MLflow UI, or POST /api/2.0/mlflow/registered-models/alias), or set "
                                    + property + ".alias to the alias it loads";
                        }));
                return;
            }
            ModelVersion v = serving.get();
            if (v.status() != ModelVersion.Status.READY) {
                checks.add(Check.fail(id, which + ": version " + v.version() + " in " + registered.servingLabel()
                        + " is " + v.status() + ", not READY", v.status() == ModelVersion.Status.PENDING_REGISTRATION
                                ? "wait for MLflow to finish registering it and run doctor again; if it stays pending,"
                                        + " register the model from its run again and serve that version"
                                : "registration failed: register the model from its run again and move the new version"
                                        + " to " + registered.servingLabel()));
                return;
            }
            if (check.experiment().isPresent()) {
                String experiment = check.experiment().get();
                if (unwrapped(() -> registry.experimentId(experiment)).isEmpty()) {
                    checks.add(Check.fail(id, which + ": experiment " + experiment + " does not exist, so no retrained"
                            + " version would ever be a candidate", "set " + property + ".experiment to the experiment"
                                    + " the training run logs to, or remove it to accept runs of any experiment"));
                    return;
                }
            }
            checks.add(Check.ok(id, which + ": version " + v.version() + " in " + registered.servingLabel()
                    + ", READY" + check.experiment().map(x -> "; experiment " + x + " exists").orElse("")));
        }

        private void missing(String id, String which, String name, String property) {
            if (names == null) {
                try {
                    names = Optional.of(registry.client().registeredModelNames(NAMES_LISTED));
                } catch (MlflowException e) {
                    names = Optional.empty();
                }
            }
            Optional<String> closest = names.flatMap(all -> DidYouMean.closest(all, name));
            String detail = which + " not found in MLflow at " + url + names.map(all -> all.isEmpty()
                    ? "; MLflow has no registered model"
                    : closest.map(c -> "; closest registered model: " + c).orElse("")).orElse("");
            String fix = closest.map(c -> "set " + property + ".name: " + c + " (if that is the model), or register "
                    + name).orElse("register the model in MLflow, or set " + property + ".name to its registered name"
                            + (names.isPresent() ? "" : " (list them: GET " + url
                                    + "/api/2.0/mlflow/registered-models/search)"));
            checks.add(Check.fail(id, detail, fix));
        }

        /** MLflow cannot be used at all: one FAIL, and the models not checked. */
        private void unusable(MlflowException e, int notChecked) {
            String rest = notChecked > 0 ? "; " + notChecked + " model" + (notChecked == 1 ? "" : "s") + " not checked"
                    : "";
            if (e.status() == 401 || e.status() == 403) {
                boolean credentials = mlflow.token().isPresent() || mlflow.username().isPresent();
                checks.add(Check.fail("mlflow", "MLflow at " + url + " refused the guardian (HTTP " + e.status() + ", "
                        + (credentials ? "with the configured credentials" : "no credentials configured") + ")" + rest,
                        credentials ? "check the token in Secret model-guardian-secrets, key mlflow-token (env"
                                + " GUARDIAN_MLFLOW_TOKEN), or guardian.mlflow.username/password, and that it may read"
                                + " the model registry"
                                : "set GUARDIAN_MLFLOW_TOKEN from Secret model-guardian-secrets, key mlflow-token (or"
                                        + " guardian.mlflow.username and GUARDIAN_MLFLOW_PASSWORD)"));
            } else if (e.status() == 0 || e.status() >= 500) {
                checks.add(Check.fail("mlflow", "MLflow at " + url + " did not answer: " + e.getMessage() + rest,
                        "check guardian.mlflow.url (GUARDIAN_MLFLOW_URL), that MLflow runs, and the network path from"
                                + " the guardian to it"));
            } else {
                checks.add(Check.fail("mlflow", "MLflow at " + url + " answered unexpectedly: " + e.getMessage() + rest,
                        "check that guardian.mlflow.url is an MLflow 2.x tracking server (without /api)"));
            }
        }
    }

    /** Runs a registry call, turning its RegistryException back into the MlflowException it wraps. */
    private static <T> T unwrapped(Supplier<T> call) {
        try {
            return call.get();
        } catch (ModelRegistry.RegistryException e) {
            if (e.getCause() instanceof MlflowException m) {
                throw m;
            }
            throw e;
        }
    }

    /** The URL without user info, query or fragment: what may be shown. */
    static String shown(String url) {
        try {
            URI uri = new URI(url.strip());
            if (uri.getHost() == null) {
                return "(the configured URL)";
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return "(the configured URL)";
        }
    }

    /** The innermost cause of a failure, its type and message, for a detail line. */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
