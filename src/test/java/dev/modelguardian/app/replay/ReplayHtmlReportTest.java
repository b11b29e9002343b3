package dev.modelguardian.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import dev.modelguardian.app.cli.ReplayCommand;
import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.config.ModelSet;
import dev.modelguardian.core.policy.Bound;
import dev.modelguardian.core.policy.NoDataPolicy;
import dev.modelguardian.core.policy.Policy;
import dev.modelguardian.core.signal.Reduce;
import dev.modelguardian.integrations.prometheus.PromQlQuery;
import dev.modelguardian.testing.TestConfigs;

/** The HTML generator on its own: structure, bounds, markers, escaping. The browser test renders the same pages. */
class ReplayHtmlReportTest {

    static final ModelSet NEURAL_HIVE = ModelSet.resolve(TestConfigs.settings(""));
    static final List<String> BUNDLED = Scenario.BUNDLED;

    static String report(Replay.Result result, List<Policy> policies) {
        Map<String, Policy> byKey = policies.stream().collect(Collectors.toMap(Policy::key, Function.identity()));
        return HtmlReport.render(result, byKey, ReplayCommand.render(result, byKey));
    }

    static String bundledReport(String name) {
        List<Policy> policies = Policies.from(NEURAL_HIVE);
        return report(Replay.run(Scenario.bundled(name), policies, NEURAL_HIVE, ReplayTest.GUARDS), policies);
    }

