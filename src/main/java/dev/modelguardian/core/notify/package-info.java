/**
 * What people are told: the {@link dev.modelguardian.core.notify.Milestone} of a step (derived from its
 * {@code Reason}), the {@link dev.modelguardian.core.notify.Notification} built for it, and the
 * {@link dev.modelguardian.core.notify.Channel} port a delivery integration implements, and
 * {@link dev.modelguardian.core.notify.PendingNotifications}, the port a one-shot command waits on before it exits.
 * Framework-free core: imports only
 * {@code java.*} and the core; anything may import it.
 */
package dev.modelguardian.core.notify;
