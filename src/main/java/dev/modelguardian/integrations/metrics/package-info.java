/**
 * Micrometer metrics of the guardian: signal values, policy and target states, remediations ended,
 * cycle durations. Imports the core and the configuration tree; never the application.
 */
package dev.modelguardian.integrations.metrics;
