package dev.modelguardian.integrations.cronjob;

import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.ConfigValidator;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.extension.DoctorContext;
import dev.modelguardian.config.extension.TriggerProvider;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.check.DidYouMean;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TrainingTrigger;

/**
 * The Kubernetes CronJob trigger, whole: {@code guardian.targets.<target>.cron-job} validated (a CronJob name, the
 * target's own name when not set) and the {@code doctor} check that each target's CronJob exists, else the closest
 * existing CronJob. Its {@code TrainingTrigger} is {@link TrainingJobs}.
 */
public final class CronJobProvider implements TriggerProvider {

    /** The longest CronJob name: Kubernetes appends an 11-character suffix to name its Jobs. */
    static final int MAX_NAME = 52;

    @Override
    public String name() {
        return "cronjob";
    }

    /** Always: every target has a CronJob (its own name when none is set). */
    @Override
    public Optional<TrainingTrigger> trigger(GuardianConfig config, KubernetesClient client, String namespace,
            Clock clock) {
        return Optional.of(new TrainingJobs(client, namespace, config.remediation().unschedulableGrace(), clock,
                config.remediation().relistInterval()));
    }

    @Override
    public void validate(String name, GuardianConfig.Target target, List<ConfigProblem> problems) {
        String prefix = "guardian.targets." + name;
        String cronJob = target.cronJob().orElse(name);
        if (!ConfigValidator.dnsSubdomain(cronJob) || cronJob.length() > MAX_NAME) {
            problems.add(new ConfigProblem(target.cronJob().isPresent() ? prefix + ".cron-job" : prefix,
                    "'" + cronJob + "' is not a valid CronJob name; use at most 52 lower-case letters, digits,"
                            + " '-' and '.'"));
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The CronJobs of the namespace are listed once for the closest name; when the list is forbidden (reported by
     * the RBAC check) each CronJob is still read by name.
     */
    @Override
    public List<Check> doctor(List<TargetSpec> targets, KubernetesClient client, DoctorContext context) {
        String ns = context.namespace();
        List<String> existing;
        try {
            existing = client.batch().v1().cronjobs().inNamespace(ns).list().getItems().stream()
                    .map(HasMetadata::getMetadata).map(m -> m.getName()).sorted().toList();
        } catch (KubernetesClientException e) {
            existing = null;
        }
        List<Check> checks = new ArrayList<>();
        for (TargetSpec target : targets) {
            String name = target.cronJob();
            String check = "cronjob/" + name;
            CronJob found;
            try {
                found = client.batch().v1().cronjobs().inNamespace(ns).withName(name).get();
            } catch (KubernetesClientException e) {
                checks.add(unreadable(check, e));
                continue;
            }
            if (found != null) {
                checks.add(Check.ok(check, "CronJob " + ns + "/" + name + " exists (training target "
                        + target.name() + ")"));
                continue;
            }
            Optional<String> closest = existing == null ? Optional.empty() : DidYouMean.closest(existing, name);
            String property = "guardian.targets." + target.name() + ".cron-job";
            checks.add(Check.fail(check, "CronJob " + ns + "/" + name + " not found"
                    + closest.map(c -> "; closest existing CronJob: " + c)
                            .orElse(existing == null ? "" : "; there is no CronJob in " + ns),
                    closest.map(c -> "set " + property + ": " + c)
                            .orElse("create the training CronJob, or set " + property + " to its name")));
        }
        return List.copyOf(checks);
    }

    /** A CronJob that cannot be read, in the words of {@code doctor}'s other reads. */
    private static Check unreadable(String check, KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
            return Check.fail(check, "forbidden (403): the guardian may not read it",
                    "apply src/main/kubernetes/base (Role model-guardian) and bind it to this ServiceAccount");
        }
        return Check.fail(check, "cannot read it: " + (e.getCode() > 0 ? "HTTP " + e.getCode() + " " : "")
                + rootCause(e), "check the API server");
    }

    /** The innermost cause of a failure, its type and message, for a detail line. */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
