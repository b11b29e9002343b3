package dev.modelguardian.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.ConfigValidator;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.policy.Bound;
import dev.modelguardian.policy.Evaluation;
import dev.modelguardian.policy.InMemoryPolicyStateStore;
import dev.modelguardian.policy.Policies;
import dev.modelguardian.policy.PolicyEngine;
import jakarta.enterprise.inject.Instance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The CronJob mode: one evaluation of every policy. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = { "Evaluates every policy once and prints a table (or JSON).",
                "A signal with a 'for' duration is judged on its Prometheus history over that window (a range query),"
                        + " so a breach that has held for the whole window fires at once. Scrape signals have no"
                        + " history: with a 'for' they can only be pending in a one-shot check.",
                "Opens no HTTP port and starts no scheduler." },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:all signals healthy (or pending, not yet firing)",
                "1:at least one signal is firing",
                "2:no signal firing, but at least one is inconclusive (no data, NaN or a source error)",
                "3:configuration or runtime error" })
public class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption configFile;

    @Option(names = { "-o", "--output" }, defaultValue = "table", paramLabel = "FORMAT",
            description = "table (default) or json (schema model-guardian/check/v1, see docs/check-output.md)")
    OutputFormat output;

    @Spec
    CommandSpec spec;

    @Inject
    GuardianConfig config;

    @Inject
    ModelSet modelSet;

    @Inject
    Instance<PolicyEngine> engine;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper mapper;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        List<ConfigProblem> problems = ConfigValidator.validateSourcesConfigured(config, modelSet);
        if (!problems.isEmpty()) {
            return GuardianMain.reportProblems(spec.commandLine().getErr(), problems);
        }
        List<Evaluation> evaluations = engine.get().evaluate(Policies.from(modelSet), new InMemoryPolicyStateStore());
        Instant now = clock.instant();
        CheckReport report = CheckReport.of(evaluations, now, config.sourceErrorLimit());
        switch (output) {
            case JSON -> out.println(mapper.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            case TABLE -> printTable(out, report);
        }
        out.flush();
        return report.exitCode();
    }

    private static void printTable(PrintWriter out, CheckReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "MODEL", "SIGNAL", "VALUE", "BOUND", "STATE", "SINCE", "NOTE" });
        for (CheckReport.SignalResult s : report.signals()) {
            rows.add(new String[] { s.model(), s.signal(), s.value() == null ? "-" : Bound.format(s.value()),
                    s.bound().text(), s.state().toUpperCase(java.util.Locale.ROOT), s.since(),
                    note(s) });
        }
        Table.print(out, rows);
        CheckReport.Counts c = report.counts();
        out.printf("%d signal%s: %d healthy, %d pending, %d firing, %d inconclusive -> %s (exit %d)%n",
                report.signals().size(), report.signals().size() == 1 ? "" : "s", c.healthy(), c.pending(), c.firing(), c.inconclusive(), report.result(),
                report.exitCode());
    }

    private static String note(CheckReport.SignalResult s) {
        String note = s.reason() == null ? "" : s.reason();
        if (s.sourceErrorAlert()) {
            note += " [source-error alert: " + s.consecutiveSourceErrors() + " in a row]";
        }
        return note;
    }

    /** Output formats of {@code check}. */
    enum OutputFormat {
        TABLE, JSON;
    }
}
