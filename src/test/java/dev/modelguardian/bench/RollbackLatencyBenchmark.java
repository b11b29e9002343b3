package dev.modelguardian.bench;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.remediation.Action;
import dev.modelguardian.core.remediation.Decision;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationListener;
import dev.modelguardian.core.remediation.RemediationPolicy;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.integrations.jobs.TrainingJobs;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.integrations.kubernetes.ModelServerResources;
import dev.modelguardian.integrations.mlflow.MlflowRegistry;
import dev.modelguardian.integrations.mlflow.MlflowSettings;
import dev.modelguardian.testing.MlflowStandIn;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.RegistryProfile;
import dev.modelguardian.testing.ScrapeTarget;
import dev.modelguardian.testing.ScrapedModelProfile;

/**
 * Reaction times of the registry step (run by {@code bench/rollback.sh}, only with {@code -Dbench=true}): the engine
 * as {@code serve} wires it, the real MLflow REST client against the stand-in, the fabric8 mock API server. Per run:
 * Job complete to validation decided, and validation failed to flag patched and to restart issued; for a good
 * candidate, validation passed to promoted and restarted. Times are between the persisted steps, as the engine's
 * listener sees them.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MlflowStandIn.class, restrictToAnnotatedClass = true)
@TestProfile(RegistryProfile.class)
@EnabledIfSystemProperty(named = "bench", matches = "true")
class RollbackLatencyBenchmark {

    static final String MODEL = "ticket-duration-predictor";

    @MlflowStandIn.InjectMlflow
    MlflowStandIn mlflow;

    @Inject
    KubernetesClient client;

    @Inject
    MutableClock clock;

    @Inject
    PolicyEngine policyEngine;

    @Inject
    ModelSet models;

    @Inject
    GuardianConfig config;

    @Inject
    MlflowSettings mlflowSettings;

    /** Nanosecond stamps of the steps of one run. */
    final Map<String, Long> stamps = new HashMap<>();

    @Test
    void reactionTimes() throws IOException {
        int warmup = Integer.getInteger("bench.warmup", 5);
        int runs = Integer.getInteger("bench.runs", 15);
        Map<String, List<Double>> ms = new java.util.LinkedHashMap<>();
        for (int i = 0; i < warmup + runs; i++) {
            boolean bad = i % 2 == 0;
            run(bad, Instant.parse("2026-11-24T03:00:00Z").plus(Duration.ofDays(i)));
            if (i < warmup) {
                continue;
            }
            record(ms, "Job complete -> validation decided", "followUp", "validated");
            if (bad) {
                record(ms, "validation failed -> flag patched", "validated", "setKeys");
                record(ms, "validation failed -> restart issued", "validated", "restart");
            } else {
                record(ms, "validation passed -> promoted and restart issued", "validated", "restart");
            }
        }
        StringBuilder table = new StringBuilder("| step | runs | median (ms) | min | max |\n|---|---|---|---|---|\n");
        ms.forEach((name, values) -> {
            List<Double> sorted = values.stream().sorted().toList();
            table.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n", name, sorted.size(),
                    sorted.get(sorted.size() / 2), sorted.getFirst(), sorted.getLast()));
        });
        Path out = Path.of("bench/out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("rollback.md"), table.toString());
        System.out.println(table);
    }

    private void record(Map<String, List<Double>> ms, String name, String from, String to) {
        assertThat(stamps).containsKeys(from, to);
        ms.computeIfAbsent(name, n -> new ArrayList<>()).add((stamps.get(to) - stamps.get(from)) / 1e6);
    }

    private void run(boolean badCandidate, Instant t0) {
        NeuralHive.reset(client);
        mlflow.reset();
        clock.set(t0);
        ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.BREACH);
        MlflowStandIn.Model model = mlflow.model(MODEL);
        model.version("7", t0.minus(Duration.ofDays(1)), Map.of("mae_percentage", 13.7)).stage("7", "Production");
        stamps.clear();
        RemediationEngine engine = engine();
        engine.runCycle();
        model.version("8", t0.plus(Duration.ofMinutes(10)), Map.of("mae_percentage", badCandidate ? 17.5 : 12.0));
        List<Job> jobs = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
        NeuralHive.finish(client, jobs.getFirst().getMetadata().getName(), "Complete", null);
        clock.advance(Duration.ofMinutes(20));
        stamps.put("followUp", System.nanoTime());
        engine.followUp();
        assertThat(new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state").load().targets()
                .get(NeuralHive.CRON_JOB).current().state())
                .isEqualTo(badCandidate ? RemediationState.ROLLED_BACK : RemediationState.VERIFYING);
    }

    private RemediationEngine engine() {
        RemediationPolicy policy = new RemediationPolicy(Duration.ofHours(1), 3, false, false, Duration.ofMinutes(45),
                Duration.ofMinutes(5), "ml-retrain-emergency");
        RemediationListener timing = new RemediationListener() {
            @Override
            public void stepped(Step step) {
                long now = System.nanoTime();
                switch (step.decision()) {
                    case Decision.Validated v -> stamps.put("validated", now);
                    case Decision.Act a when a.action() instanceof Action.SetKeys -> stamps.put("setKeys", now);
                    case Decision.Act a when a.action() instanceof Action.Restart -> stamps.put("restart", now);
                    default -> {
                    }
                }
            }
        };
        return new RemediationEngine(policyEngine, Policies.from(models), KubeBeans.targets(models, true),
                new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state"),
                new TrainingJobs(client, NAMESPACE, Duration.ofMinutes(10), clock), policy, 50, clock, timing,
                () -> true, Optional.of(MlflowRegistry.create(mlflowSettings)),
                new ModelServerResources(client, NAMESPACE));
    }
}
