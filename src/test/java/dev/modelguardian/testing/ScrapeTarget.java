package dev.modelguardian.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Quarkus test resource: a model server's /metrics on a free loopback port, configured as the scrape source. Tests
 * set its body through {@link #ENDPOINT}.
 */
public class ScrapeTarget implements QuarkusTestResourceLifecycleManager {

    public static final MetricsEndpoint ENDPOINT = new MetricsEndpoint();

    @Override
    public Map<String, String> start() {
        return Map.of("guardian.scrape.url", ENDPOINT.url());
    }

    @Override
    public void stop() {
        // Shared by every test class that uses it; the JVM's end closes the socket.
    }
}
