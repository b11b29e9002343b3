package dev.modelguardian.integrations.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.remediation.RecoverySpec;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.PipelineStandIn;
import dev.modelguardian.testing.TestConfigs;

/** The three documented recipes of the http trigger (docs/triggers), pointed at a stand-in. */
final class Recipes {

    static final String TARGET = "orchestrator-dynamic-ml-training";
    /** The Secret every recipe reads, and the one src/main/kubernetes/components/http grants. */
    static final String SECRET = "training-pipeline-credentials";
    static final String TOKEN = "kfp-3f9c2a71b8d04e6f";
    static final String USERNAME = "model-guardian";
    static final String PASSWORD = "s3cr3t-airflow-pw";

    /** A recipe: its file and the base URL in it that the stand-in replaces. */
    enum Recipe {
        KUBEFLOW("kubeflow-pipelines.yaml", "http://ml-pipeline.kubeflow.svc.cluster.local:8888",
                PipelineStandIn.Service.KUBEFLOW, SECRET),
        AIRFLOW("airflow.yaml", "https://airflow.example.com", PipelineStandIn.Service.AIRFLOW, SECRET),
        GITHUB("github-actions.yaml", "https://api.github.com", PipelineStandIn.Service.GITHUB, SECRET);

        final String file;
        final String baseUrl;
        final PipelineStandIn.Service service;
        final String secret;

        Recipe(String file, String baseUrl, PipelineStandIn.Service service, String secret) {
            this.file = file;
            this.baseUrl = baseUrl;
            this.service = service;
            this.secret = secret;
        }

        /** The recipe's YAML as documented. */
        String yaml() {
            try {
                return Files.readString(Path.of("docs/triggers").resolve(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The Authorization header the recipe's credentials make. */
        String authorization() {
            return this == AIRFLOW
                    ? "Basic " + Base64.getEncoder().encodeToString((USERNAME + ":" + PASSWORD)
                            .getBytes(StandardCharsets.UTF_8))
                    : "Bearer " + TOKEN;
        }

        /** A stand-in of the recipe's service, requiring its credentials. */
        PipelineStandIn standIn() {
            return PipelineStandIn.start(service, authorization());
        }

        /** The recipe's configuration with its service at {@code standIn}, edited by {@code edit}. */
        Settings settings(PipelineStandIn standIn, java.util.function.UnaryOperator<String> edit) {
            return TestConfigs.settings(edit.apply(yaml().replace(baseUrl, standIn.url())));
        }

        Settings settings(PipelineStandIn standIn) {
            return settings(standIn, y -> y);
        }

        GuardianConfig config(PipelineStandIn standIn) {
            return settings(standIn).guardian();
        }

        /** The recipe's Secret, as the comment in the recipe creates it. */
        void createSecret(KubernetesClient client) {
            Map<String, String> data = this == AIRFLOW
                    ? Map.of("username", b64(USERNAME), "password", b64(PASSWORD))
                    : Map.of("token", b64(TOKEN + "\n")); // a file-made Secret ends with a line end
            client.secrets().inNamespace(NeuralHive.NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                    .withName(secret).endMetadata().withData(data).build()).create();
        }

        /** The trigger built from the recipe's configuration, as the guardian builds it. */
        PipelineRuns trigger(Settings settings, KubernetesClient client, Clock clock) {
            return (PipelineRuns) new HttpTriggerProvider().trigger(settings, settings.guardian().targets(), client,
                    NeuralHive.NAMESPACE, clock);
        }
    }

    /** The recipes' target, trained by the http trigger. */
    static TargetSpec target(Settings settings) {
        return new TargetSpec(TARGET, new HttpTriggerProvider().trainer(TARGET, settings.guardian().targets()
                .get(TARGET), settings),
                List.of("ticket-duration-predictor", "ticket-anomaly-detector"), RecoverySpec.NONE);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private Recipes() {
    }
}
