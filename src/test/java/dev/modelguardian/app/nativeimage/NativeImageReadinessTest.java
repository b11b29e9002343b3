package dev.modelguardian.app.nativeimage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.modelguardian.app.api.ApiError;
import dev.modelguardian.app.api.StatusView;
import dev.modelguardian.app.cli.CheckReport;
import dev.modelguardian.app.cli.DoctorReport;
import dev.modelguardian.app.cli.StatusCommand;
import dev.modelguardian.app.replay.Scenario;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.policy.PolicyStatus;
import dev.modelguardian.core.remediation.HistoryEntry;
import dev.modelguardian.core.remediation.Progress;
import dev.modelguardian.core.remediation.Snapshot;
import dev.modelguardian.core.remediation.StepDurations;
import dev.modelguardian.core.remediation.TargetHealth;
import dev.modelguardian.core.remediation.TargetRecord;
import dev.modelguardian.core.remediation.TargetState;
import dev.modelguardian.core.remediation.Timeline;
import dev.modelguardian.core.remediation.Verdict;
import dev.modelguardian.integrations.http.Json;

/**
 * Native readiness without a GraalVM (issue 20). native-image keeps only the resources and the reflection metadata
 * that something registers; what it leaves out works on the JVM and fails only in the binary. So this test, plain
 * JUnit, checks the registrations against the code:
 *
 * <ul>
 * <li><b>Reflection</b>: from every root Jackson binds by reflection it walks the type graph (record components, bean
 * fields and getters, type arguments of List/Map/Optional and arrays, permitted subclasses of sealed types) and
 * asserts that each application class it reaches is registered in {@link NativeImage}, and that NativeImage lists
 * nothing unreached. The roots, and why each is one:
 * <ul>
 * <li>the state ConfigMap: the signatures of {@code kube/StateCodec} (TargetRecord, Map of PolicyStatus), which has
 * its own ObjectMapper;</li>
 * <li>every JAX-RS method's signature: the REST client interfaces (MLflow's DTOs, Prometheus and the scrape read as
 * raw Responses) and the resource of {@code serve}'s API;</li>
 * <li>the entities of {@code serve}'s API, which its resource wraps in a Response (StatusView, StatusView.Target,
 * ApiError), the JSON reports of check, doctor and status, and the notification payloads (Json.Fields): each is
 * handed to an ObjectMapper or to a Response by one of the files in {@link #JSON_SITES}; a new file that binds
 * JSON fails {@link #givenTheSources_whenScannedForJsonBinding_thenEveryFileIsKnownWithItsRoots} until its roots are
 * added there.</li>
 * </ul>
 * </li>
 * <li><b>Resources</b>: every file under src/main/resources and every resource the code loads (ModelSet's bundled
 * defaults, the bundled scenarios) is matched by {@code quarkus.native.resources.includes} in application.yaml, or
 * is one Quarkus itself handles at build time; and every file of src/main/java that reads the classpath is known
 * here with what it reads.</li>
 * <li><b>The generated configuration</b>: when {@code target/native-sources} holds a build of the current classes
 * (CI's sources-only native build, which runs after the tests; .ci/run runs this class again after it with
 * {@code -Dnative.sources.required=true}), its reflect-config.json and resource-config.json are checked for the
 * same classes and files.</li>
 * </ul>
 */
class NativeImageReadinessTest {

    static final String APP_PACKAGE = "dev.modelguardian.";
    static final Path MAIN_SOURCES = Path.of("src/main/java/dev/modelguardian");
    static final Path MAIN_RESOURCES = Path.of("src/main/resources");
    static final Path MAIN_CLASSES = Path.of("target/classes");
    static final Path NATIVE_SOURCES = Path.of("target/native-sources");
    static final String NATIVE_SOURCES_REQUIRED = "native.sources.required";

