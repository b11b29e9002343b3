package dev.modelguardian.integrations.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.modelguardian.core.signal.Series;

/** Which instant reads are asked of Prometheus as one query, that query, and how its answer is split back. */
class PromQlBatchesTest {

    static List<PromQlQuery> queries(String... promql) {
        return java.util.Arrays.stream(promql).map(PromQlQuery::new).toList();
    }

    @Test
    void givenTheBundledNeuralHiveSignals_whenPlanned_thenTheThreeDriftScoresAreOneQueryAndTheOthersAlone() {
        List<PromQlQuery> bundled = queries(
                "max(orchestration_ml_drift_score{drift_type=\"feature\",model_name=\"duration-predictor\"})",
                "max(orchestration_ml_drift_score{drift_type=\"prediction\",model_name=\"duration-predictor\"})",
                "max(orchestration_ml_model_quality_metrics{model_name=\"ticket-duration-predictor\","
                        + "metric_type=\"mae_percentage\"})",
                "max(orchestration_ml_drift_score{drift_type=\"target\",model_name=\"duration-predictor\"})",
                "min(orchestration_ml_model_accuracy{model_name=\"anomaly-predictor\",metric_type=\"precision\"})");

        List<PromQlBatches.Batch> batches = PromQlBatches.plan(bundled, 4000);

        assertThat(batches).singleElement().satisfies(batch -> {
            assertThat(batch.promql()).isEqualTo("max by (drift_type, model_name) (orchestration_ml_drift_score"
                    + "{drift_type=~\"feature|prediction|target\",model_name=\"duration-predictor\"})");
            assertThat(batch.queries()).containsExactly(bundled.get(0), bundled.get(1), bundled.get(3));
        });
    }

    @Test
    void givenBareSelectorsThatDifferByOneLabel_whenPlanned_thenOneSelectorWithoutAggregation() {
        assertThat(PromQlBatches.plan(queries("mae{model=\"a\"}", " mae { model = 'b' , } "), 4000))
                .singleElement().extracting(PromQlBatches.Batch::promql).isEqualTo("mae{model=~\"a|b\"}");
    }

    @Test
    void givenAQueryAloneWithItsShape_whenPlanned_thenItIsInNoBatch() {
        assertThat(PromQlBatches.plan(queries("max(a{m=\"1\"})", "max(b{m=\"1\"})", "min(a{m=\"2\"})",
                "max(a{m=\"3\",n=\"x\"})"), 4000)).isEmpty();
    }

    @Test
    void givenQueriesOfAnyOtherShape_whenParsed_thenNoneBatches() {
        for (String promql : List.of(
                "max(x{a=~\"1|2\"})", "max(x{a!=\"1\"})", "max(x{a!~\"1\"})", "max(x{a=\"\"})",
                "max(x{__name__=\"y\"})", "max(x{a=\"1\",a=\"2\"})", "max(x)", "x", "max(x{})",
                "max by (a) (x{a=\"1\"})", "max without (b) (x{a=\"1\"})", "quantile(0.9, x{a=\"1\"})",
                "topk(1, x{a=\"1\"})", "max(rate(x{a=\"1\"}[5m]))", "x{a=\"1\"}[5m]", "x{a=\"1\"} offset 5m",
                "max(x{a=\"1\"}) / max(y{a=\"1\"})", "max(x{a=\"1\"}) # worst", "max(x{a=\"\\n\"})",
                "max(x{a=\"1\"}", "max(x{a=\"1})", "MAX(x{a=\"1\"})", "sum{a=\"1\"}", "max(x{a=\"1\"} @ 100)",
                "{__name__=\"x\",a=\"1\"}", "max(x{a=\"1\"})) ", "absent(x{a=\"1\"})")) {
            assertThat(PromQlBatches.parse(promql)).as(promql).isEmpty();
        }
    }

