package dev.modelguardian.core.remediation;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.modelguardian.core.registry.ModelVersion;
import dev.modelguardian.core.registry.Run;

/** What the registry shows of a remediation's models when validation looks. */
public sealed interface RegistryObservation {

    /**
     * Every trained model read completely.
     *
     * @param models by model name
     */
    record Seen(Map<String, ModelView> models) implements RegistryObservation {

        public Seen {
            models = Map.copyOf(models);
        }
    }

    /**
     * The registry could not be read.
     *
     * @param reason    why, without secrets
     * @param retryable whether asking again later may help (unreachable, 5xx) or not (model missing, forbidden)
     */
    record Unreadable(String reason, boolean retryable) implements RegistryObservation {
    }

    /**
     * One model as validation needs it.
     *
     * @param servingNow  what serves now (the training Job may have promoted a version itself)
     * @param candidates  versions registered since the Job started from the configured experiment, newest first,
     *                    each with its run
     * @param experiment  the configured experiment's id; empty when none is configured
     * @param problem     why the model cannot be validated (e.g. the configured experiment does not exist)
     */
    record ModelView(Optional<ModelVersion> servingNow, List<Candidate> candidates, Optional<String> problem) {

        public ModelView {
            candidates = List.copyOf(candidates);
        }
    }

    /** A version and its run (empty when the version names no run). */
    record Candidate(ModelVersion version, Optional<Run> run) {

        public Map<String, Double> metrics() {
            return run.map(Run::metrics).orElse(Map.of());
        }
    }
}
