package dev.modelguardian.core.remediation;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

import dev.modelguardian.app.wiring.ServeLoop;
import dev.modelguardian.core.policy.Evaluation;
import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.integrations.kubernetes.ConfigMapStateStore;
import dev.modelguardian.testing.FakePrometheus;
import dev.modelguardian.testing.MutableClock;
import dev.modelguardian.testing.NeuralHive;

/**
 * Prometheus fails while a breach is pending, through the serve loop as the application wires it: down, slower than
 * {@code guardian.prometheus.timeout}, no series, NaN, an error body, a proxy's page. However long it lasts, the
 * signal is inconclusive and the target does not move (no FIRING, no Job), the cycle reports the target inconclusive,
 * and a source error (not an answer such as no data or NaN) raises one SourceErrors alert when it reaches
 * {@code guardian.source-error-limit}. When Prometheus answers again the breach starts over: an outage never
 * completes a {@code for} window.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = FakePrometheus.class, restrictToAnnotatedClass = true)
@TestProfile(PrometheusFaultsTest.Profile.class)
class PrometheusFaultsTest {

    /** The duration predictor's MAE ratio from Prometheus, above 1.5 for 1h fires; a 1s query timeout. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String signal = "guardian.models.ticket-duration-predictor.signals.mae-ratio.";
            return Map.of(
                    "guardian.namespace", NAMESPACE,
                    signal + "query", "max(orchestration_ml_drift_score{drift_type=\"prediction\"})",
                    signal + "above", "1.5",
                    signal + "for", "1h",
                    "guardian.targets." + CRON_JOB + ".models[0]", "ticket-duration-predictor",
                    "guardian.prometheus.timeout", "1s",
                    "guardian.source-error-limit", "3");
        }
    }

    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");
    static final int LIMIT = 3;

    @Inject
    ServeLoop loop;

    @Inject
    KubernetesClient client;

    @Inject
    MutableClock clock;

    final FakePrometheus prometheus = FakePrometheus.INSTANCE;

    @BeforeEach
    void setUp() {
        NeuralHive.reset(client);
        clock.set(T0);
        prometheus.answer(1.72);
    }

    @AfterEach
    void tearDown() {
        prometheus.answer(1.72);
        clock.reset();
    }

    private RemediationEngine.CycleReport cycleAt(Duration sinceT0) {
        clock.set(T0.plus(sinceT0));
        return loop.cycle().orElseThrow(() -> new AssertionError("the cycle failed: " + loop.lastError()));
    }

    private TargetRecord record() {
        return new ConfigMapStateStore(client, NAMESPACE, "model-guardian-state").load().targets().get(CRON_JOB);
    }

    private List<Event> sourceErrorEvents() {
        return client.events().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> "SourceErrors".equals(e.getReason())).toList();
    }

    @ParameterizedTest(name = "Prometheus {0}: inconclusive ({2}), alert at the limit: {1}")
    @CsvSource(delimiter = '|', value = {
            "DOWN       | true  | source error: Prometheus unreachable: ConnectException: Connection refused",
            "SLOW       | true  | source error: Prometheus unreachable: NoStackTraceTimeoutException: The timeout"
                    + " period of 1000ms has been exceeded",
            "EMPTY      | false | no data",
            "NAN        | false | NaN",
            "ERROR_BODY | true  | source error: Prometheus answered HTTP 422 execution: query processing would load"
                    + " too many samples into memory in query execution",
            "PROXY_PAGE | true  | source error: Prometheus answered HTTP 502 with a non-JSON body",
    })
    void givenAPendingBreach_whenPrometheusFailsPastTheForWindow_thenNoTriggerInconclusiveReportedAndOneAlertAtTheLimit(
            FakePrometheus.Fault fault, boolean alerts, String reason) {
        cycleAt(Duration.ZERO);
        cycleAt(Duration.ofMinutes(1));
        cycleAt(Duration.ofMinutes(50));
        assertThat(record().current().state()).as("49 minutes into a 1h breach").isEqualTo(RemediationState.PENDING);

        prometheus.fail(fault);
        for (int i = 1; i <= LIMIT + 1; i++) {
            RemediationEngine.CycleReport report = cycleAt(Duration.ofMinutes(50 + 10 * i));

            Evaluation evaluation = report.evaluations().getFirst();
            assertThat(evaluation.status().state()).isEqualTo(PolicyState.INCONCLUSIVE);
            assertThat(evaluation.status().reason()).hasValueSatisfying(r -> assertThat(r).startsWith(reason));
            assertThat(evaluation.status().consecutiveSourceErrors()).isEqualTo(alerts ? i : 0);
            assertThat(report.targets().getFirst().reason()).isEqualTo("signals inconclusive: no move either way");
            assertThat(record().current().state()).as("cycle %d of the outage, %d min past the breach's start", i,
                    49 + 10 * i).isEqualTo(RemediationState.PENDING);
            assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
            assertThat(sourceErrorEvents()).as("SourceErrors alerts after %d cycles", i)
                    .hasSize(alerts && i >= LIMIT ? 1 : 0);
        }
        if (alerts) {
            assertThat(sourceErrorEvents().getFirst().getNote()).startsWith("ticket-duration-predictor/mae-ratio: 3"
                    + " consecutive source errors (limit 3); inconclusive, never a trigger: " + reason);
        }

        prometheus.answer(1.72);
        RemediationEngine.CycleReport healed = cycleAt(Duration.ofMinutes(100));

        assertThat(healed.evaluations().getFirst().status().state()).isEqualTo(PolicyState.PENDING);
        assertThat(healed.evaluations().getFirst().status().breachSince()).contains(T0.plus(Duration.ofMinutes(100)));
        assertThat(record().current().state()).isEqualTo(RemediationState.PENDING);
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }
}
