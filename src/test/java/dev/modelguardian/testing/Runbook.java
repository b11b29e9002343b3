package dev.modelguardian.testing;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.registry.InMemoryModelRegistry;
import dev.modelguardian.core.registry.ModelVersion;
import dev.modelguardian.core.registry.RegistryModel;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.RemediationPolicy;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TrainingTrigger;
import dev.modelguardian.integrations.argo.ArgoTemplate;
import dev.modelguardian.integrations.argo.ArgoWorkflows;
import dev.modelguardian.integrations.jobs.JobTemplateProvider;
import dev.modelguardian.integrations.jobs.TrainingJobs;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.integrations.kubernetes.ModelServerResources;
import dev.modelguardian.integrations.pipeline.HttpTriggerProvider;

/**
 * Neural Hive's runbook end to end, as a script of engine calls and of what the world does in between (the training
 * registers a version, the Job controller finishes the Job, the signals change, time passes on the
 * {@link MutableClock}), for fault-injection tests: a test runs the script with an engine that dies or meets faults,
 * then lets a fresh engine finish it, and compares the end with an undisturbed run.
 *
 * <p>Needs {@link RegistryProfile} (registry step, flag ConfigMap, Deployment, 5m verify window), {@link ScrapeTarget}
 * as the signal and a cluster with {@link NeuralHive#install} done.
 */
public final class Runbook {

    public static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");
    public static final String MODEL = "ticket-duration-predictor";

    /** What trains the target: the runs the remediation starts and the world finishes. */
    public enum Training {
        /** Neural Hive's CronJob: a Job made from it ({@code trigger.kind: cronjob}). */
        JOB_FROM_CRONJOB,
        /** A Job manifest in a ConfigMap: a Job made from it ({@code trigger.kind: job-template}). */
        JOB_FROM_TEMPLATE,
        /** An Argo WorkflowTemplate: a Workflow submitted from it ({@code trigger.kind: argo-workflow}). */
        WORKFLOW_FROM_TEMPLATE,
        /**
         * A Kubeflow Pipelines run started through its REST API ({@code trigger.kind: http}), the service a
         * {@link PipelineStandIn} that outlives every guardian process, its token in a Secret.
         */
        RUN_THROUGH_PIPELINE
    }

    /** The pipeline service of {@link Training#RUN_THROUGH_PIPELINE}: one for the JVM, reset by {@link #reset()}. */
    private static PipelineStandIn pipeline;
    private static final String PIPELINE_TOKEN = "kfp-runbook-token-42";

    /** The ways a remediation (or a rollback by hand) can go. */
    public enum Path {
        /** Breach, Job, v8 passes validation, promoted, restarted, verified healthy. */
        PROMOTED,
        /** Breach, Job, v8 (which promoted itself) fails validation, rolled back to v7. */
        VALIDATION_FAILED,
        /** Breach, Job, v8 promoted, the signal still breaches when the verify window ends, rolled back to v7. */
        VERIFY_BREACH,
        /** Breach, the Job fails, rolled back. */
        TRAINING_FAILED,
        /** A healthy target, rollback asked for by hand. */
        MANUAL_ROLLBACK,
        /**
         * Healthy signals, {@code remediate --force}: Job, v8 passes validation, promoted, restarted; the command is
         * run again while verifying (a retried Job), and its wait loop sees the window end healthy.
         */
        FORCED_PROMOTED
    }

