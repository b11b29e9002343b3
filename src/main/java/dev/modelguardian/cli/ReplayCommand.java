package dev.modelguardian.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import dev.modelguardian.config.ModelSet;
import dev.modelguardian.policy.Bound;
import dev.modelguardian.policy.Durations;
import dev.modelguardian.policy.Policies;
import dev.modelguardian.policy.Policy;
import dev.modelguardian.policy.PolicyState;
import dev.modelguardian.replay.Replay;
import dev.modelguardian.replay.Scenario;
import dev.modelguardian.replay.ScenarioException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Laptop mode: what the guardian would have decided over a scripted metric history, with no cluster. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = { "Replays a scenario (scripted signal values over time) through the real policy decisions on a"
                + " virtual clock and prints the timeline of state changes and a summary. Needs no cluster and no"
                + " Prometheus.",
                "SCENARIO is a bundled scenario name (" + Scenario.BUNDLED_NAMES + ") or a"
                        + " scenario file; the default is drift-incident. The format is in docs/replay.md." },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:the scenario was replayed", "3:the scenario or the configuration is invalid" })
public class ReplayCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption configFile;

    @Parameters(arity = "0..1", paramLabel = "SCENARIO", defaultValue = "drift-incident",
            description = "bundled scenario name or scenario file (default: ${DEFAULT-VALUE})")
    String scenario;

    @Option(names = "--list", description = "list the bundled scenarios and exit")
    boolean list;

    @Spec
    CommandSpec spec;

    @Inject
    ModelSet modelSet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            for (String name : Scenario.BUNDLED) {
                out.printf("%-16s %s%n", name, Scenario.bundled(name).description());
            }
            out.flush();
            return 0;
        }
        List<Policy> policies = Policies.from(modelSet);
        Replay.Result result;
        try {
            Scenario loaded = Files.exists(Path.of(scenario)) ? Scenario.file(Path.of(scenario))
                    : Scenario.bundled(scenario);
            result = Replay.run(loaded, policies, modelSet);
        } catch (ScenarioException e) {
            spec.commandLine().getErr().println("model-guardian: replay: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return GuardianMain.EXIT_ERROR;
        }
        print(out, result, policies.stream().collect(Collectors.toMap(Policy::key, p -> p)));
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, Replay.Result result, Map<String, Policy> policies) {
        Scenario s = result.scenario();
        out.printf("Scenario %s: %s%n", s.name(), s.description());
        out.printf("Replaying %d signals from %s for %s, one evaluation every %s (virtual clock)%n%n",
                s.signals().size(), s.start(), Durations.format(s.duration()), Durations.format(s.step()));

        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "TIME", "SIGNAL", "CHANGE", "VALUE", "BOUND", "NOTE" });
        for (Replay.Event e : result.events()) {
            Policy p = policies.get(e.signal());
            String change = (e.from() == null ? "" : e.from() + " -> ") + e.to();
            rows.add(new String[] { "+" + clock(e.offset()), e.signal(), change,
                    e.value().isPresent() ? Bound.format(e.value().getAsDouble()) : "-", p.describeBound(), e.note() });
        }
        Table.print(out, rows);

        out.println();
        List<String[]> summary = new ArrayList<>();
        summary.add(new String[] { "SIGNAL", "HEALTHY", "PENDING", "FIRING", "INCONCLUSIVE", "FIRED" });
        int fired = 0;
        for (Replay.SignalSummary sum : result.summaries()) {
            Map<PolicyState, Duration> t = sum.timeIn();
            summary.add(new String[] { sum.signal(), time(t, PolicyState.HEALTHY), time(t, PolicyState.PENDING),
                    time(t, PolicyState.FIRING), time(t, PolicyState.INCONCLUSIVE), Integer.toString(sum.firings()) });
            fired += sum.firings();
        }
        Table.print(out, summary);
        out.printf("%nSignals began firing %d time%s.%n", fired, fired == 1 ? "" : "s");
    }

    private static String time(Map<PolicyState, Duration> t, PolicyState state) {
        return Durations.format(t.getOrDefault(state, Duration.ZERO)).toLowerCase(Locale.ROOT);
    }

    private static String clock(Duration d) {
        return String.format("%d:%02d", d.toHours(), d.toMinutesPart());
    }
}
