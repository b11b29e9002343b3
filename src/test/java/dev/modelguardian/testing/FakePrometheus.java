package dev.modelguardian.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Quarkus test resource: the Prometheus HTTP API ({@code /api/v1/query}, {@code /api/v1/query_range}) as WireMock,
 * for the faults a real Prometheus cannot be made to show on demand: down, slower than the client's timeout, no
 * series, NaN, an error body, a proxy's HTML page. Configured as {@code guardian.prometheus.url}; tests drive it
 * through {@link #INSTANCE}. A range query (the backfill of a new policy) always returns no series.
 */
public class FakePrometheus implements QuarkusTestResourceLifecycleManager {

    /** What Prometheus does. */
    public enum Fault {
        /** Nothing listens on its port. */
        DOWN,
        /** Answers, correctly, after longer than the client waits. */
        SLOW,
        /** The query returns no series. */
        EMPTY,
        /** The only series has the value NaN. */
        NAN,
        /** HTTP 422 with Prometheus' own error JSON (an execution error). */
        ERROR_BODY,
        /** HTTP 502 with the HTML page of a proxy in front of it. */
        PROXY_PAGE
    }

    public static final FakePrometheus INSTANCE = new FakePrometheus();
    /** How late {@link Fault#SLOW} answers: well beyond the timeout the tests configure. */
    public static final Duration SLOW_BY = Duration.ofSeconds(4);

    private WireMockServer server;
    private int port;

    /** Quarkus creates the resource; it shares the one server. */
    public FakePrometheus() {
    }

    @Override
    public synchronized Map<String, String> start() {
        if (INSTANCE.server == null) {
            INSTANCE.port = PrometheusServer.closedPort();
            INSTANCE.server = new WireMockServer(options().bindAddress("127.0.0.1").port(INSTANCE.port));
            INSTANCE.server.start();
        }
        return Map.of("guardian.prometheus.url", INSTANCE.url());
    }

    @Override
    public void stop() {
        // Shared by the classes that use it; the JVM's end closes it.
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Prometheus up, every instant query returning one series with {@code value}. */
    public synchronized void answer(double value) {
        up();
        server.resetAll();
        server.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(okJson(vector(
                "[{\"metric\":{},\"value\":[1795489200,\"" + value + "\"]}]"))));
        server.stubFor(get(urlPathEqualTo("/api/v1/query_range")).willReturn(okJson(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}")));
    }

    /** Prometheus fails as {@code fault} says until the next {@link #answer}. */
    public synchronized void fail(Fault fault) {
        if (fault == Fault.DOWN) {
            server.stop();
            return;
        }
        server.resetAll();
        ResponseDefinitionBuilder response = switch (fault) {
            case SLOW -> okJson(vector("[{\"metric\":{},\"value\":[1795489200,\"1.72\"]}]"))
                    .withFixedDelay((int) SLOW_BY.toMillis());
            case EMPTY -> okJson(vector("[]"));
            case NAN -> okJson(vector("[{\"metric\":{},\"value\":[1795489200,\"NaN\"]}]"));
            case ERROR_BODY -> aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                    .withBody("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing would"
                            + " load too many samples into memory in query execution\"}");
            case PROXY_PAGE -> aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                    .withBody("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
                            + "</h1></center><hr><center>nginx</center></body></html>");
            case DOWN -> throw new IllegalStateException();
        };
        server.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(response));
    }

    private void up() {
        if (!server.isRunning()) {
            server.start();
        }
    }

    private static String vector(String result) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":" + result + "}}";
    }
}
