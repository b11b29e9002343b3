package dev.modelguardian.integrations.jobs;

import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.Trainer;
import dev.modelguardian.core.remediation.TrainingTrigger;

/**
 * The Job template trigger ({@code trigger.kind: job-template}), whole: a Job made from a manifest kept in a
 * ConfigMap or inline in the configuration, for teams with neither a CronJob nor Argo. Validates {@code trigger.job-template.*}, checks in
 * {@code doctor} that the ConfigMap, its key and the manifest are there and usable, lists the permissions, and builds
 * {@link TrainingJobs} with a {@link TemplateSource}: the same Jobs, informer, stuck-pod detection and timeout as the
 * CronJob trigger.
 */
public final class JobTemplateProvider implements TriggerProvider {

    /** This trigger's kind, as {@code trigger.kind} names it. */
    public static final String KIND = "job-template";
    /** What a target with an inline manifest is trained from, as messages name it. */
    static final String INLINE_KIND = "JobTemplate";

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * {@inheritDoc} The ConfigMap; for an inline manifest, the target's own {@code JobTemplate} (no object in the
     * cluster: Events about it regard {@code JobTemplate/<target>} under the guardian's group).
     */
    @Override
    public Trainer trainer(String name, GuardianConfig.Target target, Settings settings) {
        JobTemplateSettings.JobTemplate keys = settings.of(JobTemplateSettings.class).of(name);
        if (keys.manifest().isPresent()) {
            return new Trainer(KIND, INLINE_KIND, name, "Job", "model-guardian.dev/v1", "batch/v1");
        }
        return trainedFrom(template(name, keys).configMap());
    }

    @Override
    public Optional<Class<?>> settingsRoot() {
        return Optional.of(JobTemplateSettings.class);
    }

    /** {@inheritDoc} The manifest under the default key of ConfigMap {@code from}. */
    @Override
    public Trainer trainedFrom(String from) {
        return new Trainer(KIND, "ConfigMap", from, "Job", "v1", "batch/v1");
    }

    static TemplateSource.Template template(String name, JobTemplateSettings.JobTemplate t) {
        return t.manifest().map(TemplateSource.Template::inline)
                .orElseGet(() -> new TemplateSource.Template(t.configMap().orElse(name), t.key()));
    }

    @Override
    public TrainingTrigger trigger(Settings settings, Map<String, GuardianConfig.Target> targets,
            KubernetesClient client, String namespace, Clock clock) {
        JobTemplateSettings keys = settings.of(JobTemplateSettings.class);
        Map<String, TemplateSource.Template> templates = new TreeMap<>();
        targets.keySet().forEach(name -> templates.put(name, template(name, keys.of(name))));
        return new TrainingJobs(client, namespace, settings.guardian().remediation().unschedulableGrace(), clock,
                settings.guardian().remediation().relistInterval(), new TemplateSource(client, namespace, templates));
    }

