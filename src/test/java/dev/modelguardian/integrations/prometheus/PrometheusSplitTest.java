package dev.modelguardian.integrations.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a signal's PromQL is split by its breakdown label: only max(...) or min(...) of the labelled series. */
class PrometheusSplitTest {

    @Test
    void givenMaxOfASelector_whenSplitByFeature_thenTheSameAggregationKeepsTheLabel() {
        assertThat(PrometheusSource.splitBy(
                "max(orchestration_ml_drift_score{drift_type=\"feature\",model_name=\"duration-predictor\"})",
                "feature")).contains("max by (feature) (orchestration_ml_drift_score{drift_type=\"feature\","
                        + "model_name=\"duration-predictor\"})");
    }

    @Test
    void givenMinWithSpacesAroundAnInnerFunction_whenSplit_thenTheInnerExpressionIsKept() {
        assertThat(PrometheusSource.splitBy("  min (avg_over_time(accuracy{m=\"a\"}[5m]))  ", "segment"))
                .contains("min by (segment) (avg_over_time(accuracy{m=\"a\"}[5m]))");
    }

    @Test
    void givenQueriesThatAreNotOneMaxOrMin_whenSplit_thenNothing() {
        assertThat(PrometheusSource.splitBy("max(a) / max(b)", "feature")).isEmpty();
        assertThat(PrometheusSource.splitBy("sum(rate(errors_total[5m]))", "feature")).isEmpty();
        assertThat(PrometheusSource.splitBy("max by (feature) (x)", "feature")).isEmpty();
        assertThat(PrometheusSource.splitBy("maximum(x)", "feature")).isEmpty();
    }

    @Test
    void givenParenthesesInsideStringsOrAComment_whenSplit_thenOnlyTheQuerysOwnCount() {
        assertThat(PrometheusSource.splitBy("max(http_requests{path=\")\"})", "feature"))
                .contains("max by (feature) (http_requests{path=\")\"})");
        assertThat(PrometheusSource.splitBy("max(x{a=\"(\"}) / max(y)", "feature")).isEmpty();
        assertThat(PrometheusSource.splitBy("max(x{a='\\'('})", "feature")).contains("max by (feature) (x{a='\\'('})");
        assertThat(PrometheusSource.splitBy("max(x) # the worst input", "feature")).isEmpty();
        assertThat(PrometheusSource.splitBy("max(x{a=\"unclosed})", "feature")).isEmpty();
    }
}