    /**
     * Every source file (under src/main/java/dev/modelguardian) that hands an object to Jackson or to a JAX-RS
     * Response, and the roots that cover what it hands over. Roots of the JAX-RS signatures and of the state codec
     * are found by {@link #roots()} on their own.
     */
    static final Map<String, List<Class<?>>> JSON_SITES = Map.ofEntries(
            Map.entry("integrations/kubernetes/StateCodec.java", List.of()), // its method signatures are roots: see roots()
            // a Map<String, String> of the flags a rollback changed
            Map.entry("integrations/kubernetes/ModelServerResources.java", List.of()),
            Map.entry("app/cli/CheckCommand.java", List.of(CheckReport.class)),
            Map.entry("app/cli/DoctorCommand.java", List.of(DoctorReport.class)),
            Map.entry("app/cli/StatusCommand.java", List.of(StatusCommand.StatusOutput.class)),
            // remediate --output json: one Map of JDK values per line, the end's with the failed training's LogTail.
            Map.entry("app/cli/RemediateCommand.java", List.of(dev.modelguardian.core.remediation.LogTail.class)),
            Map.entry("integrations/http/Json.java", List.of(Json.Fields.class)),
            Map.entry("app/api/GuardianResource.java", List.of(StatusView.class, StatusView.Target.class,
                    ApiError.class)),
            Map.entry("app/api/ApiToken.java", List.of(ApiError.class)),
            // The status page's HTML, stylesheet and script are Strings: no object of ours reaches Jackson.
            Map.entry("app/page/StatusPage.java", List.of()),
            // The http trigger's bodies and answers are Jackson trees (JsonNode): no class is bound by reflection.
            Map.entry("integrations/pipeline/PipelineService.java", List.of()));

    /** What hands an object to Jackson's data binding or to a JAX-RS Response in the sources. */
    static final Pattern JSON_BINDING = Pattern.compile(
            "\\.(writeValue\\w*|readValue\\w*|convertValue|treeToValue|valueToTree|readerFor|writerFor)\\("
                    + "|\\.entity\\(|Response\\.ok\\(");

    /**
     * The classes the issue's reporter had to register by hand for the binary's {@code serve} to work (6 of 6 ITs),
     * plus those that were annotated then: the evidence from the one native run there was.
     */
    static final List<Class<?>> VERIFIED_NATIVELY = List.of(PolicyStatus.class, TargetState.class, Progress.class,
            Verdict.class, Verdict.ModelVerdict.class, Verdict.Check.class, Snapshot.class, Snapshot.Serving.class,
            TargetHealth.class, TargetHealth.FiredSignal.class, TargetRecord.class, HistoryEntry.class,
            Timeline.class, Timeline.Mark.class, Timeline.Approval.class, StepDurations.Step.class);

    /**
     * Every file of src/main/java that reads a classpath resource, with the resources it reads. The names come
     * from the code's own constants, so they cannot drift from what it loads.
     */
    static final Map<String, List<String>> RESOURCE_READERS = Map.of(
            "config/ModelSet.java", List.of(ModelSet.BUNDLED),
            "app/replay/Scenario.java", Scenario.BUNDLED.stream().map(Scenario::bundledResource).toList(),
            "app/page/StatusPage.java", List.of(dev.modelguardian.app.page.StatusPage.SCRIPT_RESOURCE),
            "app/cli/UsageHelp.java", dev.modelguardian.app.cli.UsageHelp.resources());

    static final Pattern CLASSPATH_READ = Pattern.compile(
            "getResource(AsStream|s)?\\(|getSystemResource(AsStream|s)?\\(");

    /**
     * Files under src/main/resources that Quarkus handles at build time, so they need no include (and are not in
     * the generated resource-config.json).
     */
    static final Map<String, String> QUARKUS_HANDLED = Map.of(
            "application.yaml", "read by Quarkus's configuration at build time, its values recorded in the image",
            "META-INF/services/io.smallrye.config.ConfigSourceFactory", "Quarkus reads the service file at build "
                    + "time and creates GuardianConfigSourceFactory from generated code (registered for reflection)");

    // ---- reflection --------------------------------------------------------------------------------------------

