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

        List<PromQlBatches.Batch> batches = PromQlBatches.plan(bundled, 6000);

        assertThat(batches).singleElement().satisfies(batch -> {
            assertThat(batch.promql()).isEqualTo("max by (drift_type) (orchestration_ml_drift_score"
                    + "{drift_type=~\"feature|prediction|target\",model_name=\"duration-predictor\"})");
            assertThat(batch.queries()).containsExactly(bundled.get(0), bundled.get(1), bundled.get(3));
        });
    }

    @Test
    void givenBareSelectorsThatDifferByOneLabel_whenPlanned_thenOneSelectorWithoutAggregation() {
        assertThat(PromQlBatches.plan(queries("mae{model=\"a\"}", " mae { model = 'b' , } "), 6000))
                .singleElement().extracting(PromQlBatches.Batch::promql).isEqualTo("mae{model=~\"a|b\"}");
    }

    @Test
    void givenOneSelectorWrittenTwoWaysAndAnother_whenPlanned_thenOneBatchSelectsEachValueOnce() {
        assertThat(PromQlBatches.plan(queries("max(x{a=\"1\"})", "max( x{ a='1' } )", "max(x{a=\"2\"})"), 6000))
                .singleElement().satisfies(batch -> {
                    assertThat(batch.promql()).isEqualTo("max by (a) (x{a=~\"1|2\"})");
                    assertThat(batch.queries()).hasSize(3);
                });
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
                "{__name__=\"x\",a=\"1\"}", "max(x{a=\"1\"})) ", "absent(x{a=\"1\"})",
                // Escapes PromQL refuses: the other quote.
                "max(x{a=\"it\\'s\"})", "max(x{a='say \\\"hi\\\"'})",
                // White space PromQL refuses: form feed, a Unicode space.
                "max(x{a=\"1\"}\f)", "max(x{a=\"1\"}\u2003)",
                // Label or metric names some PromQL version reads as keywords (in any case).
                "max(x{start=\"1\"})", "max(x{Without=\"1\"})", "max(x{nan=\"1\"})", "Sum{a=\"1\"}")) {
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
    void givenAValueLimit_whenPlanned_thenEachBatchSelectsAtMostThatManyValuesAndTheSameSelectorTwiceCountsOnce() {
        List<PromQlQuery> reads = new ArrayList<>();
        for (int m = 0; m < 10; m++) {
            reads.add(new PromQlQuery("max(x{model=\"m%d\",signal=\"s0\"})".formatted(m)));
        }
        reads.add(new PromQlQuery("max( x{ signal='s0', model='m0' } )"));

        List<PromQlBatches.Batch> batches = PromQlBatches.plan(reads, 6000, 4);

        assertThat(batches).extracting(b -> b.members().stream().map(PromQlBatches.Member::value).distinct().count())
                .containsExactly(4L, 4L, 2L);
        assertThat(batches.getFirst().members()).as("m0 written two ways, one value").hasSize(5);
        assertThat(batches.stream().flatMap(b -> b.queries().stream()).toList())
                .containsExactlyInAnyOrderElementsOf(reads);
    }

    @Test
    void givenFiveThousandReadsOfOneTemplate_whenPlanned_thenEachIsInOneBatchAndNoBatchIsLongerThanTheLimit() {
        List<PromQlQuery> reads = new ArrayList<>();
        for (int m = 0; m < 1000; m++) {
            for (int s = 0; s < 5; s++) {
                reads.add(new PromQlQuery("max(bench_signal{model=\"m%03d\",signal=\"s%d\"})".formatted(m, s)));
            }
        }

        List<PromQlBatches.Batch> batches = PromQlBatches.plan(reads, 6000);

        assertThat(batches.stream().flatMap(b -> b.queries().stream()).toList())
                .containsExactlyInAnyOrderElementsOf(reads);
        assertThat(batches).allSatisfy(b -> assertThat(PromQlBatches.encodedLength(b.promql()))
                .isLessThanOrEqualTo(6000));
        assertThat(PromQlBatches.encodedLength(batches.getFirst().promql())).as("filled close to the limit")
                .isGreaterThan(5900);
        assertThat(batches).as("the 1000 models of each of the 5 signals in two").hasSize(10);
        assertThat(batches.getFirst().promql()).startsWith("max by (model) (bench_signal{model=~\"m000|m001|")
                .endsWith("\",signal=\"s0\"})");
    }

    @Test
    void givenTwoLabelsThatVary_whenPlanned_thenTheOneWithMoreValuesVariesInABatchAndTheOtherIsFixed() {
        List<PromQlBatches.Batch> batches = PromQlBatches.plan(queries("max(x{a=\"1\",b=\"p\"})",
                "max(x{a=\"2\",b=\"p\"})", "max(x{a=\"1\",b=\"q\"})", "max(x{a=\"3\",b=\"q\"})"), 6000);

        assertThat(batches).extracting(PromQlBatches.Batch::promql).containsExactly(
                "max by (a) (x{a=~\"1|2\",b=\"p\"})", "max by (a) (x{a=~\"1|3\",b=\"q\"})");
    }

    @Test
    void givenReadsLeftAloneByTheLabelWithMostValues_whenPlanned_thenTheNextLabelBatchesThem() {
        List<String> promql = new ArrayList<>();
        for (String model : List.of("a", "b", "c", "d", "e")) {
            promql.add("max(x{model=\"" + model + "\",signal=\"s0\"})");
        }
        for (int s = 1; s <= 6; s++) {
            promql.add("max(x{model=\"a\",signal=\"s" + s + "\"})");
        }

        List<PromQlBatches.Batch> batches = PromQlBatches.plan(queries(promql.toArray(String[]::new)), 6000);

        assertThat(batches).extracting(PromQlBatches.Batch::promql).containsExactly(
                "max by (signal) (x{model=\"a\",signal=~\"s0|s1|s2|s3|s4|s5|s6\"})",
                "max by (model) (x{model=~\"b|c|d|e\",signal=\"s0\"})");
        assertThat(batches.stream().mapToInt(b -> b.members().size()).sum()).isEqualTo(11);
    }

    @Test
    void givenAChunkLeftWithOneRead_whenPlanned_thenTheNextLabelMayBatchIt() {
        // By model, m0..m2 fill one batch at this length (the planner counts 3 characters more than the query has,
        // a fourth value adds 5) and m3 is left alone; by signal, it pairs with m3/s1.
        List<PromQlBatches.Batch> batches = PromQlBatches.plan(queries("max(x{model=\"m0\",signal=\"s0\"})",
                "max(x{model=\"m1\",signal=\"s0\"})", "max(x{model=\"m2\",signal=\"s0\"})",
                "max(x{model=\"m3\",signal=\"s0\"})", "max(x{model=\"m3\",signal=\"s1\"})"),
                PromQlBatches.encodedLength("max by (model) (x{model=~\"m0|m1|m2\",signal=\"s0\"})") + 5);

        assertThat(batches).extracting(PromQlBatches.Batch::promql).containsExactly(
                "max by (model) (x{model=~\"m0|m1|m2\",signal=\"s0\"})",
                "max by (signal) (x{model=\"m3\",signal=~\"s0|s1\"})");
    }

    @Test
    void givenTheBatchesAnswer_whenSplit_thenEachReadGetsTheSeriesWithItsValueAndAReadWithoutSeriesGetsNone() {
        PromQlBatches.Batch batch = PromQlBatches.plan(queries("max(x{a=\"1\",b=\"p\"})", "max(x{a=\"2\",b=\"p\"})",
                "max(x{a=\"4\",b=\"p\"})"), 6000).getFirst();

        Map<PromQlQuery, double[]> answer = batch.answer(List.of(series(Map.of("a", "1"), 0.5),
                series(Map.of("a", "2"), 0.7), series(Map.of("a", "3"), 0.9), series(Map.of(), 0.1)));

        assertThat(answer.get(new PromQlQuery("max(x{a=\"1\",b=\"p\"})"))).containsExactly(0.5);
        assertThat(answer.get(new PromQlQuery("max(x{a=\"2\",b=\"p\"})"))).containsExactly(0.7);
        assertThat(answer.get(new PromQlQuery("max(x{a=\"4\",b=\"p\"})"))).as("no series with its value").isEmpty();
        assertThat(answer).hasSize(3);
    }

    @Test
    void givenReservedAndNonAsciiCharacters_whenEncodedForAUrl_thenEachByteOutsideTheUnreservedSetCountsThree() {
        assertThat(PromQlBatches.encodedLength("a-b_c.d~9")).isEqualTo(9);
        assertThat(PromQlBatches.encodedLength("a|b \"ü\"")).isEqualTo(1 + 3 + 1 + 3 + 3 + 6 + 3);
    }

    static Series series(Map<String, String> labels, double value) {
        return new Series(labels, List.of(new Series.Point(0, value)));
    }
}
