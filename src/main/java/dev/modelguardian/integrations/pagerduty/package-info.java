/**
 * The PagerDuty Events API v2 channel: trigger and resolve on one incident key per target.
 * Imports the core and {@code integrations.http}; never the application.
 */
package dev.modelguardian.integrations.pagerduty;
