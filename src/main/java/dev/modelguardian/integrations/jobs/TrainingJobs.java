package dev.modelguardian.integrations.jobs;

import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.modelguardian.config.extension.Permission;
import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TrainingTrigger;
import dev.modelguardian.integrations.kubernetes.ApiFailures;
import dev.modelguardian.integrations.kubernetes.PodLogFollower;
import dev.modelguardian.integrations.kubernetes.PodLogs;
import dev.modelguardian.integrations.kubernetes.TrainingLabels;

/**
 * The {@link TrainingTrigger} of training runs that are Kubernetes Jobs, made by its {@link JobSource}: from the
 * target's CronJob exactly as {@code kubectl create job --from=cronjob/NAME} does, or from a Job template kept in a
 * ConfigMap. Found again by the remediation-id label, and observed through their conditions and their pods.
 *
 * <p>Where reads come from: a Job the guardian created is read from the {@link JobInformer}'s cache while one runs
 * and has synced (see {@link #readFrom}), else with a GET; its pods, the CronJob and the list of a CronJob's active
 * Jobs are always read from the API server. Writes (create) always go to the API server.
 */
public final class TrainingJobs implements TrainingTrigger {

    /** Label that ties a Job to the remediation that created it; a restart finds the Job by it. */
    public static final String REMEDIATION_ID = TrainingLabels.REMEDIATION_ID;
    /** Label naming the training target. */
    public static final String TARGET = TrainingLabels.TARGET;
    /** Annotation with what fired. */
    public static final String TRIGGER = TrainingLabels.TRIGGER;
    /** What kubectl sets on a Job made from a CronJob by hand. */
    public static final String INSTANTIATE = CronJobSource.INSTANTIATE;
    /** Label Kubernetes puts on a Job's pods (the older, still set, spelling). */
    static final String JOB_NAME_LABEL = "job-name";

    private static final Set<String> IMAGE_ERRORS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull", "CreateContainerConfigError");
    private static final Logger LOG = Logger.getLogger(TrainingJobs.class);

    private final KubernetesClient client;
    private final String namespace;
    private final JobSource source;
    private final Duration unschedulableGrace;
    private final Clock clock;
    /** The resync of the informer {@link #watch} starts: the re-list interval. */
    private final Duration resync;
    private final PodLogs logs;
    /** Reads nothing from a cache: every read of a Job is a GET. */
    static final Function<String, Optional<Job>> NO_CACHE = name -> Optional.empty();

    /** Finished Jobs seen by the informer: a Job deleted by the CronJob's history limit still has its outcome here. */
    private final Map<String, Job> finished = new ConcurrentHashMap<>();
    /** The guardian's Jobs as an informer last saw them, by name; empty when not there or no informer has synced. */
    private volatile Function<String, Optional<Job>> cache = NO_CACHE;

    /**
     * Jobs of {@code namespace}; a pod Unschedulable for longer than {@code unschedulableGrace} makes its Job stuck.
     */
    public TrainingJobs(KubernetesClient client, String namespace, Duration unschedulableGrace, Clock clock) {
        this(client, namespace, unschedulableGrace, clock, Duration.ofMinutes(5));
    }

    /**
     * Jobs of {@code namespace}, as {@link #TrainingJobs(KubernetesClient, String, Duration, Clock)}; the informer
     * {@link #watch} starts resyncs every {@code resync}.
     */
    public TrainingJobs(KubernetesClient client, String namespace, Duration unschedulableGrace, Clock clock,
            Duration resync) {
        this(client, namespace, unschedulableGrace, clock, resync, new CronJobSource(client, namespace));
    }

