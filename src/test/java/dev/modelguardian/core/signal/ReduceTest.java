package dev.modelguardian.core.signal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.modelguardian.core.policy.Direction;

class ReduceTest {

    private static final double NaN = Double.NaN;

    @Test
    void givenFiniteValues_whenReduced_thenMaxMinSumAndAvgAreComputed() {
        double[] values = {0.12, 0.08, 0.31};

        assertThat(Reduce.MAX.apply(values)).isEqualTo(0.31);
        assertThat(Reduce.MIN.apply(values)).isEqualTo(0.08);
        assertThat(Reduce.SUM.apply(values)).isCloseTo(0.51, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Reduce.AVG.apply(values)).isCloseTo(0.17, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void givenNegativeValues_whenReducedWithMax_thenTheLargestNotTheStartingValueWins() {
        // a reduction seeded with 0 (instead of the first value) would return 0 here
        assertThat(Reduce.MAX.apply(new double[] {-3, -1, -2})).isEqualTo(-1);
        assertThat(Reduce.MIN.apply(new double[] {3, 1, 2})).isEqualTo(1);
    }

    @Test
    void givenSomeNaNSeries_whenReduced_thenNaNSeriesAreSkipped() {
        double[] values = {NaN, 1, NaN, 3, NaN};

        assertThat(Reduce.MAX.apply(values)).isEqualTo(3);
        assertThat(Reduce.MIN.apply(values)).isEqualTo(1);
        assertThat(Reduce.SUM.apply(values)).isEqualTo(4);
        // the average is over the two finite series, not the five returned
        assertThat(Reduce.AVG.apply(values)).isEqualTo(2);
    }

    @Test
    void givenNaNAsFirstSeries_whenReduced_thenItDoesNotPoisonTheResult() {
        assertThat(Reduce.MAX.apply(new double[] {NaN, 0.2})).isEqualTo(0.2);
        assertThat(Reduce.MIN.apply(new double[] {NaN, 0.2})).isEqualTo(0.2);
    }

    @Test
    void givenOnlyNaNSeries_whenReduced_thenNaNForEveryReduction() {
        for (Reduce reduce : Reduce.values()) {
            assertThat(reduce.apply(new double[] {NaN, NaN})).as(reduce.name()).isNaN();
        }
    }

    @Test
    void givenNoSeries_whenReduced_thenNaNForEveryReduction() {
        for (Reduce reduce : Reduce.values()) {
            assertThat(reduce.apply(new double[0])).as(reduce.name()).isNaN();
        }
    }

    @Test
    void givenOneSeries_whenReduced_thenItsValueForEveryReduction() {
        for (Reduce reduce : Reduce.values()) {
            assertThat(reduce.apply(new double[] {0.7})).as(reduce.name()).isEqualTo(0.7);
        }
    }

    @Test
    void givenDirection_whenDefaultReduceAsked_thenTheWorstSeriesDecides() {
        assertThat(Direction.ABOVE.defaultReduce()).isEqualTo(Reduce.MAX);
        assertThat(Direction.BELOW.defaultReduce()).isEqualTo(Reduce.MIN);
    }
}