    @Test
    void givenQuotesEscapesAndSpaces_whenParsed_thenTheValuesAreTheLabelValues() {
        assertThat(PromQlBatches.parse(" avg ( job:errors:ratio { b = 'it\\'s' , a = `raw\\d` , c=\"q\\\"\\\\\" } ) "))
                .hasValueSatisfying(selector -> {
                    assertThat(selector.aggregation()).isEqualTo("avg");
                    assertThat(selector.metric()).isEqualTo("job:errors:ratio");
                    assertThat(selector.matchers()).containsExactly(Map.entry("a", "raw\\d"),
                            Map.entry("b", "it's"), Map.entry("c", "q\"\\"));
                });
    }

    @Test
    void givenValuesWithRegexOperatorsAndQuotes_whenPlanned_thenEachMatchesOnlyItself() {
        List<PromQlBatches.Batch> batches = PromQlBatches.plan(queries(
                "sum(x{model=\"a.b|c\"})", "sum(x{model='say \"hi\"'})", "sum(x{model=\"back\\\\slash(1)\"})"), 4000);

        assertThat(batches).singleElement().extracting(PromQlBatches.Batch::promql).isEqualTo(
                "sum by (model) (x{model=~\"a\\\\.b\\\\|c|back\\\\\\\\slash\\\\(1\\\\)|say \\\"hi\\\"\"})");
    }

    @Test
    void givenFiveThousandReadsOfOneTemplate_whenPlanned_thenEachIsInOneBatchAndNoBatchIsLongerThanTheLimit() {
        List<PromQlQuery> reads = new ArrayList<>();
        for (int m = 0; m < 1000; m++) {
            for (int s = 0; s < 5; s++) {
                reads.add(new PromQlQuery("max(bench_signal{model=\"m%03d\",signal=\"s%d\"})".formatted(m, s)));
            }
        }

        List<PromQlBatches.Batch> batches = PromQlBatches.plan(reads, 4000);

        assertThat(batches.stream().flatMap(b -> b.queries().stream()).toList())
                .containsExactlyInAnyOrderElementsOf(reads);
        assertThat(batches).allSatisfy(b -> assertThat(b.promql().length()).isLessThanOrEqualTo(4000));
        assertThat(batches.getFirst().promql().length()).as("filled close to the limit").isGreaterThan(3800);
        assertThat(batches).hasSize(2);
        assertThat(batches.getFirst().promql()).startsWith(
                "max by (model, signal) (bench_signal{model=~\"m000|m001|").endsWith(",signal=~\"s0|s1|s2|s3|s4\"})");
    }

    @Test
    void givenTheBatchesAnswer_whenSplit_thenEachReadGetsTheSeriesWithItsOwnValuesAndAReadWithoutSeriesGetsNone() {
        PromQlBatches.Batch batch = PromQlBatches.plan(queries("max(x{a=\"1\",b=\"p\"})", "max(x{a=\"2\",b=\"p\"})",
                "max(x{a=\"1\",b=\"q\"})", "max(x{a=\"3\",b=\"q\"})"), 4000).getFirst();

        Map<PromQlQuery, double[]> answer = batch.answer(List.of(
                series(Map.of("a", "1", "b", "p"), 0.5), series(Map.of("a", "2", "b", "p"), 0.7),
                series(Map.of("a", "2", "b", "q"), 0.9), series(Map.of("a", "3", "b", "q"), 0.1)));

        assertThat(answer.get(new PromQlQuery("max(x{a=\"1\",b=\"p\"})"))).containsExactly(0.5);
        assertThat(answer.get(new PromQlQuery("max(x{a=\"2\",b=\"p\"})"))).containsExactly(0.7);
        assertThat(answer.get(new PromQlQuery("max(x{a=\"1\",b=\"q\"})"))).as("not asked by any read, ignored")
                .isEmpty();
        assertThat(answer.get(new PromQlQuery("max(x{a=\"3\",b=\"q\"})"))).containsExactly(0.1);
    }

    static Series series(Map<String, String> labels, double value) {
        return new Series(labels, List.of(new Series.Point(0, value)));
    }
}
