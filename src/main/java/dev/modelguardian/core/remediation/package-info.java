/**
 * The remediation engine: observe, decide, persist, act, record. The state machine is one table,
 * {@link dev.modelguardian.core.remediation.StateMachine#EDGES}; the deciders are pure functions of (observed state,
 * policy, clock); every persisted step carries its typed {@link dev.modelguardian.core.remediation.Reason}. The ports
 * the engine acts through live here too: {@link dev.modelguardian.core.remediation.StateStore},
 * {@link dev.modelguardian.core.remediation.TrainingTrigger} (a training run started, observed, found running),
 * {@link dev.modelguardian.core.remediation.ModelServer}, {@link dev.modelguardian.core.remediation.CallerIdentity}
 * (who approves from the command line). Framework-free core: imports only {@code java.*}, the other core packages and a
 * logging facade; anything may import it.
 */
package dev.modelguardian.core.remediation;
