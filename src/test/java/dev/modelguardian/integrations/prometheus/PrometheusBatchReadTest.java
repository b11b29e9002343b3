package dev.modelguardian.integrations.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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

/**
 * Reads planned together and asked of a real Prometheus as one query answer what each would have read alone; a
 * WireMock Prometheus for what a real one cannot be made to do on demand (refuse a batch, answer it late).
 */
@QuarkusTest
class PrometheusBatchReadTest {

    static PrometheusServer prometheus;

    @Inject
    ObjectMapper mapper;

    WireMockServer standIn;

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
                batch_drift_score{drift_type="q\\"u|o(te\\\\",model_name="dp"} 0.2
                batch_drift_score{drift_type="ünï",model_name="dp"} 0.3
                """);
        prometheus.awaitSamples("batch_drift_score{drift_type=\"ünï\"}", 2);
    }

    @BeforeEach
    void startStandIn() {
        standIn = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
                .port(PrometheusServer.closedPort()));
        standIn.start();
    }

    @AfterEach
    void stopStandIn() {
        standIn.stop();
    }

    /**
     * Ten reads: seven of one max(...) shape on model dp (one without series, two with values regex and URL encoding
     * must carry), one of that shape on another model (alone in its group), two bare selectors on model dp.
     */
    static final List<PromQlQuery> READS = List.of(
            max("feature", "dp"), max("prediction", "dp"), max("target", "dp"), max("a.b", "dp"),
            max("missing", "dp"), max("q\\\"u|o(te\\\\", "dp"), max("ünï", "dp"), max("target", "other"),
            new PromQlQuery("batch_drift_score{drift_type=\"feature\",model_name=\"dp\"}"),
            new PromQlQuery("batch_drift_score{drift_type=\"target\",model_name=\"dp\"}"));

    /** The max of the drift score of {@code driftType} (as PromQL writes it in double quotes) and {@code model}. */
    static PromQlQuery max(String driftType, String model) {
        return new PromQlQuery("max(batch_drift_score{drift_type=\"%s\",model_name=\"%s\"})".formatted(driftType,
                model));
    }

    PrometheusClient client(String url, String timeout) {
        return new PrometheusClient(TestConfigs.settings("""
                guardian:
                  prometheus:
                    url: %s
                    timeout: %s
                """.formatted(url, timeout)).of(PrometheusSettings.class), mapper);
    }

    PrometheusSource source(String url, String timeout) {
        return new PrometheusSource(client(url, timeout), 4, Duration.ofSeconds(1));
    }

    static List<Observation> readAll(MetricSource.Cycle cycle) {
        List<Observation> read = new ArrayList<>();
        READS.forEach(q -> read.add(cycle.read(q, Reduce.MIN)));
        return read;
    }

    static List<Observation> planAndReadAll(MetricSource.Cycle cycle) {
        cycle.plan(READS);
        return readAll(cycle);
    }

    /** Stand-in answers: every query one series without labels, valued 0.7; queries with a regex matcher as said. */
    void standInAnswersAlone(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder batches) {
        standIn.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query")).willReturn(WireMock.okJson("""
                {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"0.7"]}]}}""")));
        standIn.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", WireMock.containing("=~")).willReturn(batches));
    }

    static final Observation STAND_IN = new Observation.Value(0.7, 1);

    @Test
    void givenReadsPlannedTogether_whenRead_thenThreeQueriesAnswerWhatTenWouldEachHaveRead() {
        PrometheusSource source = source(prometheus.url(), "3s");
        Instant at = Instant.now();
        long before = prometheus.requests("/api/v1/query");
        List<Observation> alone = readAll(source.open(at));
        await("Prometheus counts the ten reads alone").atMost(Duration.ofSeconds(10))
                .until(() -> prometheus.requests("/api/v1/query") - before == 10);

        List<Observation> planned = planAndReadAll(source.open(at));

        await("Prometheus counts the dp batch, the read on model other, the bare selectors' batch")
                .during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() -> prometheus.requests("/api/v1/query") - before == 13);
        assertThat(planned).isEqualTo(alone);
        assertThat(planned).containsExactly(new Observation.Value(0.31, 1), new Observation.Value(0.08, 1),
                new Observation.Value(0.4, 1), new Observation.Value(0.5, 1), Observation.noData(),
                new Observation.Value(0.2, 1), new Observation.Value(0.3, 1), new Observation.Value(0.9, 1),
                new Observation.Value(0.12, 2), new Observation.Value(0.4, 1));
    }

    @Test
    void givenManyConcurrentReadsOfOneBatch_whenRead_thenOneRequestAnswersEveryRead() throws Exception {
        StringBuilder series = new StringBuilder();
        List<PromQlQuery> reads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            series.append(i == 0 ? "" : ",").append("{\"metric\":{\"m\":\"").append(i).append("\"},\"value\":[1,\"")
                    .append(i).append("\"]}");
            reads.add(new PromQlQuery("max(x{m=\"" + i + "\"})"));
        }
        standIn.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query")).willReturn(WireMock.okJson(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + series + "]}}")
                .withFixedDelay(200)));
        MetricSource.Cycle cycle = source(standIn.baseUrl(), "3s").open(Instant.now());
        cycle.plan(reads);

        CountDownLatch go = new CountDownLatch(1);
        List<Future<Observation>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PromQlQuery read : reads) {
                answers.add(threads.submit(() -> {
                    go.await();
                    return cycle.read(read, Reduce.MAX);
                }));
            }
            go.countDown();
        }

        for (int i = 0; i < reads.size(); i++) {
            assertThat(answers.get(i).get()).isEqualTo(new Observation.Value(i, 1));
        }
        assertThat(standIn.getAllServeEvents()).hasSize(1);
    }

    @Test
    void givenPrometheusRefusesBatches_whenRead_thenEachReadIsAskedAloneNowAndInTheNextCycle() {
        standInAnswersAlone(WireMock.jsonResponse("""
                {"status":"error","errorType":"execution","error":"query processing would load too many samples"}""",
                422));
        PrometheusSource source = source(standIn.baseUrl(), "3s");
        Instant at = Instant.now();

        List<Observation> first = planAndReadAll(source.open(at));
        int firstRequests = standIn.getAllServeEvents().size();
        List<Observation> second = planAndReadAll(source.open(at.plusSeconds(10)));
        int secondRequests = standIn.getAllServeEvents().size() - firstRequests;
        planAndReadAll(source.open(at.plus(PrometheusSource.REFUSED_FOR)));

        assertThat(first).hasSize(10).containsOnly(STAND_IN);
        assertThat(second).hasSize(10).containsOnly(STAND_IN);
        assertThat(firstRequests).as("the two refused batches, then the ten reads alone").isEqualTo(12);
        assertThat(secondRequests).as("the ten alone, no batch asked again").isEqualTo(10);
        assertThat(standIn.getAllServeEvents().size() - firstRequests - secondRequests)
                .as("an hour later the batches are asked again").isEqualTo(12);
    }

    @Test
    void givenTheBatchFailedAndItsFirstReadAloneUnavailableButTheLastRefused_whenRead_thenEachIsAskedAlone() {
        standInAnswersAlone(WireMock.jsonResponse("""
                {"status":"error","errorType":"unavailable","error":"Service Unavailable"}""", 503));
        standIn.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", WireMock.equalTo(max("a.b", "dp").query()))
                .willReturn(WireMock.jsonResponse("""
                        {"status":"error","errorType":"unavailable","error":"Service Unavailable"}""", 503)));
        standIn.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", WireMock.equalTo(max("ünï", "dp").query()))
                .willReturn(WireMock.jsonResponse("""
                        {"status":"error","errorType":"bad_data","error":"no access to ünï"}""", 403)));

        List<Observation> read = planAndReadAll(source(standIn.baseUrl(), "3s").open(Instant.now()));

        // a.b (the lowest value) keeps its 503, ünï (the highest) its 403: Prometheus replied to a query alone, so
        // the batch's other reads are asked alone and answered.
        assertThat(read.get(3)).isEqualTo(Observation.error(
                "Prometheus answered HTTP 503 unavailable: Service Unavailable"));
        assertThat(read.get(6)).isEqualTo(Observation.error(
                "Prometheus answered HTTP 403 bad_data: no access to ünï"));
        assertThat(List.of(read.get(0), read.get(1), read.get(2), read.get(4), read.get(5), read.get(7), read.get(8),
                read.get(9))).containsOnly(STAND_IN);
    }

    @Test
    void givenTheBatchAndItsFirstReadAloneRefused_whenRead_thenTheFirstIsItsErrorAndTheOthersAreAskedAlone() {
        standInAnswersAlone(WireMock.jsonResponse("""
                {"status":"error","errorType":"execution","error":"query processing would load too many samples"}""",
                422));
        standIn.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", WireMock.equalTo(max("a.b", "dp").query()))
                .willReturn(WireMock.jsonResponse("""
                        {"status":"error","errorType":"execution","error":"too many series for a.b"}""", 422)));

        List<Observation> read = planAndReadAll(source(standIn.baseUrl(), "3s").open(Instant.now()));

        assertThat(read.get(3)).isEqualTo(Observation.error("Prometheus answered HTTP 422 execution: too many series"
                + " for a.b"));
        assertThat(read).filteredOn(o -> o != read.get(3)).hasSize(9).containsOnly(STAND_IN);
        assertThat(standIn.getAllServeEvents()).as("two refused batches, then the ten reads alone, once each")
                .hasSize(12);
    }

    @Test
    void givenPrometheusAnswersBatchesLaterThanTheTimeout_whenRead_thenEachReadIsAskedAloneAndAnswered() {
        standInAnswersAlone(WireMock.okJson("""
                {"status":"success","data":{"resultType":"vector","result":[]}}""").withFixedDelay(1500));

        List<Observation> read = planAndReadAll(source(standIn.baseUrl(), "1s").open(Instant.now()));

        assertThat(read).hasSize(10).containsOnly(STAND_IN);
        assertThat(standIn.getAllServeEvents()).as("the two late batches, then the ten reads alone").hasSize(12);
    }

    @Test
    void givenNothingListensWherePrometheusIs_whenReadPlanned_thenEveryReadIsTheConnectionError() {
        List<Observation> read = planAndReadAll(source("http://127.0.0.1:" + PrometheusServer.closedPort(), "1s")
                .open(Instant.now()));

        assertThat(read).hasSize(10).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(
                Observation.SourceError.class, e -> assertThat(e.message())
                        .startsWith("Prometheus unreachable: ").contains("Connection refused")));
    }

    @Test
    void givenPrometheusAnswersEveryQueryWithAnError_whenRead_thenEachReadIsThatErrorAndNothingIsRemembered() {
        standIn.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query")).willReturn(WireMock.jsonResponse("""
                {"status":"error","errorType":"unavailable","error":"Service Unavailable"}""", 503)));
        standIn.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", WireMock.equalTo(max("a.b", "dp").query()))
                .willReturn(WireMock.jsonResponse("""
                        {"status":"error","errorType":"unavailable","error":"Service Unavailable (a.b)"}""", 503)));
        PrometheusSource source = source(standIn.baseUrl(), "3s");

        List<Observation> first = planAndReadAll(source.open(Instant.now()));
        int firstRequests = standIn.getAllServeEvents().size();
        planAndReadAll(source.open(Instant.now()));

        // The dp batch's first read (a.b, the lowest value) and its last (ünï) fail alone without a 4xx: every read
        // of the batch is the first one's error.
        assertThat(first.subList(0, 7)).containsOnly(Observation.error(
                "Prometheus answered HTTP 503 unavailable: Service Unavailable (a.b)"));
        assertThat(first.subList(7, 10)).containsOnly(Observation.error(
                "Prometheus answered HTTP 503 unavailable: Service Unavailable"));
        assertThat(firstRequests).as("two batches, the first and the last read of each alone, the read on model"
                + " other").isEqualTo(7);
        assertThat(standIn.getAllServeEvents().size() - firstRequests).as("the same: nothing remembered")
                .isEqualTo(7);
    }

    // --- histories (the backfill of new policies with a for) ----------------------------------------------------

    static List<MetricSource.HistoryRead> histories(Duration window) {
        return READS.stream().map(q -> new MetricSource.HistoryRead(q, window)).toList();
    }

    static List<Object> historyOfAll(MetricSource.Cycle cycle, Duration window) {
        List<Object> answered = new ArrayList<>();
        for (PromQlQuery q : READS) {
            try {
                answered.add(cycle.history(q, Reduce.MIN, window));
            } catch (dev.modelguardian.core.signal.SourceException e) {
                answered.add(e.getMessage());
            }
        }
        return answered;
    }

    @Test
    void givenHistoriesPlannedTogether_whenAsked_thenThreeRangeQueriesAnswerWhatTenWouldEachHaveAnswered() {
        PrometheusSource source = source(prometheus.url(), "3s");
        Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Duration window = Duration.ofSeconds(10);
        long before = prometheus.requests("/api/v1/query_range");
        List<Object> alone = historyOfAll(source.open(at), window);
        await("Prometheus counts the ten range queries alone").atMost(Duration.ofSeconds(10))
                .until(() -> prometheus.requests("/api/v1/query_range") - before == 10);

        MetricSource.Cycle cycle = source.open(at);
        cycle.planHistories(histories(window));
        List<Object> planned = historyOfAll(cycle, window);

        await("Prometheus counts the dp batch, the history on model other, the bare selectors' batch")
                .during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                .until(() -> prometheus.requests("/api/v1/query_range") - before == 13);
        assertThat(planned).isEqualTo(alone);
        assertThat(planned.getFirst()).isInstanceOfSatisfying(MetricSource.History.Points.class,
                points -> assertThat(points.points()).hasSize(11).last()
                        .satisfies(last -> assertThat(last.observation()).isEqualTo(new Observation.Value(0.31, 1))));
    }

    /** A range answer: one series without labels, 0.7 at 998, 999 and 1000 s (the grid of a 2 s window at 1000 s). */
    static final String RANGE_ALONE = """
            {"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":\
            [[998,"0.7"],[999,"0.7"],[1000,"0.7"]]}]}}""";

    static final Instant AT = Instant.ofEpochSecond(1000);

    @Test
    void givenHistoriesOfTwoWindowsPlanned_whenAsked_thenEachWindowIsOneRangeQuery() {
        standIn.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query_range")).willReturn(WireMock.okJson("""
                {"status":"success","data":{"resultType":"matrix","result":[]}}""")));
        List<PromQlQuery> dp = READS.subList(0, 7);
        List<MetricSource.HistoryRead> planned = new ArrayList<>();
        dp.forEach(q -> planned.add(new MetricSource.HistoryRead(q, Duration.ofSeconds(2))));
        dp.forEach(q -> planned.add(new MetricSource.HistoryRead(q, Duration.ofSeconds(4))));
        MetricSource.Cycle cycle = source(standIn.baseUrl(), "3s").open(AT);
        cycle.planHistories(planned);

        for (MetricSource.HistoryRead read : planned) {
            try {
                assertThat(cycle.history(read.query(), Reduce.MAX, read.window()))
                        .isInstanceOf(MetricSource.History.Points.class);
            } catch (dev.modelguardian.core.signal.SourceException e) {
                throw new AssertionError(e);
            }
        }

        assertThat(standIn.getAllServeEvents()).extracting(e -> e.getRequest().queryParameter("start").firstValue())
                .containsExactlyInAnyOrder("998.000", "996.000");
    }

    @Test
    void givenHistoriesOfManySteps_whenPlanned_thenEachRangeBatchStaysWithinItsPointsBudget() {
        standIn.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query_range")).willReturn(WireMock.okJson("""
                {"status":"success","data":{"resultType":"matrix","result":[]}}""")));
        // 5,000 steps of 1 s: a batch of 20,000 points holds three values.
        Duration window = Duration.ofSeconds(5_000);
        MetricSource.Cycle cycle = source(standIn.baseUrl(), "3s").open(AT);
        cycle.planHistories(histories(window));

        historyOfAll(cycle, window);

        List<String> batches = standIn.getAllServeEvents().stream()
                .map(e -> e.getRequest().queryParameter("query").firstValue()).filter(q -> q.contains("=~")).toList();
        assertThat(batches).as("the dp reads' two batches of three (the seventh alone), the bare selectors' batch")
                .hasSize(3);
        assertThat(standIn.getAllServeEvents()).as("the three batches, the seventh dp read and model other alone")
                .hasSize(5);
    }

    /** Stand-in answers: each range query alone {@link #RANGE_ALONE}; one with a regex matcher (a batch) a 422. */
    private void standInRefusesRangeBatches() {
        standIn.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query_range"))
                .willReturn(WireMock.okJson(RANGE_ALONE)));
        standIn.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query_range"))
                .withQueryParam("query", WireMock.containing("=~")).willReturn(WireMock.jsonResponse("""
                        {"status":"error","errorType":"execution","error":"query processing would load too many \
                        samples"}""", 422)));
    }

    @Test
    void givenPrometheusRefusesTheRangeBatches_whenHistoriesAreAsked_thenEachIsAskedAloneNowAndInTheNextCycle() {
        standInRefusesRangeBatches();
        PrometheusSource source = source(standIn.baseUrl(), "3s");
        MetricSource.Cycle first = source.open(AT);
        first.planHistories(histories(Duration.ofSeconds(2)));

        List<Object> answered = historyOfAll(first, Duration.ofSeconds(2));
        int firstRequests = standIn.getAllServeEvents().size();
        MetricSource.Cycle next = source.open(AT.plusSeconds(10));
        next.planHistories(histories(Duration.ofSeconds(2)));
        historyOfAll(next, Duration.ofSeconds(2));

        MetricSource.History alone = new MetricSource.History.Points(List.of(
                new dev.modelguardian.core.signal.TimedObservation(Instant.ofEpochSecond(998), STAND_IN),
                new dev.modelguardian.core.signal.TimedObservation(Instant.ofEpochSecond(999), STAND_IN),
                new dev.modelguardian.core.signal.TimedObservation(AT, STAND_IN)));
        assertThat(answered).hasSize(10).containsOnly(alone);
        assertThat(firstRequests).as("the two refused batches, then the ten histories alone").isEqualTo(12);
        assertThat(standIn.getAllServeEvents().size() - firstRequests).as("the ten alone, no batch asked again")
                .isEqualTo(10);
    }

    @Test
    void givenPrometheusRefusedTheRangeBatches_whenTheNextCycleReadsAtTheInstant_thenItsReadsAreStillBatched() {
        standInAnswersAlone(WireMock.okJson("""
                {"status":"success","data":{"resultType":"vector","result":[]}}"""));
        standInRefusesRangeBatches();
        PrometheusSource source = source(standIn.baseUrl(), "3s");
        MetricSource.Cycle first = source.open(AT);
        first.planHistories(histories(Duration.ofSeconds(2)));
        historyOfAll(first, Duration.ofSeconds(2));
        standIn.resetRequests();

        planAndReadAll(source.open(AT.plusSeconds(10)));

        assertThat(standIn.getAllServeEvents()).as("the two instant batches and the read on model other")
                .hasSize(3);
    }

    @Test
    void givenPrometheusAnswersEveryRangeQueryWithAnError_whenHistoriesAreAsked_thenEachFailsWithTheFirstOnesError() {
        standIn.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v1/query_range")).willReturn(WireMock.jsonResponse(
                """
                {"status":"error","errorType":"unavailable","error":"Service Unavailable"}""", 503)));
        MetricSource.Cycle cycle = source(standIn.baseUrl(), "3s").open(AT);
        cycle.planHistories(histories(Duration.ofSeconds(2)));

        List<Object> answered = historyOfAll(cycle, Duration.ofSeconds(2));

        assertThat(answered).hasSize(10).containsOnly("Prometheus answered HTTP 503 unavailable: Service Unavailable");
        assertThat(standIn.getAllServeEvents()).as("two batches, the first and the last history of each alone, the"
                + " history on model other").hasSize(7);
    }
}
