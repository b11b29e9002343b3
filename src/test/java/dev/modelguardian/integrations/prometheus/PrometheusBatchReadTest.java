package dev.modelguardian.integrations.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.junit.QuarkusTest;

import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.testing.PrometheusServer;
import dev.modelguardian.testing.TestConfigs;

/** Reads planned together and asked of a real Prometheus as one query answer what each would have read alone. */
@QuarkusTest
class PrometheusBatchReadTest {

    static PrometheusServer prometheus;

    @Inject
    ObjectMapper mapper;

    @BeforeAll
    static void start() {
        prometheus = PrometheusServer.shared();
        prometheus.endpoint().set("""
                # TYPE batch_drift_score gauge
                batch_drift_score{drift_type="feature",feature="queue_depth",model_name="dp"} 0.31
                batch_drift_score{drift_type="feature",feature="priority",model_name="dp"} 0.12
                batch_drift_score{drift_type="prediction",model_name="dp"} 0.08
                batch_drift_score{drift_type="target",model_name="dp"} 0.4
                batch_drift_score{drift_type="target",model_name="other"} 0.9
                batch_drift_score{drift_type="a.b",model_name="dp"} 0.5
                batch_drift_score{drift_type="aXb",model_name="dp"} 0.6
                """);
        prometheus.awaitSamples("batch_drift_score{drift_type=\"aXb\"}", 2);
    }

    /** Six reads: four of one max(...) shape (one of them without series), two bare selectors. */
    static final List<PromQlQuery> READS = List.of(
            max("feature", "dp"), max("prediction", "dp"), max("target", "dp"), max("a.b", "dp"),
            max("missing", "dp"),
            new PromQlQuery("batch_drift_score{drift_type=\"feature\",model_name=\"dp\"}"),
            new PromQlQuery("batch_drift_score{drift_type=\"target\",model_name=\"other\"}"));

    static PromQlQuery max(String driftType, String model) {
        return new PromQlQuery("max(batch_drift_score{drift_type=\"%s\",model_name=\"%s\"})".formatted(driftType,
                model));
    }

    PrometheusSource source(String url) {
        return source(url, "3s");
    }

    PrometheusSource source(String url, String timeout) {
        return new PrometheusSource(new PrometheusClient(TestConfigs.settings("""
                guardian:
                  prometheus:
                    url: %s
                    timeout: %s
                """.formatted(url, timeout)).of(PrometheusSettings.class), mapper), 4, Duration.ofSeconds(1));
    }

    static Map<String, Observation> readAll(MetricSource.Cycle cycle) {
        Map<String, Observation> read = new LinkedHashMap<>();
        READS.forEach(q -> read.put(q.query(), cycle.read(q, Reduce.MIN)));
        return read;
    }

    @Test
    void givenReadsPlannedTogether_whenRead_thenTwoQueriesAnswerWhatSevenWouldEachHaveRead() {
        PrometheusSource source = source(prometheus.url());
        Instant at = Instant.now();
        long before = prometheus.requests("/api/v1/query");
        Map<String, Observation> alone = readAll(source.open(at));
        long asked = prometheus.requests("/api/v1/query");

        MetricSource.Cycle cycle = source.open(at);
        cycle.plan(READS);
        Map<String, Observation> planned = readAll(cycle);

        assertThat(asked - before).as("each read alone").isEqualTo(7);
        assertThat(prometheus.requests("/api/v1/query") - asked).as("one max(...) and one bare selector")
                .isEqualTo(2);
        assertThat(planned).isEqualTo(alone);
        assertThat(planned.values()).containsExactly(new Observation.Value(0.31, 1), new Observation.Value(0.08, 1),
                new Observation.Value(0.4, 1), new Observation.Value(0.5, 1), Observation.noData(),
                new Observation.Value(0.12, 2), new Observation.Value(0.9, 1));
    }

    @Test
    void givenPrometheusTooSlowForTheTimeout_whenRead_thenEveryReadOfABatchIsItsErrorWithoutAskingAgain() {
        WireMockServer slow = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
                .port(PrometheusServer.closedPort()));
        slow.start();
        try {
            slow.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query")).willReturn(WireMock.okJson("""
                    {"status":"success","data":{"resultType":"vector","result":[]}}""").withFixedDelay(1500)));

            MetricSource.Cycle cycle = source("http://127.0.0.1:" + slow.port(), "1s").open(Instant.now());
            cycle.plan(READS);
            Map<String, Observation> read = readAll(cycle);

            assertThat(read.values()).hasSize(7).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(
                    Observation.SourceError.class, e -> assertThat(e.message()).startsWith("Prometheus unreachable: ")
                            .contains("timeout")));
            assertThat(slow.getAllServeEvents()).as("the two batches, each once").hasSize(2);
        } finally {
            slow.stop();
        }
    }

    @Test
    void givenPrometheusRefusesTheBatch_whenRead_thenEachReadIsAskedAloneAndAnswered() {
        WireMockServer refusing = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
                .port(PrometheusServer.closedPort()));
        refusing.start();
        try {
            refusing.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query")).willReturn(WireMock.okJson("""
                    {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"0.7"]}]}}""")));
            refusing.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query"))
                    .withQueryParam("query", WireMock.containing(" by ("))
                    .willReturn(WireMock.jsonResponse("""
                            {"status":"error","errorType":"execution","error":"query processing would load too many samples into memory"}""",
                            422)));

            MetricSource.Cycle cycle = source("http://127.0.0.1:" + refusing.port()).open(Instant.now());
            cycle.plan(READS);
            Map<String, Observation> read = readAll(cycle);

            // The stand-in answers every query alone with one series; the bare selectors' batch (no "by") it
            // answers with a series that carries none of their labels' values: no data for either.
            assertThat(read.values()).containsExactly(new Observation.Value(0.7, 1), new Observation.Value(0.7, 1),
                    new Observation.Value(0.7, 1), new Observation.Value(0.7, 1), new Observation.Value(0.7, 1),
                    Observation.noData(), Observation.noData());
            assertThat(refusing.getAllServeEvents()).as("the refused batch, then each of its five reads alone,"
                    + " and the bare selectors' batch").hasSize(7);
        } finally {
            refusing.stop();
        }
    }
}
