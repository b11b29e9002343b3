package dev.modelguardian.app.cli;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.testing.AccessReviews;
import dev.modelguardian.testing.MainTestCluster;
import dev.modelguardian.testing.MetricsEndpoint;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.ScrapedModelProfile;

/**
 * {@code approve} and {@code reject} as an on-call engineer runs them: a breaching signal parks the remediation in
 * AWAITING_APPROVAL ({@code require-approval}), then the decision is written through the state ConfigMap, on the CRUD
 * mock API server, which also answers SelfSubjectReviews ({@code kubectl auth whoami}) with the caller's name.
 */
@QuarkusMainTest
class ApprovalCommandTest {

    static KubernetesMockServer server;
    static AccessReviews reviews = new AccessReviews();
    static MetricsEndpoint metrics;

    @TempDir
    static Path dir;
    static Path config;

    KubernetesClient client;

    @BeforeAll
    static void start() throws IOException {
        server = MainTestCluster.start(reviews);
        metrics = new MetricsEndpoint();
        config = Files.writeString(dir.resolve("guardian.yaml"), """
                guardian:
                  namespace: %s
                  scrape:
                    url: %s
                  remediation:
                    require-approval: true
                    cooldown: 1h
                  models:
                    ticket-duration-predictor:
                      signals:
                        mae-ratio:
                          source: scrape
                          metric: orchestration_ml_drift_score
                          labels:
                            drift_type: prediction
                          above: 1.5
                  targets:
                    %s:
                      models: [ticket-duration-predictor]
                """.formatted(NAMESPACE, metrics.url(), CRON_JOB));
    }

    @AfterAll
    static void stop() {
        MainTestCluster.stop(server);
        metrics.close();
    }

    @BeforeEach
    void setUp() {
        client = server.createClient();
        NeuralHive.reset(client);
        metrics.set(ScrapedModelProfile.BREACH);
        reviews.user = "alice@neural-hive.example";
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private LaunchResult run(QuarkusMainLauncher launcher, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return launcher.launch(all);
    }

    /** A breach, and the remediation parked for approval by {@code remediate --no-wait}. */
    private void awaitingApproval(QuarkusMainLauncher launcher) {
        LaunchResult parked = run(launcher, "remediate", "--target", CRON_JOB, "--no-wait");
        assertThat(parked.exitCode()).as(parked.getOutput() + parked.getErrorOutput()).isEqualTo(4);
        assertThat(record().current().state()).isEqualTo(RemediationState.AWAITING_APPROVAL);
    }

    private TargetRecord record() {
        return new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state").load()
                .target(CRON_JOB, Instant.now());
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
    }

    @Test
    void givenARemediationAwaitingApproval_whenApproved_thenTheJobStartsAndTheHistoryNamesTheKubernetesUser(
            QuarkusMainLauncher launcher) {
        awaitingApproval(launcher);

        LaunchResult approved = run(launcher, "approve", "--target", CRON_JOB);

        assertThat(approved.exitCode()).as(approved.getOutput() + approved.getErrorOutput()).isZero();
        assertThat(approved.getOutput()).contains(CRON_JOB + " approved by alice@neural-hive.example; now RETRAINING:");
        assertThat(jobs()).hasSize(1);
        assertThat(record().timeline().approvedBy()).contains("alice@neural-hive.example");
    }

    @Test
    void givenNothingAwaitingApproval_whenApproved_thenExit4NamesTheStateAndNothingChanges(
            QuarkusMainLauncher launcher) {
        awaitingApproval(launcher);
        assertThat(run(launcher, "approve", "--target", CRON_JOB, "--by", "bob").exitCode()).isZero();

        LaunchResult again = run(launcher, "approve", "--target", CRON_JOB, "--by", "bob");

        assertThat(again.exitCode()).isEqualTo(4);
        assertThat(again.getErrorOutput()).contains("model-guardian: approve: " + CRON_JOB
                + " is not waiting for approval (state RETRAINING); nothing was changed");
        assertThat(jobs()).hasSize(1);
        assertThat(record().timeline().approvedBy()).contains("bob");
    }

    @Test
    void givenARemediationAwaitingApproval_whenRejectedWithAReason_thenNoJobTheHistorySaysWhoAndWhyAndTheCooldownHolds(
            QuarkusMainLauncher launcher) {
        awaitingApproval(launcher);

        LaunchResult rejected = run(launcher, "reject", "--target", CRON_JOB, "--reason",
                "last night's labels are corrupt");

        assertThat(rejected.exitCode()).as(rejected.getOutput() + rejected.getErrorOutput()).isZero();
        assertThat(rejected.getOutput()).contains(CRON_JOB + " rejected by alice@neural-hive.example; now FIRING:"
                + " rejected by alice@neural-hive.example: last night's labels are corrupt");
        HistoryEntry entry = record().last().orElseThrow();
        assertThat(entry.outcome()).isEqualTo(HistoryEntry.Outcome.REJECTED);
        assertThat(entry.reason()).isEqualTo("rejected by alice@neural-hive.example: last night's labels are corrupt");
        assertThat(jobs()).isEmpty();
        LaunchResult held = run(launcher, "remediate", "--target", CRON_JOB, "--no-wait");
        assertThat(held.exitCode()).isEqualTo(4);
        assertThat(held.getOutput()).contains("cooldown");
        assertThat(record().current().state()).as("not asked again inside the cooldown")
                .isEqualTo(RemediationState.FIRING);
    }

    @Test
    void givenAnApiServerThatCannotSayWhoYouAre_whenApprovedWithoutBy_thenExit3AsksForByAndNothingChanges(
            QuarkusMainLauncher launcher) {
        awaitingApproval(launcher);
        reviews.user = null;

        LaunchResult result = run(launcher, "approve", "--target", CRON_JOB);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.getErrorOutput()).contains("model-guardian: approve: the Kubernetes API server did not say"
                + " who you are (SelfSubjectReview needs Kubernetes 1.28+); pass --by NAME");
        assertThat(record().current().state()).isEqualTo(RemediationState.AWAITING_APPROVAL);
        assertThat(jobs()).isEmpty();
    }

    @Test
    void givenAnUnknownTargetOrNoReason_whenRejected_thenExit3NamingWhatIsWrongAndNothingChanges(
            QuarkusMainLauncher launcher) {
        awaitingApproval(launcher);

        LaunchResult unknown = run(launcher, "reject", "--target", "nope", "--reason", "x");
        LaunchResult noReason = run(launcher, "reject", "--target", CRON_JOB);

        assertThat(unknown.exitCode()).isEqualTo(3);
        assertThat(unknown.getErrorOutput()).contains("model-guardian: reject: no training target 'nope'; known"
                + " targets: [" + CRON_JOB + "]");
        assertThat(noReason.exitCode()).isEqualTo(3);
        assertThat(noReason.getErrorOutput()).contains("Missing required option: '--reason=TEXT'");
        assertThat(record().current().state()).isEqualTo(RemediationState.AWAITING_APPROVAL);
    }
}
