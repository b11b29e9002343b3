/**
 * The generic webhook channel: the notification as JSON, signed with HMAC-SHA256 when a secret is
 * set. Imports the core and {@code integrations.http}; never the application.
 */
package dev.modelguardian.integrations.webhook;
