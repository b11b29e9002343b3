package dev.modelguardian.integrations.kubernetes;

import java.net.HttpURLConnection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The ConfigMaps of one state (labelled {@value ConfigMapStateStore#STATE_LABEL} with its value), kept by a fabric8
 * {@link SharedIndexInformer}: one list, then a watch from its resourceVersion, listed again by the informer itself
 * when the watch breaks. {@link ConfigMapStateStore#load()} reads the targets' ConfigMaps from it while it is
 * watching, so that a {@code serve} cycle does not list every target's record and history again. The state ConfigMap
 * (the policy statuses, written every cycle) is in the watch too (a field selector {@code metadata.name!=} would
 * leave it out, but the mock API server the tests run on does not deliver watch events through one), and left out of
 * {@link #cached()}: loads read it from the API.
 *
 * <p>Refused (HTTP 403: a Role without {@code watch} on configmaps), the informer stops with one WARN naming the verb
 * and loads list as they do without it; any other failure is retried by the informer, and loads list meanwhile.
 */
final class StateInformer {

    private static final Logger LOG = Logger.getLogger(StateInformer.class);

    private final String namespace;
    private final String stateConfigMap;
    private final SharedIndexInformer<ConfigMap> informer;
    private boolean closed;

    /**
     * An informer of the ConfigMaps labelled {@code label} in {@code namespace}, started at once; {@link #cached()}
     * leaves {@code stateConfigMap} out, and {@code onDeleted} is told the name of each one seen deleted (on the
     * informer's thread: it must return quickly).
     */
    StateInformer(KubernetesClient client, String namespace, String label, String stateConfigMap,
            Consumer<String> onDeleted) {
        this.namespace = namespace;
        this.stateConfigMap = stateConfigMap;
        // No resync: nothing handles events; the cache is read, and the watch keeps it current.
        this.informer = client.configMaps().inNamespace(namespace)
                .withLabel(ConfigMapStateStore.STATE_LABEL, label).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap configMap) {
            }

            @Override
            public void onUpdate(ConfigMap before, ConfigMap after) {
            }

            @Override
            public void onDelete(ConfigMap configMap, boolean finalStateUnknown) {
                onDeleted.accept(configMap.getMetadata().getName());
            }
        });
        informer.exceptionHandler(StateInformer::retry);
        informer.start().whenComplete((done, failure) -> {
            if (failure == null) {
                LOG.infof("State informer in namespace %s synced: %d state ConfigMap(s) cached", namespace,
                        informer.getStore().list().size());
            }
        });
    }

    /**
     * The targets' ConfigMaps as last seen, while the informer has listed and its watch is up (so that nothing the
     * cache misses has been written since, but for the moment a watch event takes); empty otherwise, and the caller
     * lists.
     */
    synchronized Optional<List<ConfigMap>> cached() {
        if (closed || !informer.isRunning() || !informer.hasSynced() || !informer.isWatching()) {
            return Optional.empty();
        }
        return Optional.of(informer.getStore().list().stream()
                .filter(cm -> !stateConfigMap.equals(cm.getMetadata().getName())).toList());
    }

    /** Stops the informer; loads list again. Idempotent. */
    synchronized void close() {
        if (!closed) {
            closed = true;
            informer.stop();
            LOG.debugf("State informer in namespace %s stopped", namespace);
        }
    }

    /**
     * Whether the informer lists and watches again after {@code failure}: not when the API refused it (403: retrying
     * cannot help, and each retry would list every target's ConfigMap again), always otherwise.
     *
     * @param started whether the informer had listed and started watching before
     */
    static boolean retry(boolean started, Throwable failure) {
        Optional<KubernetesClientException> api = apiFailure(failure);
        int code = api.map(KubernetesClientException::getCode).orElse(0);
        if (code == HttpURLConnection.HTTP_FORBIDDEN) {
            LOG.warnf("State informer stopped: the API refused its list or watch (HTTP 403); grant the guardian's"
                    + " ServiceAccount list and watch on configmaps (src/main/kubernetes/base/role.yaml). Every cycle"
                    + " lists the state instead");
            return false;
        }
        String what = started ? "watch" : "start (a list, then a watch)";
        if (code > 0) {
            LOG.warnf("State informer %s failed with HTTP %d; retrying (cycles list the state meanwhile)", what, code);
        } else {
            LOG.warnf("State informer %s failed (%s); retrying (cycles list the state meanwhile)", what,
                    ApiFailures.rootCause(failure));
        }
        return true;
    }

    /**
     * The API's answer inside {@code failure}: fabric8 hands the handler a list's or a watch's failure wrapped (a
     * {@code CompletionException}, a {@link WatcherException}).
     */
    private static Optional<KubernetesClientException> apiFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException k) {
                return Optional.of(k);
            }
            if (t instanceof WatcherException w) {
                return Optional.of(w.asClientException());
            }
        }
        return Optional.empty();
    }
}