    /** One step of a script: an engine call ({@code engine} true) or the world moving. */
    public record Step(String name, boolean engine, Consumer<RemediationEngine> action) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * How a run ended, as far as a user can see: the target's state, its history (action texts without the
     * "(was vN)" or "(already serving)" remark, which depends on whether a promotion was retried), the Jobs, the
     * serving version, the flag and the restart annotation.
     */
    public record Outcome(RemediationState state, List<String> history, int jobs, String production, String flag,
            String restartedAt, Map<String, Optional<String>> flagsToRestore) {
    }

    private final KubernetesClient world;
    private final MutableClock clock;
    private final PolicyEngine policyEngine;
    private final ModelSet models;
    private final Training training;
    private InMemoryModelRegistry registry;

    /**
     * @param world the test's own client: plays the Job controller and reads the outcome
     */
    public Runbook(KubernetesClient world, MutableClock clock, PolicyEngine policyEngine, ModelSet models) {
        this(world, clock, policyEngine, models, Training.JOB_FROM_CRONJOB);
    }

    /**
     * @param world    the test's own client: plays the Job (or workflow) controller and reads the outcome
     * @param training what trains the target
     */
    public Runbook(KubernetesClient world, MutableClock clock, PolicyEngine policyEngine, ModelSet models,
            Training training) {
        this.world = world;
        this.clock = clock;
        this.policyEngine = policyEngine;
        this.models = models;
        this.training = training;
    }

    /** A clean cluster, T0, a breaching signal, and the registry with v1..v7, v7 in Production. */
    public void reset() {
        NeuralHive.reset(world);
        if (training == Training.WORKFLOW_FROM_TEMPLATE) {
            Argo.reset(world);
        }
        if (training == Training.JOB_FROM_TEMPLATE) {
            JobTemplates.install(world);
        }
        if (training == Training.RUN_THROUGH_PIPELINE) {
            pipeline().reset();
            world.secrets().inNamespace(NAMESPACE).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                    .withNewMetadata().withName("kfp-token").endMetadata()
                    .withData(Map.of("token", java.util.Base64.getEncoder().encodeToString(PIPELINE_TOKEN.getBytes(
                            java.nio.charset.StandardCharsets.UTF_8)))).build()).createOr(r -> r.update());
        }
        clock.set(T0);
        ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.BREACH);
        registry = new InMemoryModelRegistry();
        registry.addExperiment(RegistryProfile.EXPERIMENT, "1");
        for (int v = 1; v <= 7; v++) {
            registry.register(MODEL, T0.minus(Duration.ofDays(8 - v)), "1", Map.of("mae_percentage", 13.0 + v / 10.0));
        }
        registry.setStage(MODEL, "7", "Production");
    }

    /** The registry (MLflow outlives any guardian process). */
    public InMemoryModelRegistry registry() {
        return registry;
    }

    /** The training target of {@link RegistryProfile}. */
    public TargetSpec target() {
        return targets().getFirst();
    }

    /** The targets of {@link RegistryProfile}, trained as {@link #training} says. */
    private List<TargetSpec> targets() {
        List<TargetSpec> targets = KubeBeans.targets(models, true);
        return switch (training) {
            case JOB_FROM_CRONJOB -> targets;
            case JOB_FROM_TEMPLATE -> targets.stream().map(t -> new TargetSpec(t.name(),
                    Extensions.trainedFrom("job-template", JobTemplates.CONFIG_MAP), t.models(), t.recovery())).toList();
            case WORKFLOW_FROM_TEMPLATE -> targets.stream().map(t -> new TargetSpec(t.name(),
                    Extensions.trainedFrom("argo-workflow", Argo.TEMPLATE), t.models(), t.recovery())).toList();
            case RUN_THROUGH_PIPELINE -> targets.stream().map(t -> new TargetSpec(t.name(),
                    Extensions.trainedFrom("http", "orchestrator-ml-retrain"), t.models(), t.recovery())).toList();
        };
    }

    /** The trigger a fresh guardian process on {@code client} starts runs with. */
    private TrainingTrigger trigger(KubernetesClient client) {
        return switch (training) {
            case JOB_FROM_CRONJOB -> new TrainingJobs(client, NAMESPACE, Duration.ofMinutes(10), clock);
            case JOB_FROM_TEMPLATE -> {
                Settings config = TestConfigs.settings("guardian:\n  targets:\n    " + CRON_JOB
                        + ":\n      models: [" + MODEL + "]\n      trigger:\n        kind: job-template\n"
                        + "        job-template:\n          config-map: " + JobTemplates.CONFIG_MAP + "\n");
                yield new JobTemplateProvider().trigger(config, config.guardian().targets(), client, NAMESPACE, clock);
            }
            case WORKFLOW_FROM_TEMPLATE -> new ArgoWorkflows(client, NAMESPACE, Map.of(CRON_JOB, new ArgoTemplate(
                    Argo.TEMPLATE, false, Map.of("remediation-id", "{remediation-id}"))));
            case RUN_THROUGH_PIPELINE -> {
                String kfp = pipeline().url() + "/apis/v2beta1/runs";
                Settings config = TestConfigs.settings("""
                        guardian:
                          targets:
                            %s:
                              models: [%s]
                              trigger:
                                kind: http
                                http:
                                  start:
                                    url: %s
                                    body: '{"display_name": "{run}", "runtime_config": {"parameters": {"remediation_id": "{remediation-id}"}}}'
                                    run-id: /run_id
                                  status:
                                    url: %s/{run-id}
                                    state: /state
                                    succeeded: [SUCCEEDED]
                                    failed: [FAILED]
                                  runs:
                                    url: %s
                                    items: /runs
                                    name: /display_name
                                  auth:
                                    secret: kfp-token
                        """.formatted(CRON_JOB, MODEL, kfp, kfp, kfp));
                yield new HttpTriggerProvider().trigger(config, config.guardian().targets(), client, NAMESPACE, clock);
            }
        };
    }

    /**
     * A fresh guardian process on {@code client}: its own store, Job cache and model server, sharing nothing with an
     * earlier one but the cluster and the registry.
     */
    public RemediationEngine engine(KubernetesClient client, UnaryOperator<StateStore> store,
            RemediationListener listener, BooleanSupplier mayAct) {
        RemediationPolicy policy = new RemediationPolicy(Duration.ofHours(1), 3, false, false, Duration.ofMinutes(45),
                Duration.ofMinutes(5), "ml-retrain-emergency");
        return new RemediationEngine(policyEngine, Policies.from(models), targets(),
                store.apply(new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state")),
                trigger(client), policy, 50, clock, listener,
                mayAct, Optional.of(registry), new ModelServerResources(client, NAMESPACE));
    }

    public RemediationEngine engine(KubernetesClient client) {
        return engine(client, s -> s, RemediationListener.NONE, () -> true);
    }

    /** The script of {@code path}. */
    public List<Step> script(Path path) {
        List<Step> steps = new ArrayList<>();
        if (path == Path.FORCED_PROMOTED) {
            steps.add(world("the signal is healthy", () -> ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.HEALTHY)));
            steps.add(engine("remediate --force", e -> e.request(target(), true, "remediate --force")));
            steps.add(world("v8 registered (MAE 12), Job complete, +20m", () -> trainingRegisters(12.0, false)));
            steps.add(engine("remediate's wait loop", e -> e.followUp(target().name())));
            steps.add(engine("remediate --force again while verifying",
                    e -> e.request(target(), true, "remediate --force")));
            steps.add(world("+5m", () -> clock.advance(Duration.ofMinutes(5))));
            steps.add(engine("remediate's wait loop after the verify window", e -> e.followUp(target().name())));
            return steps;
        }
        if (path == Path.MANUAL_ROLLBACK) {
            steps.add(world("the signal is healthy", () -> ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.HEALTHY)));
            steps.add(engine("cycle", RemediationEngine::runCycle));
            steps.add(engine("rollback by hand", e -> e.rollback(target())));
            return steps;
        }
        steps.add(engine("cycle: the MAE ratio breaches", RemediationEngine::runCycle));
        switch (path) {
            case PROMOTED, VERIFY_BREACH -> steps.add(world("v8 registered (MAE 12), Job complete, +20m",
                    () -> trainingRegisters(12.0, false)));
            case VALIDATION_FAILED -> steps.add(world("v8 registered (MAE 17.5) and promoted by the script, Job"
                    + " complete, +20m", () -> trainingRegisters(17.5, true)));
            case TRAINING_FAILED -> steps.add(world("the run failed", () -> finish(false)));
            case MANUAL_ROLLBACK, FORCED_PROMOTED -> throw new IllegalStateException();
        }
        steps.add(engine("follow-up", RemediationEngine::followUp));
        if (path == Path.PROMOTED) {
            steps.add(world("signal healthy, +5m", () -> {
                ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.HEALTHY);
                clock.advance(Duration.ofMinutes(5));
            }));
            steps.add(engine("cycle after the verify window", RemediationEngine::runCycle));
        } else if (path == Path.VERIFY_BREACH) {
            steps.add(world("+5m, the signal still breaches", () -> clock.advance(Duration.ofMinutes(5))));
            steps.add(engine("cycle at the end of the verify window", RemediationEngine::runCycle));
        }
        return steps;
    }

    private static Step engine(String name, Consumer<RemediationEngine> call) {
        return new Step(name, true, call);
    }

    private static Step world(String name, Runnable change) {
        return new Step(name, false, e -> change.run());
    }

    /** Runs the whole script with one engine. */
    public Outcome run(Path path, RemediationEngine engine) {
        for (Step step : script(path)) {
            step.action().accept(engine);
        }
        return outcome();
    }

    /** The training run registers v8 with {@code mae} ten minutes in, the Job completes, and it is T0+20m. */
    private void trainingRegisters(double mae, boolean promotesItself) {
        String v = registry.register(MODEL, T0.plus(Duration.ofMinutes(10)), "1", Map.of("mae_percentage", mae));
        if (promotesItself) {
            registry.promote(new RegistryModel(MODEL, RegistryModel.Mode.STAGE, "champion"), v);
        }
        finish(true);
        clock.advance(Duration.ofMinutes(20));
    }

    /** Plays the Job (or workflow) controller: the one run ends. */
    private void finish(boolean succeeded) {
        switch (training) {
            case JOB_FROM_CRONJOB, JOB_FROM_TEMPLATE -> NeuralHive.finish(world, onlyJob(),
                    succeeded ? "Complete" : "Failed", succeeded ? null : "DeadlineExceeded");
            case WORKFLOW_FROM_TEMPLATE -> Argo.finish(world, onlyJob(), succeeded ? "Succeeded" : "Failed");
            case RUN_THROUGH_PIPELINE -> pipeline().finish(pipeline().idOf(onlyJob()), succeeded ? "SUCCEEDED"
                    : "FAILED", succeeded ? null : "task train failed");
        }
    }

    /** The one training run (Job or Workflow); fails when there is none or more. */
    public String onlyJob() {
        List<String> runs = runs();
        if (runs.size() != 1) {
            throw new AssertionError("expected exactly one training run, found " + runs);
        }
        return runs.getFirst();
    }

    /** The labels of each training run in the cluster, by run name. */
    public Map<String, Map<String, String>> runLabels() {
        Map<String, Map<String, String>> labels = new java.util.TreeMap<>();
        switch (training) {
            case JOB_FROM_CRONJOB, JOB_FROM_TEMPLATE -> jobs().forEach(j -> labels.put(j.getMetadata().getName(),
                    j.getMetadata().getLabels()));
            case WORKFLOW_FROM_TEMPLATE -> Argo.workflows(world).forEach(w -> labels.put(w.getMetadata().getName(),
                    w.getMetadata().getLabels()));
            // What a run "carries" is its parameters: the remediation id the start request passed.
            case RUN_THROUGH_PIPELINE -> pipeline().names().forEach(name -> labels.put(name, Map.of(
                    dev.modelguardian.integrations.kubernetes.TrainingLabels.REMEDIATION_ID, pipeline()
                            .run(pipeline().idOf(name)).path("runtime_config").path("parameters")
                            .path("remediation_id").asText())));
        }
        return labels;
    }

    /** The names of the training runs in the cluster: the Jobs, or the Workflows. */
    public List<String> runs() {
        return switch (training) {
            case JOB_FROM_CRONJOB, JOB_FROM_TEMPLATE -> jobs().stream().map(j -> j.getMetadata().getName()).toList();
            case WORKFLOW_FROM_TEMPLATE -> Argo.workflows(world).stream().map(w -> w.getMetadata().getName())
                    .toList();
            case RUN_THROUGH_PIPELINE -> pipeline().names();
        };
    }

    /** The pipeline service, started on first use; it requires the token of the Secret {@link #reset()} creates. */
    private static synchronized PipelineStandIn pipeline() {
        if (pipeline == null) {
            pipeline = PipelineStandIn.start(PipelineStandIn.Service.KUBEFLOW, "Bearer " + PIPELINE_TOKEN);
        }
        return pipeline;
    }

    public List<Job> jobs() {
        return world.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
    }

    /** The target's record as stored now, or null. */
    public TargetRecord record() {
        return new ConfigMapStateStore(world, NAMESPACE, "model-guardian-state").load().targets().get(CRON_JOB);
    }

    public String production() {
        return registry.all(MODEL).stream().filter(v -> v.stage().equals("Production")).map(ModelVersion::version)
                .reduce((a, b) -> a + "," + b).orElse("none");
    }

    /** What the run came to. */
    public Outcome outcome() {
        TargetRecord record = record();
        List<String> history = record == null ? List.of() : record.history().stream().map(Runbook::describe).toList();
        return new Outcome(record == null ? null : record.current().state(), history, runs().size(), production(),
                NeuralHive.flag(world), NeuralHive.restartedAt(world),
                record == null ? Map.of() : record.flagsToRestore());
    }

    private static String describe(HistoryEntry h) {
        return h.id() + " " + h.outcome() + " " + h.started() + ".." + h.ended() + ": " + normalize(h.reason())
                + " | verdict " + h.verdict().map(v -> v.summary()).orElse("-") + " | actions "
                + h.actions().stream().map(Runbook::normalize).toList();
    }

    private static String normalize(String text) {
        return text.replaceAll(" \\((already serving|was v\\d+)\\)", "");
    }
}
