/**
 * The metric-source port: {@link dev.modelguardian.core.signal.MetricSource} (a query or selector in,
 * observations out, one read cycle per evaluation), the registry of sources by kind
 * ({@link dev.modelguardian.core.signal.MetricSources}) and the observations they answer with. Which system answers and
 * how its queries are written is each integration's business. Framework-free core: imports only {@code java.*};
 * anything may import it.
 */
package dev.modelguardian.core.signal;
