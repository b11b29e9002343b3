package dev.modelguardian.app.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Blocking;

import dev.modelguardian.app.replay.PostmortemPage;
import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.app.wiring.Postmortems;
import dev.modelguardian.app.wiring.ServeLoop;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Namespace;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.leader.LeaderElection;
import dev.modelguardian.core.policy.Evaluation;
import dev.modelguardian.core.postmortem.SignalWindow;
import dev.modelguardian.core.remediation.GuardianState;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.RemediationEngine;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.signal.MetricSources;

/**
 * The status page of {@code serve}: {@code GET /} (every target and signal), {@code GET /targets/{name}} (charts over
 * {@code ?window=1h|6h|24h|7d}, ending now or at {@code ?until=}, the actions and the history) and each finished
 * remediation's post-mortem draft. Server-rendered ({@link StatusPageHtml}); the charts' values come from the
 * signals' own source through the guardian (range queries), never from the browser to Prometheus.
 *
 * <p>Every page is sent with a strict Content-Security-Policy: scripts and styles only from this origin, no inline
 * code, no frames, forms and fetches only to this origin. The actions are the HTTP API's, sent by {@code page.js}
 * with the token the person types (an {@code Authorization} header, no cookie, so nothing to forge across sites).
 */
@Path("/")
@Blocking
public class StatusPage {

    private static final Logger LOG = Logger.getLogger(StatusPage.class);

    /** The policy of every page: nothing inline, nothing from elsewhere. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    /** The post-mortem page is a self-contained document with its style inline and no script. */
    static final String POSTMORTEM_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none';"
            + " frame-ancestors 'none'";

    @Inject
    ServeLoop loop;

    @Inject
    RemediationEngine engine;

    @Inject
    StateStore store;

    @Inject
    GuardianConfig config;

    @Inject
    Settings settings;

    @Inject
    LeaderElection leadership;

    @Inject
    ModelSet models;

    @Inject
    Instance<MetricSources> sources;

    @Inject
    Clock clock;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response overview() {
        Instant now = clock.instant();
        Optional<GuardianState> state = state();
        if (state.isEmpty()) {
            return unavailable();
        }
        List<StatusPageHtml.Row> rows = engine.targets().stream()
                .map(t -> new StatusPageHtml.Row(t, state.get().target(t.name(), now))).toList();
        return page(StatusPageHtml.overview(context(now), rows, evaluations()));
    }

    @GET
    @Path("targets/{target}")
    @Produces(MediaType.TEXT_HTML)
    public Response target(@PathParam("target") String name, @QueryParam("window") String windowName,
            @QueryParam("until") String untilText) {
        Instant now = clock.instant();
        Optional<TargetSpec> target = engine.targets().stream().filter(t -> t.name().equals(name)).findFirst();
        if (target.isEmpty()) {
            return plain(Response.Status.NOT_FOUND, "No target " + name + "; the targets are "
                    + engine.targets().stream().map(TargetSpec::name).toList() + ".");
        }
        Optional<ChartWindow> window = windowName == null || windowName.isBlank() ? Optional.of(ChartWindow.DEFAULT)
                : ChartWindow.parse(windowName);
        if (window.isEmpty()) {
            return plain(Response.Status.BAD_REQUEST, "window=" + windowName + " is not a chart window; use one of "
                    + ChartWindow.labels() + ".");
        }
        Instant until;
        try {
            until = untilText == null || untilText.isBlank() ? now : Instant.parse(untilText);
        } catch (DateTimeParseException e) {
            return plain(Response.Status.BAD_REQUEST, "until=" + untilText + " is not an instant; use ISO-8601 UTC,"
                    + " e.g. " + now.truncatedTo(ChronoUnit.MINUTES) + ", or leave it out for now.");
        }
        if (until.isBefore(Instant.EPOCH.plus(window.get().length())) || until.isAfter(now.plus(ChronoUnit.DAYS
                .getDuration()))) {
            return plain(Response.Status.BAD_REQUEST, "until=" + untilText + " is out of range; use an instant"
                    + " between 1970 and tomorrow, or leave it out for now.");
        }
        boolean live = !until.isBefore(now.minusSeconds(60));
        Instant end = live ? now : until;
        Optional<GuardianState> state = state();
        if (state.isEmpty()) {
            return unavailable();
        }
        StatusPageHtml.Row row = new StatusPageHtml.Row(target.get(), state.get().target(name, now));
        List<Evaluation> evaluations = evaluations().stream()
                .filter(e -> target.get().models().contains(e.policy().model())).toList();
        MetricSources metricSources = sources.get();
        List<SignalWindow> charts = Policies.from(models).stream()
                .filter(p -> target.get().models().contains(p.model()))
                .map(p -> SignalWindow.read(p, metricSources, end.minus(window.get().length()), end)).toList();
        return page(StatusPageHtml.target(context(now), row, evaluations, window.get(), end, live, charts));
    }

