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
    void givenFirstWrite_whenTargetSaved_thenItsOwnConfigMapIsCreatedWithReadableJsonAndLabels() {
        TargetRecord next = retraining(TargetRecord.initial(T0));

        assertThat(store().compareAndSet("orchestrator-dynamic-ml-training", 0, next)).isTrue();

        ConfigMap cm = client.configMaps().inNamespace(NS)
                .withName("model-guardian-state-orchestrator-dynamic-ml-training").get();
        assertThat(cm.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "model-guardian")
                .containsEntry("model-guardian.dev/state", "model-guardian-state");
        assertThat(cm.getData()).containsOnlyKeys("target.orchestrator-dynamic-ml-training.json");
        assertThat(client.configMaps().inNamespace(NS).withName("model-guardian-state").get())
                .as("no policy status was saved: no state ConfigMap").isNull();
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
        ConfigMap read = client.configMaps().inNamespace(NS).withName("model-guardian-state-t").get();
        client.configMaps().inNamespace(NS).withName("model-guardian-state-t")
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
    void givenARecordThatWouldNotFitInAConfigMap_whenWritten_thenItIsRefusedNamingTheKeyAndNothingIsWritten() {
        assertThat(store().compareAndSet("small", 0, retraining(TargetRecord.initial(T0)))).isTrue();
        // One remediation whose reason alone is 1 MiB: the API server would refuse the ConfigMap with a 422.
        TargetRecord huge = TargetRecord.initial(T0).finished(TargetState.healthy(T0), "done", new HistoryEntry("r1",
                Optional.of("job-1"), T0, T0.plusSeconds(1), HistoryEntry.Outcome.RETRAINED, "x".repeat(1_048_576),
                List.of()), 50);

        assertThatThrownBy(() -> store().compareAndSet("huge", 0, huge))
                .isInstanceOf(StateStore.StoreException.class)
                .hasMessageStartingWith("cannot write ConfigMap " + NS + "/model-guardian-state-huge: it would hold")
                .hasMessageContaining("over the 960 KiB the guardian keeps below Kubernetes' 1 MiB ConfigMap limit"
                        + " (largest key target.huge.json,")
                .hasMessageEndingWith("lower guardian.state.history (each finished remediation is kept in the"
                        + " history); nothing was written");
        assertThat(store().load().targets()).containsOnlyKeys("small");
        assertThat(client.configMaps().inNamespace(NS).withName("model-guardian-state-huge").get()).isNull();
    }

    @Test
    void givenFiveThousandPolicies_whenSaved_thenTheirStatusesAreGzippedAndReadBackEqual() {
        Map<String, PolicyStatus> many = new java.util.TreeMap<>();
        for (int i = 0; i < 5000; i++) {
            many.put(String.format("ticket-duration-predictor-%04d/mae-percentage", i), new PolicyStatus(
                    PolicyState.PENDING, T0.plusSeconds(i), Optional.of(T0), Optional.empty(), OptionalDouble.of(
                            20 + i / 1000.0), 1, 0, Optional.of("above 20 since 02:00")));
        }
        store().savePolicies(Map.of("m/s", PolicyStatus.unknown(T0)));
        assertThat(client.configMaps().inNamespace(NS).withName("model-guardian-state").get().getData())
                .as("few policies: JSON as kubectl shows it").containsOnlyKeys("policies.json");

        store().savePolicies(many);

        ConfigMap cm = client.configMaps().inNamespace(NS).withName("model-guardian-state").get();
        assertThat(cm.getData()).doesNotContainKey("policies.json");
        int json = new StateCodec().writePolicies(many).length();
        int gzipped = cm.getBinaryData().get("policies.json.gz").length() / 4 * 3;
        assertThat(json).as("5000 statuses as JSON").isGreaterThan(ConfigMapStateStore.PLAIN_POLICIES_BYTES);
        assertThat(gzipped).as("gzipped: %d of %d bytes", gzipped, json).isLessThan(json / 5);
        Map<String, PolicyStatus> read = store().load().policies();
        assertThat(read).hasSize(5001).containsAllEntriesOf(many).containsKey("m/s");
    }

    @Test
    void givenPolicyStatusesThatWouldNotFitEvenGzipped_whenSaved_thenTheyAreRefusedNamingTheFixAndNothingIsWritten() {
        PolicyStatus known = new PolicyStatus(PolicyState.HEALTHY, T0, Optional.empty(), Optional.empty(),
                OptionalDouble.of(0.1), 1, 0, Optional.empty());
        store().savePolicies(Map.of("m/s", known));
        // Reasons of random text compress little: 5000 of 300 characters are about 1.1 MiB gzipped.
        java.util.Random random = new java.util.Random(7);
        Map<String, PolicyStatus> many = new java.util.HashMap<>();
        for (int i = 0; i < 5000; i++) {
            byte[] noise = new byte[225];
            random.nextBytes(noise);
            many.put("model-" + i + "/signal-" + i, new PolicyStatus(PolicyState.HEALTHY, T0, Optional.empty(),
                    Optional.empty(), OptionalDouble.of(0.1), 1, 0, Optional.of(java.util.Base64.getEncoder()
                            .encodeToString(noise))));
        }

        assertThatThrownBy(() -> store().savePolicies(many))
                .isInstanceOf(StateStore.StoreException.class)
                .hasMessageStartingWith("cannot write ConfigMap " + NS + "/model-guardian-state: it would hold")
                .hasMessageContaining("(largest key policies.json.gz,")
                .hasMessageEndingWith("split the policies over two guardians with their own"
                        + " guardian.state.config-map (each policy's status is kept here); nothing was written");
        assertThat(store().load().policies()).containsOnlyKeys("m/s");
    }

    @Test
    void givenManyTargetsWithALongHistory_whenEachIsWritten_thenEachHasItsOwnConfigMapAndTheWholeStateIsOneList() {
        // 100 targets with 50 finished remediations of about 1.4 KiB each: 7 MiB, seven times what one ConfigMap holds.
        for (int t = 0; t < 100; t++) {
            TargetRecord record = TargetRecord.initial(T0);
            for (int i = 1; i <= 50; i++) {
                record = record.finished(TargetState.healthy(T0), "done", new HistoryEntry("r" + i,
                        Optional.of("job-" + i), T0, T0.plusSeconds(i), HistoryEntry.Outcome.RETRAINED,
                        "x".repeat(1400), List.of()), 50);
            }
            assertThat(store().compareAndSet("model-" + t, 0, record)).isTrue();
        }

        var state = store().load();

        assertThat(state.targets()).hasSize(100);
        assertThat(state.targets().get("model-99").history()).hasSize(50);
        assertThat(client.configMaps().inNamespace(NS).withLabel("model-guardian.dev/state", "model-guardian-state")
                .list().getItems()).hasSize(100);
    }

    @Test
    void givenARecordWrittenBeforeTheSplit_whenTheNextStepIsWritten_thenItMovesToTheTargetsConfigMap() {
        TargetRecord old = retraining(TargetRecord.initial(T0));
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("model-guardian-state").endMetadata()
                .addToData("target.t.json", new StateCodec().writeTarget(old))
                .addToData("policies.json", "{}").build()).create();
        assertThat(store().load().targets().get("t")).isEqualTo(old);
        assertThat(store().target("t", T0)).isEqualTo(old);

        TargetRecord next = old.with(old.current().moveTo(RemediationState.VALIDATING, T0), "Job complete");
        assertThat(store().compareAndSet("t", old.revision() + 1, next)).as("a stale revision").isFalse();
        assertThat(store().compareAndSet("t", old.revision(), next)).isTrue();

        assertThat(client.configMaps().inNamespace(NS).withName("model-guardian-state-t").get().getData())
                .containsOnlyKeys("target.t.json");
        assertThat(client.configMaps().inNamespace(NS).withName("model-guardian-state").get().getData())
                .containsOnlyKeys("policies.json");
        assertThat(store().load().targets().get("t")).isEqualTo(next);
    }

    @Test
    void givenAnOldCopyLeftInTheStateConfigMap_whenLoaded_thenTheTargetsOwnConfigMapWins() {
        TargetRecord first = retraining(TargetRecord.initial(T0));
        assertThat(store().compareAndSet("t", 0, first)).isTrue();
        TargetRecord stale = TargetRecord.initial(T0);
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("model-guardian-state").endMetadata()
                .addToData("target.t.json", new StateCodec().writeTarget(stale)).build()).create();

        assertThat(store().load().targets().get("t")).isEqualTo(first);
        assertThat(store().target("t", T0)).isEqualTo(first);
    }

    @Test
    void givenRecordsWrittenBeforeTheSplit_whenThePolicyStatusesAreSaved_thenEachMovesToItsTargetsConfigMap() {
        TargetRecord one = retraining(TargetRecord.initial(T0));
        TargetRecord two = TargetRecord.initial(T0).with(TargetState.healthy(T0), "healthy");
        StateCodec codec = new StateCodec();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("model-guardian-state").endMetadata()
                .addToData("target.one.json", codec.writeTarget(one))
                .addToData("target.two.json", codec.writeTarget(two)).build()).create();

        store().savePolicies(Map.of("m/s", PolicyStatus.unknown(T0)));

        assertThat(client.configMaps().inNamespace(NS).withName("model-guardian-state").get().getData())
                .containsOnlyKeys("policies.json");
        assertThat(client.configMaps().inNamespace(NS).withName("model-guardian-state-one").get().getData())
                .containsOnlyKeys("target.one.json");
        assertThat(client.configMaps().inNamespace(NS).withName("model-guardian-state-two").get().getMetadata()
                .getLabels()).containsEntry("model-guardian.dev/state", "model-guardian-state");
        assertThat(store().load().targets()).containsExactlyInAnyOrderEntriesOf(Map.of("one", one, "two", two));
    }

    @Test
    void givenAnOldCopyThatOutlivedItsMove_whenThePolicyStatusesAreSaved_thenTheCopyGoesAndTheMovedRecordStays() {
        TargetRecord first = retraining(TargetRecord.initial(T0));
        assertThat(store().compareAndSet("t", 0, first)).isTrue();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("model-guardian-state").endMetadata()
                .addToData("target.t.json", new StateCodec().writeTarget(TargetRecord.initial(T0))).build()).create();

        store().savePolicies(Map.of("m/s", PolicyStatus.unknown(T0)));

        assertThat(client.configMaps().inNamespace(NS).withName("model-guardian-state").get().getData())
                .containsOnlyKeys("policies.json");
        assertThat(store().target("t", T0)).isEqualTo(first);
    }

    @Test
    void givenTheConfigMapOfThatNameHoldsAnotherTargetsRecord_whenWritten_thenItIsRefusedAndLeftAlone() {
        // Target "y" was written where target "x" would go (names that meet after hashing, or a hand-made copy).
        String shared = ConfigMapStateStore.shardName("model-guardian-state", "x");
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(shared)
                .addToLabels("model-guardian.dev/state", "model-guardian-state").endMetadata()
                .addToData("target.y.json", new StateCodec().writeTarget(TargetRecord.initial(T0))).build()).create();

        assertThatThrownBy(() -> store().compareAndSet("x", 0, retraining(TargetRecord.initial(T0))))
                .isInstanceOf(StateStore.StoreException.class)
                .hasMessage("cannot use ConfigMap neural-hive/model-guardian-state-x for target x's state: it holds"
                        + " target y's, whose name maps to the same ConfigMap; rename one of the two targets");
        assertThat(client.configMaps().inNamespace(NS).withName(shared).get().getData())
                .containsOnlyKeys("target.y.json");
    }

    @Test
    void givenAnOldRecordWhoseTargetsNameIsTakenByAForeignConfigMap_whenPoliciesAreSaved_thenTheyAreSavedAndItStays() {
        TargetRecord old = retraining(TargetRecord.initial(T0));
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("model-guardian-state").endMetadata()
                .addToData("target.t.json", new StateCodec().writeTarget(old)).build()).create();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("model-guardian-state-t").endMetadata().addToData("app", "settings").build()).create();

        store().savePolicies(Map.of("m/s", PolicyStatus.unknown(T0)));

        assertThat(client.configMaps().inNamespace(NS).withName("model-guardian-state").get().getData())
                .containsOnlyKeys("policies.json", "target.t.json");
        assertThat(client.configMaps().inNamespace(NS).withName("model-guardian-state-t").get().getData())
                .containsOnlyKeys("app");
        assertThat(store().load().targets().get("t")).isEqualTo(old);
    }

    @Test
    void givenTheStateConfigMapIsLabelledForAnotherState_whenPoliciesAreSaved_thenItIsRefusedAndLeftAlone() {
        // Another guardian's target ConfigMap: its state "model-guardian" and target "state" give this very name.
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("model-guardian-state").addToLabels("model-guardian.dev/state", "model-guardian").endMetadata()
                .addToData("target.state.json", new StateCodec().writeTarget(TargetRecord.initial(T0))).build())
                .create();

        assertThatThrownBy(() -> store().savePolicies(Map.of("m/s", PolicyStatus.unknown(T0))))
                .isInstanceOf(StateStore.StoreException.class)
                .hasMessage("cannot use ConfigMap neural-hive/model-guardian-state as the guardian's state: it is"
                        + " labelled model-guardian.dev/state=model-guardian, another state's (a second guardian's"
                        + " target?); set another guardian.state.config-map");
        assertThat(client.configMaps().inNamespace(NS).withName("model-guardian-state").get().getData())
                .containsOnlyKeys("target.state.json");
    }

    @Test
    void givenTargetNamesThatAreNoObjectNames_whenWritten_thenEachGetsADistinctValidConfigMap() {
        assertThat(ConfigMapStateStore.shardName("model-guardian-state", "orchestrator-dynamic-ml-training"))
                .isEqualTo("model-guardian-state-orchestrator-dynamic-ml-training");
        String upper = ConfigMapStateStore.shardName("model-guardian-state", "Ticket_Model");
        String lower = ConfigMapStateStore.shardName("model-guardian-state", "ticket-model");
        String longName = ConfigMapStateStore.shardName("model-guardian-state", "m".repeat(300));
        assertThat(upper).matches("model-guardian-state-ticket-model-[0-9a-f]{8}").isNotEqualTo(lower);
        // Each dot-separated part of an object name starts and ends with a letter or digit.
        String objectName = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
        assertThat(longName).hasSizeLessThanOrEqualTo(253).matches(objectName);
        assertThat(ConfigMapStateStore.shardName("model-guardian-state", "a.-b")).matches(objectName);
        assertThat(ConfigMapStateStore.shardName("model-guardian-state", ".x")).matches(objectName);
        assertThat(ConfigMapStateStore.shardName("s".repeat(244), "m".repeat(300))).hasSize(253).matches(objectName);

        assertThat(store().compareAndSet("Ticket_Model", 0, retraining(TargetRecord.initial(T0)))).isTrue();
        assertThat(store().compareAndSet("ticket-model", 0, TargetRecord.initial(T0).with(TargetState.healthy(T0),
                "ok"))).isTrue();

        assertThat(store().load().targets()).containsOnlyKeys("Ticket_Model", "ticket-model");
        assertThat(store().target("Ticket_Model", T0).current().state()).isEqualTo(RemediationState.RETRAINING);
        assertThat(ConfigMapStateStore.labelValue("s".repeat(100))).hasSize(63);
    }

    @Test
    void givenAConfigMapOfThatNameThatIsNotTheGuardians_whenATargetIsWritten_thenItIsRefusedAndLeftAlone() {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("model-guardian-state-t").endMetadata().addToData("app", "settings").build()).create();

        assertThatThrownBy(() -> store().compareAndSet("t", 0, retraining(TargetRecord.initial(T0))))
                .isInstanceOf(StateStore.StoreException.class)
                .hasMessage("cannot use ConfigMap neural-hive/model-guardian-state-t for target t's state: it exists"
                        + " without label model-guardian.dev/state=model-guardian-state, so it is not this guardian's;"
                        + " rename or delete it, or set another guardian.state.config-map");
        assertThat(client.configMaps().inNamespace(NS).withName("model-guardian-state-t").get().getData())
                .containsOnlyKeys("app");
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
