package dev.modelguardian.core.registry;

/**
 * A registered model as the guardian manages it.
 *
 * @param name  the registered model's name in MLflow
 * @param mode  how the serving version is marked
 * @param alias the alias that marks the serving version in {@link Mode#ALIAS} mode (e.g. {@code champion})
 */
public record RegistryModel(String name, Mode mode, String alias) {

    /** How the model server finds its version: {@code models:/<name>/Production} or {@code models:/<name>@<alias>}. */
    public enum Mode {
        /** The latest version in stage Production serves (Neural Hive; stages are deprecated since MLflow 2.9). */
        STAGE,
        /** The version the alias points to serves. */
        ALIAS
    }

    /** What serves, in words: {@code stage Production} or {@code alias champion}. */
    public String servingLabel() {
        return switch (mode) {
            case STAGE -> "stage Production";
            case ALIAS -> "alias " + alias;
        };
    }
}
