package dev.modelguardian.bench;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.RegistryProfile;
import dev.modelguardian.testing.Runbook;
import dev.modelguardian.testing.ScrapeTarget;

/**
 * How much of its state ConfigMap's 1 MiB one training target takes: the runbook's paths are run through the engine
 * (registry step, flag, Deployment, as serve wires them), and the target's key is measured as the API server stores
 * it, after one remediation and with a history of 10, 50 ({@code guardian.state.history}'s default) and 200 of that
 * remediation. From that, how many finished remediations one target's ConfigMap holds under the guardian's 960 KiB
 * guard; and from the policy statuses the runs left, how many policies the state ConfigMap holds. Run by
 * {@code bench/state-size.sh}; sizes are deterministic, so one run is the figure.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@TestProfile(RegistryProfile.class)
@EnabledIfSystemProperty(named = "bench", matches = "true")
class StateSizeBenchmark {

    static final int GUARD = 1_048_576 - 65_536;
    static final int[] HISTORY = { 10, 50, 200 };

    @Inject
    KubernetesClient client;

    @Inject
    MutableClock clock;

    @Inject
    PolicyEngine policyEngine;

    @Inject
    ModelSet models;

    @Test
    void stateSizes() throws IOException {
        Runbook runbook = new Runbook(client, clock, policyEngine, models);
        StringBuilder md = new StringBuilder("| path | one remediation: target key | per history entry |");
        for (int h : HISTORY) {
            md.append(" history ").append(h).append(": target's ConfigMap |");
        }
        md.append(" history entries that fit |\n|---|---|---|");
        md.append("---|".repeat(HISTORY.length)).append("---|\n");
        for (Runbook.Path path : List.of(Runbook.Path.PROMOTED, Runbook.Path.VALIDATION_FAILED,
                Runbook.Path.TRAINING_FAILED)) {
            runbook.reset();
            runbook.run(path, runbook.engine(client));
            TargetRecord one = runbook.record();
            int oneBytes = keyBytes("model-guardian-state");
            HistoryEntry entry = one.last().orElseThrow();
            md.append("| ").append(path.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                    .append(kib(oneBytes)).append(" | ");
            List<String> cells = new ArrayList<>();
            int perEntry = -1;
            for (int h : HISTORY) {
                TargetRecord full = one;
                for (int i = 1; i < h; i++) {
                    full = full.finished(one.current(), one.reason(), new HistoryEntry(entry.id() + "-" + i,
                            entry.job(), entry.started(), entry.ended(), entry.outcome(), entry.reason(),
                            entry.trigger(), entry.verdict(), entry.actions(), entry.timeline(), entry.requestedBy()),
                            h);
                }
                String probe = "size-probe-" + h;
                new ConfigMapStateStore(client, NAMESPACE, probe).compareAndSet(CRON_JOB, 0, full);
                int bytes = keyBytes(probe);
                if (perEntry < 0) {
                    perEntry = (bytes - oneBytes) / (h - 1);
                }
                cells.add(kib(bytes));
            }
            md.append(perEntry).append(" B | ").append(String.join(" | ", cells)).append(" | ")
                    .append((GUARD - oneBytes) / perEntry + 1).append(" |\n");
        }
        // The status the runs left for their policy, as N policies of N models would each have it (each with its own
        // value and since, as a real cycle leaves them); stored as JSON up to 256 KiB, gzipped beyond.
        var status = new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state").load().policies().values()
                .iterator().next();
        md.append("\n| policies | their statuses as stored | per policy | policies that fit at that size |\n")
                .append("|---|---|---|---|\n");
        for (int n : new int[] { 1000, 5000, 20_000 }) {
            String probe = "policy-probe-" + n;
            Map<String, dev.modelguardian.core.policy.PolicyStatus> many = new java.util.TreeMap<>();
            for (int i = 0; i < n; i++) {
                many.put(String.format(java.util.Locale.ROOT, "ticket-duration-predictor-%05d/mae-percentage", i),
                        new dev.modelguardian.core.policy.PolicyStatus(status.state(), status.since().plusSeconds(i),
                                status.breachSince(), status.firingSince(), java.util.OptionalDouble.of(
                                        status.value().orElse(1) * (1 + i / 7919.0)), status.series(),
                                status.consecutiveSourceErrors(), status.reason()));
            }
            new ConfigMapStateStore(client, NAMESPACE, probe).savePolicies(many);
            var cm = client.configMaps().inNamespace(NAMESPACE).withName(probe).get();
            boolean plain = cm.getData() != null && cm.getData().containsKey("policies.json");
            int stored = plain ? cm.getData().get("policies.json").getBytes(StandardCharsets.UTF_8).length
                    : cm.getBinaryData().get("policies.json.gz").length() / 4 * 3;
            md.append("| ").append(n).append(" | ").append(kib(stored))
                    .append(plain ? " (JSON)" : " (gzip)").append(" | ")
                    .append(String.format(java.util.Locale.ROOT, "%.1f B", stored / (double) n)).append(" | ")
                    .append((long) (GUARD / (stored / (double) n))).append(" |\n");
        }
        Path out = Path.of("bench/out/state-size.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
    }

    /** The bytes of the target's key and value in its ConfigMap of state {@code name}, as the API server holds them. */
    private int keyBytes(String name) {
        Map<String, String> data = client.configMaps().inNamespace(NAMESPACE)
                .withName(ConfigMapStateStore.shardName(name, CRON_JOB)).get().getData();
        String key = "target." + CRON_JOB + ".json";
        return key.getBytes(StandardCharsets.UTF_8).length + data.get(key).getBytes(StandardCharsets.UTF_8).length;
    }

    private static String kib(int bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