    /** The page is polyglot: well-formed XML, so the JDK parser reads it (a malformed page fails here). */
    static Document parse(String html) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    }

    static int count(Document doc, String xpath) throws Exception {
        return ((NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET))
                .getLength();
    }

    static String xpath(Document doc, String xpath) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(xpath, doc);
    }

    static String withClass(String element, String cls) {
        return "//" + element + "[contains(concat(' ', normalize-space(@class), ' '), ' " + cls + " ')]";
    }

    @Test
    void givenDriftIncident_whenRendered_thenOneChartPerSignalWithBothBoundsShadingAndAMarkerPerStateChange()
            throws Exception {
        Replay.Result result = Replay.run(Scenario.bundled("drift-incident"), Policies.from(NEURAL_HIVE), NEURAL_HIVE, ReplayTest.GUARDS);
        Document doc = parse(bundledReport("drift-incident"));

        assertThat(count(doc, "//svg")).isEqualTo(3);
        assertThat(count(doc, "//svg[@class='chart']/@data-signal")).isEqualTo(3);
        assertThat(count(doc, withClass("line", "bound-trigger"))).isEqualTo(3);
        assertThat(count(doc, withClass("line", "bound-clear"))).isEqualTo(3);
        // in time order: MAE pending 0:50, PSI firing 1:04, the Job 1:04, the Job complete and the verdict 1:44, both
        // signals healthy and the world's response 1:47, verified 1:49
        assertThat(result.timeline()).extracting(TimelineEvent::kind).containsExactly("pending", "firing",
                "retraining", "world", "validated", "healthy", "healthy", "world", "verified");
        // 4 signal markers on their own chart, 5 remediation markers on each of the 3 charts
        assertThat(count(doc, withClass("g", "marker"))).isEqualTo(4 + 5 * 3);
        assertThat(count(doc, withClass("g", "marker-firing"))).isEqualTo(1);
        String mae = "//svg[@data-signal='ticket-duration-predictor/mae-percentage']";
        assertThat(count(doc, mae + withClass("rect", "state-pending").substring(1))).isEqualTo(1);
        assertThat(count(doc, mae + withClass("rect", "state-firing").substring(1))).isZero();
        assertThat(count(doc, mae + withClass("g", "marker").substring(1))).isEqualTo(2 + 5);
        assertThat(count(doc, mae + "//polyline[@class='value-line']")).isEqualTo(1);
        assertThat(count(doc, "//table[@class='summary']/tbody/tr")).isEqualTo(3);
        assertThat(count(doc, "//pre")).isEqualTo(1);
    }

    @Test
    void givenDriftIncident_whenRendered_thenAxesCarryTimesAndValuesAndBoundLabels() throws Exception {
        String html = bundledReport("drift-incident");

        assertThat(html).contains(">00:00</text>", ">01:00</text>", ">04:00</text>")
                .contains("time (UTC, 2026-02-14)")
                .contains(">trigger &gt; 20</text>", ">clear &lt;= 18</text>")
                .contains(">trigger &lt; 0.7</text>", ">clear &gt;= 0.72</text>")
                .contains(">10</text>", ">25</text>", ">0.4</text>");
    }

    @Test
    void givenAnyReport_whenRendered_thenItIsSelfContainedHtml5WithNoScriptAndNoFetch() throws Exception {
        String html = bundledReport("drift-incident");

        assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\">")
                .contains("<meta charset=\"utf-8\"/>", "content=\"default-src 'none'; style-src 'unsafe-inline'\"")
                .doesNotContain("<script", "<link", "src=", "href=", "@import", "url(");
        assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://", "https://");
        Document doc = parse(html);
        assertThat(count(doc, "/html/head/title")).isEqualTo(1);
        assertThat(count(doc, "/html/body/h1")).isEqualTo(1);
    }

    @Test
    void givenHostileNamesAndQueries_whenRendered_thenEveryTextIsEscaped() throws Exception {
        String key = "m<script>alert(1)</script>/s\"onload='x'&";
        Policy hostile = new Policy("m<script>alert(1)</script>", "s\"onload='x'&",
                new PromQlQuery("max(x{a=\"</code><img src=x onerror=alert(2)>\"})"), Bound.above(1).withClear(0.5),
                Duration.ZERO, Reduce.MAX, NoDataPolicy.INCONCLUSIVE, "");
        Scenario scenario = new Scenario("<b>bold</b>", "desc <i>&</i>", java.time.Instant.parse("2026-01-01T00:00:00Z"),
                Duration.ofMinutes(10), Duration.ofMinutes(1),
                Map.of(key, List.of(new Segment.Constant(Duration.ZERO, 0.2), new Segment.Constant(Duration.ofMinutes(5), 2))), World.DEFAULT);

        String html = report(Replay.run(scenario, List.of(hostile), NEURAL_HIVE, ReplayTest.GUARDS), List.of(hostile));

        assertThat(html).doesNotContain("<script", "<img", "<b>", "<i>", "onload='", "\"onload")
                .contains("m&lt;script&gt;alert(1)&lt;/script&gt;/s&quot;onload=&#39;x&#39;&amp;")
                .contains("&lt;/code&gt;&lt;img src=x onerror=alert(2)&gt;")
                .contains("&lt;b&gt;bold&lt;/b&gt;", "desc &lt;i&gt;&amp;&lt;/i&gt;");
        Document doc = parse(html);
        assertThat(count(doc, "//svg")).isEqualTo(1);
        assertThat(count(doc, "//script | //img | //b | //i")).isZero();
        assertThat(count(doc, withClass("g", "marker-firing"))).isEqualTo(1);
    }

    @Test
    void givenARollback_whenRendered_thenEveryChartCarriesTheMilestonesStackedAndTheRemediationTableEveryStep()
            throws Exception {
        List<Policy> policies = Policies.from(NEURAL_HIVE);
        Replay.Result result = Replay.run(Scenario.bundled("bad-candidate"), policies, NEURAL_HIVE, ReplayTest.GUARDS);

        Document doc = parse(report(result, policies));

        assertThat(count(doc, withClass("g", "marker-retraining"))).isEqualTo(3);
        assertThat(count(doc, withClass("g", "marker-rollback"))).isEqualTo(3);
        assertThat(count(doc, withClass("g", "marker-validated"))).isZero();
        // the Job complete (world) and the rollback happen at 1:44: stacked, not drawn on top of each other
        String psi = "//svg[@data-signal='ticket-duration-predictor/feature-psi']";
        assertThat(xpath(doc, psi + withClass("g", "marker-world").substring(1) + "/circle/@cy")).isNotEmpty()
                .isNotEqualTo(xpath(doc, psi + withClass("g", "marker-rollback").substring(1)
                        + "/circle/@cy")).isNotEmpty();
        assertThat(count(doc, "//table[@class='remediation']/tbody/tr")).isEqualTo(result.steps().size())
                .isEqualTo(13);
        assertThat(count(doc, "//p[@class='target']")).isEqualTo(1);
        assertThat(report(result, policies)).contains("set config.scheduler.enableMlEnhancedScheduling=false in the"
                + " Helm values").contains("ENABLE_ML_ENHANCED_SCHEDULING true -&gt; false")
                .contains("1 retraining Job started; remediations ended: rolled_back 1; time in each state: HEALTHY 50m,"
                        + " PENDING 14m, RETRAINING 40m, ROLLED_BACK 2h16m.");
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("BUNDLED")
    void givenEachBundledScenario_whenRendered_thenOneChartPerScriptedSignal(String name) throws Exception {
        Scenario scenario = Scenario.bundled(name);

        Document doc = parse(bundledReport(name));

        assertThat(count(doc, "//svg[@class='chart']")).isEqualTo(scenario.signals().size());
        for (String signal : scenario.signals().keySet()) {
            assertThat(count(doc, "//svg[@data-signal='" + signal + "']")).as(signal).isEqualTo(1);
        }
    }

    @Test
    void givenPrometheusGap_whenRendered_thenGapsBreakTheLineAndAreShadedInconclusive() throws Exception {
        Document doc = parse(bundledReport("prometheus-gap"));
        String precision = "//svg[@data-signal='ticket-anomaly-detector/precision']";

        assertThat(count(doc, precision + "//polyline[@class='value-line']")).isEqualTo(2);
        assertThat(count(doc, precision + withClass("rect", "state-inconclusive").substring(1))).isEqualTo(1);
    }
}
