package dev.modelguardian.integrations.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/** The API refuses or fails: the recorder logs one line and the caller goes on. */
@EnableKubernetesMockClient(crud = false, kubernetesClientBuilderCustomizer = EventRecorderFailureTest.NoRetries.class)
class EventRecorderFailureTest {

    private static final String NS = "neural-hive";
    private static final String EVENTS = "/apis/events.k8s.io/v1/namespaces/" + NS + "/events";
    private static final String SECRET_NOTE = "remediation r1795638802 token=s3cr3t-value";

    KubernetesMockServer server;
    KubernetesClient client;

    /** One request per Event, so that the test sees exactly the code the server answered. */
    public static class NoRetries implements Consumer<KubernetesClientBuilder> {
        @Override
        public void accept(KubernetesClientBuilder builder) {
            builder.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig();
        }
    }

    private static ObjectReference cronJob() {
        return new ObjectReferenceBuilder().withKind("CronJob").withApiVersion("batch/v1")
                .withName("orchestrator-dynamic-ml-training").withNamespace(NS).build();
    }

    @Test
    void givenNoRbacForEvents_whenRecorded_thenNothingIsThrownAndOneWarningNamesTheCode() {
        server.expect().post().withPath(EVENTS).andReturn(403, new StatusBuilder().withCode(403)
                .withReason("Forbidden").withMessage("events.events.k8s.io is forbidden").build()).once();
        EventRecorder recorder = new EventRecorder(client, NS, "guardian-0", Clock.systemUTC());

        try (CapturedLog log = CapturedLog.of(EventRecorder.class)) {
            assertThatCode(() -> recorder.record(cronJob(), EventReason.REMEDIATION_STARTED, SECRET_NOTE))
                    .doesNotThrowAnyException();

            assertThat(log.warnings()).singleElement().satisfies(line -> assertThat(line)
                    .contains("RemediationStarted", "CronJob orchestrator-dynamic-ml-training", "HTTP 403",
                            "Forbidden")
                    .doesNotContain("s3cr3t", "token"));
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void givenTheApiServerFails_whenRecorded_thenNothingIsThrownAndOneWarningNamesTheCode() {
        server.expect().post().withPath(EVENTS).andReturn(500, new StatusBuilder().withCode(500)
                .withReason("InternalError").withMessage("etcdserver: request timed out").build()).always();
        EventRecorder recorder = new EventRecorder(client, NS, "guardian-0", Clock.systemUTC());

        try (CapturedLog log = CapturedLog.of(EventRecorder.class)) {
            assertThatCode(() -> recorder.record(cronJob(), EventReason.ACTION_FAILED, SECRET_NOTE))
                    .doesNotThrowAnyException();

            assertThat(log.warnings()).singleElement().satisfies(line -> assertThat(line)
                    .contains("ActionFailed", "HTTP 500", "InternalError").doesNotContain("s3cr3t"));
        }
    }

    @Test
    void givenNoApiServerListening_whenRecorded_thenNothingIsThrownAndOneWarningSaysThereWasNoResponse()
            throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + closedPort)
                .withConnectionTimeout(1000).withRequestTimeout(1000).withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(config).build();
                CapturedLog log = CapturedLog.of(EventRecorder.class)) {
            EventRecorder recorder = new EventRecorder(unreachable, NS, "guardian-0", Clock.systemUTC());

            assertThatCode(() -> recorder.record(cronJob(), EventReason.SOURCE_ERRORS, SECRET_NOTE))
                    .doesNotThrowAnyException();

            assertThat(log.warnings()).singleElement().satisfies(line -> assertThat(line)
                    .contains("SourceErrors", "no HTTP response").doesNotContain("s3cr3t"));
        }
    }

    @Test
    void givenAnObjectWithoutAName_whenRecorded_thenNothingIsThrownAndNothingIsSent() {
        EventRecorder recorder = new EventRecorder(client, NS, "guardian-0", Clock.systemUTC());

        try (CapturedLog log = CapturedLog.of(EventRecorder.class)) {
            assertThatCode(() -> recorder.record(new ObjectReferenceBuilder().withKind("CronJob").build(),
                    EventReason.POLICY_FIRING, SECRET_NOTE)).doesNotThrowAnyException();

            assertThat(log.warnings()).singleElement().asString().contains("PolicyFiring");
        }
        assertThat(server.getRequestCount()).isZero();
    }
}
