package dev.modelguardian.integrations.notify;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.core.notify.Channel;
import dev.modelguardian.core.notify.Outgoing;
import dev.modelguardian.core.retry.Backoff;
import dev.modelguardian.core.retry.Jitter;
import dev.modelguardian.core.retry.Outcome;
import dev.modelguardian.core.retry.Retrying;

/**
 * The sender of one channel: a bounded queue that {@link #offer} fills without ever blocking, and one daemon thread
 * that sends each request in order through the guardian's {@link Retrying}: retried on 429, 5xx, timeouts and
 * connection failures ({@link DeliveryFailure.Retryable}) with a {@link Backoff} doubling from
 * {@code initial-backoff} up to {@code max-backoff} with {@linkplain Jitter#EQUAL equal jitter}, never shorter than a
 * {@code Retry-After} (honoured up to {@code max-backoff}); not retried on any other 4xx
 * ({@link DeliveryFailure.Permanent}). At most {@code max-attempts} tries, and none started later than
 * {@code (max-backoff + timeout) x max-attempts + 1 s} after the first.
 * A full queue drops the new request; a request that fails its last try is lost. Both are logged and counted in
 * {@code guardian.notifications{channel,outcome}}: {@code sent}, {@code failed}, {@code dropped}.
 *
 * <p>Logs name the channel as {@link Channel#describe()} (the host at most) and the failure by HTTP status or
 * exception type; the URL, the body and the headers are never logged, and any secret that might still appear in an
 * exception message is masked.
 */
final class Delivery implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Delivery.class);

    private final Channel channel;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final BlockingQueue<Outgoing> queue;
    private final Retrying<DeliveryFailure.Retryable> retrying;
    private final Counter sent;
    private final Counter failed;
    private final Counter dropped;
    /** Requests queued or being sent: counted up before a request is queued, down once it is sent or given up. */
    private final AtomicInteger unfinished = new AtomicInteger();
    private final Thread worker;
    private volatile boolean closed;

    Delivery(Channel channel, HttpClient http, GuardianConfig.Notify settings, MeterRegistry registry, Clock clock) {
        this.channel = channel;
        this.http = http;
        this.timeout = settings.timeout();
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
        this.retrying = retrying(settings);
        this.sent = counter(registry, "sent");
        this.failed = counter(registry, "failed");
        this.dropped = counter(registry, "dropped");
        this.worker = Thread.ofPlatform().daemon().name("notify-" + channel.name()).unstarted(this::run);
        this.worker.start();
    }

    Channel channel() {
        return channel;
    }

    /** Queues the requests of one notification; never blocks. A request that does not fit is dropped and counted. */
    void offer(List<Outgoing> requests) {
        for (Outgoing request : requests) {
            unfinished.incrementAndGet();
            if (closed || !queue.offer(request)) {
                unfinished.decrementAndGet();
                dropped.increment();
                LOG.warnf("Notification %s to %s dropped: the queue is full (%d waiting)", request.what(),
                        channel.describe(), queue.size());
            }
        }
    }

    /** Nothing queued and nothing being sent (for tests and shutdown). */
    boolean idle() {
        return unfinished.get() == 0;
    }

    /** Requests queued or being sent. */
    int unfinished() {
        return unfinished.get();
    }

    private void run() {
        while (!closed) {
            Outgoing request;
            try {
                request = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                send(request);
            } finally {
                unfinished.decrementAndGet();
            }
        }
    }

    /**
     * The retry policy of {@code guardian.notify}: {@code max-attempts} tries, waits doubling from
     * {@code initial-backoff} (at least 1 ms) up to {@code max-backoff} (at least 1 ms) with equal jitter, at least the
     * server's {@code Retry-After}, and no try after {@code (max-backoff + timeout) x max-attempts + 1 s}.
     */
    static Retrying<DeliveryFailure.Retryable> retrying(GuardianConfig.Notify settings) {
        Duration initial = Duration.ofMillis(Math.max(1, settings.initialBackoff().toMillis()));
        Duration max = Duration.ofMillis(Math.max(1, settings.maxBackoff().toMillis()));
        long maxDurationMillis = (settings.maxBackoff().toMillis() + settings.timeout().toMillis())
                * settings.maxAttempts() + 1_000;
        return Retrying.on(DeliveryFailure.Retryable.class, settings.maxAttempts(),
                Backoff.doubling(initial, max, Jitter.EQUAL))
                .withMaxDuration(Duration.ofMillis(maxDurationMillis))
                .withHint(DeliveryFailure.Retryable::retryAfter);
    }

    private void send(Outgoing request) {
        Outcome<Integer> outcome = retrying.run(() -> once(request));
        int tries = outcome.attempts();
        switch (outcome) {
            case Outcome.Success<Integer> success -> {
                sent.increment();
                LOG.debugf("Notification %s sent to %s (%d %s)", request.what(), channel.describe(), tries,
                        tries == 1 ? "try" : "tries");
            }
            case Outcome.Failure<Integer> failure when failure.reason() == Outcome.Reason.INTERRUPTED -> {
                failed.increment();
                LOG.warnf("Notification %s to %s lost: shutting down", request.what(), channel.describe());
            }
            case Outcome.Failure<Integer> failure when failure.failure() instanceof DeliveryFailure.Permanent e -> {
                failed.increment();
                LOG.warnf("Notification %s to %s lost: %s; not retried (a client error does not go away)",
                        request.what(), channel.describe(), safe(e));
            }
            case Outcome.Failure<Integer> failure -> {
                failed.increment();
                LOG.warnf("Notification %s to %s lost after %d %s: %s", request.what(), channel.describe(), tries,
                        tries == 1 ? "try" : "tries", safe(failure.failure()));
            }
        }
    }

    /** One try: the status code on success, else a failure that says whether to try again. */
    private int once(Outgoing request) throws DeliveryFailure, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "model-guardian")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(builder::header);
        HttpResponse<Void> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new DeliveryFailure.Retryable("timed out after " + timeout.toMillis() + " ms", Optional.empty());
        } catch (IOException e) {
            throw new DeliveryFailure.Retryable(e.getClass().getSimpleName(), Optional.empty());
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return status;
        }
        if (status == 429 || status >= 500) {
            throw new DeliveryFailure.Retryable("HTTP " + status,
                    RetryAfter.parse(response.headers().firstValue("Retry-After"), clock.instant()));
        }
        throw new DeliveryFailure.Permanent("HTTP " + status);
    }

    /** The failure as it may be logged: its type and message, with every secret of the channel masked. */
    private String safe(Throwable e) {
        String text = e instanceof DeliveryFailure ? e.getMessage()
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        for (String secret : channel.secrets()) {
            if (!secret.isEmpty()) {
                text = text.replace(secret, "…");
            }
        }
        return text;
    }

    private Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("guardian.notifications")
                .description("Notifications by channel and outcome: sent, failed (lost after the last try, or"
                        + " rejected), dropped (queue full)")
                .tags("channel", channel.name(), "outcome", outcome)
                .register(registry);
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
