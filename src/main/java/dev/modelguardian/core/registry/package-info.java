/**
 * The model-registry port: {@link dev.modelguardian.core.registry.ModelRegistry} (serving version,
 * candidates, promote, restore) and its values; an in-memory registry for replay and tests. Stage or alias is the
 * registry's configuration. Framework-free core: imports only {@code java.*}; anything may import it.
 */
package dev.modelguardian.core.registry;
