package dev.modelguardian.signal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelguardian.config.GuardianConfig;

/** Wires the sources from configuration; a source that is not configured is absent and its signals inconclusive. */
@ApplicationScoped
public class SignalBeans {

    @Produces
    @Singleton
    SignalReader signalReader(GuardianConfig config, ObjectMapper mapper) {
        PrometheusClient prometheus = config.prometheus().url().isPresent()
                ? new PrometheusClient(config.prometheus(), mapper)
                : null;
        ScrapeClient scrape = config.scrape().url().isPresent() ? new ScrapeClient(config.scrape()) : null;
        return new SignalReader(prometheus, scrape, config.prometheus().maxConcurrency(),
                config.prometheus().backfillStep());
    }
}
