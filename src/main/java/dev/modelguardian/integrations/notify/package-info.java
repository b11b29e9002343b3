/**
 * Delivering notifications: the {@code RemediationListener} that turns a step's milestone into a
 * notification and queues it per channel, each channel's delivery thread with the core's retry, Retry-After and
 * counters. The channels themselves are their own integrations ({@code slack}, {@code pagerduty}, {@code webhook}).
 * Imports the core, the configuration tree and those channels; never the application.
 */
package dev.modelguardian.integrations.notify;
