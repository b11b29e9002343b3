/**
 * The composition root: builds the policies and training targets from the configuration, picks the metric
 * sources, the training trigger, the registry, the state store and the listeners, and runs {@code serve}'s loop.
 * Application layer: the one place that knows every integration.
 */
package dev.modelguardian.app.wiring;
