package dev.modelguardian.integrations.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.modelguardian.core.remediation.ClusterException;
import dev.modelguardian.core.remediation.JobObservation;
import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.remediation.TrainingTrigger;

/**
 * The {@link TrainingTrigger} of a pipeline service's REST API ({@code trigger.kind: http}). A run is started once
 * per remediation under the name the remediation persisted before starting it (the body's {@code {run}}), with the
 * remediation id as an idempotency key:
 * <ul>
 * <li>Before starting, the run is looked for: by its name in the runs list when the service gives runs its own ids
 *     (Kubeflow's {@code run_id}, GitHub's run id), else by reading it (its name is its id: Airflow's
 *     {@code dag_run_id}). A run found is the one started before a crash or a lost answer: nothing is started.</li>
 * <li>A 409 answer to the start request means the service has it already (Airflow's answer to a {@code dag_run_id}
 *     in use): nothing more is done.</li>
 * <li>The service's id of a run is kept in memory once known; after a restart it is found again in the runs list by
 *     the run's name.</li>
 * </ul>
 * A run's state decides: one of {@code status.succeeded} goes on to validation, one of {@code status.failed} is a
 * failed training with the service's message, anything else (a missing state too) is running, bounded by
 * {@code remediation.job-timeout}. A run the service does not know is gone, except for the first
 * {@link #LISTING_GRACE} after this process started it: some services list a run a few seconds after they accepted it
 * (GitHub without {@code return_run_details}). A run of the target still running (one in the runs list whose state is
 * not an end state) is adopted, by its id.
 */
public final class PipelineRuns implements TrainingTrigger {

    /** How long after starting a run the service may take to list it before it counts as gone. */
    static final Duration LISTING_GRACE = Duration.ofMinutes(2);
    private static final Logger LOG = Logger.getLogger(PipelineRuns.class);
    private static final String NO_LOG = "the http trigger does not read a run's log; the pipeline service keeps it";

    private final Map<String, PipelineService> services;
    private final Clock clock;
    /** The service's id of each run known, by target and run name. */
    private final Map<String, String> ids = new ConcurrentHashMap<>();
    /** When this process started each run, by target and run name. */
    private final Map<String, Instant> started = new ConcurrentHashMap<>();

