package dev.modelguardian.integrations.scrape;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Direct scrape of a Prometheus text-format endpoint. */
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
