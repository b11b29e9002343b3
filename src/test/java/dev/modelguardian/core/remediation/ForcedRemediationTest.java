package dev.modelguardian.core.remediation;

import static dev.modelguardian.testing.Runbook.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.RegistryProfile;
import dev.modelguardian.testing.Runbook;
import dev.modelguardian.testing.ScrapeTarget;
import dev.modelguardian.testing.ScrapedModelProfile;

/**
 * A remediation asked for by hand ({@code remediate --force}, the HTTP API) while every signal is healthy, as
 * {@code remediate} runs it: the request, then the command's wait loop
 * ({@link RemediationEngine#followUp(String)}). It is verified on the model's real signals, like the signals of a
 * signal-triggered remediation that did not trigger it: there is no pseudo-signal that must clear.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = ScrapeTarget.class, restrictToAnnotatedClass = true)
@TestProfile(RegistryProfile.class)
class ForcedRemediationTest {

    static final String BY = "remediate --force";

    @Inject
    KubernetesClient client;

    @Inject
    MutableClock clock;

    @Inject
    PolicyEngine policyEngine;

    @Inject
    ModelSet models;

    Runbook runbook;
    RemediationEngine engine;

    @BeforeEach
    void setUp() {
        runbook = new Runbook(client, clock, policyEngine, models);
        runbook.reset();
        ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.HEALTHY);
        engine = runbook.engine(client);
    }

    @AfterEach
    void tearDown() {
        clock.reset();
    }

    /** Forced on healthy signals; v8 (MAE 12) registered, the Job complete, validated, promoted: VERIFYING. */
    private void forcedUpToVerifying() {
        engine.request(runbook.target(), true, BY);
        runbook.registry().register(Runbook.MODEL, T0.plus(Duration.ofMinutes(10)), "1", Map.of("mae_percentage",
                12.0));
        NeuralHive.finish(client, runbook.onlyJob(), "Complete", null);
        clock.advance(Duration.ofMinutes(20));
        engine.followUp(runbook.target().name());
        assertThat(runbook.record().current().state()).isEqualTo(RemediationState.VERIFYING);
    }

    @Test
    void givenHealthySignals_whenForcedAndTheJobCompletes_thenTheWaitLoopVerifiesOnTheLiveSignalsAndEndsPromoted() {
        forcedUpToVerifying();
        TargetState verifying = runbook.record().current();
        assertThat(verifying.requestedBy()).contains(BY);
        assertThat(verifying.trigger()).as("a request is not a signal").isEmpty();

        clock.advance(Duration.ofMinutes(5));
        engine.followUp(runbook.target().name());

        TargetRecord record = runbook.record();
        assertThat(record.current().state()).isEqualTo(RemediationState.HEALTHY);
        assertThat(record.last().orElseThrow()).satisfies(h -> {
            assertThat(h.outcome()).isEqualTo(HistoryEntry.Outcome.PROMOTED);
            assertThat(h.requestedBy()).contains(BY);
            assertThat(h.reason()).startsWith("verified: every signal within bounds for 5m");
        });
        assertThat(runbook.production()).isEqualTo("8");
        assertThat(NeuralHive.flag(client)).isEqualTo("true");
    }

    @Test
    void givenAForcedRemediationVerifying_whenRemediateIsRunAgain_thenItKeepsVerifyingAndRollsNothingBack() {
        forcedUpToVerifying();
        clock.advance(Duration.ofMinutes(5));

        engine.request(runbook.target(), true, BY);

        TargetRecord record = runbook.record();
        assertThat(record.current().state()).as("ended, and no second remediation").isEqualTo(RemediationState.HEALTHY);
        assertThat(record.history()).singleElement().satisfies(h -> {
            assertThat(h.outcome()).isEqualTo(HistoryEntry.Outcome.PROMOTED);
            assertThat(h.reason()).startsWith("verified: every signal within bounds for 5m");
        });
        assertThat(runbook.production()).isEqualTo("8");
        assertThat(NeuralHive.flag(client)).isEqualTo("true");
        assertThat(runbook.jobs()).hasSize(1);
    }

    @Test
    void givenAForcedRemediationVerifying_whenASignalFiresInsideTheWindow_thenTheWaitLoopRollsBackAtOnce() {
        forcedUpToVerifying();
        ScrapeTarget.ENDPOINT.set(ScrapedModelProfile.BREACH);
        clock.advance(Duration.ofMinutes(1));

        engine.followUp(runbook.target().name());

        TargetRecord record = runbook.record();
        assertThat(record.current().state()).isEqualTo(RemediationState.ROLLED_BACK);
        assertThat(record.last().orElseThrow().reason())
                .startsWith("new breach while verifying: ticket-duration-predictor/mae-ratio 1.72 (> 1.5)");
        assertThat(runbook.production()).isEqualTo("7");
        assertThat(NeuralHive.flag(client)).isEqualTo("false");
    }

    @Test
    void givenAForcedRemediationVerifying_whenTheWaitLoopRunsInsideTheWindow_thenItSaysHowLongIsLeft() {
        forcedUpToVerifying();
        clock.advance(Duration.ofMinutes(2));

        RemediationEngine.TargetReport report = engine.followUp().getFirst();

        assertThat(report.reason()).isEqualTo("verifying until " + T0.plus(Duration.ofMinutes(25)) + ", 3m left");
        assertThat(runbook.record().current().state()).isEqualTo(RemediationState.VERIFYING);
    }
}
