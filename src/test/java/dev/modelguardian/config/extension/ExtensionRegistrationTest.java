package dev.modelguardian.config.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;

import dev.modelguardian.app.wiring.Extensions;
import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.ConfigValidator;
import dev.modelguardian.config.GuardianConfig;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.config.Settings;
import dev.modelguardian.core.check.Check;
import dev.modelguardian.core.notify.Channel;
import dev.modelguardian.core.registry.ModelRegistry;
import dev.modelguardian.core.remediation.TargetSpec;
import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.core.signal.ScriptedSignals;
import dev.modelguardian.core.signal.SignalQuery;
import dev.modelguardian.integrations.jobs.CronJobProvider;
import dev.modelguardian.integrations.prometheus.PromQlQuery;
import dev.modelguardian.integrations.scrape.ScrapeQuery;
import dev.modelguardian.integrations.slack.SlackProvider;
import dev.modelguardian.testing.TestConfigs;

/** The registration lists drive validation: what is in them is checked, in their order, and nothing else. */
class ExtensionRegistrationTest {

    private static final Settings CONFIG = TestConfigs.settings("""
            guardian:
              notify:
                timeout: 0s
                slack:
                  webhook-url: not a url
            """);

    /** A channel the guardian does not ship: one problem of its own, one check of its own, never on. */
    private static final ChannelProvider PIGEON = new ChannelProvider() {
        @Override
        public String name() {
            return "pigeon";
        }

        @Override
        public void validate(Settings settings, List<ConfigProblem> problems) {
            problems.add(new ConfigProblem("guardian.notify.pigeon.loft", "no loft; name the pigeon's loft"));
        }

        @Override
        public List<Check> doctor(Settings settings, DoctorContext context) {
            return List.of(Check.warn("notify/pigeon", "no loft in " + context.namespace(), "name the loft"));
        }

        @Override
        public Optional<Channel> channel(Settings settings, String namespace) {
            return Optional.empty();
        }
    };

    /** A registry the guardian does not ship: one problem of its own. */
    private static final RegistryProvider LEDGER = new RegistryProvider() {
        @Override
        public String name() {
            return "ledger";
        }

        @Override
        public void validate(Settings settings, List<ConfigProblem> problems) {
            problems.add(new ConfigProblem("guardian.ledger.url", "not set; set the ledger's URL"));
        }

        @Override
        public List<Check> doctor(Settings settings, DoctorContext context) {
            return List.of();
        }

        @Override
        public Optional<ModelRegistry> registry(Settings settings) {
            return Optional.empty();
        }
    };

    /** A trigger the guardian does not ship: one problem for every target. */
    private static final TriggerProvider CARRIER = new TriggerProvider() {
        @Override
        public String kind() {
            return "carrier";
        }

        @Override
        public dev.modelguardian.core.remediation.Trainer trainer(String name, GuardianConfig.Target target,
                Settings settings) {
            return new dev.modelguardian.core.remediation.Trainer("carrier", "Pigeon", name, "Flight", "v1");
        }

        @Override
        public dev.modelguardian.core.remediation.Trainer trainedFrom(String from) {
            return trainer(from, null, null);
        }

        @Override
        public List<Permission> permissions(Settings settings, List<TargetSpec> targets) {
            return List.of();
        }

        @Override
        public void validate(String name, GuardianConfig.Target target, Settings settings,
                List<ConfigProblem> problems) {
            problems.add(new ConfigProblem("guardian.targets." + name + ".carrier", "no carrier; name one"));
        }

        @Override
        public List<Check> doctor(List<TargetSpec> targets, io.fabric8.kubernetes.client.KubernetesClient client,
                DoctorContext context) {
            return List.of();
        }

        @Override
        public dev.modelguardian.core.remediation.TrainingTrigger trigger(Settings settings,
                java.util.Map<String, GuardianConfig.Target> targets,
                io.fabric8.kubernetes.client.KubernetesClient client, String namespace, java.time.Clock clock) {
            throw new UnsupportedOperationException("no carrier");
        }
    };

    /** A source the guardian does not ship: one problem of its own keys, one of every signal that reads it. */
    private static final SourceProvider LEAVES = new SourceProvider() {
        @Override
        public String kind() {
            return "leaves";
        }

        @Override
        public void validate(Settings settings, List<ConfigProblem> problems) {
            problems.add(new ConfigProblem("guardian.leaves.cup", "no cup; name the cup the leaves are read in"));
        }

        @Override
        public void validateSignal(String prefix, GuardianConfig.Signal signal, List<ConfigProblem> problems) {
            problems.add(new ConfigProblem(prefix + ".tea", "no tea; name the tea"));
        }

        @Override
        public Optional<ConfigProblem> unconfigured(Settings settings, String signal) {
            return Optional.of(new ConfigProblem("guardian.leaves.cup", "not set, but signal " + signal
                    + " reads the leaves"));
        }

        @Override
        public dev.modelguardian.core.signal.SignalQuery query(GuardianConfig.Signal signal) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Check> doctor(Settings settings, List<dev.modelguardian.core.policy.Policy> policies,
                dev.modelguardian.core.signal.MetricSource.Cycle cycle) {
            return List.of();
        }

        @Override
        public dev.modelguardian.core.signal.MetricSource source(Settings settings,
                com.fasterxml.jackson.databind.ObjectMapper mapper) {
            return dev.modelguardian.core.signal.MetricSource.unavailable("leaves", "no cup");
        }
    };

