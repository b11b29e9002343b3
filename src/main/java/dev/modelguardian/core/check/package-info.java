/**
 * The value every {@code doctor} check is: {@link dev.modelguardian.core.check.Check}, one named outcome with what was
 * found and the fix. Framework-free core: imports only {@code java.*}; anything may import it, so that an integration
 * writes its own checks next to its code.
 */
package dev.modelguardian.core.check;
