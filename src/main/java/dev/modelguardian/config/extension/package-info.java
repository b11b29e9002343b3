/**
 * The extension points: {@link dev.modelguardian.config.extension.SourceProvider} (a metric source),
 * {@link dev.modelguardian.config.extension.ChannelProvider} (a notification channel),
 * {@link dev.modelguardian.config.extension.RegistryProvider} (a model registry) and
 * {@link dev.modelguardian.config.extension.TriggerProvider} (a training trigger), each bringing its validation, its
 * {@code doctor} checks ({@link dev.modelguardian.config.extension.DoctorContext}) and its adapter; an integration
 * folder implements one and the application registers it in one list. Besides them,
 * {@link dev.modelguardian.config.extension.ClusterChecks}, {@code doctor}'s checks of the cluster itself (one
 * implementation, the Kubernetes integration's); {@link dev.modelguardian.config.extension.ChannelChecks}, the checks
 * every channel shares; and {@link dev.modelguardian.config.extension.SourceChecks}, the signal check every source
 * shares. Imports the configuration tree and the core, plus the two client types an adapter is built from (fabric8's
 * {@code KubernetesClient} for a trigger and the cluster checks, Jackson's {@code ObjectMapper} for a source); never
 * an integration or the application.
 */
package dev.modelguardian.config.extension;
