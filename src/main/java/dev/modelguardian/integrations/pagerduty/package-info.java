/**
 * The PagerDuty Events API v2 channel: trigger and resolve on one incident key per target; {@code PagerDutyProvider}
 * holds its key validation, its {@code doctor} check and builds it from its keys ({@code PagerDutySettings},
 * {@code guardian.notify.pagerduty.*}). Imports the core, the configuration tree (and its extension points) and
 * {@code integrations.http}; never the application.
 */
package dev.modelguardian.integrations.pagerduty;
