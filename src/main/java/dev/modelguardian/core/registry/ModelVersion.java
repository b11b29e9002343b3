package dev.modelguardian.core.registry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One model version as the registry shows it. Versions are strings in MLflow's API and stay strings here.
 *
 * @param name    the registered model
 * @param version the version, e.g. {@code "7"}
 * @param created when the version was registered ({@code creation_timestamp})
 * @param stage   {@code None}, {@code Staging}, {@code Production} or {@code Archived}
 * @param status  registration status; only READY versions can be validated or served
 * @param runId   the run that produced it, when the version was registered from a run
 * @param aliases the aliases pointing at it
 */
public record ModelVersion(String name, String version, Instant created, String stage, Status status,
        Optional<String> runId, List<String> aliases) {

    public ModelVersion {
        aliases = List.copyOf(aliases);
    }

    /** MLflow's {@code ModelVersionStatus}. */
    public enum Status {
        PENDING_REGISTRATION,
        FAILED_REGISTRATION,
        READY
    }
}
