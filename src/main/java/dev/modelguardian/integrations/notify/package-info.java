/**
 * Delivering notifications: the {@code RemediationListener} that turns a step's milestone into a
 * notification and queues it per channel, each channel's delivery thread with the core's retry, Retry-After and
 * counters. The channels themselves are their own integrations ({@code slack}, {@code pagerduty}, {@code webhook}),
 * built by their providers and handed in by the application. Imports the core and the configuration tree; neither a
 * channel nor the application.
 */
package dev.modelguardian.integrations.notify;
