package dev.modelguardian.integrations.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.modelguardian.config.ConfigProblem;
import dev.modelguardian.config.Settings;
import dev.modelguardian.config.extension.Permission;
import dev.modelguardian.core.remediation.Trainer;
import dev.modelguardian.testing.TestConfigs;

/** The http trigger's validation, what it says trains a target, and the permission it needs. */
class HttpTriggerProviderTest {

    static final String T = "orchestrator-dynamic-ml-training";
    static final String PREFIX = "guardian.targets." + T + ".trigger.http.";
    final HttpTriggerProvider provider = new HttpTriggerProvider();

    private List<ConfigProblem> problems(String http) {
        Settings config = TestConfigs.settings("""
                guardian:
                  targets:
                    %s:
                      models: [ticket-duration-predictor]
                      trigger:
                %s
                """.formatted(T, http.indent(8)));
        List<ConfigProblem> problems = new ArrayList<>();
        provider.validate(T, config.guardian().targets().get(T), config, problems);
        return problems;
    }

    private static List<String> properties(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::property).toList();
    }

    private static final String VALID = """
            kind: http
            http:
              start:
                url: https://kfp.example/apis/v2beta1/runs
                body: '{"display_name": "{run}"}'
                run-id: /run_id
              status:
                url: https://kfp.example/apis/v2beta1/runs/{run-id}
                state: /state
                succeeded: [SUCCEEDED]
                failed: [FAILED]
              runs:
                url: https://kfp.example/apis/v2beta1/runs
                items: /runs
                name: /display_name
              auth:
                secret: kfp-token
            """;

    @Test
    void givenAValidHttpTrigger_whenValidated_thenNoProblemAndThePipelineTrainsTheTarget() {
        Settings config = TestConfigs.settings("guardian:\n  targets:\n    " + T
                + ":\n      models: [m]\n      trigger:\n" + VALID.indent(8));

        assertThat(problems(VALID)).isEmpty();
        assertThat(provider.trainer(T, config.guardian().targets().get(T), config)).isEqualTo(new Trainer("http",
                "Pipeline", T, "run", HttpTriggerProvider.API_VERSION));
    }

    @Test
    void givenAnHttpTriggerWithNothingSet_whenValidated_thenEachRequiredKeyIsNamedWithAnExample() {
        List<ConfigProblem> problems = problems("kind: http");

        assertThat(properties(problems)).containsExactly(PREFIX + "start.url", PREFIX + "status.url",
                PREFIX + "status.state", PREFIX + "status.succeeded", PREFIX + "status.failed");
        assertThat(problems.get(0).message()).isEqualTo("not set; set the absolute URL, e.g."
                + " https://kfp.example/apis/v2beta1/runs");
    }

    @Test
    void givenABodyThatIsNotJson_whenValidated_thenTheProblemSaysToPutPlaceholdersInsideStrings() {
        List<ConfigProblem> problems = problems(VALID.replace("'{\"display_name\": \"{run}\"}'",
                "'{\"display_name\": {run}}'"));

        assertThat(properties(problems)).containsExactly(PREFIX + "start.body");
        assertThat(problems.get(0).message()).startsWith("not JSON (").contains("placeholders inside strings");
    }

    @Test
    void givenUnknownPlaceholdersAndAStatusUrlWithoutTheRun_whenValidated_thenEachIsNamedWithTheOnesAllowed() {
        List<ConfigProblem> problems = problems(VALID.replace("\"{run}\"", "\"{run-name}\"")
                .replace("runs/{run-id}", "runs/latest").replace("/apis/v2beta1/runs\n", "/runs?by={remediation-id}\n"));

        assertThat(problems).extracting(ConfigProblem::property, ConfigProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(PREFIX + "start.body", "unknown placeholder {run-name}; use {run},"
                        + " {remediation-id}, {target}, {models}, {trigger}"),
                org.assertj.core.groups.Tuple.tuple(PREFIX + "status.url", "the URL does not say which run: put"
                        + " {run-id} where the run's id goes, e.g. .../runs/{run-id}"),
                org.assertj.core.groups.Tuple.tuple(PREFIX + "runs.url", "unknown placeholder {remediation-id}; use"
                        + " {target}, {models}"));
    }

    @Test
    void givenServiceAssignedIdsWithoutARunsList_whenValidated_thenItSaysARestartCouldNotFindTheRun() {
        List<ConfigProblem> problems = problems(VALID.replaceAll("(?s)  runs:.*?name: /display_name\n", ""));

        assertThat(properties(problems)).containsExactly(PREFIX + "runs.url");
        assertThat(problems.get(0).message()).contains("a guardian restarted after starting a run finds it again only"
                + " in the list of runs");
    }

    @Test
    void givenBadPointersStatesHeadersSchemeAndSecret_whenValidated_thenEachIsNamed() {
        List<ConfigProblem> problems = problems(VALID.replace("state: /state", "state: state")
                .replace("failed: [FAILED]", "failed: [FAILED, SUCCEEDED]")
                .replace("  auth:\n    secret: kfp-token", "  headers:\n    Authorization: Bearer x\n"
                        + "    X-Trace: \"a\\nb\"\n  auth:\n    secret: KFP_Token\n    scheme: digest")
                .replace("  start:\n", "  start:\n    method: GET\n"));

        assertThat(properties(problems)).containsExactly(PREFIX + "start.method", PREFIX + "status.state",
                PREFIX + "status.failed", PREFIX + "auth.scheme", PREFIX + "auth.secret",
                PREFIX + "headers.Authorization", PREFIX + "headers.X-Trace");
        assertThat(problems.get(5).message()).contains("credentials come from a Secret (trigger.http.auth)");
    }

    @Test
    void givenHttpKeysOnACronJobTarget_whenValidated_thenEachIsNamedWithTheFix() {
        List<ConfigProblem> problems = problems(VALID.replace("kind: http", "kind: cronjob"));

        assertThat(properties(problems)).containsExactly(PREFIX + "start.url", PREFIX + "start.body",
                PREFIX + "status.url", PREFIX + "runs.url", PREFIX + "auth.secret");
        assertThat(problems.get(0).message()).isEqualTo("start.url is only read by an http trigger, and this target's"
                + " trigger.kind is cronjob; remove it, or set trigger.kind: http");
    }

    @Test
    void givenTargetsWithCredentials_whenPermissionsAreListed_thenItIsGetOnEachSecretByName() {
        Settings config = TestConfigs.settings("guardian:\n  targets:\n    " + T
                + ":\n      models: [m]\n      trigger:\n" + VALID.indent(8));
        var target = Recipes.target(config);

        assertThat(provider.permissions(config, List.of(target))).containsExactly(new Permission("", "secrets", "get",
                java.util.Optional.of("kfp-token"), "the pipeline service's credentials (http trigger)"));
        assertThat(provider.permissions(config, List.of())).isEmpty();
    }
}
