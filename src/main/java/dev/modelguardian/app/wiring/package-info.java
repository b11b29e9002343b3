/**
 * The composition root: builds the policies and training targets from the configuration, picks the metric sources, the
 * training trigger, the registry, the state store and the listeners, and runs {@code serve}'s loop.
 * {@link dev.modelguardian.app.wiring.Extensions} is the one registration list of the metric sources, notification
 * channels, model registries, training triggers and the cluster's {@code doctor} checks.
 * {@link dev.modelguardian.app.wiring.Acting} says whether this process may act now. Application layer: the one place
 * that knows every integration.
 */
package dev.modelguardian.app.wiring;
