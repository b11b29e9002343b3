package dev.modelguardian.testing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The fabric8 CRUD mock API server with faults injected into chosen calls of one client: an HTTP 409 or 500 with a
 * Kubernetes Status body instead of the answer, or no answer within the client's request timeout, either before the
 * request took effect or after (the ambiguous case: a create that happened, whose answer was lost).
 *
 * <p>Faults apply only to requests whose User-Agent is {@link #GUARDIAN_AGENT}, the client
 * {@link #guardianClient()} builds, so that the test's own client (playing the Job controller) is never hit.
 */
public final class FaultyApiServer extends KubernetesCrudDispatcher {

    /** The User-Agent of the client under test. */
    public static final String GUARDIAN_AGENT = "model-guardian-under-test";
    /** The request timeout of the client under test; a timeout fault answers far later than this. */
    public static final Duration CLIENT_TIMEOUT = Duration.ofMillis(700);
    private static final Duration HUNG = Duration.ofSeconds(20);

    /** What the server does instead of answering. */
    public enum Fault {
        /** HTTP 409 Conflict, nothing done. */
        CONFLICT,
        /** HTTP 500 InternalError, nothing done. */
        SERVER_ERROR,
        /** No answer within the client's timeout, nothing done. */
        TIMEOUT,
        /** The request takes effect, but its answer comes after the client's timeout. */
        TIMEOUT_AFTER_APPLYING;

        /** How the doc tables name it. */
        public String describe() {
            return switch (this) {
                case CONFLICT -> "409";
                case SERVER_ERROR -> "500";
                case TIMEOUT -> "timeout";
                case TIMEOUT_AFTER_APPLYING -> "timeout after applying";
            };
        }
    }

    /**
     * One kind of API call the guardian makes, recognised by method and path (and body, for writes of one object
     * that a create names only in its body).
     */
    public record Call(String name, String method, Predicate<RecordedRequest> matches) {

        /** {@code method} on a path that starts with {@code pathPrefix} and contains every one of {@code parts}. */
        public static Call of(String name, String method, String pathPrefix, String... parts) {
            return new Call(name, method, r -> r.getPath().startsWith(pathPrefix)
                    && List.of(parts).stream().allMatch(p -> r.getPath().contains(p)));
        }

        /** The request's body, read without consuming it (the CRUD server reads it afterwards). */
        public static String body(RecordedRequest request) {
            return request.getBody() == null ? "" : new String(request.getBody().getBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
        }

        boolean test(RecordedRequest request) {
            return method.equalsIgnoreCase(request.getMethod()) && matches.test(request);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * An injected fault: on {@code call}, after letting {@code skip} matching requests through, {@code times} times
     * (negative: until healed).
     */
    public final class Injection {
        private final Call call;
        private final Fault fault;
        private final AtomicInteger skip;
        private final int times;
        private final AtomicInteger used = new AtomicInteger();
        private final AtomicInteger hits = new AtomicInteger();
        private volatile boolean healed;

        private Injection(Call call, Fault fault, int skip, int times) {
            this.call = call;
            this.fault = fault;
            this.skip = new AtomicInteger(skip);
            this.times = times;
        }

        /** How many requests got the fault. */
        public int hits() {
            return hits.get();
        }

        public void heal() {
            healed = true;
        }

        boolean applies(RecordedRequest request) {
            return !healed && call.test(request) && skip.getAndDecrement() <= 0
                    && (times < 0 || used.getAndIncrement() < times);
        }
    }

    private final List<Injection> injections = new CopyOnWriteArrayList<>();
    private KubernetesMockServer server;

    /** A started server with this dispatcher. */
    public static FaultyApiServer start() {
        FaultyApiServer dispatcher = new FaultyApiServer();
        dispatcher.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher,
                false);
        dispatcher.server.init();
        return dispatcher;
    }

    public void stop() {
        server.destroy();
    }

    /** A client that is never faulted (the test playing the Job controller and reading the cluster). */
    public KubernetesClient worldClient() {
        return server.createClient();
    }

    /**
     * The client under test: its requests can be faulted; the client's own retries are off, so each fault reaches
     * the guardian, and it gives up after {@link #CLIENT_TIMEOUT}.
     */
    public KubernetesClient guardianClient() {
        return server.createClient(b -> b.editOrNewConfig().withUserAgent(GUARDIAN_AGENT)
                .withRequestRetryBackoffLimit(0).withRequestTimeout((int) CLIENT_TIMEOUT.toMillis()).endConfig());
    }

    /** Every matching request of the client under test gets {@code fault} until healed. */
    public Injection inject(Call call, Fault fault) {
        return inject(call, fault, 0, -1);
    }

    /** Like {@link #inject(Call, Fault)}, after {@code skip} matching requests went through, {@code times} times. */
    public Injection inject(Call call, Fault fault, int skip, int times) {
        Injection injection = new Injection(call, fault, skip, times);
        injections.add(injection);
        return injection;
    }

    public void healAll() {
        injections.forEach(Injection::heal);
        injections.clear();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (GUARDIAN_AGENT.equals(request.getHeader("User-Agent"))) {
            for (Injection injection : injections) {
                if (injection.applies(request)) {
                    injection.hits.incrementAndGet();
                    return faulted(injection.fault, request);
                }
            }
        }
        return super.dispatch(request);
    }

    private MockResponse faulted(Fault fault, RecordedRequest request) {
        return switch (fault) {
            case CONFLICT -> status(409, "Conflict", "Operation cannot be fulfilled: the object has been modified;"
                    + " please apply your changes to the latest version and try again");
            case SERVER_ERROR -> status(500, "InternalError", "etcdserver: request timed out");
            case TIMEOUT -> status(504, "Timeout", "too late").setBodyDelay(HUNG);
            case TIMEOUT_AFTER_APPLYING -> super.dispatch(request).setBodyDelay(HUNG);
        };
    }

    private static MockResponse status(int code, String reason, String message) {
        return new MockResponse().setResponseCode(code).setBody(Serialization.asJson(new StatusBuilder()
                .withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build()));
    }
}
