package dev.modelguardian.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.modelguardian.app.replay.PostmortemPage;
import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.app.wiring.Postmortems;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.postmortem.PostmortemDraft;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.signal.MetricSources;

/** Runbook step 5: the post-mortem draft of one finished remediation, from what the state ConfigMap kept. */
@Command(name = "postmortem", aliases = "post-mortem", mixinStandardHelpOptions = true,
        description = { "Writes a post-mortem draft (Markdown) for one finished remediation of a training target: the"
                + " summary with the time from first breach to the end and each step against the runbook's estimates"
                + " by hand, the impact window, what fired with values and bounds, each signal's worst value and time"
                + " past its trigger over the window, the inputs that moved most (a signal with a breakdown label),"
                + " the timeline with each step's duration and who approved, the training run and the last"
                + " lines of its log when it failed, each validation check with candidate and serving values, the"
                + " candidates as the registry shows them now, the"
                + " promotions and rollbacks done, what a person must still do (the Helm values key that makes a"
                + " rollback stick, the flag to re-enable), questions for the root cause, and the identifiers (Job,"
                + " MLflow versions, PagerDuty dedup key). --html adds the same content as a page with one chart per"
                + " signal.",
                "Reads the state ConfigMap, the signals' sources (Prometheus range queries over the incident window,"
                        + " and per input for a signal with a breakdown label) and the model registry (each validated"
                        + " candidate as MLflow shows it now); a source or registry that does not answer leaves its"
                        + " rows marked unavailable. It changes nothing. The latest finished remediation by default;"
                        + " --remediation takes an id from `status`." },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:the draft was written", "3:configuration or runtime error, an unknown target or"
                + " remediation, no finished remediation yet, or the file could not be written" })
public class PostmortemCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption configFile;

    @Option(names = "--target", required = true, paramLabel = "NAME", description = "the training target")
    String targetName;

    @Option(names = "--remediation", paramLabel = "ID", description = "the remediation (an id from status, e.g."
            + " r1795556305); by default the target's latest finished one")
    String remediationId;

    @Option(names = "--out", paramLabel = "FILE.md", description = "write the draft to this file instead of stdout")
    Path out;

    @Option(names = "--html", paramLabel = "FILE.html", description = "also write the draft as a self-contained HTML"
            + " page with one chart per signal over the incident window (inline SVG, no script, nothing fetched)")
    Path html;

    @Option(names = "--no-signals", description = "read nothing but the state: leave out the signals over the"
            + " incident window (Prometheus range queries), the inputs that moved most and the registry's versions")
    boolean noSignals;

    @Spec
    CommandSpec spec;

    @Inject
    GuardianConfig config;

    @Inject
    Settings settings;

    @Inject
    ModelSet modelSet;

    @Inject
    Instance<StateStore> stores;

    @Inject
    Instance<MetricSources> sources;

    @Inject
    Clock clock;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        // With the registry step when a registry is configured: the draft names each model as it is registered.
        Optional<ModelRegistry> registry = Extensions.registry(settings);
        List<TargetSpec> targets = KubeBeans.targets(modelSet, registry.isPresent());
        Optional<TargetSpec> target = targets.stream().filter(t -> t.name().equals(targetName)).findFirst();
        if (target.isEmpty()) {
            return fail(err, GuardianMain.unknownTarget(targetName, targets));
        }
        TargetRecord record;
        try {
            record = stores.get().load().targets().get(targetName);
        } catch (StateStore.StoreException | IllegalStateException e) {
            return fail(err, e.getMessage() + " (postmortem reads the cluster with a kubeconfig or the guardian's"
                    + " service account)");
        }
        List<HistoryEntry> history = record == null ? List.of() : record.history();
        if (history.isEmpty()) {
            return fail(err, "target " + targetName + " has no finished remediation yet (status shows the one under"
                    + " way, if any)");
        }
        Optional<HistoryEntry> entry = remediationId == null ? Optional.of(history.getLast())
                : history.stream().filter(h -> h.id().equals(remediationId)).reduce((a, b) -> b);
        if (entry.isEmpty()) {
            return fail(err, "target " + targetName + " has no finished remediation " + remediationId
                    + "; the state keeps " + history.stream().map(HistoryEntry::id).toList()
                    + " (guardian.state.history: " + config.state().history() + ")");
        }
        PostmortemDraft draft = Postmortems.draft(config, modelSet, noSignals ? Optional.empty()
                : Optional.of(sources.get()), noSignals ? Optional.empty() : registry, target.get(), entry.get(),
                clock.instant());
        String markdown = draft.markdown();
        if (html != null) {
            try {
                Files.writeString(html, PostmortemPage.render(draft));
            } catch (IOException e) {
                return fail(err, "cannot write " + html + ": " + e.getMessage() + "; pass --html a writable file");
            }
            err.println("model-guardian: postmortem: HTML draft of remediation " + entry.get().id() + " written to "
                    + html);
        }
        if (out == null) {
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.print(markdown);
            stdout.flush();
            err.flush();
            return 0;
        }
        try {
            Files.writeString(out, markdown);
        } catch (IOException e) {
            return fail(err, "cannot write " + out + ": " + e.getMessage() + "; pass --out a writable file, or no"
                    + " --out for stdout");
        }
        err.println("model-guardian: postmortem: draft of remediation " + entry.get().id() + " written to " + out);
        err.flush();
        return 0;
    }

    private static int fail(PrintWriter err, String message) {
        err.println("model-guardian: postmortem: " + message);
        err.flush();
        return GuardianMain.EXIT_ERROR;
    }
}
