/**
 * The metric-source port: {@link dev.modelguardian.core.signal.MetricSource} (a query or selector in, observations out,
 * one read cycle per evaluation), the registry of sources by kind ({@link dev.modelguardian.core.signal.MetricSources})
 * and the observations they answer with; {@link dev.modelguardian.core.signal.SignalQuery}, which each source
 * implements with a record of its own; {@link dev.modelguardian.core.signal.SignalRange} (a query over a past period,
 * for {@code replay}) and {@link dev.modelguardian.core.signal.ScriptedSignals} (what a replay scripts, read by each
 * source's scripted form). Which system answers and how its queries are written is each integration's business.
 * Framework-free core: imports only {@code java.*}; anything may import it.
 */
package dev.modelguardian.core.signal;
