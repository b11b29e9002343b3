/**
 * The scrape metric source: one read per cycle of a model server's Prometheus text-format endpoint,
 * shared by every scrape signal. Imports the core, the configuration tree and {@code integrations.http}; never the
 * application.
 */
package dev.modelguardian.integrations.scrape;
