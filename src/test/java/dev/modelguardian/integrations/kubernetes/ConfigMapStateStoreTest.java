package dev.modelguardian.integrations.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.core.policy.PolicyStatus;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.TargetHealth;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetState;

/** The state ConfigMap on the fabric8 mock server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class ConfigMapStateStoreTest {

    private static final String NS = "neural-hive";
    private static final Instant T0 = Instant.parse("2026-11-24T02:00:00Z");

    KubernetesClient client;

    private ConfigMapStateStore store() {
        return new ConfigMapStateStore(client, NS, "model-guardian-state");
    }

    private static TargetRecord retraining(TargetRecord from) {
        TargetState state = new TargetState(RemediationState.RETRAINING, T0, Optional.of("r1"),
                Optional.of("ml-retrain-emergency-1"), false,
                List.of(new TargetHealth.FiredSignal("ticket-duration-predictor", "mae-ratio", 1.72, "above 1.5")),
                false, List.of(T0), Optional.empty());
        return from.with(state, "firing: mae-ratio 1.72 (above 1.5)");
    }

    @Test
    void givenNoConfigMap_whenLoaded_thenStateIsEmptyAndNothingIsCreated() {
        assertThat(store().load().targets()).isEmpty();
        assertThat(client.configMaps().inNamespace(NS).withName("model-guardian-state").get()).isNull();
    }

    @Test
    void givenFirstWrite_whenTargetSaved_thenConfigMapIsCreatedWithReadableJsonAndLabels() {
        TargetRecord next = retraining(TargetRecord.initial(T0));

        assertThat(store().compareAndSet("orchestrator-dynamic-ml-training", 0, next)).isTrue();

        ConfigMap cm = client.configMaps().inNamespace(NS).withName("model-guardian-state").get();
        assertThat(cm.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "model-guardian");
        String json = cm.getData().get("target.orchestrator-dynamic-ml-training.json");
        assertThat(json).contains("\"state\":\"RETRAINING\"").contains("\"since\":\"2026-11-24T02:00:00Z\"")
                .contains("\"jobName\":\"ml-retrain-emergency-1\"").contains("\"value\":1.72");
        assertThat(store().load().targets().get("orchestrator-dynamic-ml-training")).isEqualTo(next);
    }

    @Test
    void givenAnotherActorWroteFirst_whenCompareAndSetOnTheOldRevision_thenNothingIsWritten() {
        TargetRecord first = retraining(TargetRecord.initial(T0));
        assertThat(store().compareAndSet("t", 0, first)).isTrue();
        TargetRecord theirs = first.with(first.current().moveTo(RemediationState.VALIDATING, T0), "Job complete");
        assertThat(store().compareAndSet("t", 1, theirs)).isTrue();

        TargetRecord mine = first.with(first.current().moveTo(RemediationState.ROLLING_BACK, T0), "timed out");
        boolean written = store().compareAndSet("t", 1, mine);

        assertThat(written).isFalse();
        assertThat(store().load().targets().get("t").current().state()).isEqualTo(RemediationState.VALIDATING);
    }

    @Test
    void givenStaleResourceVersion_whenReplaced_thenTheMockServerAnswers409LikeTheApiServer() {
        store().compareAndSet("t", 0, retraining(TargetRecord.initial(T0)));
        ConfigMap read = client.configMaps().inNamespace(NS).withName("model-guardian-state").get();
        client.configMaps().inNamespace(NS).withName("model-guardian-state")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("other", "x").build());

        assertThatThrownBy(() -> client.configMaps().inNamespace(NS)
                .resource(new ConfigMapBuilder(read).addToData("mine", "y").build()).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void givenOtherTargetsAndPolicies_whenOneTargetIsWritten_thenTheOthersAreKept() {
        store().compareAndSet("a", 0, retraining(TargetRecord.initial(T0)));
        PolicyStatus pending = new PolicyStatus(PolicyState.PENDING, T0, Optional.of(T0), Optional.empty(),
                OptionalDouble.of(23.5), 1, 0, Optional.empty());
        store().savePolicies(Map.of("ticket-duration-predictor/mae-percentage", pending));

        store().compareAndSet("b", 0, retraining(TargetRecord.initial(T0)));
        store().savePolicies(Map.of("other/s", PolicyStatus.unknown(T0)));

        var state = store().load();
        assertThat(state.targets()).containsOnlyKeys("a", "b");
        assertThat(state.policies()).containsEntry("ticket-duration-predictor/mae-percentage", pending)
                .containsKey("other/s");
    }

    @Test
    void givenPendingSincePersisted_whenANewStoreReadsIt_thenTheBreachStartSurvives() {
        Instant breach = T0.minusSeconds(3000);
        PolicyStatus pending = new PolicyStatus(PolicyState.PENDING, breach, Optional.of(breach), Optional.empty(),
                OptionalDouble.of(23.5), 1, 0, Optional.empty());
        store().savePolicies(Map.of("m/s", pending));

        PolicyStatus reread = new ConfigMapStateStore(client, NS, "model-guardian-state").load().policies().get("m/s");

        assertThat(reread.breachSince()).contains(breach);
        assertThat(reread.value()).hasValue(23.5);
    }

    @Test
    void givenHistoryLimit_whenMoreRemediationsFinish_thenOnlyTheNewestAreKept() {
        TargetRecord record = TargetRecord.initial(T0);
        for (int i = 1; i <= 5; i++) {
            HistoryEntry entry = new HistoryEntry("r" + i, Optional.of("job-" + i), T0, T0.plusSeconds(i),
                    HistoryEntry.Outcome.RETRAINED, "Job complete", List.of());
            record = record.finished(TargetState.healthy(T0), "done", entry, 3);
        }
        store().compareAndSet("t", 0, record);

        assertThat(store().load().targets().get("t").history()).extracting(HistoryEntry::id)
                .containsExactly("r3", "r4", "r5");
    }

    @Test
    void givenAStateThatWouldNotFitInAConfigMap_whenWritten_thenItIsRefusedNamingTheLargestKeyAndNothingIsWritten() {
        assertThat(store().compareAndSet("small", 0, retraining(TargetRecord.initial(T0)))).isTrue();
        // One remediation whose reason alone is 1 MiB: the API server would refuse the ConfigMap with a 422.
        TargetRecord huge = TargetRecord.initial(T0).finished(TargetState.healthy(T0), "done", new HistoryEntry("r1",
                Optional.of("job-1"), T0, T0.plusSeconds(1), HistoryEntry.Outcome.RETRAINED, "x".repeat(1_048_576),
                List.of()), 50);

        assertThatThrownBy(() -> store().compareAndSet("huge", 0, huge))
                .isInstanceOf(StateStore.StoreException.class)
                .hasMessageStartingWith("cannot write ConfigMap " + NS + "/model-guardian-state: the state would be")
                .hasMessageContaining("over the 960 KiB the guardian keeps below Kubernetes' 1 MiB ConfigMap limit"
                        + " (largest key target.huge.json,")
                .hasMessageEndingWith("lower guardian.state.history, or split the targets over two guardians with"
                        + " their own guardian.state.config-map; nothing was written");
        assertThat(store().load().targets()).containsOnlyKeys("small");
    }

    @Test
    void givenAKeyWrittenByThePreviousVersion_whenLoadedAndTheNextStepWritten_thenTheStoreGoesOnFromItsRevision()
            throws java.io.IOException {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("model-guardian-state").endMetadata()
                .addToData("target.orchestrator-dynamic-ml-training.json", StateCodecTest.previousVersion()).build())
                .create();

        TargetRecord old = store().load().targets().get("orchestrator-dynamic-ml-training");
        TargetRecord next = old.with(old.current().moveTo(RemediationState.ROLLING_BACK, T0), "verification failed");

        assertThat(old.revision()).isEqualTo(17);
        assertThat(old.history()).hasSize(1);
        assertThat(store().compareAndSet("orchestrator-dynamic-ml-training", 17, next)).isTrue();
        assertThat(store().load().targets().get("orchestrator-dynamic-ml-training")).isEqualTo(next);
    }

    @Test
    void givenCorruptTargetKey_whenLoaded_thenTheErrorNamesTheKeyAndTheFix() {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("model-guardian-state").endMetadata().addToData("target.t.json", "{not json").build())
                .create();

        assertThatThrownBy(() -> store().load()).hasMessageContaining("'target.t.json'")
                .hasMessageContaining("fix or delete the key");
    }

    @Test
    void givenApiUnreachable_whenLoaded_thenStoreExceptionNamesTheConfigMap() {
        KubernetesClient down = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:1")
                        .withRequestRetryBackoffLimit(0).withConnectionTimeout(500).build())
                .build();

        assertThatThrownBy(() -> new ConfigMapStateStore(down, NS, "model-guardian-state").load())
                .isInstanceOf(StateStore.StoreException.class)
                .hasMessageContaining("cannot read state ConfigMap neural-hive/model-guardian-state");
        down.close();
    }
}
