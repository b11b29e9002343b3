package dev.modelguardian;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM image's entry point ({@code src/main/docker/model-guardian-jvm}) picks the flags measured for each kind of
 * command, its Dockerfile trains the AOT cache where the entry point reads it, and {@code ./dev} starts through the
 * same entry point. The entry point is run for real, with {@code echo} standing in for {@code java} so that the line
 * it would start is what it prints. No container engine here: the Dockerfile itself is read, not built.
 */
class JvmImageTest {

    static final Path ENTRY_POINT = Path.of("src/main/docker/model-guardian-jvm");
    static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");

    @TempDir
    Path dir;

    /** What the entry point would start for {@code args}, with {@code java} replaced by {@code echo}. */
    private String started(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", ENTRY_POINT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA", "echo");
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("MALLOC_ARENA_MAX");
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void givenAOneShotCommandAndACache_whenStarted_thenTheCacheC1OnlyAndTheSerialGcAreUsedBeforeJavaOpts()
            throws Exception {
        Path cache = Files.createFile(dir.resolve("app.aot"));

        String line = started(Map.of("APP_DIR", "/app", "AOT_CACHE", cache.toString(), "JAVA_OPTS", "-Dx=1 -Xmx64m"),
                "--config", "guardian.yaml", "check", "--output", "json");

        assertThat(line).isEqualTo("-XX:AOTCache=" + cache + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dx=1 -Xmx64m"
                + " -jar /app/quarkus-run.jar --config guardian.yaml check --output json");
    }

    @Test
    void givenServe_whenStarted_thenTheSoaksFlagsAreUsedAndTheCodeCacheIsCapped() throws Exception {
        Path cache = Files.createFile(dir.resolve("app.aot"));
        String serveFlags = "-XX:AOTCache=" + cache + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
                + " -XX:ReservedCodeCacheSize=32m";

        assertThat(started(Map.of("APP_DIR", "/app", "AOT_CACHE", cache.toString()), "serve"))
                .isEqualTo(serveFlags + " -jar /app/quarkus-run.jar serve");
        assertThat(started(Map.of("APP_DIR", "/app", "AOT_CACHE", cache.toString()), "--config", "serve", "serve"))
                .as("a config file named serve is not the command")
                .isEqualTo(serveFlags + " -jar /app/quarkus-run.jar --config serve serve");
    }

    @Test
    void givenAnyCommand_whenStarted_thenGlibcKeepsTwoMallocArenasUnlessTheEnvironmentSaysOtherwise()
            throws Exception {
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset}\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));

        assertThat(started(Map.of("JAVA", java.toString()), "serve")).isEqualTo("MALLOC_ARENA_MAX=2");
        assertThat(started(Map.of("JAVA", java.toString()), "check")).isEqualTo("MALLOC_ARENA_MAX=2");
        assertThat(started(Map.of("JAVA", java.toString(), "MALLOC_ARENA_MAX", "4"), "serve"))
                .isEqualTo("MALLOC_ARENA_MAX=4");
    }

    @Test
    void givenNoCache_whenStarted_thenNoCacheFlagIsPassedAndTheDefaultsNameTheImagesPaths() throws Exception {
        assertThat(started(Map.of("AOT_CACHE", dir.resolve("none.aot").toString()), "--help"))
                .isEqualTo("-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar /app/quarkus-run.jar --help");
        assertThat(Files.readString(ENTRY_POINT)).contains("APP_DIR=${APP_DIR:-/app}")
                .contains("AOT_CACHE=${AOT_CACHE:-$APP_DIR/app.aot}");
    }

    @Test
    void givenTheDockerfile_whenRead_thenItTrainsTheCacheWhereTheEntryPointReadsItAndRunsAsTheManifestsUser()
            throws IOException {
        List<String> lines = Files.readAllLines(DOCKERFILE);

        assertThat(lines).contains("COPY --from=build /code/target/quarkus-app/ /app/",
                "COPY --chmod=0755 src/main/docker/model-guardian-jvm /usr/local/bin/model-guardian",
                "ENTRYPOINT [\"/usr/local/bin/model-guardian\"]", "USER 1001");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("RUN java -XX:AOTCacheOutput=/app/app.aot -jar"
                + " /app/quarkus-run.jar replay"));
        // Trained in the runtime stage (the cache is only valid for the JVM that wrote it), before the user drops root.
        int runtime = lines.indexOf("FROM eclipse-temurin:25-jre");
        int training = lines.stream().filter(l -> l.contains("AOTCacheOutput")).map(lines::indexOf).findFirst()
                .orElseThrow();
        assertThat(runtime).isPositive().isLessThan(training);
        assertThat(training).isLessThan(lines.indexOf("USER 1001"));
        // The user the shipped manifests run the guardian as.
        assertThat(Files.readString(Path.of("src/main/kubernetes/sidecar/orchestrator-dynamic-patch.yaml")))
                .contains("runAsUser: 1001");
    }

    @Test
    void givenDev_whenItRunsACommand_thenItStartsThroughTheImagesEntryPoint() throws IOException {
        String dev = Files.readString(Path.of("dev"));

        assertThat(dev).contains("exec src/main/docker/model-guardian-jvm \"$@\"")
                .contains("replay) build_if_needed; start \"$@\" ;;")
                .contains("run) shift; build_if_needed; start \"$@\" ;;")
                .doesNotContain("-XX:TieredStopAtLevel");
    }
}
