/**
 * The one retry abstraction of the guardian: {@link dev.modelguardian.core.retry.Backoff} (how long to wait after the n-th
 * failure: exponential from an initial delay, capped, with a {@link dev.modelguardian.core.retry.Jitter}, never shorter
 * than a server's hint such as {@code Retry-After}) and {@link dev.modelguardian.core.retry.Retrying} (runs an action until
 * it succeeds, fails with a failure whose type is not retryable, runs out of attempts or passes its deadline, and says
 * which in an {@link dev.modelguardian.core.retry.Outcome}). The MLflow client, the notification channels and the serve
 * loop's cycle backoff all use it.
 *
 * <p>Framework-free: this package imports nothing but {@code java.*} (no Quarkus, CDI, SmallRye, logging or metrics),
 * so it works, and is tested, without a container; randomness, time and sleeping are injected. Callers log and count
 * through {@link dev.modelguardian.core.retry.Retrying.BeforeRetry} and the outcome.
 */
package dev.modelguardian.core.retry;
