package dev.modelguardian.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.mockwebserver.http.MockResponse;

/**
 * The CRUD mock server with its SelfSubjectAccessReviews ({@link AccessReviews}), plus the endpoint {@code kubectl
 * logs} reads: {@code GET /api/v1/namespaces/NS/pods/NAME/log}. A pod's log is what the test put in {@link #logs}
 * (by {@code pod/container}, else by pod); a pod in {@link #failures} answers that HTTP code with a Kubernetes Status,
 * as the API server does (403 without {@code get pods/log}, 400 for a container that has not started). A pod in
 * neither answers 404, as a pod that is gone does. Every log request's path and query is kept in {@link #requests}.
 */
public class PodLogServer extends AccessReviews {

    private static final Pattern LOG = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(\\?.*)?");
    private static final Pattern CONTAINER = Pattern.compile("[?&]container=([^&]+)");

    /** Log text by {@code pod/container} or by {@code pod}. */
    public final Map<String, String> logs = new ConcurrentHashMap<>();
    /** HTTP code by pod, for a log that cannot be read. */
    public final Map<String, Integer> failures = new ConcurrentHashMap<>();
    /** Every log request, path and query, in order. */
    public final List<String> requests = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse handleGet(String path) {
        Matcher m = LOG.matcher(path);
        if (!m.matches()) {
            return super.handleGet(path);
        }
        requests.add(path);
        String pod = m.group(2);
        Matcher c = CONTAINER.matcher(m.group(3) == null ? "" : m.group(3));
        String container = c.find() ? c.group(1) : "";
        Integer code = failures.get(pod);
        if (code != null) {
            return status(code, code == 403 ? "Forbidden" : "BadRequest", code == 403
                    ? "pods \"" + pod + "\" is forbidden: User \"system:serviceaccount:test:model-guardian\" cannot get"
                            + " resource \"pods/log\" in API group \"\""
                    : "container \"" + container + "\" in pod \"" + pod + "\" is waiting to start: ContainerCreating");
        }
        String text = logs.getOrDefault(pod + "/" + container, logs.get(pod));
        if (text == null) {
            return status(404, "NotFound", "pods \"" + pod + "\" not found");
        }
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain").setBody(text);
    }

    private static MockResponse status(int code, String reason, String message) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                        + message.replace("\"", "\\\"") + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}");
    }
}
