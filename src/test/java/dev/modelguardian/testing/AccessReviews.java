package dev.modelguardian.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The CRUD mock server, plus answers to SelfSubjectAccessReviews: allowed unless the test denied that permission.
 * It answers the question only: the mock server enforces no RBAC on any other request.
 */
public class AccessReviews extends KubernetesCrudDispatcher {

    /** Denied permissions, as {@code verb resource[.group][/name]}, e.g. {@code watch jobs.batch}. */
    public final Set<String> denied = ConcurrentHashMap.newKeySet();

    /** The namespace each permission was last asked in ("" for none: a cluster-scoped resource), by permission. */
    public final java.util.Map<String, String> namespaces = new ConcurrentHashMap<>();

    /**
     * The user a SelfSubjectReview names ({@code kubectl auth whoami}); null answers 404, as an API server older than
     * Kubernetes 1.28 does.
     */
    public volatile String user = "alice@neural-hive.example";

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        if (request.getPath().startsWith("/apis/authentication.k8s.io/v1/selfsubjectreviews")) {
            String name = user;
            if (name == null) {
                return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                        + "\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
            }
            SelfSubjectReview review = new SelfSubjectReviewBuilder().withNewStatus().withNewUserInfo()
                    .withUsername(name).withGroups("system:authenticated").endUserInfo().endStatus().build();
            return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
        }
        if (!request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")) {
            return super.handleCreate(request);
        }
        SelfSubjectAccessReview review = Serialization.unmarshal(request.getUtf8Body(), SelfSubjectAccessReview.class);
        ResourceAttributes a = review.getSpec().getResourceAttributes();
        String asked = a.getVerb() + " " + a.getResource()
                + (a.getSubresource() == null || a.getSubresource().isEmpty() ? "" : "/" + a.getSubresource())
                + (a.getGroup() == null || a.getGroup().isEmpty() ? "" : "." + a.getGroup())
                + (a.getName() == null ? "" : "/" + a.getName());
        namespaces.put(asked, a.getNamespace() == null ? "" : a.getNamespace());
        boolean allowed = !denied.contains(asked);
        review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(allowed).withDenied(!allowed)
                .withReason(allowed ? "RBAC: allowed by the test" : "RBAC: denied by the test").build());
        return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
    }
}
