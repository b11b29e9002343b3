package dev.modelguardian.integrations.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TextFormatParserTest {

    // ---- helpers ------------------------------------------------------------------------

    /** Parses a body that must hold exactly one sample and no problems. */
    private static ScrapedSample single(String body) {
        ScrapeParseResult result = TextFormatParser.parse(body);
        assertThat(result.problems()).as("problems for %s", body).isEmpty();
        assertThat(result.samples()).as("samples for %s", body).hasSize(1);
        return result.samples().get(0);
    }

    /** Parses a body that must hold exactly one problem and no samples. */
    private static ParseProblem singleProblem(String body) {
        ScrapeParseResult result = TextFormatParser.parse(body);
        assertThat(result.samples()).as("samples for %s", body).isEmpty();
        assertThat(result.problems()).as("problems for %s", body).hasSize(1);
        return result.problems().get(0);
    }

    // ---- empty input, comments, blank lines, line endings -------------------------------

    @Test
    void givenEmptyOrNullBody_whenParsed_thenNoSamplesAndNoProblems() {
        for (String body : new String[] {"", null, "\n\n", "   \t  \r\n"}) {
            ScrapeParseResult result = TextFormatParser.parse(body);
            assertThat(result.samples()).as("samples for %s", body).isEmpty();
            assertThat(result.problems()).as("problems for %s", body).isEmpty();
        }
    }

    @Test
    void givenSampleWithoutLabels_whenParsed_thenNameValueAndEmptyLabelsAreRead() {
        ScrapedSample sample = single("http_requests_total 1027");

        assertThat(sample.name()).isEqualTo("http_requests_total");
        assertThat(sample.labels()).isEmpty();
        assertThat(sample.value()).isEqualTo(1027.0);
        assertThat(sample.timestampMillis()).isEmpty();
    }

    @Test
    void givenHelpAndTypeLines_whenParsed_thenOnlyTheSampleLinesBecomeSamples() {
        ScrapeParseResult result = TextFormatParser.parse("""
                # HELP http_requests_total The total number of HTTP requests.
                # TYPE http_requests_total counter
                http_requests_total{method="post",code="200"} 1027
                # HELP bare_help_without_text
                # HELP
                # TYPE up GAUGE
                up 1
                """);

        assertThat(result.problems()).isEmpty();
        assertThat(result.samples()).extracting(ScrapedSample::name)
                .containsExactly("http_requests_total", "up");
    }

    @Test
    void givenTypeLineWithUnknownType_whenParsed_thenProblemIsReportedAndNextLineStillParses() {
        ScrapeParseResult result = TextFormatParser.parse("""
                # TYPE foo gauges
                foo 1
                """);

        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.reason()).isEqualTo("unknown metric type in # TYPE");
            assertThat(p.text()).isEqualTo("# TYPE foo gauges");
        });
        assertThat(result.samples()).extracting(ScrapedSample::name).containsExactly("foo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"counter", "gauge", "histogram", "summary", "untyped", "Counter"})
    void givenTypeLineWithEachKnownType_whenParsed_thenNoProblem(String type) {
        ScrapeParseResult result = TextFormatParser.parse("# TYPE foo " + type);

        assertThat(result.problems()).isEmpty();
        assertThat(result.samples()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "# TYPE                 | missing metric name in # TYPE",
            "# TYPE foo             | missing metric type in # TYPE",
            "# TYPE foo gauge extra | unknown metric type in # TYPE",
            "# TYPE 1foo gauge      | invalid metric name in # TYPE",
            "# TYPE foo-bar gauge   | invalid metric name in # TYPE",
            "# HELP foo.bar Help    | invalid metric name in # HELP",
    })
    void givenMalformedTypeOrHelpLine_whenParsed_thenProblemHasReason(String line, String reason) {
        ParseProblem problem = singleProblem(line);

        assertThat(problem.line()).isEqualTo(1);
        assertThat(problem.reason()).isEqualTo(reason);
    }

    @Test
    void givenOtherComments_whenParsed_thenTheyAreIgnored() {
        ScrapeParseResult result = TextFormatParser.parse("""
                #
                # just a comment with "quotes" and {braces} 1 2 3
                #HELPLESS not a help line
                # help lower-case is a comment too
                   # indented comment
                foo 2
                """);

        assertThat(result.problems()).isEmpty();
        assertThat(result.samples()).extracting(ScrapedSample::name).containsExactly("foo");
    }

    @Test
    void givenBlankAndWhitespaceOnlyLines_whenParsed_thenTheyAreSkippedButStillCountedForLineNumbers() {
        ScrapeParseResult result = TextFormatParser.parse("\n   \n\t\nfoo 1\n\n bad-name 2\n");

        assertThat(result.samples()).extracting(ScrapedSample::name).containsExactly("foo");
        assertThat(result.problems()).extracting(ParseProblem::line).containsExactly(6);
    }

    @Test
    void givenCrLfLineEndings_whenParsed_thenSamplesAreReadWithoutCarriageReturnsAndLineNumbersAreRight() {
        ScrapeParseResult result = TextFormatParser.parse(
                "# TYPE foo gauge\r\nfoo{a=\"x\"} 1.5\r\nbar 2 1000\r\nbad line\r\nbaz{b=\"y\"} 3\r\n");

        assertThat(result.samples()).extracting(ScrapedSample::name).containsExactly("foo", "bar", "baz");
        assertThat(result.samples().get(0).labels()).containsExactly(entry("a", "x"));
        assertThat(result.samples().get(0).value()).isEqualTo(1.5);
        assertThat(result.samples().get(1).timestampMillis()).hasValue(1000L);
        assertThat(result.samples().get(2).labels()).containsExactly(entry("b", "y"));
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.text()).isEqualTo("bad line");
        });
    }

    @Test
    void givenLeadingAndTrailingWhitespace_whenParsed_thenSampleIsRead() {
        ScrapedSample sample = single("  \t foo{a=\"1\"} 7 123 \t  ");

        assertThat(sample.name()).isEqualTo("foo");
        assertThat(sample.value()).isEqualTo(7.0);
        assertThat(sample.timestampMillis()).hasValue(123L);
    }

    @Test
    void givenTabsBetweenTokens_whenParsed_thenTheyActAsSeparators() {
        ScrapedSample sample = single("foo\t{a=\"1\"}\t7\t123");

        assertThat(sample.labels()).containsExactly(entry("a", "1"));
        assertThat(sample.value()).isEqualTo(7.0);
        assertThat(sample.timestampMillis()).hasValue(123L);
    }

    @Test
    void givenBodyWithoutTrailingNewline_whenParsed_thenLastLineIsRead() {
        ScrapeParseResult result = TextFormatParser.parse("a 1\nb 2");

        assertThat(result.samples()).extracting(ScrapedSample::name).containsExactly("a", "b");
    }

    // ---- metric names ---------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"foo", "_foo", ":foo", "foo:bar_baz", "job:rate5m:sum", "F00_1", "a"})
    void givenValidMetricName_whenParsed_thenNameIsKeptAsWritten(String name) {
        assertThat(single(name + " 1").name()).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1foo 1          | invalid metric name",
            "-foo 1          | invalid metric name",
            "\"foo\" 1       | invalid metric name",
            "{a=\"1\"} 1     | invalid metric name",
            "foo-bar 1       | invalid character in metric name",
            "foo.bar 1       | invalid character in metric name",
            "föo 1           | invalid character in metric name",
    })
    void givenInvalidMetricName_whenParsed_thenProblemIsReported(String line, String reason) {
        ParseProblem problem = singleProblem(line);

        assertThat(problem.reason()).isEqualTo(reason);
        assertThat(problem.text()).isEqualTo(line);
    }

    // ---- labels -----------------------------------------------------------------------------

    @Test
    void givenSeveralLabels_whenParsed_thenLabelsKeepTheirOrder() {
        ScrapedSample sample = single("foo{zeta=\"1\",alpha=\"2\",mid=\"3\"} 1");

        assertThat(sample.labels()).containsExactly(entry("zeta", "1"), entry("alpha", "2"), entry("mid", "3"));
        assertThat(sample.labels().keySet()).containsExactly("zeta", "alpha", "mid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"_a", "a1", "A_b_C", "__reserved"})
    void givenValidLabelName_whenParsed_thenLabelIsRead(String labelName) {
        assertThat(single("foo{" + labelName + "=\"v\"} 1").labels()).containsExactly(entry(labelName, "v"));
    }

    static Stream<Arguments> malformedLabelSets() {
        return Stream.of(
                Arguments.of("foo{1a=\"v\"} 1", "invalid label name"),
                Arguments.of("foo{a-b=\"v\"} 1", "invalid label name"),
                Arguments.of("foo{a:b=\"v\"} 1", "invalid label name"),
                Arguments.of("foo{,} 1", "invalid label name"),
                Arguments.of("foo{a=\"1\",,} 1", "invalid label name"),
                Arguments.of("foo{a} 1", "expected '=' after label name"),
                Arguments.of("foo{a b=\"v\"} 1", "expected '=' after label name"),
                Arguments.of("foo{a=v} 1", "expected '\"' to open label value"),
                Arguments.of("foo{a='v'} 1", "expected '\"' to open label value"),
                Arguments.of("foo{a=\"1\" b=\"2\"} 1", "expected ',' or '}' after label value"),
                Arguments.of("foo{a=\"1\"", "unterminated label set"),
                Arguments.of("foo{a=\"1\",", "unterminated label set"));
    }

    @ParameterizedTest
    @MethodSource("malformedLabelSets")
    void givenMalformedLabelSet_whenParsed_thenProblemHasReason(String line, String reason) {
        assertThat(singleProblem(line).reason()).isEqualTo(reason);
    }

    @Test
    void givenEscapedQuoteInLabelValue_whenParsed_thenValueIsUnescaped() {
        assertThat(single("foo{a=\"say \\\"hi\\\"\"} 1").labels()).containsExactly(entry("a", "say \"hi\""));
    }

    @Test
    void givenEscapedBackslashInLabelValue_whenParsed_thenValueHoldsOneBackslash() {
        assertThat(single("foo{path=\"C:\\\\temp\\\\\"} 1").labels()).containsExactly(entry("path", "C:\\temp\\"));
    }

    @Test
    void givenEscapedNewlineInLabelValue_whenParsed_thenValueHoldsANewline() {
        assertThat(single("foo{msg=\"line1\\nline2\"} 1").labels()).containsExactly(entry("msg", "line1\nline2"));
    }

    @Test
    void givenEscapedBackslashBeforeN_whenParsed_thenItIsABackslashFollowedByN() {
        assertThat(single("foo{a=\"\\\\n\"} 1").labels()).containsExactly(entry("a", "\\n"));
    }

    @Test
    void givenLabelValueWithSyntaxCharactersAndUnicode_whenParsed_thenTheyAreKeptVerbatim() {
        ScrapedSample sample = single("foo{a=\"x}, y{=# 1 2\",b=\"  \",c=\"\",d=\"déjà 🚀\"} 1");

        assertThat(sample.labels()).containsExactly(
                entry("a", "x}, y{=# 1 2"), entry("b", "  "), entry("c", ""), entry("d", "déjà 🚀"));
        assertThat(sample.value()).isEqualTo(1.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "foo{a=\"\\t\"} 1",
            "foo{a=\"x\\'y\"} 1",
            "foo{a=\"\\u0041\"} 1",
    })
    void givenUnknownEscapeInLabelValue_whenParsed_thenProblemIsReported(String line) {
        assertThat(singleProblem(line).reason()).startsWith("unknown escape sequence");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "foo{a=\"1} 2",
            "foo{a=\"1",
            "foo{a=\"",
            "foo{a=\"1\\\"} 2",
            "foo{a=\"1\\",
    })
    void givenUnterminatedLabelValue_whenParsed_thenProblemIsReported(String line) {
        assertThat(singleProblem(line).reason()).isEqualTo("unterminated label value");
    }

    @Test
    void givenTrailingCommaInLabelSet_whenParsed_thenLabelsAreRead() {
        ScrapedSample sample = single("foo{a=\"1\",b=\"2\",} 3");

        assertThat(sample.labels()).containsExactly(entry("a", "1"), entry("b", "2"));
        assertThat(sample.value()).isEqualTo(3.0);
    }

    @Test
    void givenEmptyLabelSet_whenParsed_thenSampleHasNoLabels() {
        ScrapedSample sample = single("foo{} 3");

        assertThat(sample.name()).isEqualTo("foo");
        assertThat(sample.labels()).isEmpty();
        assertThat(sample.value()).isEqualTo(3.0);
    }

    @Test
    void givenSpacesAroundEqualsCommasAndBraces_whenParsed_thenTheyAreTolerated() {
        ScrapedSample sample = single("foo { a = \"1\" , b\t=\t\"2\" , } 3");

        assertThat(sample.labels()).containsExactly(entry("a", "1"), entry("b", "2"));
        assertThat(sample.value()).isEqualTo(3.0);
    }

    @Test
    void givenDuplicateLabelName_whenParsed_thenProblemIsReported() {
        ParseProblem problem = singleProblem("foo{a=\"1\",b=\"2\",a=\"3\"} 1");

        assertThat(problem.reason()).isEqualTo("duplicate label name \"a\"");
    }

    @Test
    void givenFailedLineWithLabels_whenNextLineParsed_thenNoLabelsLeakIntoIt() {
        ScrapeParseResult result = TextFormatParser.parse("foo{a=\"1\",a=\"2\"} 1\nbar{b=\"3\"} 2\nbaz 3");

        assertThat(result.problems()).extracting(ParseProblem::line).containsExactly(1);
        assertThat(result.samples().get(0).labels()).containsExactly(entry("b", "3"));
        assertThat(result.samples().get(1).labels()).isEmpty();
    }

    // ---- values -----------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "1, 1.0",
            "-1.5, -1.5",
            "1e-3, 0.001",
            "1E3, 1000.0",
            "2.5e+2, 250.0",
            "+2, 2.0",
            ".5, 0.5",
            "5., 5.0",
            "007, 7.0",
            "0.1, 0.1",
            "123456789012345, 123456789012345.0",
            "12345678901234567890, 12345678901234567890.0",
            "9007199254740993, 9007199254740992.0",
            "1.7976931348623157e308, 1.7976931348623157e308",
            "1e-400, 0.0",
    })
    void givenDecimalValue_whenParsed_thenValueMatches(String literal, double expected) {
        assertThat(single("foo " + literal).value()).isEqualTo(expected);
    }

    @Test
    void givenNegativeZero_whenParsed_thenSignIsKept() {
        assertThat(Double.doubleToRawLongBits(single("foo -0").value()))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "NAN", "nAn"})
    void givenNaNInAnyCase_whenParsed_thenValueIsNaN(String literal) {
        assertThat(single("foo " + literal).value()).isNaN();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+Inf", "Inf", "inf", "+INF", "Infinity", "+infinity"})
    void givenPositiveInfinityInAnyCase_whenParsed_thenValueIsPositiveInfinity(String literal) {
        assertThat(single("foo " + literal).value()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-Inf", "-inf", "-INF", "-Infinity"})
    void givenNegativeInfinityInAnyCase_whenParsed_thenValueIsNegativeInfinity(String literal) {
        assertThat(single("foo " + literal).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "abc", "1.2.3", "1e", "1e+", "e5", ".", "+", "-", "--1", "+-1", "1,5", "1..2",
            "0x10", "0x1p3", "1_000", "1f", "1d", "1L", "+NaN", "-nan", "NaNa", "In", "Infinit", "Infinityy",
            "１",
    })
    void givenMalformedValue_whenParsed_thenProblemIsReported(String literal) {
        ParseProblem problem = singleProblem("foo{a=\"1\"} " + literal);

        assertThat(problem.reason()).isEqualTo("invalid value");
        assertThat(problem.line()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "2e308"})
    void givenValueTooLargeForADouble_whenParsed_thenProblemIsReported(String literal) {
        assertThat(singleProblem("foo " + literal).reason()).isEqualTo("value out of range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "foo{}", "foo{a=\"1\"}", "foo{a=\"1\"}   ", "foo \t"})
    void givenSampleWithoutValue_whenParsed_thenProblemIsReported(String line) {
        assertThat(singleProblem(line).reason()).isEqualTo("missing value");
    }

    // ---- timestamps -------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "1700000000000, 1700000000000",
            "-5, -5",
            "+42, 42",
            "0, 0",
            "9223372036854775807, 9223372036854775807",
            "-9223372036854775808, -9223372036854775808",
    })
    void givenTimestampAfterValue_whenParsed_thenTimestampIsRead(String literal, long expected) {
        ScrapedSample sample = single("foo{a=\"1\"} 3.5 " + literal);

        assertThat(sample.value()).isEqualTo(3.5);
        assertThat(sample.timestampMillis()).isEqualTo(OptionalLong.of(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "foo 1 abc                  | invalid timestamp",
            "foo 1 1.5                  | invalid timestamp",
            "foo 1 1e3                  | invalid timestamp",
            "foo 1 -                    | invalid timestamp",
            "foo 1 12x                  | invalid timestamp",
            "foo 1 9223372036854775808  | timestamp out of range",
            "foo 1 -9223372036854775809 | timestamp out of range",
            "foo 1 99999999999999999999 | timestamp out of range",
    })
    void givenMalformedTimestamp_whenParsed_thenProblemIsReported(String line, String reason) {
        assertThat(singleProblem(line).reason()).isEqualTo(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo 1 2 3", "foo 1 2 x", "foo{a=\"1\"} 1 2 # comment", "foo 1 2\t\t{"})
    void givenTextAfterTimestamp_whenParsed_thenProblemIsReported(String line) {
        assertThat(singleProblem(line).reason()).isEqualTo("unexpected text after timestamp");
    }

    // ---- histograms and summaries -----------------------------------------------------------

    @Test
    void givenHistogramAndSummaryLines_whenParsed_thenEachIsAnOrdinarySample() {
        ScrapeParseResult result = TextFormatParser.parse("""
                # HELP request_seconds Request latency.
                # TYPE request_seconds histogram
                request_seconds_bucket{le="0.1"} 1
                request_seconds_bucket{le="+Inf"} 3
                request_seconds_sum 1.75
                request_seconds_count 3
                # TYPE rpc_seconds summary
                rpc_seconds{quantile="0.5"} 0.02
                rpc_seconds{quantile="0.99"} NaN
                rpc_seconds_sum 12.5
                rpc_seconds_count 500
                """);

        assertThat(result.problems()).isEmpty();
        assertThat(result.samples()).extracting(ScrapedSample::name).containsExactly(
                "request_seconds_bucket", "request_seconds_bucket", "request_seconds_sum", "request_seconds_count",
                "rpc_seconds", "rpc_seconds", "rpc_seconds_sum", "rpc_seconds_count");
        assertThat(result.samples().get(1).labels()).containsExactly(entry("le", "+Inf"));
        assertThat(result.samples().get(1).value()).isEqualTo(3.0);
        assertThat(result.samples().get(2).value()).isEqualTo(1.75);
        assertThat(result.samples().get(4).labels()).containsExactly(entry("quantile", "0.5"));
        assertThat(result.samples().get(5).value()).isNaN();
        assertThat(result.samples().get(7).value()).isEqualTo(500.0);
    }

    // ---- realistic and mixed bodies ---------------------------------------------------------

    @Test
    void givenRealisticNeuralHiveBody_whenParsed_thenAllSamplesAreReadWithLabelsAndValues() {
        ScrapeParseResult result = TextFormatParser.parse("""
                # HELP orchestration_ml_drift_score Drift score
                # TYPE orchestration_ml_drift_score gauge
                orchestration_ml_drift_score{drift_type="feature",feature="queue_depth",model_name="duration-predictor"} 0.31
                orchestration_ml_model_quality_metrics{model_name="ticket-duration-predictor",metric_type="mae_percentage"} 22.5
                orchestration_ml_model_accuracy{model_name="anomaly-predictor",metric_type="precision"} NaN
                # HELP orchestration_ml_predictions_total Predictions served.
                # TYPE orchestration_ml_predictions_total counter
                orchestration_ml_predictions_total{model_name="duration-predictor",status="success"} 18342 1718000000000
                # TYPE orchestration_ml_prediction_latency_seconds histogram
                orchestration_ml_prediction_latency_seconds_bucket{model_name="duration-predictor",le="0.05"} 17001
                orchestration_ml_prediction_latency_seconds_bucket{model_name="duration-predictor",le="+Inf"} 18342
                orchestration_ml_prediction_latency_seconds_sum{model_name="duration-predictor"} 402.7
                orchestration_ml_prediction_latency_seconds_count{model_name="duration-predictor"} 18342
                """);

        assertThat(result.problems()).isEmpty();
        List<ScrapedSample> samples = result.samples();
        assertThat(samples).hasSize(8);

        assertThat(samples.get(0).name()).isEqualTo("orchestration_ml_drift_score");
        assertThat(samples.get(0).labels()).containsExactly(
                entry("drift_type", "feature"), entry("feature", "queue_depth"),
                entry("model_name", "duration-predictor"));
        assertThat(samples.get(0).value()).isEqualTo(0.31);

        assertThat(samples.get(1).name()).isEqualTo("orchestration_ml_model_quality_metrics");
        assertThat(samples.get(1).labels()).containsExactly(
                entry("model_name", "ticket-duration-predictor"), entry("metric_type", "mae_percentage"));
        assertThat(samples.get(1).value()).isEqualTo(22.5);

        assertThat(samples.get(2).name()).isEqualTo("orchestration_ml_model_accuracy");
        assertThat(samples.get(2).labels()).containsEntry("model_name", "anomaly-predictor")
                .containsEntry("metric_type", "precision");
        assertThat(samples.get(2).value()).isNaN();

        assertThat(samples.get(3).value()).isEqualTo(18342.0);
        assertThat(samples.get(3).timestampMillis()).hasValue(1718000000000L);
        assertThat(samples.get(5).labels()).containsExactly(
                entry("model_name", "duration-predictor"), entry("le", "+Inf"));
        assertThat(samples.get(6).name()).isEqualTo("orchestration_ml_prediction_latency_seconds_sum");
        assertThat(samples.get(6).value()).isEqualTo(402.7);
    }

    @Test
    void givenBodyMixingGoodAndBadLines_whenParsed_thenGoodSamplesSurviveAndEachProblemHasItsLineNumber() {
        ScrapeParseResult result = TextFormatParser.parse("""
                # HELP orchestration_ml_drift_score Drift score
                # TYPE orchestration_ml_drift_score gauge
                orchestration_ml_drift_score{model_name="duration-predictor"} 0.31
                orchestration_ml_drift_score{model_name="broken} 0.5
                2bad_name 1
                orchestration_ml_model_accuracy{model_name="anomaly-predictor"} NaN

                orchestration_ml_model_accuracy{model_name="x"} not-a-number
                # TYPE orchestration_ml_model_accuracy gaugey
                orchestration_ml_model_accuracy{model_name="x",model_name="y"} 1
                orchestration_ml_model_accuracy{model_name="x"}
                orchestration_ml_model_accuracy{model_name="a\\tb"} 1
                orchestration_ml_model_accuracy{model_name="x"} 1 1718000000000 extra
                orchestration_ml_model_quality_metrics{model_name="ticket-duration-predictor"} 22.5 1718000000000
                """);

        assertThat(result.samples()).hasSize(3);
        assertThat(result.samples()).extracting(ScrapedSample::name).containsExactly(
                "orchestration_ml_drift_score", "orchestration_ml_model_accuracy",
                "orchestration_ml_model_quality_metrics");
        assertThat(result.samples().get(0).value()).isEqualTo(0.31);
        assertThat(result.samples().get(1).value()).isNaN();
        assertThat(result.samples().get(2).value()).isEqualTo(22.5);
        assertThat(result.samples().get(2).timestampMillis()).hasValue(1718000000000L);

        assertThat(result.problems()).extracting(ParseProblem::line, ParseProblem::reason).containsExactly(
                tuple(4, "unterminated label value"),
                tuple(5, "invalid metric name"),
                tuple(8, "invalid value"),
                tuple(9, "unknown metric type in # TYPE"),
                tuple(10, "duplicate label name \"model_name\""),
                tuple(11, "missing value"),
                tuple(12, "unknown escape sequence \\t in label value"),
                tuple(13, "unexpected text after timestamp"));
        assertThat(result.problems().get(1).text()).isEqualTo("2bad_name 1");
    }

    // ---- problem text, immutability, robustness, speed ----------------------------------------

    @Test
    void givenVeryLongBadLine_whenParsed_thenProblemTextIsTruncatedTo200Characters() {
        String line = "foo{a=\"" + "x".repeat(5_000);
        ParseProblem problem = singleProblem(line);

        assertThat(problem.text()).hasSize(200).isEqualTo(line.substring(0, 200));
    }

    @Test
    void givenBadLineWithSurroundingWhitespace_whenParsed_thenProblemTextIsTheTrimmedLine() {
        ParseProblem problem = singleProblem("   bad line!  \r\n");

        assertThat(problem.text()).isEqualTo("bad line!");
        assertThat(problem.line()).isEqualTo(1);
    }

    @Test
    void givenParsedResult_whenModified_thenListsAndLabelsAreUnmodifiable() {
        ScrapeParseResult result = TextFormatParser.parse("foo{a=\"1\"} 1\nbad");

        assertThatThrownBy(() -> result.samples().add(result.samples().get(0)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> result.problems().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> result.samples().get(0).labels().put("b", "2"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void givenSampleBuiltFromMutableMap_whenMapChangesLater_thenSampleKeepsItsLabels() {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put("b", "1");
        labels.put("a", "2");
        ScrapedSample sample = new ScrapedSample("foo", labels, 1, OptionalLong.empty());
        labels.put("c", "3");

        assertThat(sample.labels()).containsExactly(entry("b", "1"), entry("a", "2"));
    }

    @Test
    void givenRandomGarbage_whenParsed_thenParserNeverThrowsAndEveryProblemPointsAtARealLine() {
        String alphabet = "ab_:1{}\"=,\\n #\t\r\n.+-eEInfNa€🚀";
        Random random = new Random(42);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int round = 0; round < 2_000; round++) {
                StringBuilder body = new StringBuilder();
                int length = random.nextInt(300);
                for (int i = 0; i < length; i++) {
                    body.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String text = body.toString();
                long lines = text.chars().filter(c -> c == '\n').count() + 1;

                ScrapeParseResult result = TextFormatParser.parse(text);

                assertThat((long) result.samples().size() + result.problems().size()).isLessThanOrEqualTo(lines);
                assertThat(result.problems()).allSatisfy(p -> {
                    assertThat(p.line()).isBetween(1, (int) lines);
                    assertThat(p.reason()).isNotBlank();
                    assertThat(p.text().length()).isLessThanOrEqualTo(TextFormatParser.MAX_PROBLEM_TEXT);
                });
            }
        });
    }

    @Test
    void givenEveryPrefixOfAValidLine_whenParsed_thenEachYieldsExactlyOneSampleOrOneProblem() {
        String line = "foo_bucket{le=\"0.5\",path=\"a\\\\b\\\"c\\nd\"} -1.5e-3 -1700000000000";
        for (int cut = 1; cut <= line.length(); cut++) {
            String prefix = line.substring(0, cut);
            ScrapeParseResult result = TextFormatParser.parse(prefix);

            assertThat(result.samples().size() + result.problems().size()).as(prefix).isEqualTo(1);
        }
        ScrapedSample full = single(line);
        assertThat(full.labels()).containsExactly(entry("le", "0.5"), entry("path", "a\\b\"c\nd"));
        assertThat(full.value()).isEqualTo(-1.5e-3);
        assertThat(full.timestampMillis()).hasValue(-1700000000000L);
    }

    @Test
    void givenTenThousandLineBody_whenParsed_thenEverySampleIsRead() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            body.append("orchestration_ml_drift_score{drift_type=\"feature\",feature=\"f").append(i % 50)
                    .append("\",model_name=\"duration-predictor\"} ").append(i).append('.').append(i % 7)
                    .append(' ').append(1_718_000_000_000L + i).append('\n');
        }

        ScrapeParseResult result = TextFormatParser.parse(body.toString());

        assertThat(result.problems()).isEmpty();
        assertThat(result.samples()).hasSize(10_000);
        assertThat(result.samples().get(9_999).value()).isEqualTo(9999.3);
        assertThat(result.samples().get(9_999).labels()).containsEntry("feature", "f49");
        assertThat(result.samples().get(9_999).timestampMillis()).hasValue(1_718_000_009_999L);
    }
}
