/**
 * The generic webhook channel: the notification as JSON, signed with HMAC-SHA256 when a secret is set;
 * {@code WebhookProvider} holds its key validation, its {@code doctor} check and builds it from its keys
 * ({@code WebhookSettings}, {@code guardian.notify.webhook.*}). Imports the core, the configuration tree (and its
 * extension points) and {@code integrations.http}; never the application.
 */
package dev.modelguardian.integrations.webhook;
