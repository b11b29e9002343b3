package dev.modelguardian.core.postmortem;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.registry.ModelVersion;
import dev.modelguardian.core.registry.Run;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.RecoverySpec;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Verdict;

/**
 * The candidate model versions a remediation validated, as the registry shows them when the draft is written: the
 * stage and aliases they have now (promoted, rolled back, archived since), their status and the run that produced
 * them, so the reader finds them in MLflow. A version or run the registry does not give is one row saying why.
 *
 * @param rows one per validated model with a candidate
 */
public record RegistryVersions(List<Row> rows) {

    public RegistryVersions {
        rows = List.copyOf(rows);
    }

    /**
     * One candidate: the guardian's model name, the registered model's, the version, and what the registry said.
     *
     * @param now     the version as the registry shows it now, when it answered
     * @param run     the run that produced it, when it has one and the registry answered
     * @param problem why the version or its run could not be read
     */
    public record Row(String model, String registered, String version, Optional<ModelVersion> now, Optional<Run> run,
            Optional<String> problem) {
    }

    /** The candidates of {@code entry}'s verdict read from {@code registry}; empty rows without a verdict. */
    public static RegistryVersions read(HistoryEntry entry, TargetSpec target, ModelRegistry registry) {
        List<Row> rows = new ArrayList<>();
        // A registry that did not answer (after its client's retries) is not asked again for every candidate.
        Optional<String> down = Optional.empty();
        for (Verdict.ModelVerdict m : entry.verdict().map(Verdict::models).orElse(List.of())) {
            if (m.candidate().isEmpty()) {
                continue;
            }
            String version = m.candidate().get();
            String registered = Optional.ofNullable(target.recovery().models().get(m.model()))
                    .map(RecoverySpec.ModelCheck::registry).map(r -> r.name()).orElse(m.model());
            if (down.isPresent()) {
                rows.add(new Row(m.model(), registered, version, Optional.empty(), Optional.empty(),
                        Optional.of("not read: the registry did not answer (" + down.get() + ")")));
                continue;
            }
            ModelVersion now;
            try {
                now = registry.version(registered, version);
            } catch (RuntimeException e) {
                String why = e instanceof ModelRegistry.RegistryException r ? r.getMessage() : e.toString();
                if (e instanceof ModelRegistry.RegistryException r && r.retryable()) {
                    down = Optional.of(why);
                }
                rows.add(new Row(m.model(), registered, version, Optional.empty(), Optional.empty(),
                        Optional.of("version unavailable: " + why)));
                continue;
            }
            Optional<Run> run = Optional.empty();
            Optional<String> problem = Optional.empty();
            if (now.runId().isPresent()) {
                try {
                    run = Optional.of(registry.run(now.runId().get()));
                } catch (RuntimeException e) {
                    problem = Optional.of("run " + now.runId().get() + " unavailable: "
                            + (e instanceof ModelRegistry.RegistryException ? e.getMessage() : e.toString()));
                }
            }
            rows.add(new Row(m.model(), registered, version, Optional.of(now), run, problem));
        }
        return new RegistryVersions(rows);
    }
}
