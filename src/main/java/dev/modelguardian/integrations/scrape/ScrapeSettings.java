package dev.modelguardian.integrations.scrape;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * A Prometheus text-format endpoint read directly by the {@code scrape} source (e.g. the model server's /metrics),
 * {@code guardian.scrape.*}.
 */
@ConfigMapping(prefix = "guardian.scrape")
// Quarkus registers a mapping root nothing injects only when it is unremovable: the providers read it through
// Settings.of, not by injection.
@Unremovable
public interface ScrapeSettings {
    /**
     * URL of the endpoint, e.g. {@code http://localhost:8000/metrics} from a sidecar. Required by commands that
     * read {@code scrape} signals.
     */
    Optional<String> url();

    /** Timeout of one scrape. */
    @WithDefault("5s")
    Duration timeout();
}
