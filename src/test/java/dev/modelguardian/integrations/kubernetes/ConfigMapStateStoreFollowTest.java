package dev.modelguardian.integrations.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

import dev.modelguardian.core.policy.PolicyState;
import dev.modelguardian.core.policy.PolicyStatus;
import dev.modelguardian.core.remediation.GuardianState;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.RemediationState;
import dev.modelguardian.core.remediation.StateStore;
import dev.modelguardian.core.remediation.TargetRecord;

/**
 * How a load reads the state: each target's record decoded once per resourceVersion, and, while the store is followed
 * ({@code serve}), the targets' ConfigMaps from an informer and only the state ConfigMap from the API. Fabric8 mock
 * server in CRUD mode; requests counted as the server received them.
 */
@EnableKubernetesMockClient(crud = true)
class ConfigMapStateStoreFollowTest {

    private static final String NS = "neural-hive";
    private static final Instant T0 = Instant.parse("2026-11-24T02:00:00Z");
    private static final List<String> TARGETS = List.of("duration-training", "anomaly-training", "load-training");

    KubernetesClient client;
    KubernetesMockServer server;

    private ConfigMapStateStore store() {
        return new ConfigMapStateStore(client, NS, "model-guardian-state");
    }

    /** Three targets, each with a history of three finished remediations, and one policy status. */
    @BeforeEach
    void threeTargetsWithHistory() {
        ConfigMapStateStore writer = store();
        for (String target : TARGETS) {
            TargetRecord record = TargetRecord.initial(T0);
            for (int i = 0; i < 3; i++) {
                record = record.finished(record.current(), "promoted", new HistoryEntry("r" + i,
                        Optional.of("ml-retrain-emergency-" + i), T0.plusSeconds(i), T0.plusSeconds(i + 600),
                        HistoryEntry.Outcome.PROMOTED, "promoted v" + (i + 8), List.of()), 50);
            }
            assertThat(writer.compareAndSet(target, 0, record)).isTrue();
        }
        writer.savePolicies(Map.of("ticket-duration-predictor/mae-ratio", new PolicyStatus(PolicyState.HEALTHY, T0,
                Optional.empty(), Optional.empty(), OptionalDouble.of(0.9), 1, 0, Optional.empty())));
        takeRequests();
    }

