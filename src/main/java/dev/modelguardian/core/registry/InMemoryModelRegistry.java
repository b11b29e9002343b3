package dev.modelguardian.core.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A registry in memory, with MLflow's semantics for what the guardian uses (stages, aliases, archive on promotion):
 * the MLflow of a {@code replay}, and of tests where the REST client is not what is tested.
 */
public final class InMemoryModelRegistry implements ModelRegistry {

    private final Map<String, List<ModelVersion>> versions = new HashMap<>();
    private final Map<String, Run> runs = new HashMap<>();
    private final Map<String, String> experiments = new HashMap<>();
    private RuntimeException failure;

    /** Registers a READY version from a new run of {@code experimentId} with {@code metrics}; returns its number. */
    public synchronized String register(String model, Instant created, String experimentId,
            Map<String, Double> metrics) {
        List<ModelVersion> list = versions.computeIfAbsent(model, m -> new ArrayList<>());
        String version = String.valueOf(list.size() + 1);
        String runId = model + "-run-" + version;
        runs.put(runId, new Run(runId, experimentId, "FINISHED", metrics));
        list.add(new ModelVersion(model, version, created, "None", ModelVersion.Status.READY, Optional.of(runId),
                List.of()));
        return version;
    }

    /** Puts {@code version} into {@code stage} without archiving anything (what a training script may do). */
    public synchronized void setStage(String model, String version, String stage) {
        replace(model, version, v -> new ModelVersion(v.name(), v.version(), v.created(), stage, v.status(), v.runId(),
                v.aliases()));
    }

    /** Sets the registration status of a version (PENDING_REGISTRATION until READY). */
    public synchronized void setStatus(String model, String version, ModelVersion.Status status) {
        replace(model, version, v -> new ModelVersion(v.name(), v.version(), v.created(), v.stage(), status, v.runId(),
                v.aliases()));
    }

    public synchronized void addExperiment(String name, String id) {
        experiments.put(name, id);
    }

    /** Every call fails with {@code e} until {@link #heal()}. */
    public synchronized void failWith(RuntimeException e) {
        failure = e;
    }

    public synchronized void heal() {
        failure = null;
    }

    /** All versions of a model, oldest first. */
    public synchronized List<ModelVersion> all(String model) {
        return List.copyOf(versions.getOrDefault(model, List.of()));
    }

    @Override
    public synchronized Optional<ModelVersion> serving(RegistryModel model) {
        check();
        return switch (model.mode()) {
            case STAGE -> all(model.name()).stream().filter(v -> v.stage().equals("Production"))
                    .max(Comparator.comparing(v -> Long.parseLong(v.version())));
            case ALIAS -> all(model.name()).stream().filter(v -> v.aliases().contains(model.alias())).findFirst();
        };
    }

    @Override
    public synchronized List<ModelVersion> versionsSince(String model, Instant since) {
        check();
        known(model);
        return all(model).stream().filter(v -> !v.created().isBefore(since)).sorted(
                Comparator.comparing(ModelVersion::created).reversed()).toList();
    }

    @Override
    public synchronized ModelVersion version(String model, String version) {
        check();
        return all(known(model)).stream().filter(v -> v.version().equals(version)).findFirst()
                .orElseThrow(() -> new RegistryException("model version " + model + " v" + version
                        + " does not exist", false, null));
    }

    @Override
    public synchronized Run run(String runId) {
        check();
        Run run = runs.get(runId);
        if (run == null) {
            throw new RegistryException("run " + runId + " does not exist", false, null);
        }
        return run;
    }

    @Override
    public synchronized Optional<String> experimentId(String name) {
        check();
        return Optional.ofNullable(experiments.get(name));
    }

    @Override
    public synchronized void promote(RegistryModel model, String version) {
        check();
        version(model.name(), version);
        switch (model.mode()) {
            case STAGE -> {
                for (ModelVersion v : all(model.name())) {
                    if (v.stage().equals("Production") && !v.version().equals(version)) {
                        setStage(model.name(), v.version(), "Archived");
                    }
                }
                setStage(model.name(), version, "Production");
            }
            case ALIAS -> {
                clearAlias(model);
                replace(model.name(), version, v -> {
                    List<String> aliases = new ArrayList<>(v.aliases());
                    aliases.add(model.alias());
                    return new ModelVersion(v.name(), v.version(), v.created(), v.stage(), v.status(), v.runId(),
                            aliases);
                });
            }
        }
    }

    @Override
    public synchronized void clearAlias(RegistryModel model) {
        check();
        for (ModelVersion v : all(known(model.name()))) {
            if (v.aliases().contains(model.alias())) {
                replace(model.name(), v.version(), x -> new ModelVersion(x.name(), x.version(), x.created(), x.stage(),
                        x.status(), x.runId(), x.aliases().stream().filter(a -> !a.equals(model.alias())).toList()));
            }
        }
    }

    private String known(String model) {
        if (!versions.containsKey(model)) {
            throw new RegistryException("registered model " + model + " does not exist", false, null);
        }
        return model;
    }

    private void check() {
        if (failure != null) {
            throw failure;
        }
    }

    private void replace(String model, String version, java.util.function.UnaryOperator<ModelVersion> change) {
        List<ModelVersion> list = versions.get(model);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).version().equals(version)) {
                list.set(i, change.apply(list.get(i)));
            }
        }
    }
}
