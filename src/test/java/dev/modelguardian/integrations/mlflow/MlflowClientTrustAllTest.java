package dev.modelguardian.integrations.mlflow;

import static dev.modelguardian.testing.MlflowStandIn.RUN_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.modelguardian.testing.MlflowStandIn;

/**
 * A global {@code quarkus.tls.trust-all=true} (set for something else, or leaked as a JVM system property by the
 * Kubernetes test server of an earlier test class) must not make the MLflow client trust an unknown certificate: the
 * only way to trust a private CA is {@code guardian.mlflow.ca-file}.
 */
@QuarkusTest
@TestProfile(MlflowClientTrustAllTest.TrustAllEverywhere.class)
class MlflowClientTrustAllTest {

    public static class TrustAllEverywhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.tls.trust-all", "true");
        }
    }

    @Test
    void givenGlobalTrustAll_whenNoCaFileConfigured_thenTheSelfSignedCertificateIsStillRejected(@TempDir Path dir)
            throws Exception {
        Path[] files = MlflowClientTest.certificate(dir);
        MlflowStandIn https = MlflowStandIn.startNewHttps(files[0].toString(), "changeit");
        try {
            https.seedRecording();
            MlflowClient trusting = new MlflowClient(MlflowTestSupport.config(https.url(), "ca-file: " + files[1]));
            MlflowClient untrusting = new MlflowClient(MlflowTestSupport.config(https.url()));

            assertThat(trusting.run(RUN_1).info().runId()).isEqualTo(RUN_1);
            MlflowException e = catchThrowableOfType(MlflowException.class, () -> untrusting.run(RUN_1));
            assertThat(e).as("a self-signed certificate was accepted without guardian.mlflow.ca-file").isNotNull();
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("TLS handshake").contains("guardian.mlflow.ca-file");
        } finally {
            https.stop();
        }
    }
}
