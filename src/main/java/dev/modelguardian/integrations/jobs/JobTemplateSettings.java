package dev.modelguardian.integrations.jobs;

import java.util.Map;
import java.util.Optional;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import io.smallrye.config.WithParentName;

/**
 * The {@code job-template} trigger's keys of each training target,
 * {@code guardian.targets.<target>.trigger.job-template.*}: a root of its own over the targets' map, so that the
 * trigger's keys live in its folder (the targets' other keys are the guardian's tree).
 */
@ConfigMapping(prefix = "guardian.targets")
// Quarkus registers a mapping root nothing injects only when it is unremovable: the provider reads it through
// Settings.of, not by injection.
@Unremovable
public interface JobTemplateSettings {

    /** Each target's keys of this trigger, by target name; a target that sets none reads the defaults. */
    @WithParentName
    @WithDefaults
    Map<String, Target> targets();

    /** The keys of the target {@code target}: the defaults when it sets none. */
    default JobTemplate of(String target) {
        return targets().get(target).trigger().jobTemplate();
    }

    /** One target's keys of this trigger. */
    interface Target {
        /** Its {@code trigger} keys. */
        Trigger trigger();
    }

    /** A target's {@code trigger} keys of this kind. */
    interface Trigger {
        /** {@code job-template}: the ConfigMap that holds the Job manifest. */
        JobTemplate jobTemplate();
    }

    /**
     * A Job made from a Job manifest kept in a ConfigMap or inline in the configuration, for teams with neither a
     * CronJob nor Argo.
     */
    interface JobTemplate {
        /**
         * The ConfigMap (in the guardian's namespace) holding the manifest; defaults to the target's name unless the
         * manifest is inline.
         */
        Optional<String> configMap();

        /**
         * The ConfigMap key whose value is the manifest: a {@code batch/v1} Job in YAML or JSON, as
         * {@code kubectl create job --dry-run=client -o yaml} writes it; its name is replaced by the run's name.
         */
        @WithDefault("job.yaml")
        String key();

        /**
         * The Job manifest itself, inline (YAML or JSON, as it would be under the ConfigMap's key), instead of a
         * ConfigMap: checked when the configuration is read, changed by changing the configuration.
         */
        Optional<String> manifest();
    }
}