    private static final Settings READS_LEAVES = TestConfigs.settings("""
            guardian:
              models:
                m:
                  signals:
                    s:
                      source: leaves
                      above: 1
            """);

    private static List<String> problems(List<ChannelProvider> channels, List<RegistryProvider> registries) {
        return ConfigValidator.validate(CONFIG, ModelSet.resolve(CONFIG), List.of(), channels, registries,
                List.of()).stream()
                .map(ConfigProblem::property)
                .filter(p -> p.startsWith("guardian.notify") || p.startsWith("guardian.ledger")).toList();
    }

    @Test
    void givenAChannelProviderContributed_whenValidated_thenItsProblemComesAfterTheGeneralNotifySettings() {
        assertThat(problems(List.of(PIGEON), List.of()))
                .containsExactly("guardian.notify.timeout", "guardian.notify.pigeon.loft");
    }

    @Test
    void givenARegistryProviderContributed_whenValidated_thenItsProblemIsReported() {
        assertThat(problems(List.of(), List.of(LEDGER))).containsExactly("guardian.ledger.url",
                "guardian.notify.timeout");
    }

    @Test
    void givenTwoChannelProviders_whenValidated_thenTheirProblemsFollowTheRegistrationOrder() {
        assertThat(problems(List.of(PIGEON, new SlackProvider()), List.of())).containsExactly(
                "guardian.notify.timeout", "guardian.notify.pigeon.loft", "guardian.notify.slack.webhook-url");
        assertThat(problems(List.of(new SlackProvider(), PIGEON), List.of())).containsExactly(
                "guardian.notify.timeout", "guardian.notify.slack.webhook-url", "guardian.notify.pigeon.loft");
    }

    @Test
    void givenATriggerProviderRegistered_whenValidated_thenItsProblemIsReportedForEveryTarget() {
        ModelSet set = ModelSet.resolve(CONFIG);
        List<String> carrier = ConfigValidator.validate(CONFIG, set, List.of(), List.of(), List.of(), List.of(CARRIER))
                .stream()
                .map(ConfigProblem::property).filter(p -> p.endsWith(".carrier")).toList();
        assertThat(set.targets()).isNotEmpty();
        assertThat(carrier).containsExactlyElementsOf(new java.util.TreeSet<>(set.targets().keySet()).stream()
                .map(target -> "guardian.targets." + target + ".carrier").toList());
        assertThat(ConfigValidator.validate(CONFIG, set, List.of(), List.of(), List.of(), List.of()))
                .extracting(ConfigProblem::property).noneMatch(p -> p.endsWith(".carrier"));
    }

    @Test
    void givenASourceProviderRegistered_whenValidated_thenItsKeysAndTheSignalsReadingItAreChecked() {
        ModelSet set = ModelSet.resolve(READS_LEAVES);
        assertThat(ConfigValidator.validate(READS_LEAVES, set, List.of(LEAVES), List.of(), List.of(), List.of()))
                .extracting(ConfigProblem::property)
                .contains("guardian.leaves.cup", "guardian.models.m.signals.s.tea")
                .doesNotContain("guardian.models.m.signals.s.source");
        assertThat(ConfigValidator.validateSourcesConfigured(READS_LEAVES, set, List.of(LEAVES)))
                .singleElement().satisfies(p -> assertThat(p.message()).isEqualTo("not set, but signal m/s reads the"
                        + " leaves"));
    }

    @Test
    void givenASourceWithoutAScriptedForm_whenAReplayReadsIt_thenEveryReadIsAnErrorSayingSo() {
        ScriptedSignals script = new ScriptedSignals() {
            @Override
            public Observation read(SignalQuery query, Instant at) {
                return Observation.of(1);
            }

            @Override
            public Duration step() {
                return Duration.ofMinutes(1);
            }

            @Override
            public List<SignalQuery> queries() {
                return List.of();
            }
        };
        SignalQuery tea = new PromQlQuery("tea");

        assertThat(LEAVES.scripted(script).open(Instant.EPOCH).read(tea, Reduce.MAX))
                .isEqualTo(Observation.error("a replay cannot simulate the leaves source"));
    }

