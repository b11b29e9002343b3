package dev.modelguardian.app.wiring;

import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.TrainingTrigger;
import dev.modelguardian.integrations.jobs.JobInformer;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.ScrapeTarget;
import dev.modelguardian.testing.ScrapedModelProfile;

/** The loop of serve as the application wires it: cycles, metrics, the source-error alert. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@TestProfile(ScrapedModelProfile.class)
class ServeLoopTest {

    @Inject
    ServeLoop loop;

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Inject
    TrainingTrigger trigger;

    @Inject
    ConfigMapStateStore store;

    @BeforeEach
    void setUp() {
        NeuralHive.reset(client);
        ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.BREACH);
    }

    private List<Event> events(String reason) {
        return client.events().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    /** Meters live as long as the application, which other test classes share. */
    private double createJobCalls() {
        var timer = registry.find("guardian.external.call")
                .tags("system", "kubernetes", "operation", "create_job", "outcome", "ok").timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void givenServeHasNotEnabledTheLoop_whenTheSchedulerTicks_thenNothingRuns() {
        loop.tick();

        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void givenAFiringPolicy_whenACycleRuns_thenTheJobIsCreatedAndTheCycleAndCallsAreMeasured() {
        double created = createJobCalls();

        RemediationEngine.CycleReport report = loop.cycle().orElseThrow();

        assertThat(report.evaluations()).hasSize(1);
        assertThat(loop.lastCycle()).contains(report);
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
        assertThat(registry.get("guardian.cycle").timer().count()).isPositive();
        assertThat(registry.get("guardian.external.call").tags("system", "scrape", "operation", "scrape", "outcome",
                "ok").timer().count()).isPositive();
        assertThat(createJobCalls()).isEqualTo(created + 1);
        assertThat(registry.get("guardian.target.state").tags("target", NeuralHive.CRON_JOB, "state", "retraining")
                .gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("guardian.signal.value").tags("model", "ticket-duration-predictor", "signal",
                "mae-ratio").gauge().value()).isEqualTo(1.72);
    }

    @Test
    void givenTheModelServerAnswers500_whenTheLimitIsReached_thenOneSourceErrorsEventAndNoJob() {
        ScrapeTarget.ENDPOINT.failWith(500);

        for (int i = 0; i < 5; i++) {
            loop.cycle();
        }

        assertThat(events("SourceErrors")).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getNote()).contains("ticket-duration-predictor/mae-ratio: 3 consecutive source errors");
            assertThat(e.getRegarding().getName()).isEqualTo(NeuralHive.CRON_JOB);
        });
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    private RemediationState state() {
        return store.load().target(NeuralHive.CRON_JOB, Instant.now()).current().state();
    }

    @Test
    void givenTheJobInformerRunning_whenTheRemediationsJobCompletes_thenAFollowUpAdvancesTheTargetWithoutACycle() {
        loop.cycle();
        assertThat(state()).isEqualTo(RemediationState.RETRAINING);
        String job = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().getFirst().getMetadata()
                .getName();
        try (JobInformer informer = (JobInformer) trigger.watch(name -> loop.followUpSoon())) {
            await().atMost(Duration.ofSeconds(10)).until(informer::synced);
            long cycles = registry.get("guardian.cycle").timer().count();

            NeuralHive.finish(client, job, "Complete", null);

            await().atMost(Duration.ofSeconds(10)).until(() -> state() != RemediationState.RETRAINING);
            assertThat(registry.get("guardian.cycle").timer().count()).as("full cycles").isEqualTo(cycles);
        }
    }
}