    @Test
    void givenEverySerialisedRoot_whenItsTypesAreWalked_thenEveryApplicationClassReachedIsRegistered() {
        Walk walk = Walk.from(roots());
        Set<Class<?>> registered = registered();

        List<String> missing = walk.reached.entrySet().stream().filter(e -> !registered.contains(e.getKey()))
                .map(e -> e.getKey().getName() + " (reached from " + e.getValue() + ")").toList();

        assertThat(missing).as("classes Jackson reads or writes by reflection but nothing registers for the native "
                + "image; add each, as a class literal, to @RegisterForReflection(targets) of "
                + "dev.modelguardian.app.nativeimage.NativeImage in the group of the serializer that reads it").isEmpty();
        assertThat(walk.open).as("abstract types in a serialised graph: Jackson picks the class at run time, which "
                + "this walk cannot follow; serialise a concrete type, or make it sealed").isEmpty();
    }

    @Test
    void givenNativeImagesList_whenComparedWithWhatIsReached_thenNoEntryIsStale() {
        Walk walk = Walk.from(roots());
        Set<Class<?>> enclosingOfReached = walk.reached.keySet().stream().map(Class::getEnclosingClass)
                .filter(c -> c != null).collect(Collectors.toSet());

        List<String> stale = registered().stream()
                .filter(c -> !walk.reached.containsKey(c) && !enclosingOfReached.contains(c))
                .map(Class::getName).sorted().toList();

        assertThat(stale).as("registered in NativeImage but reached from no serialised root (nor the enclosing "
                + "class of one): remove them, or add the root that serialises them to this test").isEmpty();
    }

    @Test
    void givenTheClassesTheIssuesNativeRunNeeded_thenEachIsRegistered() {
        assertThat(registered()).as("the classes the reporter of issue 20 verified in a native serve")
                .containsAll(VERIFIED_NATIVELY);
    }

    @Test
    void givenTheApplicationsClasses_thenOnlyNativeImageCarriesRegisterForReflection() {
        List<String> annotated = mainClasses().stream()
                .filter(c -> c != NativeImage.class && c.isAnnotationPresent(RegisterForReflection.class))
                .map(Class::getName).sorted().toList();

        assertThat(annotated).as("classes with their own @RegisterForReflection; list them in "
                + "dev.modelguardian.app.nativeimage.NativeImage instead (one list; domain classes stay free of Quarkus)")
                .isEmpty();
    }

    @Test
    void givenTheSources_whenScannedForJsonBinding_thenEveryFileIsKnownWithItsRoots() throws IOException {
        Set<String> binding = sourcesMatching(JSON_BINDING);

        assertThat(binding).as("source files that hand objects to Jackson or to a JAX-RS Response; a file not "
                + "listed in NativeImageReadinessTest.JSON_SITES has roots nobody checks: add it with the types it "
                + "writes or reads, and register what they reach in NativeImage")
                .containsExactlyInAnyOrderElementsOf(JSON_SITES.keySet());
    }

    /** The roots of every serialised graph; see the class comment. */
    static Map<Type, String> roots() {
        Map<Type, String> roots = new LinkedHashMap<>();
        signatures(mainClass("dev.modelguardian.integrations.kubernetes.StateCodec"), m -> !Modifier.isPrivate(m.getModifiers()),
                roots, "kube/StateCodec");
        mainClasses().forEach(c -> signatures(c, NativeImageReadinessTest::isEndpoint, roots, c.getSimpleName()));
        JSON_SITES.forEach((file, types) -> types.forEach(t -> roots.putIfAbsent(t, file)));
        return roots;
    }

    /** The parameter and return types of {@code type}'s methods that {@code which} selects. */
    static void signatures(Class<?> type, Predicate<Method> which, Map<Type, String> roots, String where) {
        for (Method m : type.getDeclaredMethods()) {
            if (m.isSynthetic() || !which.test(m)) {
                continue;
            }
            String at = where + "#" + m.getName();
            roots.putIfAbsent(m.getGenericReturnType(), at);
            Arrays.stream(m.getGenericParameterTypes()).forEach(p -> roots.putIfAbsent(p, at));
        }
    }

