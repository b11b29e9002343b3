package dev.modelguardian.app.replay;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What the world does in response to the guardian during a replay: how a retraining Job ends, what MLflow holds, and
 * how the live signals react to a promotion or a rollback. The {@code world} section of a scenario (docs/replay.md).
 *
 * @param training        what every retraining Job does
 * @param registry        MLflow as the guardian sees it, per configured model; empty to replay a setup without
 *                        {@code guardian.mlflow.url} (the Job's own gate is trusted, nothing is validated)
 * @param afterPromotion  how the live signals change once a promoted model serves (after the restart, or after the Job
 *                        when there is no registry); empty when they just follow the script
 * @param afterRollback   how the live signals change once a rollback's restart is done; empty when they follow the
 *                        script
 */
public record World(Training training, Optional<Map<String, Model>> registry, Optional<Response> afterPromotion,
        Optional<Response> afterRollback) {

    /** The world of a scenario without a {@code world} section: runs succeed after 30m; no registry; no reaction. */
    public static final World DEFAULT = new World(new Training(Duration.ofMinutes(30), true), Optional.empty(),
            Optional.empty(), Optional.empty());

    public World {
        registry = registry.map(Map::copyOf);
    }

    /**
     * @param takes    from the run's creation to its end
     * @param succeeds whether it completes (a Job's Complete condition, a Workflow's Succeeded) or fails
     * @param trigger  the trigger kind every target is trained by in this scenario (e.g. {@code argo-workflow}); empty
     *                 for what the configuration says
     * @param from     what that trigger starts runs from (a CronJob, a WorkflowTemplate); empty for the target's name
     */
    public record Training(Duration takes, boolean succeeds, Optional<String> trigger, Optional<String> from) {

        /** Runs of what the configuration says trains each target. */
        public Training(Duration takes, boolean succeeds) {
            this(takes, succeeds, Optional.empty(), Optional.empty());
        }
    }

    /**
     * One configured model in the simulated MLflow.
     *
     * @param servingVersion the version serving before the replay starts
     * @param servingMetrics its run's metrics (the baseline of the regression check)
     * @param candidate      the metrics of the version each successful training run registers; empty when training
     *                       registers no version of this model
     */
    public record Model(String servingVersion, Map<String, Double> servingMetrics,
            Optional<Map<String, Double>> candidate) {

        public Model {
            servingMetrics = Map.copyOf(servingMetrics);
            candidate = candidate.map(Map::copyOf);
        }
    }

    /**
     * How the live signals react to a change of the model server.
     *
     * @param takes   from the change (the restart) until the signals read the new values
     * @param signals the value each listed {@code model/signal} reads from then on; unlisted signals follow the script
     */
    public record Response(Duration takes, Map<String, Double> signals) {

        public Response {
            signals = Map.copyOf(signals);
        }
    }
}
