package dev.modelguardian.integrations.prometheus;

import java.time.Duration;
import java.time.Instant;

import dev.modelguardian.core.signal.MetricSource;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.ScriptedSignals;
import dev.modelguardian.core.signal.SignalQuery;

/**
 * Prometheus as a replay scripts it: a PromQL query reads what the script says for it, and a backfill reads the
 * script's points over the window (before the scenario starts there is no data).
 */
final class ScriptedPrometheus implements MetricSource {

    private final ScriptedSignals script;

    ScriptedPrometheus(ScriptedSignals script) {
        this.script = script;
    }

    @Override
    public String kind() {
        return PrometheusSource.KIND;
    }

    @Override
    public Cycle open(Instant at) {
        return new Cycle() {
            @Override
            public Observation read(SignalQuery query, Reduce reduce) {
                return script.read(PrometheusSource.promQl(query), at);
            }

            @Override
            public History history(SignalQuery query, Reduce reduce, Duration window) {
                return new History.Points(script.history(PrometheusSource.promQl(query), at, window));
            }
        };
    }
}
