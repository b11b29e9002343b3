package dev.modelguardian.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.modelguardian.testing.TestConfigs;

class NamespaceTest {

    @TempDir
    Path dir;

    @Test
    void givenConfiguredNamespace_whenResolved_thenItWinsOverThePodsOwn() throws IOException {
        GuardianConfig config = TestConfigs.fromYaml("guardian:\n  namespace: neural-hive-staging\n");

        assertThat(Namespace.resolve(config, Map.of("POD_NAMESPACE", "neural-hive"), file("other")))
                .isEqualTo("neural-hive-staging");
    }

    @Test
    void givenPodNamespaceFromDownwardApi_whenResolved_thenItIsUsed() throws IOException {
        assertThat(Namespace.resolve(TestConfigs.fromYaml(""), Map.of("POD_NAMESPACE", "neural-hive"), file("other")))
                .isEqualTo("neural-hive");
    }

    @Test
    void givenOnlyTheServiceAccountFile_whenResolved_thenItsNamespaceIsUsed() throws IOException {
        assertThat(Namespace.resolve(TestConfigs.fromYaml(""), Map.of(), file("neural-hive\n")))
                .isEqualTo("neural-hive");
    }

    @Test
    void givenNothing_whenResolved_thenDefault() {
        assertThat(Namespace.resolve(TestConfigs.fromYaml(""), Map.of(), dir.resolve("absent"))).isEqualTo("default");
    }

    @Test
    void givenEachSource_whenResolvedWithSource_thenDoctorCanSayWhereTheNamespaceCameFrom() throws IOException {
        assertThat(Namespace.resolveWithSource(TestConfigs.fromYaml("guardian:\n  namespace: a\n"),
                Map.of("POD_NAMESPACE", "b"), file("c"))).isEqualTo(new Namespace.Resolved("a", "guardian.namespace"));
        assertThat(Namespace.resolveWithSource(TestConfigs.fromYaml(""), Map.of("POD_NAMESPACE", "b"), file("c")))
                .isEqualTo(new Namespace.Resolved("b", "POD_NAMESPACE"));
        Path sa = file("c\n");
        assertThat(Namespace.resolveWithSource(TestConfigs.fromYaml(""), Map.of(), sa))
                .isEqualTo(new Namespace.Resolved("c", sa.toString()));
        assertThat(Namespace.resolveWithSource(TestConfigs.fromYaml(""), Map.of(), Path.of("/nonexistent")).source())
                .startsWith("the default");
    }

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("namespace"), content);
    }
}
