/**
 * The Prometheus metric source: PromQL instant and range queries over the HTTP API, a bounded number
 * in flight. One folder: its client, its {@code MetricSource} and its API. Imports the core, the configuration tree and
 * {@code integrations.http}; never the application.
 */
package dev.modelguardian.integrations.prometheus;
