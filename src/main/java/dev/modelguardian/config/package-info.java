/**
 * The configuration tree: the guardian's nested {@code @ConfigMapping}
 * ({@link dev.modelguardian.config.GuardianConfig}, keys under {@code guardian.}) and
 * {@link dev.modelguardian.config.Settings}, which adds each integration's own root (declared in its folder); the
 * bundled Neural Hive defaults ({@link dev.modelguardian.config.ModelSet}) and
 * {@link dev.modelguardian.config.ConfigValidator}, which names the field and the fix for every bad value (the
 * extensions' keys through the {@link dev.modelguardian.config.ConfigRules} it is handed). Imports the core only (and
 * SmallRye Config); integrations and the application import it, never the core.
 */
package dev.modelguardian.config;
