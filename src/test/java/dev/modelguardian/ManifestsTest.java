package dev.modelguardian;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;

import picocli.CommandLine.Command;

import dev.modelguardian.app.cli.GuardianCommand;
import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.app.wiring.KubeBeans;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.extension.Permission;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.integrations.kubernetes.NeuralHiveDefaults;
import dev.modelguardian.integrations.kubernetes.RequiredPermissions;
import dev.modelguardian.integrations.pipeline.HttpTriggerProvider;
import dev.modelguardian.integrations.webhook.WebhookSettings;
import dev.modelguardian.testing.NeuralHive;
import dev.modelguardian.testing.TestConfigs;

/**
 * The shipped manifests (src/main/kubernetes, one kustomization per deployable shape) parse, list each other, grant
 * exactly what {@link RequiredPermissions} says the code uses, and run locked down. No kustomize or kubectl here: the
 * raw files are what is tested.
 */
class ManifestsTest {

    static final Path DIR = Path.of("src/main/kubernetes");
    static final List<String> SHAPES = List.of("base", "sidecar", "check", "remediate");
    /** The training triggers' Role rules, one kustomize Component each, by trigger kind. */
    static final List<String> COMPONENTS = List.of("cronjob", "job-template", "argo-workflow", "http");
    /** The component that grants what a Role cannot: a ClusterRole for ClusterWorkflowTemplates, and its binding. */
    static final String CLUSTER_TEMPLATES = "argo-cluster-workflow-template";
    /** Applied with kubectl patch (the Deployment belongs to Helm), so no kustomization lists it as a resource. */
    static final Path SIDECAR_PATCH = DIR.resolve("sidecar/orchestrator-dynamic-patch.yaml");
    static final Set<String> NAMESPACED_KINDS = Set.of("ServiceAccount", "Role", "RoleBinding", "CronJob", "Job");
    static final List<String> SECRET_ENV = List.of("GUARDIAN_MLFLOW_TOKEN", "GUARDIAN_NOTIFY_SLACK_WEBHOOK_URL",
            "GUARDIAN_NOTIFY_PAGERDUTY_ROUTING_KEY", "GUARDIAN_NOTIFY_WEBHOOK_URL", "GUARDIAN_NOTIFY_WEBHOOK_HMAC_KEY",
            "GUARDIAN_API_TOKEN");
    /** Verbs that RBAC cannot narrow by resourceNames the way the guardian calls them (see role.yaml). */
    static final Set<String> UNNAMEABLE_VERBS = Set.of("create", "list", "watch");

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) throws IOException {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    }

    static <T> T load(Path file, Class<T> type) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Serialization.unmarshal(in, type);
        }
    }

    @SuppressWarnings("unchecked")
    static List<String> resources(String shape) throws IOException {
        return (List<String>) yaml(DIR.resolve(shape).resolve("kustomization.yaml")).get("resources");
    }

    /** Every manifest a shape deploys, following {@code ../base}. */
    static List<Path> manifests(String shape) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String resource : resources(shape)) {
            Path path = DIR.resolve(shape).resolve(resource).normalize();
            if (Files.isDirectory(path)) {
                files.addAll(manifests(DIR.relativize(path).toString()));
            } else {
                files.add(path);
            }
        }
        return files;
    }

    static List<Path> allManifests() throws IOException {
        Set<Path> all = new TreeSet<>();
        for (String shape : SHAPES) {
            all.addAll(manifests(shape));
        }
        return List.copyOf(all);
    }

    @Test
    void givenEveryShape_whenItsKustomizationIsRead_thenListedFilesExistAndEveryFileIsListed() throws IOException {
        try (Stream<Path> dirs = Files.list(DIR)) {
            assertThat(dirs.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(
                    Stream.concat(SHAPES.stream(), Stream.of("components")).toList());
        }
        try (Stream<Path> dirs = Files.list(DIR.resolve("components"))) {
            assertThat(dirs.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(
                    Stream.concat(COMPONENTS.stream(), Stream.of(CLUSTER_TEMPLATES)).toList());
        }
        for (String shape : SHAPES) {
            List<String> listed = resources(shape);
            Set<String> files;
            try (Stream<Path> s = Files.list(DIR.resolve(shape))) {
                files = s.filter(p -> !p.equals(SIDECAR_PATCH)).map(p -> p.getFileName().toString())
                        .filter(n -> !n.equals("kustomization.yaml")).collect(Collectors.toSet());
            }
            assertThat(listed.stream().filter(r -> !r.startsWith("..")))
                    .as("files of %s", shape).containsExactlyInAnyOrderElementsOf(files);
            listed.forEach(r -> assertThat(DIR.resolve(shape).resolve(r)).as("%s: %s", shape, r).exists());
            assertThat((String) yaml(DIR.resolve(shape).resolve("kustomization.yaml")).get("namespace"))
                    .isEqualTo(NeuralHive.NAMESPACE);
        }
        // The one file no kustomization lists is named where the sidecar is applied.
        assertThat(Files.readString(DIR.resolve("sidecar/kustomization.yaml")))
                .contains("--patch-file src/main/kubernetes/sidecar/orchestrator-dynamic-patch.yaml");
    }

    @Test
    void givenEveryManifest_whenParsed_thenOnlyNamespacedKindsWithoutAHardCodedNamespace() throws IOException {
        for (Path file : allManifests()) {
            HasMetadata object = load(file, HasMetadata.class);
            assertThat(object.getKind()).as(file.toString()).isIn(NAMESPACED_KINDS);
            assertThat(object.getMetadata().getNamespace()).as(file + ": kustomize sets the namespace").isNull();
        }
    }

    /** The rules a trigger's component adds to Role model-guardian (JSON patch operations {@code add /rules/-}). */
    @SuppressWarnings("unchecked")
    static List<PolicyRule> componentRules(String component) throws IOException {
        Map<String, Object> kustomization = yaml(DIR.resolve("components").resolve(component)
                .resolve("kustomization.yaml"));
        assertThat(kustomization).containsEntry("kind", "Component");
        List<Map<String, Object>> patches = (List<Map<String, Object>>) kustomization.get("patches");
        assertThat(patches).singleElement().satisfies(patch -> assertThat((Map<String, Object>) patch.get("target"))
                .containsEntry("kind", "Role").containsEntry("name", "model-guardian"));
        Path file = DIR.resolve("components").resolve(component).resolve((String) patches.getFirst().get("path"));
        List<Map<String, Object>> ops = (List<Map<String, Object>>) new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(file));
        List<PolicyRule> rules = new ArrayList<>();
        for (Map<String, Object> op : ops) {
            assertThat(op).containsEntry("op", "add").containsEntry("path", "/rules/-");
            rules.add(Serialization.unmarshal(Serialization.asJson(op.get("value")), PolicyRule.class));
        }
        return rules;
    }

    /** Role model-guardian as a shape that lists {@code components} builds it. */
    static List<PolicyRule> roleRules(List<String> components) throws IOException {
        List<PolicyRule> rules = new ArrayList<>(load(DIR.resolve("base/role.yaml"), Role.class).getRules());
        for (String component : components) {
            rules.addAll(componentRules(component));
        }
        return rules;
    }

    /** Every verb a list of rules grants, one key per (group, resource, verb, name). */
    static Set<String> granted(List<PolicyRule> rules) {
        Set<String> granted = new TreeSet<>();
        for (PolicyRule rule : rules) {
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        assertThat(verb).isNotEqualTo("*");
                        if (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()) {
                            granted.add(key(group, resource, verb, Optional.empty()));
                        } else {
                            rule.getResourceNames().forEach(n -> granted.add(key(group, resource, verb, Optional.of(n))));
                        }
                    }
                }
            }
        }
        return granted;
    }

    static Set<String> keys(List<Permission> permissions) {
        return permissions.stream().map(p -> key(p.group(), p.resource(), p.verb(), p.name()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void givenTheRoleWithTheCronjobComponent_whenExpandedToVerbs_thenItGrantsExactlyTheTableOfWhatTheCodeCalls()
            throws IOException {
        Settings defaults = TestConfigs.settings("");

        Set<String> granted = granted(roleRules(List.of("cronjob")));

        assertThat(granted).containsExactlyInAnyOrderElementsOf(keys(Extensions.permissions(defaults,
                KubeBeans.targets(ModelSet.resolve(defaults)))));
        assertThat(granted(roleRules(List.of()))).as("the base Role alone: nothing of any trigger")
                .noneMatch(k -> k.contains("jobs") || k.contains("cronjobs") || k.contains("pods")
                        || k.contains("argoproj"));
    }

    @Test
    void givenTheArgoWorkflowComponent_whenExpandedToVerbs_thenItGrantsExactlyWhatTheArgoTriggerCallsAndNoJobs()
            throws IOException {
        Settings defaults = TestConfigs.settings("");
        // Neural Hive's targets, each trained by the WorkflowTemplate the component names instead of its CronJob.
        List<TargetSpec> argo = KubeBeans.targets(ModelSet.resolve(defaults)).stream()
                .map(t -> new TargetSpec(t.name(), Extensions.trainedFrom("argo-workflow", "orchestrator-ml-retrain"),
                        t.models(), t.recovery()))
                .toList();

        Set<String> granted = granted(roleRules(List.of("argo-workflow")));

        assertThat(granted).containsExactlyInAnyOrderElementsOf(keys(Extensions.permissions(defaults, argo)));
        assertThat(granted).noneMatch(k -> k.contains("batch"));
    }

    @Test
    void givenTheJobTemplateComponent_whenExpandedToVerbs_thenItGrantsExactlyWhatTheJobTemplateTriggerCallsAndNoCronJob()
            throws IOException {
        Settings defaults = TestConfigs.settings("");
        // Neural Hive's targets, each trained from the manifest in the ConfigMap the component names.
        List<TargetSpec> templated = KubeBeans.targets(ModelSet.resolve(defaults)).stream()
                .map(t -> new TargetSpec(t.name(), Extensions.trainedFrom("job-template",
                        "orchestrator-ml-training-job"), t.models(), t.recovery()))
                .toList();

        Set<String> granted = granted(roleRules(List.of("job-template")));

        assertThat(granted).containsExactlyInAnyOrderElementsOf(keys(Extensions.permissions(defaults, templated)));
        assertThat(granted).noneMatch(k -> k.contains("cronjobs"));
    }

    @Test
    void givenAClusterWorkflowTemplateTarget_whenTheClusterComponentIsRead_thenItsClusterRoleGrantsExactlyTheClusterRowsToTheRolesSubjects()
            throws IOException {
        Settings defaults = TestConfigs.settings("");
        List<TargetSpec> cluster = KubeBeans.targets(ModelSet.resolve(defaults)).stream()
                .map(t -> new TargetSpec(t.name(), new dev.modelguardian.core.remediation.Trainer("argo-workflow",
                        "ClusterWorkflowTemplate", "orchestrator-ml-retrain", "Workflow", "argoproj.io/v1alpha1"),
                        t.models(), t.recovery()))
                .toList();
        List<Permission> needed = Extensions.permissions(defaults, cluster);
        Path dir = DIR.resolve("components").resolve(CLUSTER_TEMPLATES);
        Map<String, Object> kustomization = yaml(dir.resolve("kustomization.yaml"));
        io.fabric8.kubernetes.api.model.rbac.ClusterRole role = load(dir.resolve("clusterrole.yaml"),
                io.fabric8.kubernetes.api.model.rbac.ClusterRole.class);
        io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding binding = load(dir.resolve("clusterrolebinding.yaml"),
                io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class);
        Set<String> roleSubjects = new TreeSet<>();
        for (Path file : allManifests()) {
            if (load(file, HasMetadata.class) instanceof RoleBinding b) {
                b.getSubjects().forEach(sub -> roleSubjects.add(sub.getNamespace() + "/" + sub.getName()));
            }
        }

        assertThat(kustomization).containsEntry("kind", "Component").containsEntry("resources",
                List.of("clusterrole.yaml", "clusterrolebinding.yaml"));
        assertThat(granted(role.getRules())).containsExactlyInAnyOrderElementsOf(keys(needed.stream()
                .filter(Permission::cluster).toList()));
        assertThat(granted(roleRules(List.of("argo-workflow")))).as("the rest from the Role")
                .containsAll(keys(needed.stream().filter(p -> !p.cluster()).toList()));
        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).allSatisfy(sub -> assertThat(sub.getKind()).isEqualTo("ServiceAccount"))
                .extracting(sub -> sub.getNamespace() + "/" + sub.getName())
                .containsExactlyInAnyOrderElementsOf(roleSubjects);
    }

    @Test
    void givenTheHttpComponent_whenExpandedToVerbs_thenItGrantsExactlyTheRecipesSecretAndNoJobsOrWorkflows()
            throws IOException {
        // Each documented recipe (docs/triggers) reads the Secret the component names.
        for (String recipe : List.of("kubeflow-pipelines.yaml", "airflow.yaml", "github-actions.yaml")) {
            Settings config = TestConfigs.settings(Files.readString(Path.of("docs/triggers").resolve(recipe)));

            Set<String> granted = granted(componentRules("http"));

            assertThat(granted).as(recipe).containsExactlyInAnyOrderElementsOf(keys(new HttpTriggerProvider()
                    .permissions(config, KubeBeans.targets(ModelSet.resolve(config)))));
            assertThat(granted).as(recipe).noneMatch(k -> k.contains("batch") || k.contains("argoproj")
                    || k.contains("pods"));
        }
    }

    @Test
    void givenEveryShapeThatRuns_whenItsKustomizationIsRead_thenItListsTheCronjobComponentAsTheDefaultTrigger()
            throws IOException {
        for (String shape : List.of("sidecar", "check", "remediate")) {
            assertThat(yaml(DIR.resolve(shape).resolve("kustomization.yaml")).get("components")).as(shape)
                    .isEqualTo(List.of("../components/cronjob"));
        }
    }

    @Test
    void givenTheRole_whenARuleHasNoResourceNames_thenItsVerbsAreOnesRbacCannotNarrowOrItsNamesAreGenerated()
            throws IOException {
        for (PolicyRule rule : roleRules(COMPONENTS)) {
            if (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()) {
                boolean generatedNames = rule.getResources().equals(List.of("jobs"))
                        || rule.getResources().equals(List.of("pods"))
                        || rule.getResources().equals(List.of("pods/log"))
                        || rule.getResources().equals(List.of("workflows"));
                assertThat(generatedNames || UNNAMEABLE_VERBS.containsAll(rule.getVerbs()))
                        .as("rule %s could be narrowed by resourceNames", rule).isTrue();
            } else {
                assertThat(rule.getVerbs()).as("%s: these verbs ignore resourceNames", rule)
                        .doesNotContainAnyElementsOf(UNNAMEABLE_VERBS);
            }
        }
        // Each rule says which feature needs it: a comment line right above every "- apiGroups" (or "- op: add").
        List<Path> files = new ArrayList<>(List.of(DIR.resolve("base/role.yaml")));
        COMPONENTS.forEach(c -> files.add(DIR.resolve("components").resolve(c).resolve("role-rules.yaml")));
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).strip().startsWith("- apiGroups") || lines.get(i).strip().startsWith("- op:")) {
                    assertThat(lines.get(i - 1).strip()).as("%s: comment above line %d", file, i + 1).startsWith("#");
                }
            }
        }
    }

    @Test
    void givenTheRoleBindings_whenRead_thenTheyBindTheRoleToTheGuardianAndToTheModelServersServiceAccount()
            throws IOException {
        String role = load(DIR.resolve("base/role.yaml"), Role.class).getMetadata().getName();
        String serviceAccount = load(DIR.resolve("base/serviceaccount.yaml"), HasMetadata.class).getMetadata().getName();
        Job remediate = load(DIR.resolve("remediate/remediate-job.yaml"), Job.class);
        Set<String> subjects = new TreeSet<>();
        for (Path file : allManifests()) {
            if (load(file, HasMetadata.class) instanceof RoleBinding binding) {
                assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
                assertThat(binding.getRoleRef().getName()).isEqualTo(role);
                for (Subject s : binding.getSubjects()) {
                    assertThat(s.getKind()).isEqualTo("ServiceAccount");
                    assertThat(s.getNamespace()).isEqualTo(NeuralHive.NAMESPACE);
                    subjects.add(s.getName());
                }
            }
        }

        assertThat(subjects).containsExactlyInAnyOrder(serviceAccount,
                NeuralHive.trainingCronJob().getSpec().getJobTemplate().getSpec().getTemplate().getSpec()
                        .getServiceAccountName());
        assertThat(remediate.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(serviceAccount);
        // check --remediate writes state and creates Jobs: it runs as the guardian, with the Role, from its own
        // kustomization.
        CronJob check = load(DIR.resolve("check/check-cronjob.yaml"), CronJob.class);
        PodSpec checkPod = check.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(checkPod.getServiceAccountName()).isEqualTo(serviceAccount);
        assertThat(checkPod.getAutomountServiceAccountToken()).as("the token is needed").isNotEqualTo(Boolean.FALSE);
        assertThat(manifests("check")).contains(DIR.resolve("base/role.yaml"), DIR.resolve("base/rolebinding.yaml"),
                DIR.resolve("base/serviceaccount.yaml"));
    }

    @Test
    void givenTheCheckCronJob_whenRead_thenItRunsCheckRemediateOneAtATimeWithoutRetries() throws IOException {
        CronJob check = load(DIR.resolve("check/check-cronjob.yaml"), CronJob.class);
        Container c = check.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(c.getArgs()).containsExactly("check", "--remediate");
        assertThat(check.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(check.getSpec().getJobTemplate().getSpec().getBackoffLimit()).isZero();
        assertThat(check.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getRestartPolicy())
                .isEqualTo("Never");
        // The option exists on the command the image runs.
        assertThat(Stream.of(dev.modelguardian.app.cli.CheckCommand.class.getDeclaredFields())
                .map(f -> f.getAnnotation(picocli.CommandLine.Option.class)).filter(o -> o != null)
                .flatMap(o -> Stream.of(o.names()))).contains("--remediate");
        // Its identity for Events and the namespace of everything it touches, as the sidecar gets them.
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("POD_NAMESPACE")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                        .isEqualTo("metadata.namespace"));
    }

    /** The three ways to run: the container, its pod, and the command it runs. */
    record Shape(String name, PodSpec pod, Container container) {
    }

    static List<Shape> shapes() throws IOException {
        Deployment sidecar = load(SIDECAR_PATCH, Deployment.class);
        CronJob check = load(DIR.resolve("check/check-cronjob.yaml"), CronJob.class);
        Job remediate = load(DIR.resolve("remediate/remediate-job.yaml"), Job.class);
        PodSpec sidecarPod = sidecar.getSpec().getTemplate().getSpec();
        PodSpec checkPod = check.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        PodSpec remediatePod = remediate.getSpec().getTemplate().getSpec();
        return List.of(new Shape("serve", sidecarPod, sidecarPod.getContainers().get(0)),
                new Shape("check", checkPod, checkPod.getContainers().get(0)),
                new Shape("remediate", remediatePod, remediatePod.getContainers().get(0)));
    }

    @Test
    void givenEveryShape_whenItsContainerIsRead_thenItRunsItsCommandNonRootReadOnlyWithNoCapabilities()
            throws IOException {
        Set<String> commands = Stream.of(GuardianCommand.class.getAnnotation(Command.class).subcommands())
                .map(c -> c.getAnnotation(Command.class).name()).collect(Collectors.toSet());
        String image = Files.readAllLines(Path.of("native-build/build.sh")).stream()
                .filter(l -> l.contains("IMAGE:-")).findFirst().orElseThrow()
                .replaceAll(".*IMAGE:-([^}]*)}.*", "$1");

        for (Shape shape : shapes()) {
            Container c = shape.container();
            assertThat(c.getArgs().get(0)).as(shape.name()).isEqualTo(shape.name()).isIn(commands);
            assertThat(c.getImage()).as(shape.name()).isEqualTo(image);
            boolean nonRoot = Boolean.TRUE.equals(c.getSecurityContext().getRunAsNonRoot())
                    || shape.pod().getSecurityContext() != null
                            && Boolean.TRUE.equals(shape.pod().getSecurityContext().getRunAsNonRoot());
            assertThat(nonRoot).as(shape.name() + " runAsNonRoot").isTrue();
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(shape.name()).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(shape.name()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(shape.name()).containsExactly("ALL");
            assertThat(c.getResources().getLimits()).as(shape.name()).containsKey("memory");
            assertThat(c.getVolumeMounts()).as(shape.name() + ": writable /tmp")
                    .anyMatch(m -> m.getMountPath().equals("/tmp")
                            && shape.pod().getVolumes().stream().anyMatch(v -> v.getName().equals(m.getName())
                                    && v.getEmptyDir() != null));
        }
    }

    @Test
    void givenEveryShape_whenItsEnvIsRead_thenSecretsComeFromOptionalSecretKeyRefsAndNeverInline() throws Exception {
        for (Shape shape : shapes()) {
            for (EnvVar env : Optional.ofNullable(shape.container().getEnv()).orElse(List.of())) {
                if (SECRET_ENV.contains(env.getName())) {
                    assertThat(env.getValue()).as(env.getName()).isNull();
                    assertThat(env.getValueFrom().getSecretKeyRef()).as(env.getName()).isNotNull();
                }
                if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                    assertThat(env.getValueFrom().getSecretKeyRef().getOptional()).as(env.getName()).isTrue();
                    assertThat(env.getName()).isIn(SECRET_ENV);
                }
            }
        }
        Container serve = shapes().get(0).container();
        assertThat(serve.getEnv()).extracting(EnvVar::getName).containsAll(SECRET_ENV);
        // Only serve has the API; the CronJob and the one-shot Job remediate, so they need every other secret.
        for (Shape shape : shapes().subList(1, 3)) {
            assertThat(shape.container().getEnv()).as(shape.name()).extracting(EnvVar::getName)
                    .containsAll(SECRET_ENV.stream().filter(n -> !n.equals("GUARDIAN_API_TOKEN")).toList());
        }
        // The names map onto the guardian.* tree the application reads (GUARDIAN_API_TOKEN is guardian.api.token).
        assertThat(GuardianConfig.Api.class.getMethod("token")).isNotNull();
        assertThat(WebhookSettings.class.getMethod("hmacKey")).isNotNull();
    }

    @Test
    void givenTheSidecarPatch_whenRead_thenItAddsOneContainerToTheModelServerWithDownwardApiAndHealthProbesOnItsPort()
            throws Exception {
        Deployment patch = load(SIDECAR_PATCH, Deployment.class);
        Container c = patch.getSpec().getTemplate().getSpec().getContainers().get(0);
        @SuppressWarnings("unchecked")
        int port = (Integer) ((Map<String, Object>) ((Map<String, Object>) yaml(
                Path.of("src/main/resources/application.yaml")).get("quarkus")).get("http")).get("port");

        assertThat(patch.getMetadata().getName()).isEqualTo(NeuralHiveDefaults.DEPLOYMENT);
        assertThat(patch.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("POD_NAME"))
                .singleElement().satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                        .isEqualTo("metadata.name"));
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("POD_NAMESPACE"))
                .singleElement().satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                        .isEqualTo("metadata.namespace"));
        assertThat(c.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(port));
        assertThat(port).isNotIn(8000, 9090, 50053);
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(c.getLivenessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(port);
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(port);
        // Names that must not collide with the model server's own volumes.
        assertThat(c.getVolumeMounts()).allMatch(m -> m.getName().startsWith("model-guardian-"));
    }

    @Test
    void givenTheReadmesDeploySection_whenRead_thenItsPathsSecretKeysAndReplacedValuesAreTheManifestsOwn()
            throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String deploy = readme.substring(readme.indexOf("## Deploy"), readme.indexOf("## `serve`"));
        String manifests = String.join("\n", Stream.concat(allManifests().stream(), Stream.of(SIDECAR_PATCH))
                .map(p -> {
                    try {
                        return Files.readString(p);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList());

        // Every path it names exists.
        java.util.regex.Matcher paths = java.util.regex.Pattern.compile("src/main/kubernetes/[\\w./-]*[\\w]")
                .matcher(deploy);
        int named = 0;
        while (paths.find()) {
            assertThat(Path.of(paths.group())).as(paths.group()).exists();
            named++;
        }
        assertThat(named).isGreaterThanOrEqualTo(4);
        // The Secret it creates is the one the manifests read, with keys they read; it names every key they read.
        Set<String> keys = new TreeSet<>();
        java.util.regex.Matcher refs = java.util.regex.Pattern.compile(
                "secretKeyRef: \\{name: ([\\w-]+), key: ([\\w-]+)").matcher(manifests);
        while (refs.find()) {
            assertThat(deploy).contains("kubectl create secret generic " + refs.group(1) + " -n "
                    + NeuralHive.NAMESPACE);
            keys.add(refs.group(2));
        }
        java.util.regex.Matcher literals = java.util.regex.Pattern.compile("--from-literal=([\\w-]+)=").matcher(deploy);
        while (literals.find()) {
            assertThat(keys).as("Secret key " + literals.group(1)).contains(literals.group(1));
        }
        keys.forEach(k -> assertThat(deploy).as("key " + k).contains("`" + k + "`"));
        // What its sed commands replace is in the manifests, and the objects it inspects exist there.
        java.util.regex.Matcher seds = java.util.regex.Pattern.compile("-e \"s\\|([^|]+)\\|").matcher(deploy);
        while (seds.find()) {
            assertThat(manifests).as("sed replaces " + seds.group(1)).contains(seds.group(1));
        }
        assertThat(load(SIDECAR_PATCH, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getName()).isEqualTo("model-guardian");
        assertThat(deploy).contains("deploy/orchestrator-dynamic -c model-guardian -- /work/model-guardian doctor")
                .contains("CronJob `model-guardian-check`").contains("job/model-guardian-remediate");
        assertThat(Files.readString(Path.of("native-build/Dockerfile")))
                .contains("ENTRYPOINT [\"/work/model-guardian\"]");
        assertThat(load(DIR.resolve("check/check-cronjob.yaml"), CronJob.class).getMetadata().getName())
                .isEqualTo("model-guardian-check");
        assertThat(load(DIR.resolve("remediate/remediate-job.yaml"), Job.class).getMetadata().getName())
                .isEqualTo("model-guardian-remediate");
    }

    private static String key(String group, String resource, String verb, Optional<String> name) {
        return verb + " " + resource + (group.isEmpty() ? "" : "." + group) + name.map(n -> "/" + n).orElse("");
    }
}
