package dev.modelguardian.app.api;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Blocking;

import dev.modelguardian.app.wiring.Acting;
import dev.modelguardian.app.wiring.ServeLoop;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.core.leader.LeaderElection;
import dev.modelguardian.core.remediation.GuardianState;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.TargetSpec;

/** The HTTP API of {@code serve}: status for everyone, remediate and approve with the bearer token. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class GuardianResource {

    private static final Logger LOG = Logger.getLogger(GuardianResource.class);

    /**
     * Who is recorded for an approval or a forced remediation through the API. There is one shared bearer token, so
     * its holders cannot be told apart: the record says which credential acted, and the log line with the time says
     * when.
     */
    static final String APPROVER = "api-token";

    @Inject
    ServeLoop loop;

    @Inject
    RemediationEngine engine;

    @Inject
    StateStore store;

    @Inject
    GuardianConfig config;

    @Inject
    LeaderElection leadership;

    @Inject
    Acting acting;

    @Inject
    java.time.Clock clock;

    @GET
    @Path("/status")
    public Response status() {
        GuardianState state;
        try {
            state = store.load();
        } catch (RuntimeException e) {
            return error(Response.Status.SERVICE_UNAVAILABLE, "state-unavailable", e.getMessage());
        }
        List<StatusView.Target> targets = engine.targets().stream()
                .map(t -> StatusView.Target.of(t, state.target(t.name(), clock.instant()), clock.instant())).toList();
        List<StatusView.Signal> signals = loop.lastCycle().map(c -> c.evaluations().stream()
                .map(StatusView.Signal::of).toList()).orElse(List.of());
        StatusView view = new StatusView(StatusView.SCHEMA, new StatusView.Leader(leadership.identity(),
                leadership.isLeader(), leadership.currentLeader()), loop.lastCycle().map(StatusView.Cycle::of),
                loop.lastError(), targets, signals);
        return Response.ok(view).build();
    }

    @POST
    @Path("/targets/{target}/remediate")
    public Response remediate(@PathParam("target") String name, @QueryParam("force") boolean force,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return mutate(name, authorization, UNDER_WAY, target -> {
            LOG.infof("Remediation of target %s requested through the API (force=%s)", name, force);
            return engine.request(target, force, APPROVER);
        });
    }

    @POST
    @Path("/targets/{target}/approve")
    public Response approve(@PathParam("target") String name,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return mutate(name, authorization, UNDER_WAY, target -> {
            LOG.infof("Remediation of target %s approved through the API (recorded as approved by %s)", name,
                    APPROVER);
            return engine.approve(target, APPROVER);
        });
    }

    /**
     * Rejects the remediation parked for approval: 202 with the target (back to FIRING, the cooldown started), 409
     * {@code not-awaiting-approval}, or 400 {@code reason-required} when {@code reason} is missing.
     */
    @POST
    @Path("/targets/{target}/reject")
    public Response reject(@PathParam("target") String name, @QueryParam("reason") String reason,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (reason == null || reason.isBlank()) {
            Optional<Response> denied = ApiToken.check(config.api().token(), authorization);
            return denied.orElseGet(() -> error(Response.Status.BAD_REQUEST, "reason-required", "say why:"
                    + " POST /api/v1/targets/" + name + "/reject?reason=TEXT"));
        }
        return mutate(name, authorization, REJECTED, target -> {
            LOG.infof("Remediation of target %s rejected through the API (recorded as rejected by %s)", name,
                    APPROVER);
            return engine.reject(target, APPROVER, reason.strip());
        });
    }

    @POST
    @Path("/targets/{target}/rollback")
    public Response rollback(@PathParam("target") String name,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return mutate(name, authorization, ROLLED_BACK_OR_RETRYING, target -> {
            LOG.infof("Rollback of target %s requested through the API", name);
            return engine.rollback(target);
        });
    }

    /** The checks every mutating endpoint makes, in order: token, known target, leader; then the change, locked. */
    private Response mutate(String name, String authorization, Set<RemediationState> accepted,
            java.util.function.Function<TargetSpec, RemediationEngine.TargetReport> change) {
        Optional<Response> denied = ApiToken.check(config.api().token(), authorization);
        if (denied.isPresent()) {
            return denied.get();
        }
        Optional<TargetSpec> target = engine.target(name);
        if (target.isEmpty()) {
            return unknown(name);
        }
        if (!acting.getAsBoolean()) {
            return notLeader();
        }
        return answer(loop.locked(() -> change.apply(target.get())), accepted);
    }

    /** States in which a remediation request or an approval took effect: something is under way or parked. */
    private static final Set<RemediationState> UNDER_WAY = EnumSet.of(RemediationState.AWAITING_APPROVAL,
            RemediationState.RETRAINING, RemediationState.VALIDATING, RemediationState.PROMOTING,
            RemediationState.VERIFYING, RemediationState.ROLLING_BACK);

    /** The state a rejection leaves: back to watching the firing signals, the cooldown started. */
    private static final Set<RemediationState> REJECTED = EnumSet.of(RemediationState.FIRING);

    /** States in which a rollback request took effect: done, or still retrying a step. */
    private static final Set<RemediationState> ROLLED_BACK_OR_RETRYING = EnumSet.of(RemediationState.ROLLING_BACK,
            RemediationState.ROLLED_BACK);

    /**
     * 202 with the target when the request took effect (its state is one of {@code accepted}); 409 with the reason
     * when nothing happened (a guard, healthy signals, not waiting for approval, the Job could not be created); 503
     * when the cycle failed (state, cluster or registry unreachable).
     */
    private Response answer(Optional<RemediationEngine.TargetReport> report, Set<RemediationState> accepted) {
        if (report.isEmpty()) {
            return error(Response.Status.SERVICE_UNAVAILABLE, "cycle-failed", loop.lastError().orElse("unknown"));
        }
        RemediationEngine.TargetReport r = report.get();
        // The target's record as stored now (a GET): what the request did, never a followed copy a watch event behind.
        StatusView.Target target = StatusView.Target.of(r.target(),
                store.target(r.target().name(), clock.instant()), clock.instant());
        if (r.problem().isPresent() || !accepted.contains(target.state())) {
            return error(Response.Status.CONFLICT, r.problem().orElse("not-started"), r.reason());
        }
        return Response.status(Response.Status.ACCEPTED).entity(target).build();
    }

    private Response unknown(String name) {
        return error(Response.Status.NOT_FOUND, "unknown-target", "no training target '" + name + "'; known: "
                + engine.targets().stream().map(TargetSpec::name).toList());
    }

    private Response notLeader() {
        return error(Response.Status.SERVICE_UNAVAILABLE, "not-leader", "this replica (" + leadership.identity()
                + ") is not the leader" + leadership.currentLeader().map(l -> "; the leader is " + l).orElse("")
                + "; retry, the Service will reach another replica");
    }

    private static Response error(Response.Status status, String code, String message) {
        return Response.status(status).entity(new ApiError(code, message)).build();
    }
}
