/**
 * The Slack incoming-webhook channel: one Block Kit message per notification; {@code SlackProvider} holds its key
 * validation, its {@code doctor} check and builds it from its keys ({@code SlackSettings},
 * {@code guardian.notify.slack.*}). Imports the core, the configuration tree (and its extension points) and
 * {@code integrations.http}; never the application.
 */
package dev.modelguardian.integrations.slack;
