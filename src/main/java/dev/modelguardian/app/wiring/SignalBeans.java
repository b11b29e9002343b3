package dev.modelguardian.app.wiring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelguardian.config.Settings;
import dev.modelguardian.core.signal.MetricSources;

/**
 * Wires the metric sources from configuration, one per source of {@link Extensions#SOURCES}; a source that is not
 * configured answers every read with an error, so its signals are inconclusive.
 */
@ApplicationScoped
public class SignalBeans {

    @Produces
    @Singleton
    MetricSources metricSources(Settings settings, ObjectMapper mapper) {
        return Extensions.metricSources(settings, mapper);
    }
}
