package dev.modelguardian.app.cli;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Quarkus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import dev.modelguardian.app.wiring.Acting;
import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.app.wiring.ServeLoop;
import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Namespace;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.leader.LeaderElection;
import dev.modelguardian.core.policy.Durations;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.TrainingTrigger;
import dev.modelguardian.core.signal.MetricSources;

/** The sidecar mode: a long-running guardian, one leader among the replicas. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = { "Runs next to the model server: every guardian.interval (default 1m) it evaluates every"
                + " policy and advances every training target (retraining, watching the Job); remediations under way"
                + " are also followed up every guardian.remediation.relist-interval and whenever the Job informer"
                + " sees one of the guardian's Jobs finish or vanish.",
                "Only the holder of the Lease guardian.leader.lease acts; every replica serves HTTP and stays ready."
                        + " A leader that loses the Lease exits (code 1) and is restarted by Kubernetes.",
                "HTTP (port quarkus.http.port, default 8686): /q/health/live, /q/health/ready, /q/metrics,"
                        + " GET /api/v1/status, POST /api/v1/targets/{target}/remediate[?force=true] and"
                        + " POST /api/v1/targets/{target}/approve (both with 'Authorization: Bearer <guardian.api.token>').",
                "At start-up it runs the checks of doctor and logs each failed one and a summary; with"
                        + " guardian.doctor.fail-fast=true it runs them first and exits 3 if one fails." },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:stopped by a signal (SIGTERM)", "1:lost the leader Lease",
                "3:configuration or start-up error (with guardian.doctor.fail-fast=true: a doctor check failed)" })
public class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(ServeCommand.class);

    @Mixin
    ConfigFileOption configFile;

    @Spec
    CommandSpec spec;

    @Inject
    GuardianConfig config;

    @Inject
    Settings settings;

    @Inject
    ModelSet modelSet;

    // Resolved only when serve runs, after the configuration is validated: picocli builds every command.
    @Inject
    Instance<ServeLoop> loops;

    @Inject
    Instance<LeaderElection> leaderships;

    @Inject
    Instance<Acting> actings;

    @Inject
    Instance<KubernetesClient> clients;

    @Inject
    Instance<TrainingTrigger> triggers;

    @Inject
    Instance<StateStore> stores;

    @Inject
    Instance<MetricSources> sources;

    @Inject
    Clock clock;

    @ConfigProperty(name = "quarkus.http.port")
    int port;

    @Override
    public Integer call() {
        List<ConfigProblem> problems = Extensions.validateSourcesConfigured(settings, modelSet);
        if (!problems.isEmpty()) {
            return GuardianMain.reportProblems(spec.commandLine().getErr(), problems);
        }
        try {
            // Preflight: the state is the first thing a cycle reads; no cluster, no RBAC, no point in serving.
            stores.get().load();
        } catch (StateStore.StoreException | IllegalStateException e) {
            spec.commandLine().getErr().println("model-guardian: serve: " + e.getMessage()
                    + " (serve runs in a cluster, with the service account of the guardian, or with a kubeconfig)");
            spec.commandLine().getErr().flush();
            return GuardianMain.EXIT_ERROR;
        }
        modelSet.untrained().forEach(LOG::warn);
        if (config.doctor().failFast()) {
            DoctorReport report = logDoctor(doctor().run(), true);
            if (report.counts().fail() > 0) {
                spec.commandLine().getErr().println("model-guardian: serve: " + report.counts().fail() + " doctor"
                        + " check" + (report.counts().fail() == 1 ? "" : "s") + " failed (logged above, each with its"
                        + " fix) and guardian.doctor.fail-fast is true; not serving");
                spec.commandLine().getErr().flush();
                return GuardianMain.EXIT_ERROR;
            }
        } else {
            // Off the start-up path: a Prometheus or MLflow that does not answer costs its timeouts, not the start.
            Thread.ofVirtual().name("startup-doctor").start(() -> {
                try {
                    logDoctor(doctor().run(), false);
                } catch (RuntimeException e) {
                    LOG.warnf("doctor at start-up could not run: %s", Doctor.rootCause(e));
                }
            });
        }
        ServeLoop loop = loops.get();
        LeaderElection leadership = leaderships.get();
        leadership.onChange(leading -> {
            if (leading) {
                // A new leader looks at once instead of waiting for the next tick.
                Thread.ofVirtual().name("first-cycle").start(loop::cycle);
            }
        });
        actings.get().requireLeadership(leadership::isLeader);
        // Cycles read the targets' records from an informer instead of listing them all each time.
        try (StateStore.Following state = stores.get().follow();
                TrainingTrigger.Watch watch = triggers.get().watch(name -> loop.followUpSoon())) {
            loop.enable();
            leadership.start();
            LOG.infof("Serving on port %d: %d policies, %d targets in namespace %s every %s; Lease %s as %s", port,
                    dev.modelguardian.app.wiring.Policies.from(modelSet).size(), loop.targets().size(),
                    Namespace.resolve(config), Durations.format(config.interval()), config.leader().lease(),
                    leadership.identity());
            Quarkus.waitForExit();
        } finally {
            leadership.stop();
        }
        return 0;
    }

    private Doctor doctor() {
        return Doctor.of(settings, modelSet, clients::get, sources::get, clock.instant());
    }

    /**
     * Logs what {@code doctor} found: one line per failed check with its fix (ERROR when serve stops because of it,
     * else WARN), one INFO line per warning, and a summary line.
     */
    static DoctorReport logDoctor(DoctorReport report, boolean failFast) {
        for (dev.modelguardian.core.check.Check c : report.checks()) {
            switch (c.status()) {
                case FAIL -> LOG.logf(failFast ? Logger.Level.ERROR : Logger.Level.WARN, "doctor: FAIL %s: %s; fix: %s",
                        c.check(), c.detail(), c.fix());
                case WARN -> LOG.infof("doctor: WARN %s: %s; fix: %s", c.check(), c.detail(), c.fix());
                case OK -> LOG.debugf("doctor: OK %s: %s", c.check(), c.detail());
            }
        }
        DoctorReport.Counts n = report.counts();
        String summary = String.format("doctor at start-up: %d checks in namespace %s: %d ok, %d warn, %d fail%s",
                report.checks().size(), report.namespace(), n.ok(), n.warn(), n.fail(), n.fail() == 0 ? ""
                        : failFast ? "; guardian.doctor.fail-fast is true: not serving"
                                : "; serving anyway (guardian.doctor.fail-fast is false); run the doctor command for"
                                        + " every check");
        LOG.log(n.fail() == 0 ? Logger.Level.INFO : failFast ? Logger.Level.ERROR : Logger.Level.WARN, summary);
        return report;
    }
}
