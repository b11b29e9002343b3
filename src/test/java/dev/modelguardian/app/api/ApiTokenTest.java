package dev.modelguardian.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

/** The bearer-token rules of the mutating endpoints. */
class ApiTokenTest {

    static final Optional<String> TOKEN = Optional.of("3f1c9a7e5b2d4f608e1a7c3b9d5f2e4a");

    @Test
    void givenNoTokenConfigured_whenAnyRequestComes_thenForbiddenAsDisabled() {
        Optional<Response> answer = ApiToken.check(Optional.empty(), "Bearer anything");

        assertThat(answer).hasValueSatisfying(r -> {
            assertThat(r.getStatus()).isEqualTo(403);
            assertThat(((ApiError) r.getEntity()).error()).isEqualTo("disabled");
            assertThat(((ApiError) r.getEntity()).message()).contains("guardian.api.token");
        });
    }

    @Test
    void givenTheRightToken_whenChecked_thenAllowed() {
        assertThat(ApiToken.check(TOKEN, "Bearer " + TOKEN.get())).isEmpty();
        assertThat(ApiToken.check(TOKEN, "bearer " + TOKEN.get())).as("the scheme is case-insensitive").isEmpty();
    }

    @Test
    void givenBasicAuth_whenChecked_thenUnauthorized() {
        assertThat(ApiToken.check(TOKEN, "Basic dXNlcjpwYXNz")).hasValueSatisfying(r ->
                assertThat(r.getStatus()).isEqualTo(401));
    }

    @Test
    void givenAPrefixOfTheToken_whenChecked_thenForbidden() {
        assertThat(ApiToken.check(TOKEN, "Bearer " + TOKEN.get().substring(0, 10))).hasValueSatisfying(r ->
                assertThat(r.getStatus()).isEqualTo(403));
    }
}