    @GET
    @Path("targets/{target}/remediations/{id}/postmortem")
    @Produces(MediaType.TEXT_HTML)
    public Response postmortem(@PathParam("target") String name, @PathParam("id") String id) {
        Instant now = clock.instant();
        Optional<TargetSpec> target = engine.targets().stream().filter(t -> t.name().equals(name)).findFirst();
        if (target.isEmpty()) {
            return plain(Response.Status.NOT_FOUND, "No target " + name + ".");
        }
        Optional<GuardianState> state = state();
        if (state.isEmpty()) {
            return unavailable();
        }
        Optional<HistoryEntry> entry = state.get().target(name, now).history().stream()
                .filter(h -> h.id().equals(id)).reduce((a, b) -> b);
        if (entry.isEmpty()) {
            return plain(Response.Status.NOT_FOUND, "Target " + name + " keeps no finished remediation " + id
                    + " (guardian.state.history: " + config.state().history() + ").");
        }
        String html = PostmortemPage.render(Postmortems.draft(config, models, Optional.of(sources.get()),
                Extensions.registry(settings), target.get(), entry.get(), now));
        return secured(Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")), POSTMORTEM_CSP).build();
    }

    @GET
    @Path("ui/page.css")
    @Produces("text/css")
    public Response stylesheet() {
        return secured(Response.ok(StatusPageHtml.CSS, "text/css; charset=UTF-8"), CSP).build();
    }

    @GET
    @Path("ui/page.js")
    @Produces("text/javascript")
    public Response script() {
        return secured(Response.ok(SCRIPT, "text/javascript; charset=UTF-8"), CSP).build();
    }

    /** No icon: an empty answer rather than the 404 a browser would log on every page. */
    @GET
    @Path("favicon.ico")
    public Response favicon() {
        return secured(Response.noContent(), CSP).build();
    }

    /** The page's script on the classpath (registered for the native image in application.yaml). */
    public static final String SCRIPT_RESOURCE = "page/page.js";

    /** The page's script, read once. */
    static final String SCRIPT = resource(SCRIPT_RESOURCE);

    private static String resource(String path) {
        try (InputStream in = StatusPage.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<GuardianState> state() {
        try {
            return Optional.of(store.load());
        } catch (RuntimeException e) {
            LOG.warnf("Status page: the state ConfigMap %s/%s cannot be read: %s", Namespace.resolve(config),
                    config.state().configMap(), e.getMessage());
            return Optional.empty();
        }
    }

    private List<Evaluation> evaluations() {
        return loop.lastCycle().map(RemediationEngine.CycleReport::evaluations).orElse(List.of());
    }

    private StatusPageHtml.Context context(Instant now) {
        Optional<RemediationEngine.CycleReport> cycle = loop.lastCycle();
        List<Evaluation> failing = evaluations().stream().filter(e -> e.status().consecutiveSourceErrors() > 0)
                .toList();
        return new StatusPageHtml.Context(Namespace.resolve(config), now, leadership.identity(),
                leadership.isLeader(), leadership.currentLeader(), new StatusPageHtml.Freshness(
                        cycle.map(RemediationEngine.CycleReport::at), config.interval(), loop.lastError(), failing),
                config.api().token().filter(t -> !t.isBlank()).isPresent());
    }

    private static Response page(String html) {
        return secured(Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")), CSP).build();
    }

    private Response unavailable() {
        return plain(Response.Status.SERVICE_UNAVAILABLE, "The state ConfigMap " + Namespace.resolve(config) + "/"
                + config.state().configMap() + " cannot be read; the guardian's log says why.");
    }

    private static Response plain(Response.Status status, String message) {
        return secured(Response.status(status).entity(message + "\n").type("text/plain; charset=UTF-8"), CSP).build();
    }

    private static Response.ResponseBuilder secured(Response.ResponseBuilder response, String csp) {
        return response.header("Content-Security-Policy", csp).header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer").header("Cache-Control", "no-store");
    }
}
