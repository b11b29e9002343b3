package dev.modelguardian.integrations.kubernetes;

import java.net.HttpURLConnection;

import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.modelguardian.core.remediation.ClusterException;

/** How a failed Kubernetes API call is told and classified: by its HTTP code, never by its message. */
public final class ApiFailures {

    private ApiFailures() {
    }

    /** A failed API call as the remediation sees it: permanent when the same request cannot succeed later. */
    public static ClusterException of(String namespace, String what, KubernetesClientException e) {
        int code = e.getCode() <= 0 ? 0 : e.getCode();
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getMessage();
        return switch (code) {
            case HttpURLConnection.HTTP_FORBIDDEN -> new ClusterException("cannot " + what + ": forbidden (403); grant"
                    + " the guardian's ServiceAccount that verb in namespace " + namespace + " (" + message + ")", true,
                    e);
            case HttpURLConnection.HTTP_BAD_REQUEST, 422 -> new ClusterException("cannot " + what
                    + ": the API rejected it (" + code + "): " + message, true, e);
            case 0 -> new ClusterException("cannot " + what + ": the Kubernetes API did not answer ("
                    + rootCause(e) + ")", false, e);
            default -> new ClusterException("cannot " + what + ": HTTP " + code + ": " + message, code < 500
                    && code != 429 && code != HttpURLConnection.HTTP_CONFLICT, e);
        };
    }

    /** The innermost cause, which says what went wrong on the wire (refused, timed out, unknown host). */
    public static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
