/**
 * Runbook step 5: the post-mortem draft of a finished remediation, a pure function of what the state keeps and of the
 * signals over the incident window ({@link dev.modelguardian.core.postmortem.PostmortemDraft},
 * {@link dev.modelguardian.core.postmortem.SignalWindow}). The {@code postmortem} and {@code replay --postmortem}
 * commands write it; notifications attach it when a remediation ends.
 */
package dev.modelguardian.core.postmortem;
