package dev.modelguardian.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

/** A Prometheus text-format endpoint on a free loopback port whose body the test sets. */
public final class MetricsEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final AtomicReference<String> body = new AtomicReference<>("");
    private volatile int status = 200;

    public MetricsEndpoint() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/metrics", exchange -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    /** Answers 200 with {@code text} from now on. */
    public void set(String text) {
        body.set(text);
        status = 200;
    }

    /** Answers {@code code} (e.g. 500) from now on, as a broken model server would. */
    public void failWith(int code) {
        status = code;
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public String url() {
        return "http://" + hostPort() + "/metrics";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
