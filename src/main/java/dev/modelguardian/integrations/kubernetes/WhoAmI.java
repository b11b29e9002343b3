package dev.modelguardian.integrations.kubernetes;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Who the Kubernetes API server says the caller is ({@code kubectl auth whoami}): a SelfSubjectReview, which every
 * authenticated user may create (authentication.k8s.io/v1, Kubernetes 1.28 and later). Used to record who approved or
 * rejected a remediation from the command line.
 */
public final class WhoAmI {

    private WhoAmI() {
    }

    /** The caller's user name; empty when the API server does not serve the review or does not say. */
    public static Optional<String> of(KubernetesClient client) {
        try {
            SelfSubjectReview review = client.authentication().v1().selfSubjectReviews().create(new SelfSubjectReview());
            return Optional.ofNullable(review).map(SelfSubjectReview::getStatus)
                    .map(s -> s.getUserInfo()).map(u -> u.getUsername()).filter(name -> !name.isBlank());
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }
}
