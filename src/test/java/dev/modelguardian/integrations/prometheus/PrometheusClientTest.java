package dev.modelguardian.integrations.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.SourceException;
import dev.modelguardian.core.signal.TimedObservation;
import dev.modelguardian.integrations.prometheus.PrometheusSettings;
import dev.modelguardian.testing.PrometheusServer;
import dev.modelguardian.testing.TestConfigs;

/** The Prometheus HTTP API client and the observe step against a real Prometheus server. */
@QuarkusTest
class PrometheusClientTest {

    static PrometheusServer prometheus;

    @Inject
    ObjectMapper mapper;

    @BeforeAll
    static void start() {
        prometheus = PrometheusServer.shared();
        prometheus.endpoint().set("""
                # TYPE orchestration_ml_drift_score gauge
                orchestration_ml_drift_score{drift_type="feature",feature="queue_depth",model_name="duration-predictor"} 0.31
                orchestration_ml_drift_score{drift_type="feature",feature="priority",model_name="duration-predictor"} 0.12
                """);
        prometheus.awaitSamples("orchestration_ml_drift_score{feature=\"priority\"}", 3);
    }

    PrometheusClient client(String url) {
        return new PrometheusClient(TestConfigs.settings("""
                guardian:
                  prometheus:
                    url: %s
                    timeout: 3s
                """.formatted(url)).of(PrometheusSettings.class), mapper);
    }

    @Test
    void givenVectorWithTwoSeries_whenQueried_thenBothValuesAreReturned() throws SourceException {
        double[] values = client(prometheus.url()).query("orchestration_ml_drift_score{drift_type=\"feature\"}",
                Instant.now());

        assertThat(values).containsExactlyInAnyOrder(0.31, 0.12);
    }

    @Test
    void givenScalarResult_whenQueried_thenItIsOneValue() throws SourceException {
        assertThat(client(prometheus.url()).query("scalar(vector(1.5))", Instant.now())).containsExactly(1.5);
    }

    @Test
    void givenStringResult_whenQueried_thenTheErrorSaysWhatTheQueryMustReturn() {
        assertThatThrownBy(() -> client(prometheus.url()).query("\"text\"", Instant.now()))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("returned a string result; the query must return an instant vector or a scalar");
    }

    @Test
    void givenInvalidPromQl_whenQueried_thenPrometheusErrorTypeAndMessageAreReported() {
        assertThatThrownBy(() -> client(prometheus.url()).query("max(", Instant.now()))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("Prometheus answered HTTP 400 bad_data: ");
    }

    @Test
    void givenUrlThatIsNotThePrometheusApi_whenQueried_thenTheErrorSaysSo() {
        assertThatThrownBy(() -> client("http://" + prometheus.endpoint().hostPort()).query("up", Instant.now()))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("Prometheus answered HTTP 404 with a non-JSON body");
    }

    @Test
    void givenRangeOverAWindow_whenReadAsHistory_thenPointsLieOnTheStepGridEndingNowWithGapsAsNoData()
            throws SourceException {
        MetricSource source = new PrometheusSource(client(prometheus.url()), 2, Duration.ofSeconds(1));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        MetricSource.History answer = source.open(now).history(
                new PromQlQuery("max(orchestration_ml_drift_score{drift_type=\"feature\"})"), Reduce.MAX,
                Duration.ofHours(1));

        assertThat(answer).isInstanceOf(MetricSource.History.Points.class);
        List<TimedObservation> history = ((MetricSource.History.Points) answer).points();

        assertThat(history).hasSize(3601);
        assertThat(history.getLast().at()).isEqualTo(now);
        assertThat(history.getFirst().at()).isEqualTo(now.minus(Duration.ofHours(1)));
        assertThat(history.getLast().observation()).isEqualTo(new Observation.Value(0.31, 1));
        // The server has existed for seconds, not an hour: the start of the window has no data.
        assertThat(history.getFirst().observation()).isEqualTo(Observation.noData());
    }

    @Test
    void givenWindowNeedingMorePointsThanPrometheusAllows_whenGridIsChosen_thenTheStepIsCoarsened() {
        PrometheusSource reader = new PrometheusSource(client("http://127.0.0.1:" + PrometheusServer.closedPort()), 1,
                Duration.ofSeconds(1));

        assertThat(reader.gridStep(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(reader.gridStep(Duration.ofDays(1))).isEqualTo(Duration.ofMillis(8640));
    }

    @Test
    void givenPrometheusDown_whenReadInstant_thenObservationIsASourceError() {
        MetricSource source = new PrometheusSource(client("http://127.0.0.1:" + PrometheusServer.closedPort()), 1,
                Duration.ofSeconds(15));

        Observation o = source.open(Instant.now()).read(new PromQlQuery("up"), Reduce.MAX);

        assertThat(o).isInstanceOf(Observation.SourceError.class);
        assertThat(((Observation.SourceError) o).message()).startsWith("Prometheus unreachable: ");
    }
}
