package dev.modelguardian.integrations.kubernetes;

/**
 * Names of Neural Hive's model server that the rollback step acts on, fixed here until they become configuration
 * (the registry step moves them under {@code guardian.*}).
 */
public final class NeuralHiveDefaults {

    /** The ConfigMap the chart renders the scheduler settings into. */
    public static final String FLAG_CONFIG_MAP = "orchestrator-dynamic-config";
    /** The key whose value ({@code "true"}/{@code "false"}) turns ML-enhanced scheduling on and off. */
    public static final String FLAG_KEY = "ENABLE_ML_ENHANCED_SCHEDULING";
    /** The model server's Deployment, restarted after the flag changes (it reads the ConfigMap at start). */
    public static final String DEPLOYMENT = "orchestrator-dynamic";
    /** The namespace the runbook names; the release is deployed in {@code neural-hive}. */
    public static final String RUNBOOK_NAMESPACE = "neural-hive-orchestration";
    /** The metric prefix of the runbook's alert files, which no code emits. */
    public static final String RUNBOOK_METRIC_PREFIX = "orchestrator_ml_";
    /** The metric prefix the deployed app emits. */
    public static final String METRIC_PREFIX = "orchestration_ml_";

    private NeuralHiveDefaults() {
    }
}