    /** The requests the server received since the last call, as {@code METHOD path}. */
    private List<String> takeRequests() {
        List<String> taken = new ArrayList<>();
        try {
            RecordedRequest request;
            while ((request = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
                taken.add(request.getMethod() + " " + request.getPath());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return taken;
    }

    @Test
    void givenTargetConfigMapsUnchanged_whenLoadedAgain_thenEachRecordIsTheOneDecodedBefore() {
        ConfigMapStateStore store = store();
        GuardianState first = store.load();

        GuardianState second = store.load();

        for (String target : TARGETS) {
            assertThat(second.targets().get(target)).as(target).isSameAs(first.targets().get(target));
        }
    }

    @Test
    void givenOneTargetWritten_whenLoadedAgain_thenOnlyThatTargetIsDecodedAgainAndShowsTheWrite() {
        ConfigMapStateStore store = store();
        GuardianState first = store.load();
        TargetRecord before = first.targets().get("anomaly-training");
        TargetRecord next = fired(store(), "anomaly-training", before);

        GuardianState second = store.load();

        assertThat(second.targets().get("anomaly-training")).isEqualTo(next);
        assertThat(second.targets().get("duration-training")).isSameAs(first.targets().get("duration-training"));
        assertThat(second.targets().get("load-training")).isSameAs(first.targets().get("load-training"));
    }

    @Test
    void givenTheStoreFollowed_whenLoaded_thenOnlyTheStateConfigMapIsReadFromTheApiAndTheStateIsTheListedOne() {
        ConfigMapStateStore store = store();
        GuardianState listed = store().load();
        try (StateStore.Following following = store.follow()) {
            await("the state informer listed and watching").atMost(Duration.ofSeconds(10))
                    .until(store::readsFromInformer);
            takeRequests();

            GuardianState loaded = store.load();

            assertThat(takeRequests()).containsExactly("GET /api/v1/namespaces/" + NS
                    + "/configmaps/model-guardian-state");
            assertThat(loaded).isEqualTo(listed);
            assertThat(loaded.targets()).containsOnlyKeys(TARGETS);
        }
    }

    @Test
    void givenTheStoreFollowed_whenAnotherWriterChangesATarget_thenALoadSeesTheChange() {
        ConfigMapStateStore store = store();
        try (StateStore.Following following = store.follow()) {
            await().atMost(Duration.ofSeconds(10)).until(store::readsFromInformer);
            TargetRecord before = store.load().targets().get("load-training");

            // Another writer: a remediate Job, or the guardian's own previous leader.
            TargetRecord next = fired(store(), "load-training", before);

            takeRequests();
            await("the write seen through the watch").atMost(Duration.ofSeconds(10))
                    .until(() -> store.load().targets().get("load-training").equals(next));
            assertThat(takeRequests()).as("loads read the state ConfigMap, never a list").isNotEmpty()
                    .allSatisfy(request -> assertThat(request).isEqualTo("GET /api/v1/namespaces/" + NS
                            + "/configmaps/model-guardian-state"));
        }
    }

    /** What an operator resetting a stuck target does: {@code kubectl delete configmap model-guardian-state-...}. */
    private void deleteStateOf(String target) {
        client.configMaps().inNamespace(NS).withName("model-guardian-state-" + target).delete();
    }

    /** {@code read} moved to FIRING and written by {@code writer} as {@code target}'s record (compare-and-set). */
    private static TargetRecord fired(ConfigMapStateStore writer, String target, TargetRecord read) {
        TargetRecord next = read.with(read.current().moveTo(RemediationState.FIRING, T0), "firing");
        assertThat(writer.compareAndSet(target, read.revision(), next)).isTrue();
        return next;
    }

    /** The targets' ConfigMaps as they are now: what an informer that stops seeing changes would keep showing. */
    private List<io.fabric8.kubernetes.api.model.ConfigMap> frozen() {
        return client.configMaps().inNamespace(NS).withLabel(ConfigMapStateStore.STATE_LABEL, "model-guardian-state")
                .list().getItems().stream().filter(cm -> !cm.getMetadata().getName().equals("model-guardian-state"))
                .toList();
    }

    @Test
    void givenTheInformerBehindTheStoresOwnWrite_whenLoaded_thenTheOwnWriteIsShown() {
        ConfigMapStateStore store = store();
        List<io.fabric8.kubernetes.api.model.ConfigMap> behind = frozen();
        try (StateStore.Following following = store.followFrom(() -> Optional.of(behind))) {
            TargetRecord read = store.load().targets().get("duration-training");
            TargetRecord next = fired(store, "duration-training", read);

            GuardianState loaded = store.load();

            assertThat(loaded.targets().get("duration-training")).isEqualTo(next);
            assertThat(loaded.targets().get("anomaly-training")).isEqualTo(read(behind, "anomaly-training"));
        }
    }

    @Test
    void givenTheInformersWatchReconnecting_whenTheStoreWritesListsAndTheInformerComesBackBehind_thenTheOwnWriteIsShown() {
        ConfigMapStateStore store = store();
        List<io.fabric8.kubernetes.api.model.ConfigMap> behind = frozen();
        java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean();
        try (StateStore.Following following = store.followFrom(() -> watching.get() ? Optional.of(behind)
                : Optional.empty())) {
            TargetRecord read = store.load().targets().get("load-training");
            TargetRecord next = fired(store, "load-training", read);
            assertThat(store.load().targets().get("load-training")).as("listed while the watch is down")
                    .isEqualTo(next);

            watching.set(true);

            assertThat(store.load().targets().get("load-training")).as("the informer back, a write behind")
                    .isEqualTo(next);
        }
    }

    @Test
    void givenTheInformerNotServing_whenAnotherWriterWritesAfterTheStore_thenAListedLoadShowsTheirNewerRecord() {
        ConfigMapStateStore store = store();
        try (StateStore.Following following = store.followFrom(Optional::empty)) {
            TargetRecord ours = fired(store, "load-training", store.load().targets().get("load-training"));
            TargetRecord theirs = ours.with(ours.current().moveTo(RemediationState.RETRAINING, T0), "retraining");
            assertThat(store().compareAndSet("load-training", ours.revision(), theirs)).isTrue();

            assertThat(store.load().targets().get("load-training")).isEqualTo(theirs);
        }
    }

    @Test
    void givenTheInformerNotServing_whenATargetTheStoreWroteIsDeleted_thenAListedLoadNoLongerShowsIt() {
        ConfigMapStateStore store = store();
        try (StateStore.Following following = store.followFrom(Optional::empty)) {
            fired(store, "anomaly-training", store.load().targets().get("anomaly-training"));

            deleteStateOf("anomaly-training");

            assertThat(store.load().targets()).containsOnlyKeys("duration-training", "load-training");
        }
    }

    @Test
    void givenTheInformerBehindAnotherWritersWrite_whenCompareAndSetOnTheRevisionItShows_thenNothingIsWritten() {
        ConfigMapStateStore store = store();
        List<io.fabric8.kubernetes.api.model.ConfigMap> behind = frozen();
        try (StateStore.Following following = store.followFrom(() -> Optional.of(behind))) {
            TargetRecord read = store.load().targets().get("duration-training");
            TargetRecord theirs = fired(store(), "duration-training", read);
            TargetRecord lagging = store.load().targets().get("duration-training");
            TargetRecord ours = lagging.with(lagging.current().moveTo(RemediationState.PENDING, T0), "pending");

            assertThat(lagging).as("the informer's copy, a write behind").isEqualTo(read);
            assertThat(store.compareAndSet("duration-training", lagging.revision(), ours)).isFalse();
            assertThat(store.target("duration-training", T0)).isEqualTo(theirs);
        }
    }

    /** The record {@code target}'s ConfigMap in {@code configMaps} holds, decoded as a list would decode it. */
    private TargetRecord read(List<io.fabric8.kubernetes.api.model.ConfigMap> configMaps, String target) {
        return new StateCodec().readTarget("target." + target + ".json", configMaps.stream()
                .filter(cm -> cm.getMetadata().getName().equals("model-guardian-state-" + target)).findFirst()
                .orElseThrow().getData().get("target." + target + ".json"));
    }

    @Test
    void givenTheStoreFollowed_whenSynced_thenTheInformerGivesTheTargetsConfigMapsNotTheStateConfigMap() {
        StateInformer informer = new StateInformer(client, NS, "model-guardian-state", "model-guardian-state",
                deleted -> {
                });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> informer.cached().isPresent());

            assertThat(informer.cached().orElseThrow()).extracting(cm -> cm.getMetadata().getName())
                    .containsExactlyInAnyOrder("model-guardian-state-duration-training",
                            "model-guardian-state-anomaly-training", "model-guardian-state-load-training");
        } finally {
            informer.close();
        }
    }

    @Test
    void givenTheApiRefusesTheInformersWatch_whenItFails_thenItStopsWithOneWarningNamingTheVerbToGrant() {
        try (CapturedLog log = CapturedLog.of(StateInformer.class)) {
            boolean retried = StateInformer.retry(true, new java.util.concurrent.CompletionException(
                    new io.fabric8.kubernetes.client.KubernetesClientException("configmaps is forbidden", 403, null)));

            assertThat(retried).isFalse();
            assertThat(log.warnings()).singleElement().asString().contains("HTTP 403")
                    .contains("grant the guardian's ServiceAccount list and watch on configmaps")
                    .contains("Every cycle lists the state instead");
        }
    }

    @Test
    void givenARoleWithoutWatch_whenTheStoreIsFollowed_thenTheInformerStopsWithOneWarningAndLoadsList() {
        // An API server that lists configmaps but refuses to watch them, as RBAC does for a Role from before watch.
        com.github.tomakehurst.wiremock.WireMockServer api = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().bindAddress("127.0.0.1")
                        .dynamicPort());
        api.start();
        String configMaps = "/api/v1/namespaces/" + NS + "/configmaps";
        api.stubFor(WireMock.get(WireMock.urlPathEqualTo(configMaps)).willReturn(WireMock.okJson("""
                {"apiVersion":"v1","kind":"ConfigMapList","metadata":{"resourceVersion":"7"},"items":[]}""")));
        api.stubFor(WireMock.get(WireMock.urlPathEqualTo(configMaps)).withQueryParam("watch", WireMock.equalTo("true"))
                .willReturn(WireMock.jsonResponse("""
                        {"apiVersion":"v1","kind":"Status","status":"Failure","reason":"Forbidden","code":403,\
                        "message":"configmaps is forbidden: cannot watch resource configmaps"}""", 403)));
        try (KubernetesClient refusing = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl(api.baseUrl())
                        .withRequestRetryBackoffLimit(0).build()).build();
                CapturedLog log = CapturedLog.of(StateInformer.class)) {
            ConfigMapStateStore store = new ConfigMapStateStore(refusing, NS, "model-guardian-state");
            try (StateStore.Following following = store.follow()) {
                await("the informer's warning").atMost(Duration.ofSeconds(10)).until(() -> !log.warnings().isEmpty());
                await("no retry: one warning").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                        .until(() -> log.warnings().size() == 1);
                api.resetRequests();

                assertThat(store.load().targets()).isEmpty();

                assertThat(log.warnings().getFirst()).contains("HTTP 403")
                        .contains("grant the guardian's ServiceAccount list and watch on configmaps");
                assertThat(store.readsFromInformer()).isFalse();
                assertThat(api.getAllServeEvents()).extracting(e -> e.getRequest().getUrl())
                        .anySatisfy(url -> assertThat(url).startsWith(configMaps + "?labelSelector="));
            }
        } finally {
            api.stop();
        }
    }

    @Test
    void givenTheInformersWatchBreaksForAnotherReason_whenItFails_thenItIsRetried() {
        try (CapturedLog log = CapturedLog.of(StateInformer.class)) {
            boolean retried = StateInformer.retry(true, new io.fabric8.kubernetes.client.WatcherException("closed",
                    new io.fabric8.kubernetes.client.KubernetesClientException("etcd leader changed", 500, null)));

            assertThat(retried).isTrue();
            assertThat(log.warnings()).singleElement().asString().contains("watch failed with HTTP 500");
        }
    }

    @Test
    void givenTheStoreFollowed_whenATargetsConfigMapItWroteIsDeletedByHand_thenLoadsNoLongerShowTheTarget() {
        ConfigMapStateStore store = store();
        try (StateStore.Following following = store.follow()) {
            await().atMost(Duration.ofSeconds(10)).until(store::readsFromInformer);
            fired(store, "anomaly-training", store.load().targets().get("anomaly-training"));

            deleteStateOf("anomaly-training");

            await("the deletion seen through the watch").atMost(Duration.ofSeconds(10))
                    .until(() -> !store.load().targets().containsKey("anomaly-training"));
            assertThat(store.load().targets()).containsOnlyKeys("duration-training", "load-training");
        }
    }

    @Test
    void givenTheStoreNotFollowed_whenATargetItWroteIsDeletedAndTheStateListed_thenTheTargetIsGone() {
        ConfigMapStateStore store = store();
        fired(store, "load-training", store.load().targets().get("load-training"));

        deleteStateOf("load-training");

        assertThat(store.load().targets()).containsOnlyKeys("duration-training", "anomaly-training");
    }

    @Test
    void givenTheFollowingClosed_whenLoaded_thenTheStateIsListedAgain() {
        ConfigMapStateStore store = store();
        StateStore.Following following = store.follow();
        await().atMost(Duration.ofSeconds(10)).until(store::readsFromInformer);

        following.close();
        following.close();
        takeRequests();
        GuardianState loaded = store.load();

        assertThat(store.readsFromInformer()).isFalse();
        assertThat(takeRequests()).singleElement().asString().startsWith("GET /api/v1/namespaces/" + NS
                + "/configmaps?labelSelector=");
        assertThat(loaded.targets()).containsOnlyKeys(TARGETS);
    }

    @Test
    void givenTheStoreFollowed_whenFollowedAgain_thenRefusedWhileTheFirstIsOpen() {
        ConfigMapStateStore store = store();
        try (StateStore.Following following = store.follow()) {
            assertThatThrownBy(store::follow).isInstanceOf(IllegalStateException.class)
                    .hasMessage("ConfigMap neural-hive/model-guardian-state is already followed");
        }
        store.follow().close();
    }
}
