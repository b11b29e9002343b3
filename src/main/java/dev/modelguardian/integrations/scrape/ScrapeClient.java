package dev.modelguardian.integrations.scrape;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

import dev.modelguardian.core.signal.SourceException;
import dev.modelguardian.integrations.http.Tls;

/** Reads and parses a Prometheus text-format endpoint (such as the model server's own {@code /metrics}). */
public final class ScrapeClient {

    private static final Logger LOG = Logger.getLogger(ScrapeClient.class);
    private static final String ACCEPT = "text/plain;version=0.0.4;q=1,*/*;q=0.1";

    private final ScrapeApi api;
    private final String url;

    public ScrapeClient(ScrapeSettings config) {
        this.url = config.url().orElseThrow(() -> new IllegalStateException("guardian.scrape.url is not set"));
        this.api = Tls.verified(QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(url))
                .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true), Optional.empty())
                .build(ScrapeApi.class);
    }

    /** One scrape, parsed; malformed lines are logged with their line number and skipped. */
    public ScrapeParseResult scrape() throws SourceException {
        String body;
        try (Response response = api.scrape(ACCEPT)) {
            if (response.getStatus() != 200) {
                throw new SourceException("scrape of " + url + " answered HTTP " + response.getStatus());
            }
            body = response.readEntity(String.class);
        } catch (ProcessingException e) {
            throw new SourceException("scrape of " + url + " failed: " + e.getMessage(), e);
        }
        ScrapeParseResult result = TextFormatParser.parse(body);
        for (ParseProblem problem : result.problems()) {
            LOG.warnf("Skipped line %d of the scrape of %s: %s", problem.line(), url, problem.reason());
        }
        return result;
    }
}