    static boolean isEndpoint(Method method) {
        return Arrays.stream(method.getAnnotations())
                .anyMatch(a -> a.annotationType().isAnnotationPresent(jakarta.ws.rs.HttpMethod.class));
    }

    /** What NativeImage registers: its targets and class names. */
    static Set<Class<?>> registered() {
        RegisterForReflection registration = NativeImage.class.getAnnotation(RegisterForReflection.class);
        Set<Class<?>> classes = new LinkedHashSet<>(List.of(registration.targets()));
        Arrays.stream(registration.classNames()).map(NativeImageReadinessTest::mainClass).forEach(classes::add);
        return classes;
    }

    /**
     * The type graph under the roots, as Jackson sees it: a record's components, a bean's fields and getters, type
     * arguments of containers, permitted subclasses of sealed types. JDK and library types end the walk.
     */
    static final class Walk {
        /** Each application class reached, with the path that first reached it. */
        final Map<Class<?>, String> reached = new TreeMap<>((a, b) -> a.getName().compareTo(b.getName()));
        /** Abstract application types that are not sealed, with their path. */
        final List<String> open = new ArrayList<>();

        static Walk from(Map<Type, String> roots) {
            Walk walk = new Walk();
            roots.forEach((type, where) -> walk.type(type, where));
            return walk;
        }

        void type(Type type, String path) {
            switch (type) {
                case Class<?> c -> type(c, path);
                case ParameterizedType p -> {
                    type(p.getRawType(), path);
                    Arrays.stream(p.getActualTypeArguments()).forEach(a -> type(a, path));
                }
                case GenericArrayType a -> type(a.getGenericComponentType(), path);
                case WildcardType w -> Stream.concat(Arrays.stream(w.getUpperBounds()),
                        Arrays.stream(w.getLowerBounds())).forEach(b -> type(b, path));
                case TypeVariable<?> v -> Arrays.stream(v.getBounds()).forEach(b -> type(b, path));
                default -> throw new IllegalStateException("unexpected type " + type + " at " + path);
            }
        }

