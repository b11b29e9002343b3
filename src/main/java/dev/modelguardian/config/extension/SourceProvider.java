package dev.modelguardian.config.extension;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.SourceRules;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.ScriptedSignals;
import dev.modelguardian.core.signal.SignalQuery;

/**
 * A metric source, whole: the validation of its keys and of the signals that read it, its {@code doctor} checks (it
 * answers, and each of its signals has data), the {@link SignalQuery} of a signal that reads it and the
 * {@link MetricSource} the policy engine reads through. One implementation per integration folder, registered in the
 * application's one list of extensions; signals select it by its {@link #kind()}.
 */
public interface SourceProvider extends SourceRules {

    /**
     * The query of a signal that reads this source, from its keys; called on a validated configuration only.
     *
     * @param signal the signal's settings
     */
    SignalQuery query(GuardianConfig.Signal signal);

    /**
     * The checks of {@code doctor} for this source: whether it answers and, when it does, what each of its signals
     * reads now. Runs only when the configuration is valid and some signal reads this source.
     *
     * @param settings the whole configuration
     * @param policies the policies whose signals read this source, in their order
     * @param cycle    one read cycle of this source, opened at the time {@code doctor} runs
     */
    List<Check> doctor(Settings settings, List<Policy> policies, MetricSource.Cycle cycle);

    /**
     * The source the configuration describes; when it is not configured, a source whose every read is an error saying
     * so (its signals are inconclusive then).
     *
     * @param settings the whole configuration
     * @param mapper   the application's JSON mapper
     */
    MetricSource source(Settings settings, ObjectMapper mapper);

    /**
     * The word {@code guardian_external_call_seconds} tags one read of a signal from this source with
     * ({@code operation}): how it reads. By default {@code query}.
     */
    default String readOperation() {
        return "query";
    }

    /**
     * This source as a replay simulates it: what it reads comes from {@code script} instead of its system, through
     * as much of its own reading as applies. By default a source a replay cannot simulate: every read is an error
     * saying so (its signals are inconclusive in a replay).
     *
     * @param script what the replay's scenario says each query reads, at each virtual instant
     */
    default MetricSource scripted(ScriptedSignals script) {
        return MetricSource.unavailable(kind(), "a replay cannot simulate the " + kind() + " source");
    }
}
