package dev.modelguardian.app.cli;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetHealth.FiredSignal;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetState;
import dev.modelguardian.core.remediation.Timeline;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.testing.MainTestCluster;

/**
 * {@code status} against the fabric8 mock server in CRUD mode holding a state ConfigMap with a target that failed
 * once and was retrained once. The configuration carries notifier secrets: none may reach the output.
 */
@QuarkusMainTest
class StatusCommandTest {

    static final String SLACK_SECRET = "STATUSSLACKSECRETPATH";
    static final String ROUTING_KEY = "STATUSROUTINGKEY0123456789abcdef";
    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");
    static final FiredSignal MAE = new FiredSignal("ticket-duration-predictor", "mae-ratio", 1.72,
            "> 1.5 (clear <= 1.3)");

    static KubernetesMockServer server;

    @TempDir
    static Path dir;
    static Path config;

    KubernetesClient client;

    @BeforeAll
    static void startCluster() throws IOException {
        server = MainTestCluster.start();
        config = Files.writeString(dir.resolve("guardian.yaml"), """
                guardian:
                  namespace: %s
                  notify:
                    slack:
                      webhook-url: https://hooks.slack.com/services/%s
                    pagerduty:
                      routing-key: %s
                """.formatted(NAMESPACE, SLACK_SECRET, ROUTING_KEY));
    }

    @AfterAll
    static void stopCluster() {
        MainTestCluster.stop(server);
    }

