package dev.modelguardian.policy;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.modelguardian.signal.MetricSources;
import io.quarkus.arc.DefaultBean;

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
