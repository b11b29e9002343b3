package dev.modelguardian.core.remediation;

import java.util.Map;
import java.util.Optional;

import dev.modelguardian.core.registry.RegistryModel;

/**
 * One idempotent action of a promotion, a rollback or a recovery. The decider plans them from persisted state; the
 * engine takes the first one not yet done and records its {@link #key()} once it succeeded, so a crash between any two
 * actions resumes with the next one, and running one twice changes nothing the second time.
 */
public sealed interface Action {

    /** Stable identity within one state of one remediation, as recorded in {@link TargetRecord#done()}. */
    String key();

    /** What it does, in words, with the object and the values. */
    String describe();

    /**
     * Sets keys of the flag ConfigMap (an empty value removes the key) and notes the previous values in an annotation.
     *
     * @param previous the values before the remediation, written to the annotation so a human can put them back
     */
    record SetKeys(String configMap, Map<String, Optional<String>> values, Map<String, Optional<String>> previous)
            implements Action {

        public SetKeys {
            values = Map.copyOf(values);
            previous = Map.copyOf(previous);
        }

        @Override
        public String key() {
            return "set-keys:" + configMap + ":" + new java.util.TreeMap<>(values);
        }

        @Override
        public String describe() {
            return "ConfigMap " + configMap + ": " + new java.util.TreeMap<>(values).entrySet().stream()
                    .map(e -> e.getKey() + " " + previous.getOrDefault(e.getKey(), Optional.empty()).orElse("(absent)")
                            + " -> " + e.getValue().orElse("(absent)"))
                    .collect(java.util.stream.Collectors.joining(", "));
        }
    }

    /** Makes {@code version} the serving version of {@code model} (stage Production, archiving the others; or alias). */
    record Promote(RegistryModel model, String version) implements Action {

        @Override
        public String key() {
            return "promote:" + model.name() + ":" + version;
        }

        @Override
        public String describe() {
            return model.name() + " v" + version + " -> " + model.servingLabel();
        }
    }

    /**
     * A rolling restart of the model server, as {@code kubectl rollout restart} does it. {@code at} is fixed when the
     * action is planned, so a retried restart sets the same annotation value and starts no second rollout.
     */
    record Restart(String deployment, java.time.Instant at) implements Action {

        @Override
        public String key() {
            return "restart:" + deployment;
        }

        @Override
        public String describe() {
            return "Deployment " + deployment + " restarted (restartedAt " + at + ")";
        }
    }
}
