package dev.modelguardian;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import dev.modelguardian.cli.CheckCommand;

/** The shipped manifests parse, list each other, and use the names the application reads. */
class ManifestsTest {

    static final Path DIR = Path.of("src/main/kubernetes");

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String file) throws IOException {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(DIR.resolve(file)));
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            current = current instanceof List<?> list ? list.get(Integer.parseInt(key)) : ((Map<String, Object>) current).get(key);
        }
        return (T) current;
    }

    @Test
    void givenKustomization_whenRead_thenEveryListedManifestExistsAndEveryManifestIsListed() throws IOException {
        List<String> resources = at(load("kustomization.yaml"), "resources");

        try (var files = Files.list(DIR)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml")))
                    .containsExactlyInAnyOrderElementsOf(resources);
        }
    }

    @Test
    void givenCheckCronJob_whenRead_thenItRunsCheckWithThePrometheusEnvAndLockedDownSecurity() throws IOException {
        Map<String, Object> cronJob = load("check-cronjob.yaml");
        Object pod = at(cronJob, "spec", "jobTemplate", "spec", "template", "spec");
        Object container = at(pod, "containers", "0");

        assertThat((String) at(cronJob, "kind")).isEqualTo("CronJob");
        assertThat((List<String>) at(container, "args")).containsExactly(
                CheckCommand.class.getAnnotation(picocli.CommandLine.Command.class).name());
        assertThat((List<Map<String, Object>>) at(container, "env")).extracting(e -> e.get("name"))
                .contains("GUARDIAN_PROMETHEUS_URL");
        assertThat((Boolean) at(pod, "securityContext", "runAsNonRoot")).isTrue();
        assertThat((Boolean) at(pod, "automountServiceAccountToken")).isFalse();
        assertThat((Boolean) at(container, "securityContext", "readOnlyRootFilesystem")).isTrue();
        assertThat((Boolean) at(container, "securityContext", "allowPrivilegeEscalation")).isFalse();
        assertThat((List<String>) at(container, "securityContext", "capabilities", "drop")).containsExactly("ALL");
    }
}
