package dev.modelguardian.app.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.fabric8.kubernetes.client.KubernetesClient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.signal.MetricSources;

/** Checks everything the configuration refers to and says how to fix what is wrong. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = { "Checks the setup, one line per check (OK, WARN or FAIL) with the fix: the configuration, the"
                + " namespace, the Kubernetes API, each training CronJob (naming the closest existing one), the state"
                + " ConfigMap and the Lease (exist or may be created), Neural Hive's flag ConfigMap"
                + " orchestrator-dynamic-config (key ENABLE_ML_ENHANCED_SCHEDULING) and Deployment"
                + " orchestrator-dynamic, every permission the guardian needs (SelfSubjectAccessReview), Prometheus,"
                + " every signal's query returning data now, each trained model in MLflow (registered, a version in"
                + " Production or the alias, READY; only with guardian.mlflow.url), and which notification channels"
                + " are on and whether their settings agree (secrets are never shown).",
                "Changes nothing in the cluster. Unlike the other commands it runs with an invalid configuration,"
                        + " and reports each problem as a FAIL." },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:no check failed (warnings allowed)",
                "1:at least one check failed",
                "3:doctor itself could not run (a configuration value that cannot be read, a runtime error)" })
public class DoctorCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOption configFile;

    @Option(names = { "-o", "--output" }, defaultValue = "table", paramLabel = "FORMAT",
            description = "table (default) or json (schema " + DoctorReport.SCHEMA + ")")
    OutputFormat output;

    @Spec
    CommandSpec spec;

    @Inject
    GuardianConfig config;

    @Inject
    Settings settings;

    @Inject
    ModelSet modelSet;

    @Inject
    Instance<KubernetesClient> clients;

    @Inject
    Instance<MetricSources> sources;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper mapper;

    @Override
    public Integer call() throws JsonProcessingException {
        DoctorReport report = Doctor.of(settings, modelSet, clients::get, sources::get, clock.instant()).run();
        PrintWriter out = spec.commandLine().getOut();
        switch (output) {
            case JSON -> out.println(mapper.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            case TABLE -> print(out, report);
        }
        out.flush();
        return report.exitCode();
    }

    static void print(PrintWriter out, DoctorReport report) {
        int width = report.checks().stream().mapToInt(c -> c.check().length()).max().orElse(5);
        for (dev.modelguardian.core.check.Check c : report.checks()) {
            out.printf("%-4s  %-" + width + "s  %s%n", c.status(), c.check(), c.detail());
            if (c.fix() != null) {
                out.printf("%-4s  %-" + width + "s  fix: %s%n", "", "", c.fix());
            }
        }
        DoctorReport.Counts n = report.counts();
        out.printf("%d checks: %d ok, %d warn, %d fail -> %s (exit %d)%n", report.checks().size(), n.ok(), n.warn(),
                n.fail(), report.result().equals("ok") ? "ok" : "problems found", report.exitCode());
    }

    /** Output formats of {@code doctor}. */
    enum OutputFormat {
        TABLE, JSON;
    }
}
