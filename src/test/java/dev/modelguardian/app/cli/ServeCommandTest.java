package dev.modelguardian.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

import dev.modelguardian.testing.PrometheusServer;

/** {@code serve} refuses to start, clearly, when it cannot do its job. */
@QuarkusMainTest
class ServeCommandTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void noCluster() {
        // What a laptop without a cluster looks like: an API server address nobody answers on, no retries.
        System.setProperty("kubernetes.master", "http://127.0.0.1:" + PrometheusServer.closedPort());
        System.setProperty("kubernetes.request.retry.backoffLimit", "0");
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
    }

    @AfterAll
    static void restore() {
        System.clearProperty("kubernetes.master");
        System.clearProperty("kubernetes.request.retry.backoffLimit");
        System.clearProperty("kubernetes.auth.tryKubeConfig");
    }

    @Test
    void givenNoReachableKubernetesApi_whenServing_thenExit3NamingTheStateConfigMapBeforeAnyPortIsServed(
            QuarkusMainLauncher launcher) throws IOException {
        Path config = Files.writeString(dir.resolve("guardian.yaml"), """
                guardian:
                  namespace: neural-hive
                  prometheus:
                    url: http://127.0.0.1:9
                """);

        LaunchResult result = launcher.launch("serve", "--config", config.toString());

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(3);
        assertThat(result.getErrorOutput())
                .contains("model-guardian: serve: cannot read state ConfigMap neural-hive/model-guardian-state")
                .contains("the Kubernetes API did not answer");
    }

    @Test
    void givenHelp_whenAsked_thenTheEndpointsAndExitCodesAreDocumented(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("serve", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("/api/v1/status").contains("Authorization: Bearer")
                .containsPattern("1\\s+lost the leader Lease");
    }
}