    /** Jobs of {@code namespace} made by {@code source}. */
    TrainingJobs(KubernetesClient client, String namespace, Duration unschedulableGrace, Clock clock,
            Duration resync, JobSource source) {
        this.client = client;
        this.source = source;
        this.namespace = namespace;
        this.unschedulableGrace = unschedulableGrace;
        this.clock = clock;
        this.resync = resync;
        this.logs = new PodLogs(client, namespace);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A {@link JobInformer} of the guardian's labelled Jobs, started: while it runs and has synced, {@link #observe}
     * reads from its cache.
     */
    @Override
    public Watch watch(java.util.function.Consumer<String> onEnded) {
        JobInformer informer = new JobInformer(client, this, resync);
        informer.start(onEnded);
        return informer;
    }

    /**
     * The permissions every trigger of Jobs needs, whatever makes them: create, get, list and watch Jobs (their names
     * are generated, so no resourceNames), list pods by label {@code job-name} for stuck ones.
     *
     * @param adopted what {@link #running} finds to adopt, for the feature column, e.g. "the CronJob's active Jobs"
     */
    static List<Permission> jobPermissions(String adopted) {
        List<Permission> all = new java.util.ArrayList<>();
        all.addAll(Permission.of("batch", "jobs", "the retraining Job", null, "create"));
        all.addAll(Permission.of("batch", "jobs", "follow the Job (names are generated), find " + adopted
                + ", watch for its end", null, "get", "list", "watch"));
        all.addAll(Permission.of("", "pods", "stuck training pods (image pull, Unschedulable), the failed one whose"
                + " log is kept, by label job-name", null, "list"));
        all.addAll(PodLogs.PERMISSIONS);
        return List.copyOf(all);
    }

    /** The namespace of the Jobs, the CronJobs and the pods. */
    public String namespace() {
        return namespace;
    }

    /**
     * Remembers a Job the informer saw finish, so that its outcome survives its deletion.
     *
     * @return whether its outcome was not remembered before (an unfinished Job is never remembered)
     */
    public boolean seen(Job job) {
        return finishedCondition(job).isPresent() && finished.put(job.getMetadata().getName(), job) == null;
    }

    /**
     * From now on {@link #observe} looks up a Job in {@code cache} first and GETs it only when the cache has no
     * answer; {@link #NO_CACHE} goes back to GETs only. Set by {@link JobInformer} when it starts and stops.
     */
    void readFrom(Function<String, Optional<Job>> cache) {
        this.cache = cache;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The newest unfinished Job its source says trains the target, other than {@code excluding}. This lists every
     * Job of the namespace, from the API server: a Job a CronJob scheduled, or one made by hand with
     * {@code kubectl create job --from}, carries none of the guardian's labels (the job template's labels only), so
     * neither the informer of the guardian's own Jobs nor a label selector can find it; what ties it to the CronJob is
     * its ownerReference, which the API cannot select on. It is called only while a target fires and no remediation
     * is under way, not at every follow-up.
     */
    @Override
    public Optional<String> running(TargetSpec target, Optional<String> excluding) {
        List<Job> jobs = call("list Jobs", () -> client.batch().v1().jobs().inNamespace(namespace).list().getItems());
        return jobs.stream()
                .filter(job -> source.trains(target, job))
                .filter(job -> finishedCondition(job).isEmpty())
                .filter(job -> excluding.map(name -> !name.equals(job.getMetadata().getName())).orElse(true))
                .max(Comparator.comparing(job -> Objects.toString(job.getMetadata().getCreationTimestamp(), "")))
                .map(job -> job.getMetadata().getName());
    }

    /** {@inheritDoc} See {@link #observe(String)}. */
    @Override
    public JobObservation observe(TargetSpec target, String runName) {
        return observe(runName);
    }

    /**
     * What is known of the Job {@code jobName}: the Job from the informer's cache when it has it, else from a GET (no
     * informer, not synced yet, or a Job created a moment ago that the watch has not brought yet); a Job gone from
     * both is the outcome remembered when it was seen finished, else {@link JobObservation.NotFound}. Its pods are
     * always listed from the API server.
     */
    public JobObservation observe(String jobName) {
        Job job = cache.apply(jobName).orElseGet(() -> call("read Job " + jobName,
                () -> client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get()));
        if (job == null) {
            job = finished.get(jobName);
            if (job == null) {
                return new JobObservation.NotFound();
            }
        }
        Optional<JobCondition> end = finishedCondition(job);
        if (end.isPresent()) {
            finished.put(jobName, job);
            JobCondition c = end.get();
            return c.getType().equals("Complete") || c.getType().equals("SuccessCriteriaMet")
                    ? new JobObservation.Succeeded()
                    : new JobObservation.Failed(describe(c));
        }
        List<Pod> pods = call("list pods of Job " + jobName, () -> client.pods().inNamespace(namespace)
                .withLabel(JOB_NAME_LABEL, jobName).list().getItems());
        Optional<String> stuck = pods.stream().map(this::stuck).flatMap(Optional::stream).findFirst();
        if (stuck.isPresent()) {
            return new JobObservation.Stuck(stuck.get());
        }
        Optional<Duration> deadline = Optional.ofNullable(job.getSpec().getActiveDeadlineSeconds())
                .map(Duration::ofSeconds);
        return new JobObservation.Running(deadline, progress(pods));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The log of the Job's failing pod (the newest Failed one, else the newest): of its container that exited with
     * an error, else its first. A Job retried by {@code backoffLimit} has one pod per attempt; the last failed attempt
     * says why the Job gave up.
     */
    @Override
    public LogTail logTail(TargetSpec target, String runName, LogTail.Limits limits) {
        return logs.tailOfFailing("Job " + runName, JOB_NAME_LABEL, runName, PodLogs::container, limits);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The Job's pods by label {@code job-name}, each one's container that exited with an error, else its first.
     */
    @Override
    public Watch followLog(TargetSpec target, String runName, LogSink sink) {
        return PodLogFollower.start(client, namespace, JOB_NAME_LABEL, runName, PodLogs::container, sink);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The Job its source makes, with the guardian's remediation-id and target labels and its trigger annotation.
     * Idempotent: when a Job of that name already carries the remediation's id, it is the one created before a crash,
     * and nothing is done.
     */
    @Override
    public void start(TargetSpec target, String runName, String remediationId, String why) {
        Job job = source.job(target, runName);
        Map<String, String> labels = new TreeMap<>(Optional.ofNullable(job.getMetadata().getLabels()).orElse(Map.of()));
        Map<String, String> annotations = new TreeMap<>(Optional.ofNullable(job.getMetadata().getAnnotations())
                .orElse(Map.of()));
        labels.put(REMEDIATION_ID, remediationId);
        labels.put(TARGET, target.name());
        annotations.put(TRIGGER, TrainingLabels.annotation(why));
        job.getMetadata().setLabels(labels);
        job.getMetadata().setAnnotations(annotations);
        job.getMetadata().setNamespace(namespace);
        try {
            client.batch().v1().jobs().inNamespace(namespace).resource(job).create();
            LOG.infof("Created Job %s/%s from %s for remediation %s of target %s", namespace, runName,
                    target.trainer().source(), remediationId, target.name());
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                Job existing = call("read Job " + runName,
                        () -> client.batch().v1().jobs().inNamespace(namespace).withName(runName).get());
                if (existing != null && remediationId.equals(label(existing, REMEDIATION_ID))) {
                    LOG.infof("Job %s/%s of remediation %s already exists; not creating another", namespace, runName,
                            remediationId);
                    return;
                }
                throw new ClusterException("a Job named " + runName + " already exists in " + namespace
                        + " and is not the one of remediation " + remediationId, true, e);
            }
            throw failure("create Job " + namespace + "/" + runName, e);
        }
    }

    static Optional<JobCondition> finishedCondition(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> "True".equals(c.getStatus()))
                .filter(c -> Set.of("Complete", "Failed", "SuccessCriteriaMet", "FailureTarget").contains(c.getType()))
                .findFirst();
    }

    private static String describe(JobCondition c) {
        String reason = c.getReason() == null ? c.getType() : c.getReason();
        return c.getMessage() == null || c.getMessage().isBlank() ? reason : reason + " (" + c.getMessage() + ")";
    }

    private Optional<String> stuck(Pod pod) {
        String name = pod.getMetadata().getName();
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        Stream<ContainerStatus> statuses = Stream.concat(
                Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of()).stream(),
                Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream());
        Optional<String> image = statuses
                .filter(s -> s.getState() != null && s.getState().getWaiting() != null
                        && IMAGE_ERRORS.contains(s.getState().getWaiting().getReason()))
                .map(s -> "pod " + name + " container " + s.getName() + " " + s.getState().getWaiting().getReason()
                        + Optional.ofNullable(s.getState().getWaiting().getMessage()).map(m -> ": " + m).orElse(""))
                .findFirst();
        if (image.isPresent()) {
            return image;
        }
        Instant now = clock.instant();
        for (PodCondition c : Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of())) {
            if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                    && "Unschedulable".equals(c.getReason()) && c.getLastTransitionTime() != null) {
                Duration pending = Duration.between(Instant.parse(c.getLastTransitionTime()), now);
                if (pending.compareTo(unschedulableGrace) > 0) {
                    return Optional.of("pod " + name + " Unschedulable for " + dev.modelguardian.core.policy.Durations
                            .format(pending.withNanos(0)) + " (grace " + dev.modelguardian.core.policy.Durations.format(
                                    unschedulableGrace) + ")" + Optional.ofNullable(c.getMessage()).map(m -> ": " + m)
                                            .orElse(""));
                }
            }
        }
        return Optional.empty();
    }

    private static String progress(List<Pod> pods) {
        if (pods.isEmpty()) {
            return "no pod yet";
        }
        Map<String, Long> phases = pods.stream().collect(Collectors.groupingBy(
                p -> p.getStatus() == null || p.getStatus().getPhase() == null ? "Pending" : p.getStatus().getPhase(),
                TreeMap::new, Collectors.counting()));
        Map<String, Long> ordered = new LinkedHashMap<>(phases);
        return ordered.entrySet().stream().map(e -> e.getValue() + (e.getValue() == 1 ? " pod " : " pods ") + e.getKey())
                .collect(Collectors.joining(", "));
    }

    private static String label(HasMetadata object, String key) {
        return object.getMetadata().getLabels() == null ? null : object.getMetadata().getLabels().get(key);
    }

    private <T> T call(String what, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (KubernetesClientException e) {
            throw failure(what, e);
        }
    }

    private ClusterException failure(String what, KubernetesClientException e) {
        return ApiFailures.of(namespace, what, e);
    }
}
