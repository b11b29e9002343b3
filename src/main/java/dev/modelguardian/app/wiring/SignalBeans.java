package dev.modelguardian.app.wiring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.core.signal.MetricSources;
import dev.modelguardian.integrations.scrape.ScrapeSource;
import dev.modelguardian.integrations.prometheus.PrometheusSource;

/**
 * Wires the metric sources from configuration, one line per source kind; a source that is not configured answers
 * every read with an error, so its signals are inconclusive.
 */
@ApplicationScoped
public class SignalBeans {

    @Produces
    @Singleton
    MetricSources metricSources(GuardianConfig config, ObjectMapper mapper) {
        return MetricSources.of(
                PrometheusSource.from(config.prometheus(), mapper),
                ScrapeSource.from(config.scrape()));
    }
}
