package dev.modelguardian;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md, read from the sources' imports and fully qualified names: the core is
 * framework-free and knows nothing outside itself, the configuration tree knows only the core, integrations never
 * reach into the application, and no two packages depend on each other both ways.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern REFERENCE = Pattern.compile("\\b((?:dev\\.modelguardian|io\\.quarkus|io\\.fabric8"
            + "|io\\.micrometer|com\\.fasterxml|io\\.smallrye|io\\.vertx|jakarta|org\\.eclipse\\.microprofile)"
            + "(?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");
    private static final List<String> FRAMEWORKS = List.of("io.quarkus", "io.fabric8", "io.micrometer",
            "com.fasterxml", "io.smallrye", "io.vertx", "jakarta", "org.eclipse.microprofile");

    /** Package of each source file -> the packages it references. */
    private static final Map<String, Set<String>> USES = new HashMap<>();

    @BeforeAll
    static void read() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(ArchitectureTest::readOne);
        }
    }

    private static void readOne(Path file) {
        try {
            String source = Files.readString(file);
            String pkg = MAIN.relativize(file.getParent()).toString().replace('/', '.');
            // String literals first (a "*/*" or an "http://" in one is no comment), then comments.
            String code = source.replaceAll("\"(?:\\\\.|[^\"\\\\\n])*\"", "\"\"")
                    .replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
            Matcher m = REFERENCE.matcher(code);
            Set<String> used = USES.computeIfAbsent(pkg, k -> new TreeSet<>());
            while (m.find()) {
                if (!m.group(1).equals(pkg)) {
                    used.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> violations(String from, List<String> forbidden) {
        List<String> found = new ArrayList<>();
        USES.forEach((pkg, used) -> {
            if (pkg.equals(from) || pkg.startsWith(from + ".")) {
                used.stream().filter(u -> forbidden.stream().anyMatch(f -> u.equals(f) || u.startsWith(f + ".")))
                        .forEach(u -> found.add(pkg + " -> " + u));
            }
        });
        return found;
    }

    @Test
    void givenTheCore_whenItsReferencesAreRead_thenNoFrameworkIsAmongThem() {
        assertThat(violations("dev.modelguardian.core", FRAMEWORKS)).isEmpty();
    }

    @Test
    void givenTheCore_whenItsReferencesAreRead_thenItKnowsNoIntegrationConfigurationOrApplication() {
        assertThat(violations("dev.modelguardian.core", List.of("dev.modelguardian.integrations",
                "dev.modelguardian.config", "dev.modelguardian.app"))).isEmpty();
    }

    @Test
    void givenTheConfigurationTree_whenItsReferencesAreRead_thenItKnowsOnlyTheCore() {
        assertThat(violations("dev.modelguardian.config", List.of("dev.modelguardian.integrations",
                "dev.modelguardian.app"))).isEmpty();
    }

    @Test
    void givenTheIntegrations_whenTheirReferencesAreRead_thenNoneReachesIntoTheApplication() {
        assertThat(violations("dev.modelguardian.integrations", List.of("dev.modelguardian.app"))).isEmpty();
    }

    @Test
    void givenTheHttpApiAndTheStatusPage_whenTheirReferencesAreRead_thenTheyReachNoIntegrationOnlyPorts() {
        assertThat(violations("dev.modelguardian.app.api", List.of("dev.modelguardian.integrations"))).isEmpty();
        assertThat(violations("dev.modelguardian.app.page", List.of("dev.modelguardian.integrations"))).isEmpty();
    }

    @Test
    void givenTheCommandsAndTheReplay_whenTheirReferencesAreRead_thenTheyReachIntegrationsOnlyThroughTheWiring() {
        assertThat(violations("dev.modelguardian.app.cli", List.of("dev.modelguardian.integrations"))).isEmpty();
        assertThat(violations("dev.modelguardian.app.replay", List.of("dev.modelguardian.integrations"))).isEmpty();
    }

    @Test
    void givenEveryPackage_whenItsReferencesAreRead_thenItBelongsToALayer() {
        assertThat(USES.keySet()).allSatisfy(pkg -> assertThat(pkg).matches(
                "dev\\.modelguardian\\.(core|config|integrations|app)(\\..+)?"));
    }

    @Test
    void givenEveryPairOfPackages_whenTheirReferencesAreRead_thenNoneDependsOnTheOtherBothWays() {
        List<String> cycles = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        USES.forEach((a, used) -> used.stream().filter(b -> USES.getOrDefault(b, Set.of()).contains(a))
                .filter(b -> seen.add(a.compareTo(b) < 0 ? a + " <-> " + b : b + " <-> " + a))
                .forEach(b -> cycles.add(a.compareTo(b) < 0 ? a + " <-> " + b : b + " <-> " + a)));
        assertThat(cycles).isEmpty();
    }
}