    @Override
    public void validate(String name, GuardianConfig.Target target, Settings settings, List<ConfigProblem> problems) {
        String prefix = "guardian.targets." + name + ".trigger.job-template";
        JobTemplateSettings.JobTemplate t = settings.of(JobTemplateSettings.class).of(name);
        if (!target.trigger().kind().equals(KIND)) {
            String fix = " is only read by a job-template trigger, and this target's trigger.kind is "
                    + target.trigger().kind() + "; remove it, or set trigger.kind: job-template";
            t.configMap().ifPresent(c -> problems.add(new ConfigProblem(prefix + ".config-map", "config-map" + fix)));
            if (!t.key().equals("job.yaml")) {
                problems.add(new ConfigProblem(prefix + ".key", "key" + fix));
            }
            t.manifest().ifPresent(m -> problems.add(new ConfigProblem(prefix + ".manifest", "manifest" + fix)));
            return;
        }
        if (t.manifest().isPresent()) {
            if (t.configMap().isPresent()) {
                problems.add(new ConfigProblem(prefix + ".config-map", "set together with manifest: the Job manifest is"
                        + " either in a ConfigMap or inline; remove one"));
            }
            if (!t.key().equals("job.yaml")) {
                problems.add(new ConfigProblem(prefix + ".key", "set together with manifest: key names the manifest in"
                        + " a ConfigMap; remove it"));
            }
            if (TemplateSource.fromManifest(t.manifest().get(), TemplateSource.INLINE, "validation")
                    instanceof TemplateSource.Loaded.Invalid i) {
                problems.add(new ConfigProblem(prefix + ".manifest", "the inline manifest " + i.why()));
            }
            return;
        }
        String configMap = t.configMap().orElse(name);
        if (!ConfigValidator.dnsSubdomain(configMap)) {
            problems.add(new ConfigProblem(t.configMap().isPresent() ? prefix + ".config-map" : prefix, "'"
                    + configMap + "' is not a valid ConfigMap name; use lower-case letters, digits, '-' and '.'"
                    + (t.configMap().isPresent() ? "" : " (it defaults to the target's name: set config-map)")));
        }
        if (!t.key().matches("[-._a-zA-Z0-9]+")) {
            problems.add(new ConfigProblem(prefix + ".key", "'" + t.key() + "' is not a valid ConfigMap key; use"
                    + " letters, digits, '-', '_' and '.', e.g. job.yaml"));
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads each ConfigMap by name and parses its manifest exactly as a remediation will, so a missing key or a
     * typo in the manifest shows here and not at 3 a.m.
     */
    @Override
    public List<Check> doctor(List<TargetSpec> targets, KubernetesClient client, DoctorContext context) {
        List<Check> checks = new ArrayList<>();
        String ns = context.namespace();
        for (TargetSpec target : targets) {
            // The ConfigMap is what the target is trained by; its key or inline manifest, the target's own keys.
            Optional<JobTemplateSettings.JobTemplate> keys = context.settings()
                    .map(s -> s.of(JobTemplateSettings.class).of(target.name()));
            TemplateSource.Template template = keys.flatMap(JobTemplateSettings.JobTemplate::manifest)
                    .map(TemplateSource.Template::inline)
                    .orElseGet(() -> new TemplateSource.Template(target.trainer().name(),
                            keys.map(JobTemplateSettings.JobTemplate::key).orElse("job.yaml")));
            String check = "job-template/" + (template.manifest().isPresent() ? target.name() : template.configMap());
            String property = "guardian.targets." + target.name() + ".trigger.job-template";
            String where = template.manifest().isPresent() ? "The inline manifest"
                    : "ConfigMap " + ns + "/" + template.configMap();
            TemplateSource.Loaded loaded;
            try {
                loaded = new TemplateSource(client, ns, Map.of()).load(template, "doctor-check");
            } catch (ClusterException e) {
                checks.add(Check.fail(check, e.getMessage(), e.getCause() instanceof KubernetesClientException k
                        && k.getCode() == HttpURLConnection.HTTP_FORBIDDEN
                                ? "apply the job-template component (src/main/kubernetes/components/job-template)"
                                        + " with this ConfigMap's name"
                                : "check the API server"));
                continue;
            }
            checks.add(switch (loaded) {
                case TemplateSource.Loaded.Manifest m -> Check.ok(check, where + (template.manifest().isPresent()
                        ? " is a Job manifest" : " holds a Job manifest under " + template.key()) + " (training target "
                        + target.name() + ")");
                case TemplateSource.Loaded.NoConfigMap n -> Check.fail(check, where + " not found (training target "
                        + target.name() + ")", "create it (kubectl create configmap " + template.configMap()
                                + " --from-file=" + template.key() + "=job.yaml), or set " + property + ".config-map");
                case TemplateSource.Loaded.NoKey n -> Check.fail(check, where + " has no key " + template.key()
                        + " (its keys: " + (n.keys().isEmpty() ? "none" : String.join(", ", n.keys())) + ")",
                        "put the Job manifest under " + template.key() + ", or set " + property + ".key");
                case TemplateSource.Loaded.Invalid i -> Check.fail(check, template.where(ns) + " " + i.why(),
                        "fix the manifest: a batch/v1 Job with spec.template.spec");
            });
        }
        return List.copyOf(checks);
    }

    /**
     * {@inheritDoc}
     *
     * <p>From {@link TrainingJobs} with a {@link TemplateSource}: get each ConfigMap by name; create, get, list and
     * watch Jobs; list pods by label. No CronJob.
     */
    @Override
    public List<Permission> permissions(Settings settings, List<TargetSpec> targets) {
        if (targets.isEmpty()) {
            return List.of();
        }
        List<Permission> all = new ArrayList<>();
        targets.stream().filter(t -> t.trainer().kind().equals("ConfigMap")).map(t -> t.trainer().name()).distinct()
                .sorted().forEach(cm -> all.addAll(Permission.of("", "configmaps", "the training Job's manifest"
                        + " (job-template trigger)", cm, "get")));
        all.addAll(TrainingJobs.jobPermissions("the target's running Jobs"));
        return List.copyOf(all);
    }
}
