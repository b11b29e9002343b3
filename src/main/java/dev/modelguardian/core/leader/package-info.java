/**
 * Leader election as the rest of the guardian sees it: {@link dev.modelguardian.core.leader.LeaderElection}, the port
 * {@code serve}, the HTTP API and the status page read to know whether this replica may act and who does. The
 * Kubernetes Lease behind it lives in {@code integrations.kubernetes}; the composition root ({@code app.wiring})
 * produces it.
 *
 * <p>Framework-free: imports nothing but {@code java.*}. Anything may import it; it imports nothing of the guardian.
 */
package dev.modelguardian.core.leader;
