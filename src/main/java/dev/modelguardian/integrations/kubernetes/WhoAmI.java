package dev.modelguardian.integrations.kubernetes;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import dev.modelguardian.core.remediation.CallerIdentity;

/**
 * Who the Kubernetes API server says the caller is ({@code kubectl auth whoami}): a SelfSubjectReview, which every
 * authenticated user may create (authentication.k8s.io/v1, Kubernetes 1.28 and later). Answers the core's
 * {@link CallerIdentity}: who approved or rejected a remediation from the command line.
 */
public final class WhoAmI implements CallerIdentity {

    private final KubernetesClient client;

    public WhoAmI(KubernetesClient client) {
        this.client = client;
    }

    /** The caller's user name; empty when the API server does not serve the review or does not say. */
    @Override
    public Optional<String> name() {
        try {
            SelfSubjectReview review = client.authentication().v1().selfSubjectReviews().create(new SelfSubjectReview());
            return Optional.ofNullable(review).map(SelfSubjectReview::getStatus)
                    .map(s -> s.getUserInfo()).map(u -> u.getUsername()).filter(name -> !name.isBlank());
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }
}
