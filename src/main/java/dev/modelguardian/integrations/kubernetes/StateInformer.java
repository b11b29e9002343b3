package dev.modelguardian.integrations.kubernetes;

import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import dev.modelguardian.core.remediation.StateStore;

/**
 * The ConfigMaps of one state (those labelled {@value ConfigMapStateStore#STATE_LABEL} with its value), kept by a
 * fabric8 {@link SharedIndexInformer}: one list, then a watch from its resourceVersion, listed again by the informer
 * itself when the watch breaks. {@link ConfigMapStateStore#load()} reads the targets' ConfigMaps from it while it is
 * watching, so that a {@code serve} cycle does not list every target's record and history again; before its first
 * list, while its watch is broken, and after {@link #close}, loads list as before.
 *
 * <p>Without the {@code watch} verb on configmaps (a Role from before this informer) the informer's first list or
 * watch is refused: a WARN says so with the HTTP status, the informer keeps trying, and loads keep listing.
 */
final class StateInformer implements StateStore.Following {

    private static final Logger LOG = Logger.getLogger(StateInformer.class);

    private final String namespace;
    private final SharedIndexInformer<ConfigMap> informer;
    private boolean closed;

    /** An informer of the ConfigMaps labelled {@code label} in {@code namespace}, started at once. */
    StateInformer(KubernetesClient client, String namespace, String label) {
        this.namespace = namespace;
        // No resync: nothing handles events; the cache is read, and the watch keeps it current.
        this.informer = client.configMaps().inNamespace(namespace)
                .withLabel(ConfigMapStateStore.STATE_LABEL, label).runnableInformer(0);
        informer.exceptionHandler(StateInformer::retry);
        informer.start().whenComplete((done, failure) -> {
            if (failure == null) {
                LOG.infof("State informer in namespace %s synced: %d state ConfigMap(s) cached", namespace,
                        informer.getStore().list().size());
            }
        });
    }

    /**
     * The state's ConfigMaps as last seen, while the informer has listed and its watch is up (so that nothing the
     * cache misses has been written since); empty otherwise, and the caller lists.
     */
    synchronized Optional<List<ConfigMap>> cached() {
        if (closed || !informer.isRunning() || !informer.hasSynced() || !informer.isWatching()) {
            return Optional.empty();
        }
        return Optional.of(informer.getStore().list());
    }

    /** Stops the informer; loads list again. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            informer.stop();
            LOG.debugf("State informer in namespace %s stopped", namespace);
        }
    }

    /**
     * Whether the informer lists and watches again after {@code failure}: always (loads list meanwhile); a refusal
     * names the verb the Role lacks.
     */
    private static boolean retry(boolean started, Throwable failure) {
        String what = started ? "watch" : "first list";
        if (failure instanceof KubernetesClientException k && k.getCode() == 403) {
            LOG.warnf("State informer %s refused (HTTP 403): grant the guardian's ServiceAccount list and watch on"
                    + " configmaps (src/main/kubernetes/base/role.yaml); retrying, and every cycle lists the state"
                    + " meanwhile", what);
        } else if (failure instanceof KubernetesClientException k && k.getCode() > 0) {
            LOG.warnf("State informer %s failed with HTTP %d; retrying (every cycle lists the state meanwhile)", what,
                    k.getCode());
        } else {
            LOG.warnf("State informer %s failed (%s); retrying (every cycle lists the state meanwhile)", what,
                    ApiFailures.rootCause(failure));
        }
        return true;
    }
}
