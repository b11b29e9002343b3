package dev.modelguardian;

import static dev.modelguardian.testing.Monitoring.DIR;
import static dev.modelguardian.testing.Monitoring.RULES;
import static dev.modelguardian.testing.Monitoring.queries;
import static dev.modelguardian.testing.Monitoring.rules;
import static dev.modelguardian.testing.Monitoring.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.modelguardian.testing.Monitoring;
import dev.modelguardian.testing.PrometheusServer;

/**
 * The files a platform team drops into its Prometheus and Grafana (monitoring/): the alert rules pass
 * {@code promtool check rules} and their unit tests ({@code promtool test rules}), the PrometheusRule holds the same
 * groups, and the dashboard is importable: one datasource variable used by every query, only metrics the guardian
 * exposes. DashboardIT runs every query against a real Prometheus scraping a real {@code serve}.
 */
class MonitoringTest {

    /** Every metric name the guardian serves (README, "Metrics"; GuardianMetrics, Delivery), with its suffixes. */
    static final Set<String> SERVED = Set.of("guardian_signal_value", "guardian_signal_source_errors",
            "guardian_source_error_limit", "guardian_policy_state", "guardian_target_state",
            "guardian_target_state_since_timestamp_seconds", "guardian_target_deadline_timestamp_seconds",
            "guardian_remediations_total", "guardian_remediation_duration_seconds_sum",
            "guardian_remediation_duration_seconds_count", "guardian_remediation_duration_seconds_bucket",
            "guardian_action_failures_total", "guardian_leader", "guardian_cycle_seconds_sum",
            "guardian_cycle_seconds_count", "guardian_cycle_seconds_max", "guardian_external_call_seconds_sum",
            "guardian_external_call_seconds_count", "guardian_notifications_total");
    static final Pattern METRIC = Pattern.compile("\\bguardian_[a-z_]+");

    @Test
    void givenTheRulesFile_whenPromtoolChecksIt_thenEveryRuleIsValid() throws Exception {
        String out = promtool("check", "rules", RULES.toString());

        assertThat(out).contains("SUCCESS: 7 rules found");
    }

    @Test
    void givenTheRulesUnitTests_whenPromtoolRunsThem_thenEveryAlertFiresWhereExpectedAndNowhereElse()
            throws Exception {
        String out = promtool("test", "rules", DIR.resolve("rules.test.yaml").toString());

        assertThat(out).contains("SUCCESS");
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenEveryAlert_whenReadFromTheRulesFile_thenEachHasItsTestASeverityASummaryAndARunbook() throws IOException {
        List<Map<String, Object>> rules = rules(yaml(RULES));
        String tests = Files.readString(DIR.resolve("rules.test.yaml"));

        assertThat(rules).extracting(r -> r.get("alert")).containsExactly("ModelGuardianNoLeader",
                "ModelGuardianDown", "ModelGuardianSplitLeader", "ModelGuardianRollbackFailed", "ModelGuardianSourceErrors",
                "ModelGuardianTargetStuck", "ModelGuardianNotificationsFailing");
        for (Map<String, Object> rule : rules) {
            assertThat(tests).as("a promtool test of %s", rule.get("alert"))
                    .contains("alertname: " + rule.get("alert") + "\n        exp_alerts:\n          - exp_labels");
            assertThat((Map<String, Object>) rule.get("labels")).as("%s", rule.get("alert")).containsKey("severity");
            assertThat((Map<String, Object>) rule.get("annotations")).as("%s", rule.get("alert"))
                    .containsKeys("summary", "description", "runbook");
            assertThat(metrics((String) rule.get("expr"))).as("%s reads served metrics", rule.get("alert"))
                    .isNotEmpty().isSubsetOf(SERVED);
        }
    }

    @Test
    void givenThePrometheusRule_whenComparedWithTheRulesFile_thenItHoldsTheSameGroups() throws IOException {
        Map<String, Object> rule = yaml(DIR.resolve("prometheusrule.yaml"));

        assertThat(rule).containsEntry("apiVersion", "monitoring.coreos.com/v1").containsEntry("kind",
                "PrometheusRule");
        assertThat(((Map<?, ?>) rule.get("spec")).get("groups")).as("change rules.yaml and prometheusrule.yaml together")
                .isEqualTo(yaml(RULES).get("groups"));
    }

    @Test
    void givenTheDashboard_whenLoaded_thenEveryQueryUsesTheDatasourceVariableAndOnlyServedMetrics()
            throws IOException {
        JsonNode dashboard = Monitoring.dashboard();

        assertThat(dashboard.path("uid").asText()).isEqualTo("model-guardian");
        assertThat(dashboard.path("templating").path("list").get(0).path("type").asText()).isEqualTo("datasource");
        assertThat(dashboard.path("templating").path("list").get(0).path("query").asText()).isEqualTo("prometheus");
        List<JsonNode> queries = queries(dashboard);
        assertThat(queries).hasSizeGreaterThanOrEqualTo(15);
        Set<String> used = new TreeSet<>();
        for (JsonNode query : queries) {
            assertThat(query.path("datasource").path("uid").asText()).as("%s", query).isEqualTo("${datasource}");
            used.addAll(metrics(query.path("expr").asText()));
        }
        assertThat(used).isSubsetOf(SERVED).contains("guardian_target_state", "guardian_remediations_total",
                "guardian_remediation_duration_seconds_bucket", "guardian_external_call_seconds_count",
                "guardian_leader", "guardian_signal_source_errors", "guardian_notifications_total");
        assertThat(dashboard.path("annotations").path("list")).anySatisfy(a -> assertThat(a.path("expr").asText())
                .contains("guardian_target_state"));
        for (JsonNode panel : dashboard.path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                        .isEqualTo("${datasource}");
                assertThat(panel.path("description").asText()).as(panel.path("title").asText()).isNotBlank();
            }
        }
    }

    private static Set<String> metrics(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** Runs promtool from Debian's prometheus package; its output, asserting exit 0. */
    private static String promtool(String... args) throws IOException, InterruptedException {
        assertThat(Path.of(PrometheusServer.PROMTOOL)).as("promtool (Debian's prometheus package; ./dev test installs"
                + " it)").isExecutable();
        List<String> command = new ArrayList<>(List.of(PrometheusServer.PROMTOOL));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }
}
