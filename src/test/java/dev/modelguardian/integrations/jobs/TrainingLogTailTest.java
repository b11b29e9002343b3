package dev.modelguardian.integrations.jobs;

import static dev.modelguardian.testing.NeuralHive.CRON_JOB;
import static dev.modelguardian.testing.NeuralHive.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import dev.modelguardian.core.remediation.LogTail;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.PodLogServer;

/**
 * The last lines of a failed training Job's log, read from the mock API server's pods/log endpoint as {@code kubectl
 * logs --tail} would: which pod and container, the limits, and every way the log can be out of reach.
 */
class TrainingLogTailTest {

    static final Instant T0 = Instant.parse("2026-11-24T03:00:00Z");
    static final String JOB = "ml-retrain-emergency-1763953200";
    static final TargetSpec TARGET = new TargetSpec(CRON_JOB, CRON_JOB, List.of());

    PodLogServer api = new PodLogServer();
    KubernetesMockServer server;
    KubernetesClient client;
    TrainingJobs jobs;

    @BeforeEach
    void setUp() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), api, false);
        server.init();
        client = server.createClient();
        NeuralHive.install(client);
        jobs = new TrainingJobs(client, NAMESPACE, Duration.ofMinutes(10), Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.destroy();
    }

    private static String lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "epoch " + i + " loss 0." + i)
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void givenAFailedTrainingPod_whenTheLogTailIsRead_thenItHoldsTheNewestLinesOfTheContainerThatFailed() {
        NeuralHive.trainingPod(client, JOB, "x7k2p", T0, 1);
        api.logs.put(JOB + "-x7k2p/ml-training", lines(1, 100) + "RuntimeError: CUDA out of memory\n");

        LogTail tail = jobs.logTail(TARGET, JOB, new LogTail.Limits(40, 8192));

        assertThat(tail.source()).isEqualTo("pod " + JOB + "-x7k2p container ml-training");
        assertThat(tail.unavailable()).isEmpty();
        assertThat(tail.lines()).hasSize(40).endsWith("epoch 100 loss 0.100", "RuntimeError: CUDA out of memory")
                .startsWith("epoch 62 loss 0.62");
        assertThat(tail.truncated()).isTrue();
        assertThat(tail.heading()).isEqualTo("last 40 lines of pod " + JOB + "-x7k2p container ml-training");
        assertThat(api.requests).singleElement().asString()
                .contains("/namespaces/neural-hive/pods/" + JOB + "-x7k2p/log?")
                .contains("container=ml-training").contains("tailLines=40").doesNotContain("follow");
    }

    @Test
    void givenBackoffRetries_whenTheLogTailIsRead_thenTheNewestFailedAttemptIsRead() {
        NeuralHive.trainingPod(client, JOB, "first", T0, 1);
        NeuralHive.trainingPod(client, JOB, "second", T0.plusSeconds(60), 137);
        api.logs.put(JOB + "-first", "attempt 1\n");
        api.logs.put(JOB + "-second", "attempt 2\nKilled\n");

        LogTail tail = jobs.logTail(TARGET, JOB, LogTail.Limits.DEFAULT);

        assertThat(tail.lines()).containsExactly("attempt 2", "Killed");
        assertThat(tail.truncated()).isFalse();
        assertThat(tail.heading()).isEqualTo("2 lines of pod " + JOB + "-second container ml-training");
    }

    @Test
    void givenAChattyRun_whenTheLogTailIsRead_thenTheByteLimitKeepsOnlyWholeNewestLines() {
        NeuralHive.trainingPod(client, JOB, "x7k2p", T0, 1);
        api.logs.put(JOB + "-x7k2p", lines(1, 1000));

        LogTail tail = jobs.logTail(TARGET, JOB, new LogTail.Limits(1000, 200));

        assertThat(String.join("\n", tail.lines()).length()).isLessThanOrEqualTo(200);
        assertThat(tail.lines()).last().isEqualTo("epoch 1000 loss 0.1000");
        assertThat(tail.lines()).allMatch(line -> line.matches("epoch \\d+ loss 0\\.\\d+"));
        assertThat(tail.truncated()).isTrue();
    }

    @Test
    void givenTheRoleLacksPodsLog_whenTheLogTailIsRead_thenItSaysSoInsteadOfFailing() {
        NeuralHive.trainingPod(client, JOB, "x7k2p", T0, 1);
        api.failures.put(JOB + "-x7k2p", 403);

        LogTail tail = jobs.logTail(TARGET, JOB, LogTail.Limits.DEFAULT);

        assertThat(tail.lines()).isEmpty();
        assertThat(tail.unavailable()).hasValueSatisfying(why -> assertThat(why)
                .contains("may not read pod logs (get pods/log in neural-hive"));
    }

    @Test
    void givenAPodThatIsGone_whenTheLogTailIsRead_thenItSaysThePodIsGone() {
        NeuralHive.trainingPod(client, JOB, "x7k2p", T0, 1);

        LogTail tail = jobs.logTail(TARGET, JOB, LogTail.Limits.DEFAULT);

        assertThat(tail.unavailable()).contains("pod " + JOB + "-x7k2p is gone");
        assertThat(tail.heading()).isEqualTo("no log of pod " + JOB + "-x7k2p container ml-training: pod " + JOB
                + "-x7k2p is gone");
    }

    @Test
    void givenAContainerThatNeverStarted_whenTheLogTailIsRead_thenTheApiServersReasonIsKept() {
        NeuralHive.trainingPod(client, JOB, "x7k2p", T0, null);
        api.failures.put(JOB + "-x7k2p", 400);

        LogTail tail = jobs.logTail(TARGET, JOB, LogTail.Limits.DEFAULT);

        assertThat(tail.unavailable()).hasValueSatisfying(why -> assertThat(why).isEqualTo("the API server answered"
                + " 400: container \"ml-training\" in pod \"" + JOB + "-x7k2p\" is waiting to start:"
                + " ContainerCreating"));
    }

    @Test
    void givenAJobWithNoPodLeft_whenTheLogTailIsRead_thenItSaysNoPodIsLeftWithoutAskingForALog() {
        LogTail tail = jobs.logTail(TARGET, JOB, LogTail.Limits.DEFAULT);

        assertThat(tail.source()).isEqualTo("Job " + JOB);
        assertThat(tail.unavailable()).contains("no pod of it is left");
        assertThat(api.requests).isEmpty();
    }
}
