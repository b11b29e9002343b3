/**
 * Runbook step 5: the post-mortem draft of a finished remediation, written from what the state keeps
 * ({@link dev.modelguardian.app.postmortem.PostmortemDraft}); the {@code postmortem} command prints it.
 */
package dev.modelguardian.app.postmortem;
