package dev.modelguardian.integrations.jobs;

import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.ConfigValidator;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.extension.DoctorContext;
import dev.modelguardian.config.extension.Permission;
import dev.modelguardian.config.extension.TriggerProvider;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.check.DidYouMean;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Trainer;
import dev.modelguardian.core.remediation.TrainingTrigger;

/**
 * The Kubernetes CronJob trigger ({@code trigger.kind: cronjob}, the default), whole: the CronJob name of each target
 * validated ({@code trigger.cron-job}, or the older {@code cron-job}, else the target's own name), the {@code doctor}
 * check that each target's CronJob exists (else the closest existing CronJob), the permissions its Jobs need, and its
 * {@code TrainingTrigger}, {@link TrainingJobs}.
 */
public final class CronJobProvider implements TriggerProvider {

    /** The longest CronJob name: Kubernetes appends an 11-character suffix to name its Jobs. */
    static final int MAX_NAME = 52;

    @Override
    public String kind() {
        return Trainer.CRONJOB;
    }

    @Override
    public Trainer trainer(String name, GuardianConfig.Target target, Settings settings) {
        return Trainer.cronJob(cronJob(name, target));
    }

    @Override
    public Trainer trainedFrom(String from) {
        return Trainer.cronJob(from);
    }

    /** The CronJob of a target: {@code trigger.cron-job}, else {@code cron-job}, else the target's name. */
    static String cronJob(String name, GuardianConfig.Target target) {
        return target.trigger().cronJob().or(target::cronJob).orElse(name);
    }

    @Override
    public TrainingTrigger trigger(Settings settings, Map<String, GuardianConfig.Target> targets,
            KubernetesClient client, String namespace, Clock clock) {
        return new TrainingJobs(client, namespace, settings.guardian().remediation().unschedulableGrace(), clock,
                settings.guardian().remediation().relistInterval());
    }

    @Override
    public void validate(String name, GuardianConfig.Target target, Settings settings, List<ConfigProblem> problems) {
        String prefix = "guardian.targets." + name;
        if (!target.trigger().kind().equals(kind())) {
            String fix = " is only read by a cronjob trigger, and this target's trigger.kind is "
                    + target.trigger().kind() + "; remove it";
            target.cronJob().ifPresent(c -> problems.add(new ConfigProblem(prefix + ".cron-job", "cron-job" + fix)));
            target.trigger().cronJob().ifPresent(c -> problems.add(new ConfigProblem(prefix + ".trigger.cron-job",
                    "trigger.cron-job" + fix)));
            return;
        }
        if (target.cronJob().isPresent() && target.trigger().cronJob().isPresent()
                && !target.cronJob().equals(target.trigger().cronJob())) {
            problems.add(new ConfigProblem(prefix + ".cron-job", "cron-job '" + target.cronJob().get()
                    + "' and trigger.cron-job '" + target.trigger().cronJob().get()
                    + "' name different CronJobs; keep trigger.cron-job and remove cron-job"));
            return;
        }
        String cronJob = cronJob(name, target);
        if (!ConfigValidator.dnsSubdomain(cronJob) || cronJob.length() > MAX_NAME) {
            String property = target.trigger().cronJob().isPresent() ? prefix + ".trigger.cron-job"
                    : target.cronJob().isPresent() ? prefix + ".cron-job" : prefix;
            problems.add(new ConfigProblem(property, "'" + cronJob + "' is not a valid CronJob name; use at most 52"
                    + " lower-case letters, digits, '-' and '.'"));
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>From the code, one call at a time: {@link TrainingJobs} reads each CronJob, lists CronJobs for the closest
     * name, creates, gets and lists Jobs, lists pods by label; {@link JobInformer} lists and watches the guardian's
     * Jobs. Job and pod names are generated, so those rows cannot be narrowed by resourceNames.
     */
    @Override
    public List<Permission> permissions(Settings settings, List<TargetSpec> targets) {
        if (targets.isEmpty()) {
            return List.of();
        }
        List<Permission> all = new ArrayList<>();
        targets.stream().map(t -> t.trainer().name()).distinct().sorted().forEach(cronJob -> all.addAll(Permission.of(
                "batch", "cronjobs", "training Job made from the CronJob's jobTemplate", cronJob, "get")));
        all.addAll(Permission.of("batch", "cronjobs", "closest existing CronJob name when the configured one is"
                + " missing", null, "list"));
        all.addAll(TrainingJobs.jobPermissions("the CronJob's active Jobs"));
        return List.copyOf(all);
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
            String name = target.trainer().name();
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
