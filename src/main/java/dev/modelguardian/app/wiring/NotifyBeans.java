package dev.modelguardian.app.wiring;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.Namespace;
import dev.modelguardian.config.Settings;
import dev.modelguardian.integrations.notify.Notifier;

/**
 * The {@link Notifier}, with the channels of {@link Extensions#CHANNELS} that are on: a {@code RemediationListener}
 * bean like the Events and the metrics, so that the engine's composite listener hears every step through it.
 */
@ApplicationScoped
public class NotifyBeans {

    /** The notifier; without a channel on it does nothing and starts no thread. */
    @Produces
    @Singleton
    Notifier notifier(Settings settings, MeterRegistry registry, Clock clock) {
        GuardianConfig config = settings.guardian();
        String namespace = Namespace.resolve(config);
        return new Notifier(config.notifications(), namespace, Extensions.channels(settings, namespace), registry,
                clock);
    }

    /** Stops the channels' delivery threads when the application shuts down. */
    void close(@Disposes Notifier notifier) {
        notifier.close();
    }
}