    @Test
    void givenTheShippedSources_whenAReplayReadsThem_thenEachReadsTheScript() {
        ScriptedSignals script = new ScriptedSignals() {
            @Override
            public Observation read(SignalQuery query, Instant at) {
                return Observation.of(query.describe().length());
            }

            @Override
            public Duration step() {
                return Duration.ofMinutes(1);
            }

            @Override
            public List<SignalQuery> queries() {
                return List.of(new ScrapeQuery("model_mae", Map.of()));
            }
        };

        assertThat(Extensions.scripted(script).open("prometheus", Instant.EPOCH)
                .read(new PromQlQuery("up"), Reduce.MAX)).isEqualTo(Observation.of(2));
        assertThat(Extensions.scripted(script).open("scrape", Instant.EPOCH)
                .read(new ScrapeQuery("model_mae", Map.of()), Reduce.MAX)).isEqualTo(Observation.of(9));
    }

    @Test
    void givenASourceNotRegistered_whenValidated_thenASignalReadingItIsAnUnknownSourceNamingTheRegisteredOnes() {
        ModelSet set = ModelSet.resolve(READS_LEAVES);
        assertThat(ConfigValidator.validate(READS_LEAVES, set, Extensions.SOURCES, List.of(), List.of(), List.of()))
                .filteredOn(p -> p.property().equals("guardian.models.m.signals.s.source")).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("unknown source 'leaves'; use 'prometheus' or"
                        + " 'scrape'"));
        assertThat(ConfigValidator.validate(READS_LEAVES, set, Extensions.SOURCES, List.of(), List.of(), List.of()))
                .extracting(ConfigProblem::property).doesNotContain("guardian.leaves.cup");
    }

    @Test
    void givenAChannelNotRegistered_whenValidated_thenItsKeysAreNotChecked() {
        assertThat(problems(List.of(), List.of())).containsExactly("guardian.notify.timeout");
    }

    @Test
    void givenTheApplicationsList_whenValidated_thenEveryShippedChannelAndRegistryIsChecked() {
        assertThat(Extensions.SOURCES).extracting(SourceProvider::kind).containsExactly("prometheus", "scrape");
        assertThat(Extensions.CHANNELS).extracting(ChannelProvider::name)
                .containsExactly("slack", "pagerduty", "webhook");
        assertThat(Extensions.REGISTRIES).extracting(RegistryProvider::name).containsExactly("mlflow");
        assertThat(Extensions.TRIGGERS).extracting(TriggerProvider::kind).containsExactly("cronjob", "job-template",
                "argo-workflow", "http");
        assertThat(Extensions.TRIGGERS.getFirst()).isInstanceOf(CronJobProvider.class);
        assertThat(Extensions.validate(CONFIG, ModelSet.resolve(CONFIG))).extracting(ConfigProblem::property)
                .contains("guardian.notify.slack.webhook-url");
    }
    @Test
    void givenTheShippedExtensions_whenTheirKeysAreMapped_thenEachWithKeysOwnsAnUnremovableRootInItsFolder() {
        Map<Object, Optional<Class<?>>> roots = new LinkedHashMap<>();
        Stream.of(Extensions.SOURCES, Extensions.CHANNELS, Extensions.REGISTRIES).flatMap(List::stream)
                .forEach(extension -> roots.put(extension, extension.settingsRoot()));
        Extensions.TRIGGERS.forEach(trigger -> roots.put(trigger, trigger.settingsRoot()));

        roots.forEach((extension, root) -> root.ifPresent(r -> {
            String name = extension.getClass().getSimpleName();
            assertThat(r.getPackage()).as("%s's root", name).isEqualTo(extension.getClass().getPackage());
            assertThat(r.getAnnotation(ConfigMapping.class).prefix()).as("%s's prefix", r.getSimpleName())
                    .startsWith("guardian.");
            // Without it Quarkus would not register a root that nothing injects: every key would be unknown.
            assertThat(r.isAnnotationPresent(Unremovable.class)).as("%s is @Unremovable", r.getSimpleName())
                    .isTrue();
            assertThatCode(() -> CONFIG.of(r)).as("%s mapped by a test configuration", r.getSimpleName())
                    .doesNotThrowAnyException();
        }));
        assertThat(roots.entrySet()).filteredOn(e -> e.getValue().isEmpty())
                .extracting(e -> e.getKey().getClass().getSimpleName())
                .as("only the CronJob trigger's keys are the guardian's tree").containsExactly("CronJobProvider");
        assertThat(Extensions.settingsRoots()).doesNotHaveDuplicates()
                .hasSize((int) roots.values().stream().flatMap(Optional::stream).count());
    }

    @Test
    void givenEveryConfigMappingInTheSources_whenListed_thenEachIsTheGuardiansTreeOrAnExtensionsNamedRoot()
            throws IOException {
        Set<String> declared = new TreeSet<>();
        Path main = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (Files.readString(file).contains("\n@ConfigMapping(")) {
                    declared.add(main.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", ""));
                }
            }
        }
        Set<String> known = new TreeSet<>();
        known.add(GuardianConfig.class.getName());
        Extensions.settingsRoots().forEach(root -> known.add(root.getName()));

        assertThat(declared).as("a root no provider names is mapped by Quarkus but by no test configuration")
                .isEqualTo(known);
    }
}
