package dev.modelguardian.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The model set in effect, resolved once. */
@ApplicationScoped
public class ConfigBeans {

    @Produces
    @Singleton
    ModelSet modelSet(GuardianConfig config) {
        return ModelSet.resolve(config);
    }
}