    /** @param services each target's service, by target name */
    PipelineRuns(Map<String, PipelineService> services, Clock clock) {
        this.services = Map.copyOf(services);
        this.clock = clock;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The first run of the runs list (newest first) whose state is not an end state; nothing without a runs
     * request.
     */
    @Override
    public Optional<String> running(TargetSpec target, Optional<String> excluding) {
        PipelineService service = service(target);
        PipelineSpec.Status status = service.spec().status();
        return service.runs(values(target)).stream()
                .filter(item -> !status.ended(item.state()))
                .filter(item -> !item.id().isEmpty())
                .filter(item -> excluding.map(e -> !e.equals(item.id()) && !e.equals(item.name())).orElse(true))
                .map(PipelineService.Item::id)
                .findFirst();
    }

    @Override
    public JobObservation observe(TargetSpec target, String runName) {
        PipelineService service = service(target);
        Optional<String> id = locate(target, runName);
        Optional<JsonNode> answer = id.flatMap(i -> service.status(i, withRun(target, runName)));
        if (answer.isEmpty()) {
            Instant at = started.get(key(target, runName));
            if (at != null && Duration.between(at, clock.instant()).compareTo(LISTING_GRACE) < 0) {
                return new JobObservation.Running(Optional.empty(), "started; the service does not list it yet");
            }
            return new JobObservation.NotFound();
        }
        PipelineSpec.Status status = service.spec().status();
        String state = PipelineService.text(answer.get(), status.state()).orElse("");
        if (status.succeeded().contains(state)) {
            return new JobObservation.Succeeded();
        }
        if (status.failed().contains(state)) {
            String said = status.message().flatMap(m -> PipelineService.text(answer.get(), m)).map(m -> ": " + m)
                    .orElse("");
            return new JobObservation.Failed("state " + state + said);
        }
        return new JobObservation.Running(Optional.empty(), state.isEmpty() ? "no state yet" : "state " + state);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Looks for the run first (see the class comment); starts it only when it is not found.
     */
    @Override
    public void start(TargetSpec target, String runName, String remediationId, String why) {
        PipelineService service = service(target);
        String run = service.spec().runKind() + " " + runName;
        Optional<String> found = locate(target, runName)
                .filter(id -> service.spec().assignsIds() || service.status(id, withRun(target, runName)).isPresent());
        if (found.isPresent()) {
            LOG.infof("%s of remediation %s of target %s already exists (id %s); not starting another", run,
                    remediationId, target.name(), found.get());
            return;
        }
        Instant tried = started.get(key(target, runName));
        if (tried != null && Duration.between(tried, clock.instant()).compareTo(LISTING_GRACE) < 0) {
            // Started (or tried without a clear answer) moments ago, and the service may list a run late: wait for
            // it rather than start a second one.
            throw new ClusterException(run + ": started or tried at " + tried + " and the service does not list the"
                    + " run yet; starting again only after " + LISTING_GRACE.toMinutes() + " minutes", false, null);
        }
        Map<String, String> values = withRun(target, runName);
        values.put("remediation-id", remediationId);
        values.put("trigger", why);
        PipelineService.Started result;
        try {
            result = service.start(values, remediationId);
        } catch (ClusterException e) {
            if (!e.permanent()) {
                started.put(key(target, runName), clock.instant()); // it may have been made: see above
            }
            throw e;
        }
        started.put(key(target, runName), clock.instant());
        switch (result) {
            case PipelineService.AlreadyExists a -> LOG.infof("%s of remediation %s of target %s: the service"
                    + " answered 409, it has it already; not starting another", run, remediationId, target.name());
            case PipelineService.Created c -> {
                c.id().ifPresent(id -> ids.put(key(target, runName), id));
                LOG.infof("Started %s from pipeline %s for remediation %s of target %s%s", run, service.spec().name(),
                        remediationId, target.name(),
                        c.id().map(id -> " (id " + id + ")").orElse(service.spec().assignsIds()
                                ? " (no id in the answer: found by name in the runs list)" : ""));
            }
        }
    }

    /** {@inheritDoc} The service keeps the run's log; the guardian does not read it. */
    @Override
    public LogTail logTail(TargetSpec target, String runName, LogTail.Limits limits) {
        return LogTail.unavailable(service(target).spec().runKind() + " " + runName, NO_LOG);
    }

    /** {@inheritDoc} The service keeps the run's log: the sink is told so, once. */
    @Override
    public Watch followLog(TargetSpec target, String runName, LogSink sink) {
        sink.unreadable(service(target).spec().runKind() + " " + runName, NO_LOG);
        return () -> {
        };
    }

    /**
     * The service's id of run {@code runName}: known, or its name when the service takes names as ids, or found in
     * the runs list by its name (or by its id, for a run adopted by id); empty when not listed.
     */
    private Optional<String> locate(TargetSpec target, String runName) {
        String key = key(target, runName);
        String known = ids.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        PipelineService service = service(target);
        if (!service.spec().assignsIds()) {
            return Optional.of(runName);
        }
        List<PipelineService.Item> items = service.runs(values(target));
        Optional<String> id = items.stream().filter(i -> runName.equals(i.name())).map(PipelineService.Item::id)
                .findFirst()
                .or(() -> items.stream().map(PipelineService.Item::id).filter(runName::equals).findFirst());
        id.ifPresent(i -> ids.put(key, i));
        return id;
    }

    private static Map<String, String> values(TargetSpec target) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("target", target.name());
        values.put("models", String.join(",", target.models()));
        return values;
    }

    private static Map<String, String> withRun(TargetSpec target, String runName) {
        Map<String, String> values = values(target);
        values.put(Placeholders.RUN, runName);
        return values;
    }

    private static String key(TargetSpec target, String runName) {
        return target.name() + "/" + runName;
    }

    private PipelineService service(TargetSpec target) {
        PipelineService service = services.get(target.name());
        if (service == null) {
            throw new ClusterException("target " + target.name() + " has no http trigger", true, null);
        }
        return service;
    }
}
