package dev.modelguardian.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.modelguardian.app.wiring.Policies;
import dev.modelguardian.testing.HeadlessChromium;

/**
 * The replay report opened in a real headless browser (Debian's chromium; CI installs it, and a missing browser
 * fails the test): no console error, one rendered SVG chart per signal, markers present. The screenshot of the
 * bundled default stays in target/ as a test artifact (target/replay-report.png, and the top of it for the README in
 * target/replay-report-top.png).
 */
class ReplayReportBrowserTest {

    static final Path OUT = Path.of("target");
    static final List<String> BUNDLED = Scenario.BUNDLED;
    static HeadlessChromium chromium;

    @BeforeAll
    static void startBrowser() {
        chromium = new HeadlessChromium();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    static Path write(String name, String html) throws IOException {
        Files.createDirectories(OUT);
        return Files.writeString(OUT.resolve(name), html);
    }

    /** Counts in the rendered DOM: charts, charts with a non-zero rendered size, markers, value lines. */
    static JsonNode rendered() {
        return chromium.evaluate("""
                ({charts: document.querySelectorAll('svg.chart').length,
                  drawn: [...document.querySelectorAll('svg.chart')].filter(s => s.getBoundingClientRect().width > 500
                      && s.getBoundingClientRect().height > 100).length,
                  svgs: document.querySelectorAll('svg').length,
                  markers: document.querySelectorAll('svg.chart g.marker').length,
                  lines: document.querySelectorAll('svg.chart polyline.value-line').length,
                  signals: [...document.querySelectorAll('svg.chart')].map(s => s.dataset.signal)})
                """);
    }

    @Test
    void givenDefaultScenarioReport_whenOpenedInChromium_thenNoConsoleErrorsOneChartPerSignalMarkersAndAScreenshot()
            throws IOException {
        Replay.Result result = Replay.run(Scenario.bundled("drift-incident"),
                Policies.from(ReplayHtmlReportTest.NEURAL_HIVE), ReplayHtmlReportTest.NEURAL_HIVE, ReplayTest.GUARDS);
        Path page = write("replay-report.html", ReplayHtmlReportTest.bundledReport("drift-incident"));

        List<String> errors = chromium.load(page.toAbsolutePath());

        assertThat(errors).as("console errors").isEmpty();
        JsonNode dom = rendered();
        assertThat(dom.path("charts").asInt()).isEqualTo(3);
        assertThat(dom.path("svgs").asInt()).isEqualTo(3);
        assertThat(dom.path("drawn").asInt()).as("charts with a rendered size").isEqualTo(3);
        // 4 signal markers on their own chart, 5 remediation milestones on each of the 3 charts
        assertThat(result.timeline()).hasSize(9);
        assertThat(dom.path("markers").asInt()).isEqualTo(4 + 5 * 3);
        assertThat(dom.path("lines").asInt()).isEqualTo(3);
        assertThat(dom.path("signals").toString()).contains("ticket-duration-predictor/mae-percentage",
                "ticket-duration-predictor/feature-psi", "ticket-anomaly-detector/precision");

        Path png = OUT.resolve("replay-report.png");
        chromium.screenshot(png, 1000, 0);
        assertThat(Files.size(png)).isGreaterThan(10_000);
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
        chromium.screenshot(OUT.resolve("replay-report-top.png"), 1000, 745);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("BUNDLED")
    void givenEachBundledScenarioReport_whenOpenedInChromium_thenItRendersOneChartPerSignalWithoutErrors(String name)
            throws IOException {
        Path page = write("replay-report-" + name + ".html", ReplayHtmlReportTest.bundledReport(name));

        List<String> errors = chromium.load(page.toAbsolutePath());

        assertThat(errors).as("console errors").isEmpty();
        JsonNode dom = rendered();
        int signals = Scenario.bundled(name).signals().size();
        assertThat(dom.path("charts").asInt()).isEqualTo(signals);
        assertThat(dom.path("drawn").asInt()).isEqualTo(signals);
    }

    /** The harness itself: a page that throws and fetches a missing image is reported, so a clean page means clean. */
    @Test
    void givenPageWithAScriptErrorAndAFailedLoad_whenOpened_thenBothAreReportedAsErrors() throws IOException {
        Path page = write("replay-report-broken.html", """
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>broken</title></head>
                <body><img src="missing.png" alt=""><script>throw new Error("boom from the page")</script></body></html>
                """);

        List<String> errors = chromium.load(page.toAbsolutePath());

        assertThat(errors).anySatisfy(e -> assertThat(e).contains("boom from the page"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("missing.png"));
    }
}
