package dev.modelguardian;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What failsafe's ITs pass to the application they start ({@code quarkus.test.arg-line}), read from pom.xml as Maven
 * would resolve it with and without the native profile. Quarkus passes the arg line to the native executable as
 * well as to the jar's JVM, and the binary exits 1 on a JVM option ("error: Could not find option
 * 'TieredStopAtLevel'"): on main, that alone failed three of the native ITs (issue 20). No Maven run here: the
 * pom's own elements, with the profile's properties over the project's, as {@code help:effective-pom -Dnative}
 * shows them.
 */
class ItArgLineTest {

    static final String ARG_LINE = "quarkus.test.arg-line";
    static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    static Document pom;

    @BeforeAll
    static void readPom() throws Exception {
        pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    }

    @Test
    void givenTheJvmRun_thenTheItsKeepTheirFastStartFlags() {
        List<String> args = argLine(Optional.empty());

        assertThat(args).as("the JVM ITs' %s: C1 only and the serial GC halve each IT's start-up", ARG_LINE)
                .contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    }

    @Test
    void givenTheNativeProfile_thenTheBinaryIsPassedNoJvmOption() {
        List<String> args = argLine(Optional.of(profile("native")));

        assertThat(args).as("the native profile's %s reaches the native executable, which accepts system "
                + "properties (-Dname=value) but no JVM option; keep JVM flags in it.arg-line outside the native "
                + "profile", ARG_LINE).allMatch(a -> a.startsWith("-D"));
    }

    @Test
    void givenTheNativeProfile_thenItIsActivatedByDashDNative() {
        Element activation = child(profile("native"), "activation").flatMap(a -> child(a, "property"))
                .flatMap(p -> child(p, "name")).orElseThrow();

        assertThat(activation.getTextContent().trim()).as("./mvnw verify -Dnative, as the issue ran it")
                .isEqualTo("native");
    }

    /** The arg line failsafe passes, split as Quarkus splits it, with {@code profile}'s overrides if any. */
    static List<String> argLine(Optional<Element> profile) {
        Element project = pom.getDocumentElement();
        Map<String, String> properties = new HashMap<>(properties(project));
        profile.ifPresent(p -> properties.putAll(properties(p)));

        String raw = failsafeArgLine(profile.orElse(null)).or(() -> failsafeArgLine(project))
                .orElseThrow(() -> new AssertionError("no " + ARG_LINE + " in failsafe's systemPropertyVariables"));
        String resolved = resolve(raw, properties);
        return resolved.isBlank() ? List.of() : Arrays.asList(resolved.trim().split("\\s+"));
    }

    static Optional<String> failsafeArgLine(Element owner) {
        if (owner == null) {
            return Optional.empty();
        }
        return child(owner, "build").flatMap(b -> child(b, "plugins")).stream()
                .flatMap(plugins -> children(plugins, "plugin").stream())
                .filter(p -> child(p, "artifactId").map(a -> a.getTextContent().trim())
                        .filter("maven-failsafe-plugin"::equals).isPresent())
                .map(p -> child(p, "configuration").flatMap(c -> child(c, "systemPropertyVariables"))
                        .flatMap(v -> child(v, ARG_LINE)).map(Node::getTextContent))
                .flatMap(Optional::stream).findFirst();
    }

    static Map<String, String> properties(Element owner) {
        Map<String, String> properties = new HashMap<>();
        child(owner, "properties").ifPresent(p -> children(p, null)
                .forEach(e -> properties.put(e.getTagName(), e.getTextContent().trim())));
        return properties;
    }

    static String resolve(String value, Map<String, String> properties) {
        String current = value;
        for (int depth = 0; depth < 10; depth++) {
            Matcher m = PROPERTY.matcher(current);
            if (!m.find()) {
                return current;
            }
            String name = m.group(1);
            assertThat(properties).as("property ${%s} used by %s", name, ARG_LINE).containsKey(name);
            current = m.replaceFirst(Matcher.quoteReplacement(properties.get(name)));
        }
        throw new AssertionError("properties nest too deep in " + value);
    }

    static Element profile(String id) {
        Element profiles = child(pom.getDocumentElement(), "profiles").orElseThrow();
        return children(profiles, "profile").stream()
                .filter(p -> child(p, "id").map(i -> i.getTextContent().trim()).filter(id::equals).isPresent())
                .findFirst().orElseThrow(() -> new AssertionError("no profile '" + id + "' in pom.xml"));
    }

    static Optional<Element> child(Element parent, String tag) {
        return children(parent, tag).stream().findFirst();
    }

    /** Direct child elements, all of them when {@code tag} is null. */
    static List<Element> children(Element parent, String tag) {
        List<Element> found = new java.util.ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (tag == null || e.getTagName().equals(tag))) {
                found.add(e);
            }
        }
        return found;
    }
}
