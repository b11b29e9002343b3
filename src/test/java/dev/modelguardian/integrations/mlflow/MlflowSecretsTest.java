package dev.modelguardian.integrations.mlflow;

import static dev.modelguardian.testing.MlflowStandIn.RECORDED_MODEL;
import static dev.modelguardian.testing.MlflowStandIn.RUN_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.modelguardian.core.registry.RegistryModel;
import dev.modelguardian.testing.MlflowStandIn;

/**
 * The token and the password never appear in an exception (message, cause chain, stack trace text), a log record (at
 * any level down to DEBUG, of any logger) or a toString, whatever fails: 4xx, 405 HTML, 5xx with retries, timeout,
 * connection refused.
 */
@QuarkusTest
@QuarkusTestResource(value = MlflowStandIn.class, restrictToAnnotatedClass = true)
class MlflowSecretsTest {

    private static final String TOKEN = "tok-SECRET-4f9a1c";
    private static final String PASSWORD = "pw-SECRET-77b2e0";

    @MlflowStandIn.InjectMlflow
    MlflowStandIn mlflow;

    private final List<String> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder text = new StringBuilder(String.valueOf(record.getMessage()));
            if (record.getParameters() != null) {
                for (Object p : record.getParameters()) {
                    text.append(' ').append(p);
                }
            }
            if (record.getThrown() != null) {
                text.append(' ').append(stackTrace(record.getThrown()));
            }
            synchronized (logged) {
                logged.add(text.toString());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level rootLevel;

    @BeforeEach
    void captureLogs() {
        mlflow.reset();
        mlflow.seedRecording();
        Logger root = Logger.getLogger("");
        rootLevel = root.getLevel();
        root.setLevel(Level.FINE);
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger root = Logger.getLogger("");
        root.removeHandler(capture);
        root.setLevel(rootLevel);
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** Every failure mode, with token and with basic auth; returns everything a user could see. */
    private List<String> failEveryWay(MlflowRegistry registry) throws IOException {
        List<String> seen = new ArrayList<>();
        RegistryModel staged = new RegistryModel(RECORDED_MODEL, RegistryModel.Mode.STAGE, null);
        seen.add(stackTrace(catchThrowable(() -> registry.version(RECORDED_MODEL, "99"))));
        seen.add(stackTrace(catchThrowable(() -> registry.promote(staged, "99"))));
        mlflow.serveRecorded("GET", "runs/get", java.util.Map.of(),
                "wrong-http-method-post-to-a-get-only-endpoint-405-html");
        seen.add(stackTrace(catchThrowable(() -> registry.run(RUN_1))));
        mlflow.failWith(503);
        seen.add(stackTrace(catchThrowable(() -> registry.serving(staged))));
        mlflow.heal();
        mlflow.hang(3_000);
        seen.add(stackTrace(catchThrowable(() -> registry.experimentId("orchestrator-predictive-models"))));
        mlflow.heal();
        seen.add(registry.toString());
        seen.add(registry.client().toString());
        return seen;
    }

    private MlflowRegistry registry(String... auth) {
        String[] lines = new String[auth.length + 2];
        lines[0] = "timeout: 500ms";
        lines[1] = "retries: 2";
        System.arraycopy(auth, 0, lines, 2, auth.length);
        return MlflowRegistry.create(MlflowTestSupport.config(mlflow.url(), lines));
    }

    @Test
    void givenBearerToken_whenEveryKindOfCallFails_thenTheTokenIsInNoExceptionLogOrToString() throws IOException {
        MlflowRegistry registry = registry("token: " + TOKEN);

        List<String> seen = failEveryWay(registry);

        assertThat(seen).isNotEmpty().noneMatch(text -> text.contains("SECRET"));
        assertThat(logged).as("log records").isNotEmpty().noneMatch(text -> text.contains("SECRET"));
        assertThat(mlflow.requests()).anySatisfy(call -> assertThat(call.header("Authorization"))
                .isEqualTo("Bearer " + TOKEN));
    }

    @Test
    void givenBasicAuth_whenEveryKindOfCallFails_thenThePasswordIsInNoExceptionLogOrToString() throws IOException {
        MlflowRegistry registry = registry("username: guardian", "password: " + PASSWORD);

        List<String> seen = failEveryWay(registry);

        String encoded = java.util.Base64.getEncoder().encodeToString(("guardian:" + PASSWORD).getBytes());
        assertThat(seen).noneMatch(text -> text.contains("SECRET") || text.contains(encoded));
        assertThat(logged).noneMatch(text -> text.contains("SECRET") || text.contains(encoded));
    }

    @Test
    void givenTokenAndNothingListening_whenCalled_thenTheConnectionErrorHoldsNoToken() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        MlflowRegistry registry = MlflowRegistry.create(MlflowTestSupport.config("http://127.0.0.1:" + port,
                "token: " + TOKEN, "retries: 1"));

        String seen = stackTrace(catchThrowable(() -> registry.run(RUN_1)));

        assertThat(seen).contains("gave up after 2 attempts").doesNotContain("SECRET");
        assertThat(logged).noneMatch(text -> text.contains("SECRET"));
    }
}