        void type(Class<?> c, String path) {
            if (c.isArray()) {
                type(c.getComponentType(), path);
                return;
            }
            if (c.isPrimitive() || !c.getName().startsWith(APP_PACKAGE) || reached.containsKey(c)) {
                return;
            }
            reached.put(c, path);
            String here = c.getName().substring(APP_PACKAGE.length());
            if (c.isEnum()) {
                return;
            }
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    type(rc.getGenericType(), here + "." + rc.getName());
                }
                return;
            }
            if (c.isSealed()) {
                Arrays.stream(c.getPermittedSubclasses()).forEach(s -> type(s, here));
            } else if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
                open.add(c.getName() + " (reached from " + path + ")");
            }
            if (c.getGenericSuperclass() != null) {
                type(c.getGenericSuperclass(), here);
            }
            for (Field f : c.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (!Modifier.isStatic(mod) && !Modifier.isTransient(mod) && !f.isSynthetic()) {
                    type(f.getGenericType(), here + "." + f.getName());
                }
            }
            for (Method m : c.getMethods()) {
                boolean getter = m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
                        && m.getDeclaringClass().getName().startsWith(APP_PACKAGE)
                        && (m.getName().startsWith("get") || m.getName().startsWith("is"));
                if (getter) {
                    type(m.getGenericReturnType(), here + "." + m.getName() + "()");
                }
            }
        }
    }

    // ---- resources ---------------------------------------------------------------------------------------------

    @Test
    void givenEveryResourceTheCodeLoads_thenItIsBundledAndInTheNativeImagesIncludes() {
        List<String> includes = includes();
        List<String> loaded = RESOURCE_READERS.values().stream().flatMap(List::stream).toList();

        assertThat(loaded).as("resources the code loads").isNotEmpty();
        for (String resource : loaded) {
            assertThat(MAIN_RESOURCES.resolve(resource)).as("%s, loaded by the code", resource).isRegularFile();
            assertThat(matchesAny(includes, resource)).as("%s is loaded from the classpath but no glob of "
                    + "quarkus.native.resources.includes in application.yaml (%s) matches it: the native binary "
                    + "would not contain it; add it there", resource, includes).isTrue();
        }
    }

    @Test
    void givenEveryFileUnderSrcMainResources_thenItIsIncludedOrHandledByQuarkus() throws IOException {
        List<String> includes = includes();

        List<String> left = bundledFiles().stream()
                .filter(f -> !QUARKUS_HANDLED.containsKey(f) && !matchesAny(includes, f)).toList();

        assertThat(left).as("files under src/main/resources that the native image would leave out: add a glob for "
                + "each to quarkus.native.resources.includes in application.yaml (or, if Quarkus itself handles it, "
                + "to QUARKUS_HANDLED here with the reason)").isEmpty();
        assertThat(bundledFiles()).as("the Quarkus-handled files exist").containsAll(QUARKUS_HANDLED.keySet());
    }

    @Test
    void givenTheSources_whenScannedForClasspathReads_thenEveryReaderIsKnownWithWhatItReads() throws IOException {
        assertThat(sourcesMatching(CLASSPATH_READ)).as("source files that read classpath resources; a file not in "
                + "NativeImageReadinessTest.RESOURCE_READERS reads something no test checks: add it there with the "
                + "resource names (from the code's constants) and to quarkus.native.resources.includes")
                .containsExactlyInAnyOrderElementsOf(RESOURCE_READERS.keySet());
    }

    /** {@code quarkus.native.resources.includes} of application.yaml, as globs. */
    @SuppressWarnings("unchecked")
    static List<String> includes() {
        Map<String, Object> yaml;
        try {
            yaml = new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(Files.readString(MAIN_RESOURCES.resolve("application.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Object value = path(yaml, "quarkus", "native", "resources", "includes");
        List<String> globs = value instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : value == null ? List.of() : Arrays.stream(String.valueOf(value).split(",")).map(String::trim)
                        .toList();
        return globs;
    }

    @SuppressWarnings("unchecked")
    static Object path(Map<String, Object> map, String... keys) {
        Object node = map;
        for (String key : keys) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = ((Map<String, Object>) m).get(key);
        }
        return node;
    }

    /** Quarkus's include globs: {@code *} within a path segment, {@code **} across segments. */
    static boolean matchesAny(List<String> globs, String resource) {
        return globs.stream().anyMatch(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)
                .matches(Path.of(resource)));
    }

    static List<String> bundledFiles() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN_RESOURCES)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> MAIN_RESOURCES.relativize(f).toString().replace('\\', '/')).sorted().toList();
        }
    }

    // ---- the generated native-image configuration --------------------------------------------------------------

    @Test
    void givenTheSourcesOnlyNativeBuild_whenItsConfigurationIsRead_thenItRegistersEveryClassAndResource()
            throws IOException {
        Optional<Path> runner = freshRunnerJar();
        if (runner.isEmpty()) {
            assertThat(Boolean.getBoolean(NATIVE_SOURCES_REQUIRED)).as("-D%s=true but %s holds no runner jar built "
                    + "from the current target/classes; run ./mvnw package -DskipTests -Dnative "
                    + "-Dquarkus.native.sources-only=true first", NATIVE_SOURCES_REQUIRED, NATIVE_SOURCES).isFalse();
            Assumptions.abort("no sources-only native build of the current classes in " + NATIVE_SOURCES
                    + " (CI runs this check after building it)");
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode reflection;
        JsonNode resources;
        try (ZipFile jar = new ZipFile(runner.get().toFile())) {
            reflection = json.readTree(entry(jar, "META-INF/native-image/reflect-config.json"));
            resources = json.readTree(entry(jar, "META-INF/native-image/resource-config.json"));
        }

        Map<String, JsonNode> byName = new TreeMap<>();
        reflection.forEach(e -> byName.put(e.path("name").asText(), e));
        List<String> notFull = Walk.from(roots()).reached.keySet().stream().map(Class::getName)
                .filter(name -> !byName.containsKey(name) || !byName.get(name).path("allDeclaredConstructors")
                        .asBoolean() || !byName.get(name).path("allDeclaredMethods").asBoolean()
                        || !byName.get(name).path("allDeclaredFields").asBoolean())
                .toList();
        SoftAssertions generated = new SoftAssertions();
        generated.assertThat(notFull).as("reached classes that %s's reflect-config.json does not register with all "
                + "constructors, methods and fields", runner.get()).isEmpty();

        List<Pattern> patterns = new ArrayList<>();
        List<String> globs = new ArrayList<>();
        resources.path("resources").path("includes").forEach(i -> {
            if (i.has("pattern")) {
                patterns.add(Pattern.compile(i.get("pattern").asText()));
            }
            if (i.has("glob")) {
                globs.add(i.get("glob").asText());
            }
        });
        List<String> needed = Stream.concat(RESOURCE_READERS.values().stream().flatMap(List::stream),
                bundledFiles().stream().filter(f -> !QUARKUS_HANDLED.containsKey(f))).distinct().toList();
        List<String> absent = needed.stream().filter(r -> patterns.stream().noneMatch(p -> p.matcher(r).matches())
                && !matchesAny(globs, r)).toList();
        generated.assertThat(absent).as("resources that %s's resource-config.json does not include", runner.get())
                .isEmpty();
        generated.assertAll();
    }

    /**
     * The runner jar of the sources-only native build, if it was built from the classes and configuration now in
     * target/classes (same NativeImage.class and application.yaml bytes); a stale one would check old code.
     */
    static Optional<Path> freshRunnerJar() throws IOException {
        if (!Files.isDirectory(NATIVE_SOURCES)) {
            return Optional.empty();
        }
        Optional<Path> jar;
        try (Stream<Path> files = Files.list(NATIVE_SOURCES)) {
            jar = files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst();
        }
        if (jar.isEmpty()) {
            return Optional.empty();
        }
        try (ZipFile zip = new ZipFile(jar.get().toFile())) {
            for (String name : List.of(NativeImage.class.getName().replace('.', '/') + ".class", "application.yaml")) {
                Path current = MAIN_CLASSES.resolve(name);
                if (zip.getEntry(name) == null || !Files.exists(current)
                        || !Arrays.equals(entry(zip, name), Files.readAllBytes(current))) {
                    return Optional.empty();
                }
            }
        }
        return jar;
    }

    static byte[] entry(ZipFile jar, String name) throws IOException {
        ZipEntry entry = jar.getEntry(name);
        assertThat(entry).as("%s in %s", name, jar.getName()).isNotNull();
        try (InputStream in = jar.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    // ---- sources and classes -----------------------------------------------------------------------------------

    /** Files under src/main/java/dev/modelguardian (as {@code package/File.java}) with a match of {@code pattern}. */
    static Set<String> sourcesMatching(Pattern pattern) throws IOException {
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                try {
                    return pattern.matcher(Files.readString(f)).find();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).map(f -> MAIN_SOURCES.relativize(f).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Every class compiled from src/main/java, loaded without initialising it. */
    static List<Class<?>> mainClasses() {
        try (Stream<Path> files = Files.walk(MAIN_CLASSES)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> MAIN_CLASSES.relativize(f).toString().replace('\\', '/'))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .filter(name -> name.startsWith(APP_PACKAGE)).map(NativeImageReadinessTest::mainClass).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Class<?> mainClass(String name) {
        try {
            return Class.forName(name, false, NativeImageReadinessTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name + " is not on the classpath; if it moved, update NativeImageReadinessTest",
                    e);
        }
    }
}
