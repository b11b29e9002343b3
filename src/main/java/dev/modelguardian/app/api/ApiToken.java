package dev.modelguardian.app.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The bearer token of the mutating endpoints. No token configured: those endpoints are disabled (403). The token is
 * compared in constant time and never logged or echoed.
 */
final class ApiToken {

    private ApiToken() {
    }

    /** Empty when {@code authorization} carries the configured token, else the error answer. */
    static Optional<Response> check(Optional<String> configured, String authorization) {
        if (configured.isEmpty()) {
            return Optional.of(Response.status(Response.Status.FORBIDDEN).entity(new ApiError("disabled",
                    "mutating endpoints are disabled: set guardian.api.token (from a Secret) to enable them"))
                    .build());
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"model-guardian\"")
                    .entity(new ApiError("unauthorized", "send the API token as 'Authorization: Bearer <token>'"))
                    .build());
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        byte[] expected = configured.get().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, expected)) {
            return Optional.of(Response.status(Response.Status.FORBIDDEN).header(HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer error=\"invalid_token\"").entity(new ApiError("forbidden", "the token is not valid"))
                    .build());
        }
        return Optional.empty();
    }
}
