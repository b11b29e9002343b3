package dev.modelguardian.integrations.mlflow;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns every MLflow answer with status 400 or above into an {@link MlflowException}: MLflow's
 * {@code {"error_code", "message"}} when the body is that JSON; otherwise (a 405 is an HTML page, a proxy's 502 is
 * whatever the proxy writes) a plain description that never leaks a parse error. The body is read as text and parsed
 * into a tree, so no class needs reflection.
 */
final class MlflowErrorMapper implements ResponseExceptionMapper<MlflowException> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SNIPPET = 200;

    @Override
    public MlflowException toThrowable(Response response) {
        int status = response.getStatus();
        String body;
        try {
            body = response.hasEntity() ? response.readEntity(String.class) : "";
        } catch (RuntimeException e) {
            body = "";
        }
        JsonNode json = null;
        try {
            json = body.isBlank() ? null : JSON.readTree(body);
        } catch (Exception notJson) {
            // handled below: not MLflow's error JSON
        }
        if (json != null && json.isObject() && (json.has("error_code") || json.has("message"))) {
            return MlflowException.http(null, status, text(json, "error_code"), text(json, "message"), null);
        }
        return MlflowException.http(null, status, null, null, describe(status, response.getMediaType(), body));
    }

    @Override
    public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
        return status >= 400;
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String describe(int status, MediaType type, String body) {
        String kind = type == null ? "no content type" : type.getType() + "/" + type.getSubtype();
        String hint = switch (status) {
            case 405 -> "method not allowed: the URL is not the MLflow API endpoint this call expects (is"
                    + " guardian.mlflow.url the tracking server's root, without /api?), or the server is not MLflow";
            case 404 -> "not found: is guardian.mlflow.url the tracking server's root (without /api) and the server"
                    + " MLflow 2.x?";
            case 401, 403 -> "not authorised: check guardian.mlflow.token or guardian.mlflow.username/password";
            default -> "the server did not answer with MLflow's error JSON";
        };
        String snippet = title(body);
        return hint + " (" + kind + " body" + (snippet.isEmpty() ? "" : ": " + snippet) + ")";
    }

    /** The HTML title or the first line of a non-JSON body, shortened: enough to tell a proxy's page from MLflow's. */
    private static String title(String body) {
        String text = body.strip();
        int start = text.indexOf("<title>");
        int end = text.indexOf("</title>");
        if (start >= 0 && end > start) {
            text = text.substring(start + 7, end);
        } else {
            int newline = text.indexOf('\n');
            text = newline < 0 ? text : text.substring(0, newline);
        }
        return text.length() > MAX_SNIPPET ? text.substring(0, MAX_SNIPPET) + "..." : text;
    }
}
