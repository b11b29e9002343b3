/**
 * The policy engine: a signal's value against its bound, held for its {@code for}, with hysteresis and no-data
 * handling ({@link dev.modelguardian.core.policy.PolicyEngine}, {@link dev.modelguardian.core.policy.PolicyEvaluator}),
 * and its vocabulary (policies, states, statuses). Part of the framework-free core: imports only {@code java.*}, the
 * core's {@code signal} port and a logging facade; anything may import it.
 */
package dev.modelguardian.core.policy;
