/**
 * The Prometheus metric source: PromQL instant and range queries over the HTTP API, a bounded number in flight. One
 * folder: its query record ({@code PromQlQuery}), its client, its {@code MetricSource} (also the {@code SignalRange}
 * of {@code replay --prometheus}), the batching of a cycle's reads that differ only by label values
 * ({@code PromQlBatches}), its scripted form for {@code replay}, its provider and its keys
 * ({@code PrometheusSettings}, {@code guardian.prometheus.*}). Imports the core, the configuration tree and
 * {@code integrations.http}; never the application.
 */
package dev.modelguardian.integrations.prometheus;
