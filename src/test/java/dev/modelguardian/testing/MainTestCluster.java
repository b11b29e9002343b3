package dev.modelguardian.testing;

import java.util.HashMap;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * The fabric8 mock API server for {@code @QuarkusMainTest} commands: a command builds its Kubernetes client from the
 * environment, so the server's URL goes where a kubeconfig or the in-cluster service account would put it (system
 * properties fabric8 reads at client start), and is taken away again when the class is done.
 */
public final class MainTestCluster {

    private MainTestCluster() {
    }

    /** A CRUD-mode server, started, that every client built from now on talks to. */
    public static KubernetesMockServer start() {
        return start(new KubernetesCrudDispatcher());
    }

    /** A server with {@code dispatcher}, started, that every client built from now on talks to. */
    public static KubernetesMockServer start(KubernetesCrudDispatcher dispatcher) {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
                new HashMap<>(), dispatcher, false);
        server.init();
        System.setProperty("kubernetes.master", server.createClient().getConfiguration().getMasterUrl());
        System.setProperty("kubernetes.trust.certificates", "true");
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        return server;
    }

    /** Stops {@code server} and forgets its URL. */
    public static void stop(KubernetesMockServer server) {
        System.clearProperty("kubernetes.master");
        System.clearProperty("kubernetes.trust.certificates");
        System.clearProperty("kubernetes.auth.tryKubeConfig");
        server.destroy();
    }
}
