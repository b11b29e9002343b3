/**
 * The scrape metric source: one read per cycle of a model server's Prometheus text-format endpoint, shared by every
 * scrape signal: its query record ({@code ScrapeQuery}), client, parser, source (also over a simulated fetch, for
 * {@code replay}), provider and keys ({@code ScrapeSettings}, {@code guardian.scrape.*}). Imports the core, the
 * configuration tree and {@code integrations.http}; never the application.
 */
package dev.modelguardian.integrations.scrape;