    @BeforeEach
    void setUp() {
        client = server.createClient();
        dev.modelguardian.testing.NeuralHive.deleteState(client);
        HistoryEntry failed = new HistoryEntry("r" + T0.getEpochSecond(),
                Optional.of("ml-retrain-emergency-" + T0.getEpochSecond()), T0, T0.plusSeconds(720),
                HistoryEntry.Outcome.ROLLED_BACK, "Job ml-retrain-emergency-" + T0.getEpochSecond()
                        + " failed: BackoffLimitExceeded", List.of(MAE));
        Instant t1 = T0.plusSeconds(8 * 3600);
        // The failed one was written before timelines were kept; the retrained one has its timeline and approver.
        HistoryEntry retrained = new HistoryEntry("r" + t1.getEpochSecond(),
                Optional.of("ml-retrain-emergency-" + t1.getEpochSecond()), t1, t1.plusSeconds(1500),
                HistoryEntry.Outcome.RETRAINED, "training Job ml-retrain-emergency-" + t1.getEpochSecond()
                        + " complete", List.of(MAE)).withTimeline(new Timeline(List.of(
                                new Timeline.Mark(RemediationState.FIRING, t1.minusSeconds(180)),
                                new Timeline.Mark(RemediationState.RETRAINING, t1),
                                new Timeline.Mark(RemediationState.VALIDATING, t1.plusSeconds(1440)),
                                new Timeline.Mark(RemediationState.HEALTHY, t1.plusSeconds(1500))),
                                Optional.of(new Timeline.Approval(Timeline.AUTO, t1))));
        TargetState now = new TargetState(RemediationState.HEALTHY, t1.plusSeconds(1500), Optional.empty(),
                Optional.empty(), false, List.of(), false, List.of(T0, t1), Optional.of(t1.plusSeconds(1500)));
        TargetRecord record = new TargetRecord(9, now, "training Job ml-retrain-emergency-" + t1.getEpochSecond()
                + " complete", dev.modelguardian.core.remediation.Progress.EMPTY, Map.of(), List.of(failed, retrained));
        assertThat(new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state").compareAndSet(CRON_JOB, 0,
                record)).isTrue();
        seeded = record;
    }

    TargetRecord seeded;

    /** The signals of the remediation under way went inconclusive a minute into verification. */
    private static Instant inconclusiveSince(Instant approved) {
        return approved.plusSeconds(1830);
    }

    /**
     * A remediation under way on top of the seeded history: fired 50 minutes ago, approved through the API after 10
     * minutes of waiting, trained for 28 minutes, validated in 1, promoted in 30 seconds, verifying for 10m30s now.
     */
    private Instant verifyingSinceApproved() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant fired = now.minusSeconds(3000);
        Instant approved = fired.plusSeconds(600);
        Timeline timeline = new Timeline(List.of(new Timeline.Mark(RemediationState.FIRING, fired),
                new Timeline.Mark(RemediationState.AWAITING_APPROVAL, fired),
                new Timeline.Mark(RemediationState.RETRAINING, approved),
                new Timeline.Mark(RemediationState.VALIDATING, approved.plusSeconds(1680)),
                new Timeline.Mark(RemediationState.PROMOTING, approved.plusSeconds(1740)),
                new Timeline.Mark(RemediationState.VERIFYING, approved.plusSeconds(1770))),
                Optional.of(new Timeline.Approval("api-token", approved)));
        TargetState verifying = new TargetState(RemediationState.VERIFYING, approved.plusSeconds(1770),
                Optional.of("r" + approved.getEpochSecond()), Optional.of("ml-retrain-emergency-"
                        + approved.getEpochSecond()), true, List.of(MAE), false, List.of(approved), Optional.empty());
        TargetRecord record = new TargetRecord(seeded.revision() + 1, verifying, "promoted; verifying for 5m",
                seeded.progress(), Map.of(), seeded.history(), timeline, Optional.of(inconclusiveSince(approved)));
        assertThat(new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state").compareAndSet(CRON_JOB,
                seeded.revision(), record)).isTrue();
        return approved;
    }

    private LaunchResult status(QuarkusMainLauncher launcher, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "status";
        all[1] = "--config";
        all[2] = config.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return launcher.launch(all);
    }

    private static void assertNoSecret(LaunchResult result) {
        assertThat(result.getOutput() + result.getErrorOutput()).doesNotContain(SLACK_SECRET)
                .doesNotContain(ROUTING_KEY);
    }

    @Test
    void givenATargetWithHistory_whenStatusAsTable_thenStateAndEachRemediationWithNumbersJobAndDuration(
            QuarkusMainLauncher launcher) {
        LaunchResult result = status(launcher);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isZero();
        String out = result.getOutput();
        assertThat(out).contains("TARGET " + CRON_JOB)
                .containsPattern("state\\s+HEALTHY since 2026-11-24T11:25:00Z")
                .containsPattern("STARTED\\s+TOOK\\s+OUTCOME\\s+REMEDIATION\\s+JOB\\s+TRIGGER\\s+REASON")
                .containsPattern("2026-11-24T03:00:00Z\\s+12m\\s+rolled_back\\s+r" + T0.getEpochSecond()
                        + "\\s+ml-retrain-emergency-" + T0.getEpochSecond()
                        + "\\s+ticket-duration-predictor/mae-ratio 1.72 \\(> 1.5 \\(clear <= 1.3\\)\\)\\s+Job .* failed:"
                        + " BackoffLimitExceeded")
                .containsPattern("2026-11-24T11:00:00Z\\s+25m\\s+retrained");
        assertThat(out.indexOf("retrained")).as("newest first").isLessThan(out.indexOf("rolled_back"));
        assertNoSecret(result);
    }

    @Test
    void givenATargetWithHistory_whenStatusAsJson_thenTheVersionedDocument(QuarkusMainLauncher launcher)
            throws IOException {
        LaunchResult result = status(launcher, "--target", CRON_JOB, "--output", "json");

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isZero();
        JsonNode json = new ObjectMapper().readTree(result.getOutput());
        assertThat(json.get("schema").asText()).isEqualTo("model-guardian/status/v1");
        assertThat(json.get("namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(json.get("configMap").asText()).isEqualTo("model-guardian-state");
        JsonNode target = json.get("targets").get(0);
        assertThat(target.get("name").asText()).isEqualTo(CRON_JOB);
        assertThat(target.get("state").asText()).isEqualTo("HEALTHY");
        assertThat(target.get("historySize").asInt()).isEqualTo(2);
        JsonNode failed = target.get("history").get(1);
        assertThat(failed.get("id").asText()).isEqualTo("r" + T0.getEpochSecond());
        assertThat(failed.get("job").asText()).isEqualTo("ml-retrain-emergency-" + T0.getEpochSecond());
        assertThat(failed.get("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(failed.get("tookSeconds").asLong()).isEqualTo(720);
        assertThat(failed.get("started").asText()).isEqualTo("2026-11-24T03:00:00Z");
        assertThat(failed.at("/trigger/0/value").asDouble()).isEqualTo(1.72);
        assertThat(failed.at("/trigger/0/bound").asText()).isEqualTo("> 1.5 (clear <= 1.3)");
        assertNoSecret(result);
    }

    @Test
    void givenARemediationUnderWayAndATimedHistory_whenStatusAsTable_thenWhoApprovedAndHowLongEachStepTook(
            QuarkusMainLauncher launcher) {
        Instant approved = verifyingSinceApproved();
        Instant t1 = T0.plusSeconds(8 * 3600);

        LaunchResult result = status(launcher);

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isZero();
        String out = result.getOutput();
        assertThat(out).contains("state        VERIFYING")
                .contains("approved by  api-token at " + approved)
                .containsPattern("inconclusive signals since " + inconclusiveSince(approved) + " \\(9m\\d+s\\)")
                .containsPattern("steps        firing -> retraining started 10m, awaiting approval 10m,"
                        + " Job running 28m, validation 1m, promotion 30s, verification 1\\dm\\d+s \\(ongoing\\)")
                .contains("  r" + t1.getEpochSecond() + ":\n"
                        + "    approved   auto (no approval required) at 2026-11-24T11:00:00Z\n"
                        + "    steps      firing -> retraining started 3m, Job running 24m, validation 1m");
        assertThat(out).as("an entry written before timelines has no step lines")
                .doesNotContain("  r" + T0.getEpochSecond() + ":");
        assertNoSecret(result);
    }

    @Test
    void givenARemediationUnderWayAndATimedHistory_whenStatusAsJson_thenApproverAndStepsForEach(
            QuarkusMainLauncher launcher) throws IOException {
        Instant approved = verifyingSinceApproved();

        LaunchResult result = status(launcher, "--output", "json");

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isZero();
        JsonNode target = new ObjectMapper().readTree(result.getOutput()).get("targets").get(0);
        assertThat(target.get("approvedBy").asText()).isEqualTo("api-token");
        assertThat(target.get("approvedAt").asText()).isEqualTo(approved.toString());
        assertThat(target.get("inconclusiveSince").asText()).isEqualTo(inconclusiveSince(approved).toString());
        JsonNode steps = target.get("steps");
        assertThat(steps).extracting(s -> s.get("step").asText()).containsExactly("firing -> retraining started",
                "awaiting approval", "Job running", "validation", "promotion", "verification");
        assertThat(steps).extracting(s -> s.get("seconds").asLong()).startsWith(600L, 600L, 1680L, 60L, 30L);
        assertThat(steps.get(2).get("from").asText()).isEqualTo(approved.toString());
        assertThat(steps.get(2).get("ongoing").asBoolean()).isFalse();
        assertThat(steps.get(5).get("ongoing").asBoolean()).isTrue();
        assertThat(steps.get(5).get("seconds").asLong()).isBetween(630L, 700L);

        JsonNode retrained = target.get("history").get(0);
        assertThat(retrained.get("approvedBy").asText()).isEqualTo("auto (no approval required)");
        assertThat(retrained.get("steps")).extracting(s -> s.get("step").asText() + " " + s.get("seconds").asLong())
                .containsExactly("firing -> retraining started 180", "Job running 1440", "validation 60");
        JsonNode old = target.get("history").get(1);
        assertThat(old.has("approvedBy")).as("not recorded before timelines").isFalse();
        assertThat(old.get("steps")).isEmpty();
        assertNoSecret(result);
    }

    @Test
    void givenAnUnknownTarget_whenStatus_thenExit3NamingTheKnownTargets(QuarkusMainLauncher launcher) {
        LaunchResult result = status(launcher, "--target", "orchestrator-ml-training");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("no training target 'orchestrator-ml-training'").contains(CRON_JOB);
        assertNoSecret(result);
    }

    @Test
    void givenHelp_whenAsked_thenTheExitCodesAreDocumented(QuarkusMainLauncher launcher) {
        LaunchResult result = status(launcher, "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("Exit codes:").containsPattern("0\\s+printed")
                .containsPattern("3\\s+configuration error");
    }
}
