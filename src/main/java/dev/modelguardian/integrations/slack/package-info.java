/**
 * The Slack incoming-webhook channel: one Block Kit message per notification. Imports the core and
 * {@code integrations.http}; never the application.
 */
package dev.modelguardian.integrations.slack;
