/**
 * Kubernetes for everything but training: the state ConfigMap store (compare-and-set on the resourceVersion), the flag
 * ConfigMap and Deployment restart (the model-server port), the Lease (the leader-election port), events.k8s.io Events
 * from the typed {@code Reason}, the RBAC the configuration needs, who the caller is (the {@code CallerIdentity} port,
 * a SelfSubjectReview), {@code doctor}'s checks of the cluster ({@code KubernetesChecks}), and API-failure
 * classification by HTTP code. Imports the core and the configuration tree; never the application.
 */
package dev.modelguardian.integrations.kubernetes;
