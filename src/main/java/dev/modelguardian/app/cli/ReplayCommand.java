package dev.modelguardian.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dev.modelguardian.app.replay.HtmlReport;
import dev.modelguardian.app.replay.PrometheusHistory;
import dev.modelguardian.app.replay.Replay;
import dev.modelguardian.app.replay.Scenario;
import dev.modelguardian.app.replay.ScenarioException;
import dev.modelguardian.app.replay.World;
import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Namespace;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.policy.Durations;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.core.postmortem.InputDrift;
import dev.modelguardian.core.postmortem.PostmortemDraft;
import dev.modelguardian.core.postmortem.SignalWindow;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.TimedObservation;

/** Laptop mode: what the guardian would have done over a scripted metric history, with no cluster. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = { "Replays a scenario (scripted signal values over time, and what the world does in response)"
                + " through the policy and remediation engines of serve on a virtual clock, against a simulated"
                + " cluster, MLflow and model server, and prints the timeline of signal states and remediation steps"
                + " and a summary. Needs no cluster, no MLflow and no Prometheus.",
                "SCENARIO is a bundled scenario name (" + Scenario.BUNDLED_NAMES + ") or a"
                        + " scenario file; the default is drift-incident. The format is in docs/replay.md.",
                "With --prometheus the signals are the configured queries over --from..--to instead of the scenario's"
                        + " values, one evaluation every --step.",
                "--report FILE.html writes a self-contained page: one chart per signal, a summary and the timeline." },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:the scenario was replayed",
                "3:the scenario, a flag, the configuration or Prometheus failed; nothing was written" })
public class ReplayCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption configFile;

    @Parameters(arity = "0..1", paramLabel = "SCENARIO",
            description = "bundled scenario name or scenario file (default: drift-incident; with --prometheus, only"
                    + " the world's responses are taken from it)")
    String scenario;

    @Option(names = "--list", description = "list the bundled scenarios and exit")
    boolean list;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "also write the replay as a self-contained HTML page (charts as inline SVG, no network)")
    Path report;

    @Option(names = "--postmortem", paramLabel = "FILE.md",
            description = "also write the post-mortem draft of the last remediation that ended in the replay, as the"
                    + " postmortem command writes one from the cluster's state (signals from the replay)")
    Path postmortem;

    @Option(names = "--prometheus", paramLabel = "URL",
            description = "take the signals from this Prometheus (the API root), one range query per configured query")
    String prometheus;

    @Option(names = "--from", paramLabel = "TIME",
            description = "with --prometheus: start of the period: RFC 3339, unix seconds, or before now (-6h)")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "with --prometheus: end of the period (default: now)")
    String to;

    @Option(names = "--step", paramLabel = "DURATION",
            description = "with --prometheus: evaluation interval (default: guardian.interval); at most "
                    + PrometheusHistory.MAX_POINTS + " evaluations per signal")
    String step;

    @Spec
    CommandSpec spec;

    @Inject
    ModelSet modelSet;

    @Inject
    GuardianConfig config;

    @Inject
    Settings settings;

    @Inject
    ObjectMapper mapper;

    @Inject
    Clock clock;

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
        Map<String, Policy> byKey = policies.stream().collect(Collectors.toMap(Policy::key, p -> p));
        Replay.Result result;
        try {
            checkFlags();
            Optional<Path> reportFile = outputFile("--report", report, "replay.html");
            Optional<Path> postmortemFile = outputFile("--postmortem", postmortem, "postmortem.md");
            Scenario world = scenario == null ? null : load(scenario);
            Scenario input;
            if (prometheus != null) {
                URI url = PrometheusHistory.url(prometheus);
                PrometheusHistory.Period period = PrometheusHistory.period(from, to == null ? "now" : to,
                        step == null ? Durations.format(config.interval()) : step,
                        clock.instant().truncatedTo(ChronoUnit.SECONDS));
                input = PrometheusHistory.load(Extensions.prometheusAt(url, settings, mapper), url, policies, period,
                        world);
            } else {
                input = world != null ? world : Scenario.bundled("drift-incident");
            }
            Scenario replayed = input;
            result = quietly(() -> Replay.run(replayed, policies, modelSet, KubeBeans.remediationPolicy(config)));
            String text = render(result, byKey);
            if (reportFile.isPresent()) {
                write("--report", reportFile.get(), HtmlReport.render(result, byKey, text));
            }
            if (postmortemFile.isPresent()) {
                write("--postmortem", postmortemFile.get(), postmortem(result, byKey));
            }
            out.print(text);
            reportFile.ifPresent(f -> out.printf("%nReport written to %s%n", f));
            postmortemFile.ifPresent(f -> out.printf("%nPost-mortem draft written to %s%n", f));
        } catch (ScenarioException e) {
            spec.commandLine().getErr().println("model-guardian: replay: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return GuardianMain.EXIT_ERROR;
        }
        out.flush();
        return 0;
    }

    /**
     * Runs {@code replay} with the guardian's own INFO lines off: the timeline is the output, and the engine's log
     * lines would repeat it with wall-clock times. The level is put back afterwards, since loggers outlive a command.
     */
    private static <T> T quietly(java.util.function.Supplier<T> replay) {
        java.util.logging.Logger guardian = java.util.logging.Logger.getLogger("dev.modelguardian");
        java.util.logging.Level before = guardian.getLevel();
        guardian.setLevel(java.util.logging.Level.WARNING);
        try {
            return replay.get();
        } finally {
            guardian.setLevel(before);
        }
    }

    private static Scenario load(String scenario) {
        return Files.exists(Path.of(scenario)) ? Scenario.file(Path.of(scenario)) : Scenario.bundled(scenario);
    }

    /** The Prometheus flags go together; a flag that would be ignored is an error, not a surprise. */
    private void checkFlags() {
        if (prometheus == null) {
            for (String[] flag : new String[][] { { "--from", from }, { "--to", to }, { "--step", step } }) {
                if (flag[1] != null) {
                    throw new ScenarioException(flag[0] + " needs --prometheus URL (the scenario has its own clock);"
                            + " add --prometheus or drop " + flag[0]);
                }
            }
        } else if (from == null) {
            throw new ScenarioException("--prometheus needs --from: the start of the period, e.g. --from -6h"
                    + " (--to defaults to now)");
        }
    }

    /** Checks an output file's directory before any work, so a typo does not cost a whole replay. */
    private static Optional<Path> outputFile(String flag, Path given, String example) {
        if (given == null) {
            return Optional.empty();
        }
        Path file = given.toAbsolutePath();
        if (Files.isDirectory(file)) {
            throw new ScenarioException(flag + " " + given + ": is a directory; give a file name, e.g. " + flag + " "
                    + example);
        }
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new ScenarioException(flag + " " + given + ": directory " + dir + " does not exist or is not"
                    + " writable; create it or write the file elsewhere");
        }
        return Optional.of(given);
    }

    /**
     * The post-mortem draft of the last remediation that ended in the replay, with the replayed signals over its
     * window.
     */
    private String postmortem(Replay.Result result, Map<String, Policy> byKey) {
        Replay.TargetSummary ended = result.targets().stream().filter(t -> !t.history().isEmpty())
                .max(java.util.Comparator.comparing(t -> t.history().getLast().ended()))
                .orElseThrow(() -> new ScenarioException("--postmortem: no remediation ended in the replay, so there"
                        + " is nothing to write; replay a scenario in which a signal fires (e.g. drift-incident)"));
        HistoryEntry entry = ended.history().getLast();
        Instant end = result.scenario().start().plus(result.scenario().duration());
        PostmortemDraft.Window window = PostmortemDraft.window(entry, end);
        List<SignalWindow> signals = new ArrayList<>();
        result.samples().forEach((signal, samples) -> {
            Policy policy = byKey.get(signal);
            if (policy != null && ended.spec().models().contains(policy.model())) {
                signals.add(new SignalWindow(policy, samples.stream()
                        .filter(s -> !s.at().isBefore(window.from()) && !s.at().isAfter(window.to()))
                        .map(s -> new TimedObservation(s.at(), s.value().isPresent()
                                ? Observation.of(s.value().getAsDouble()) : Observation.noData()))
                        .toList(), Optional.empty()));
            }
        });
        return new PostmortemDraft(Namespace.resolve(config), "the replay of scenario " + result.scenario().name()
                + " (its state in memory)",
                ended.spec(), entry, config.notifications().rollbackHint().filter(h -> !h.isBlank()), signals,
                signals.stream().map(SignalWindow::policy).filter(p -> p.breakdown().isPresent())
                        .map(p -> InputDrift.unavailable(p, p.breakdown().get(), "a replay does not split a signal by"
                                + " its label"))
                        .toList(), end)
                .markdown();
    }

    /** Writes next to the target, then moves into place: the file is whole or absent. */
    private static void write(String flag, Path file, String text) {
        Path absolute = file.toAbsolutePath();
        Path tmp = absolute.resolveSibling("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ScenarioException(flag + " " + file + ": cannot write (" + e.getMessage() + ")");
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the move succeeded, or the write failed and was reported
            }
        }
    }

    /** The terminal output: the timeline of state changes and the summary. */
    public static String render(Replay.Result result, Map<String, Policy> policies) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        print(out, result, policies);
        out.flush();
        return text.toString();
    }

    private static void print(PrintWriter out, Replay.Result result, Map<String, Policy> policies) {
        Scenario s = result.scenario();
        out.printf("Scenario %s: %s%n", s.name(), s.description());
        out.printf("Replaying %d signals from %s for %s, one evaluation every %s (virtual clock)%n", s.signals().size(),
                s.start(), Durations.format(s.duration()), Durations.format(s.step()));
        out.printf("World: %s%n%n", describe(s.world()));

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
        if (result.steps().isEmpty()) {
            out.println("Remediation: nothing was done.");
        } else {
            out.println("Remediation (each step as the engine persisted it, and what the world did):");
            List<String[]> steps = new ArrayList<>();
            steps.add(new String[] { "TIME", "TARGET", "STEP", "DETAIL" });
            for (Replay.Step step : result.steps()) {
                steps.add(new String[] { "+" + clock(step.offset()), step.target(), step.change(), step.what() });
            }
            Table.print(out, steps);
        }

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
        for (Replay.TargetSummary t : result.targets()) {
            out.printf("Target %s: %s started; remediations ended: %s.%n", t.target(),
                    plural(t.started(), "retraining " + t.runKind()), t.outcomes());
            out.printf("  time in each state: %s%n", t.timeInStates());
        }
    }

    /** One line on the world the scenario scripts. */
    static String describe(World world) {
        List<String> parts = new ArrayList<>();
        parts.add("training Jobs " + (world.training().succeeds() ? "succeed" : "fail") + " after "
                + Durations.format(world.training().takes()));
        parts.add(world.registry().map(models -> "MLflow holds " + String.join(", ", new java.util.TreeSet<>(models.keySet()))
                + (models.values().stream().anyMatch(m -> m.candidate().isPresent()) ? " and training registers"
                        + " candidates" : " and training registers nothing"))
                .orElse("no MLflow (the Job's own gate is trusted)"));
        world.afterPromotion().ifPresent(r -> parts.add("live signals change " + Durations.format(r.takes())
                + " after a promotion"));
        world.afterRollback().ifPresent(r -> parts.add("live signals change " + Durations.format(r.takes())
                + " after a rollback"));
        return String.join("; ", parts);
    }

    private static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String time(Map<PolicyState, Duration> t, PolicyState state) {
        return Durations.format(t.getOrDefault(state, Duration.ZERO)).toLowerCase(Locale.ROOT);
    }

    private static String clock(Duration d) {
        return String.format("%d:%02d", d.toHours(), d.toMinutesPart());
    }
}
