package dev.modelguardian.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Debian's {@code chromium}, headless, driven over the DevTools protocol with the JDK's WebSocket client: load a page,
 * collect its console errors and uncaught exceptions, evaluate expressions in it, take screenshots. Tests fail, never
 * skip, when the binary is missing: CI installs it. No sleeps: every wait is on a protocol answer or event, bounded.
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final String BINARY = System.getProperty("chromium.binary", "/usr/bin/chromium");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final ObjectMapper mapper = new ObjectMapper();
    private final Process process;
    private final Path profile;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    public HeadlessChromium() {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " not found: install Debian's 'chromium' package (.ci/run does)"
                    + " or set -Dchromium.binary");
        }
        try {
            profile = Files.createTempDirectory("chromium-test");
            process = new ProcessBuilder(BINARY, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--no-first-run", "--hide-scrollbars",
                    "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=1000,800", "about:blank")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<String> browserUrl = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null;) {
                    output.add(line);
                    Matcher m = DEVTOOLS.matcher(line);
                    if (m.find()) {
                        browserUrl.complete(m.group(1));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            browserUrl.completeExceptionally(new IllegalStateException("chromium exited: " + output));
        }, "chromium-output");
        drain.setDaemon(true);
        drain.start();
        try {
            URI browser = URI.create(wait(browserUrl, "the DevTools address"));
            socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(pageTarget(browser), new Listener()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            send("Page.enable", null);
            send("Runtime.enable", null);
            send("Log.enable", null);
        } catch (RuntimeException | InterruptedException | ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("cannot drive chromium: " + e + "; its output: " + output, e);
        }
    }

    /** The WebSocket address of the page chromium opened (about:blank), from its /json/list endpoint. */
    private URI pageTarget(URI browser) throws InterruptedException {
        URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(list).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode target : mapper.readTree(r.body())) {
                if (target.path("type").asText().equals("page")) {
                    return URI.create(target.path("webSocketDebuggerUrl").asText());
                }
            }
            throw new IllegalStateException("no page target in " + r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads a file and waits for its load event; returns the console errors, failed loads and uncaught exceptions
     * the page produced while loading.
     */
    public List<String> load(Path file) {
        return load(file.toUri());
    }

    /**
     * Loads {@code url} and waits for its load event; returns the console errors (a Content-Security-Policy
     * violation is one), failed loads and uncaught exceptions the page produced while loading.
     */
    public List<String> load(URI url) {
        errors.clear();
        loaded = new CompletableFuture<>();
        ObjectNode params = mapper.createObjectNode().put("url", url.toString());
        JsonNode answer = send("Page.navigate", params);
        if (answer.has("errorText")) {
            throw new IllegalStateException("navigation to " + url + " failed: " + answer.path("errorText").asText());
        }
        wait(loaded, "the load event of " + url);
        // One round trip after the load event: every event sent before it has been handled.
        evaluate("1");
        return List.copyOf(errors);
    }

    /** The console errors, failed loads and uncaught exceptions since the last load. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** The value of a JavaScript expression in the page (evaluated by DevTools, not by a page script). */
    public JsonNode evaluate(String expression) {
        ObjectNode params = mapper.createObjectNode().put("expression", expression).put("returnByValue", true);
        JsonNode answer = send("Runtime.evaluate", params);
        if (answer.has("exceptionDetails")) {
            throw new IllegalStateException(expression + " threw " + answer.path("exceptionDetails"));
        }
        return answer.path("result").path("value");
    }

    /** A PNG of the page, {@code width} wide, {@code height} tall from the top (the whole page when 0). */
    public void screenshot(Path png, int width, int height) {
        int full = evaluate("document.documentElement.scrollHeight").asInt();
        int h = height > 0 ? Math.min(height, full) : full;
        send("Emulation.setDeviceMetricsOverride", mapper.createObjectNode().put("width", width).put("height", h)
                .put("deviceScaleFactor", 1).put("mobile", false));
        JsonNode shot = send("Page.captureScreenshot", mapper.createObjectNode().put("format", "png"));
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode send(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        ObjectNode message = mapper.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        synchronized (this) {
            socket.sendText(message.toString(), true).join();
        }
        JsonNode reply = wait(answer, method);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.path("error"));
        }
        return reply.path("result");
    }

    private static <T> T wait(CompletableFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("failed waiting for " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from chromium within " + TIMEOUT + " for " + what, e);
        }
    }

    private void onMessage(JsonNode message) {
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.remove(message.path("id").asInt());
            if (answer != null) {
                answer.complete(message);
            }
            return;
        }
        JsonNode p = message.path("params");
        switch (message.path("method").asText()) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.exceptionThrown" -> errors.add("exception: " + p.path("exceptionDetails").path("exception")
                    .path("description").asText(p.path("exceptionDetails").path("text").asText()));
            case "Runtime.consoleAPICalled" -> {
                String type = p.path("type").asText();
                if (type.equals("error") || type.equals("assert")) {
                    errors.add("console." + type + ": " + p.path("args"));
                }
            }
            case "Log.entryAdded" -> {
                if (p.path("entry").path("level").asText().equals("error")) {
                    errors.add("log (" + p.path("entry").path("source").asText() + "): "
                            + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText(""));
                }
            }
            default -> {
                // other events are not needed
            }
        }
    }

    /** Chromium's own output so far (for failure messages). */
    public List<String> output() {
        return List.copyOf(output);
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroy);
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp directory
        }
    }

    /** Assembles text frames into messages and hands each to {@link #onMessage}. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    onMessage(mapper.readTree(partial.toString()));
                } catch (IOException e) {
                    errors.add("unreadable DevTools message: " + e.getMessage());
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
