package dev.modelguardian.app.wiring;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

import dev.modelguardian.core.policy.PolicyEngine;
import dev.modelguardian.core.signal.MetricSources;

/** The clock decisions read (replaceable in tests) and the engine built on the configured sources. */
@ApplicationScoped
public class PolicyBeans {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    PolicyEngine policyEngine(MetricSources sources, Clock clock) {
        return new PolicyEngine(sources, clock);
    }
}
