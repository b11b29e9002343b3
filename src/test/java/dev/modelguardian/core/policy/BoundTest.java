package dev.modelguardian.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundTest {

    // ---- breached -----------------------------------------------------------------------

    @Test
    void givenAboveBound_whenValueAtOrBeyondTrigger_thenOnlyStrictlyAboveBreaches() {
        Bound psi = Bound.above(0.25);

        assertThat(psi.breached(0.25)).isFalse();
        assertThat(psi.breached(Math.nextUp(0.25))).isTrue();
        assertThat(psi.breached(0.2)).isFalse();
        assertThat(psi.breached(Double.POSITIVE_INFINITY)).isTrue();
        assertThat(psi.breached(Double.NEGATIVE_INFINITY)).isFalse();
    }

    @Test
    void givenBelowBound_whenValueAtOrBeyondTrigger_thenOnlyStrictlyBelowBreaches() {
        Bound precision = Bound.below(0.70);

        assertThat(precision.breached(0.70)).isFalse();
        assertThat(precision.breached(Math.nextDown(0.70))).isTrue();
        assertThat(precision.breached(0.9)).isFalse();
        assertThat(precision.breached(Double.NEGATIVE_INFINITY)).isTrue();
        assertThat(precision.breached(Double.POSITIVE_INFINITY)).isFalse();
    }

    @Test
    void givenEitherDirection_whenValueIsNaN_thenNotBreached() {
        assertThat(Bound.above(0.25).breached(Double.NaN)).isFalse();
        assertThat(Bound.below(0.70).breached(Double.NaN)).isFalse();
    }

    // ---- cleared ------------------------------------------------------------------------

    @Test
    void givenAboveBoundWithClear_whenValueAtClear_thenClearedAndInsideBandIsNot() {
        Bound mae = Bound.above(20).withClear(18);

        assertThat(mae.cleared(18)).isTrue();
        assertThat(mae.cleared(17)).isTrue();
        assertThat(mae.cleared(Math.nextUp(18.0))).isFalse();
        assertThat(mae.cleared(20)).isFalse();
        assertThat(mae.cleared(25)).isFalse();
        assertThat(mae.cleared(Double.NaN)).isFalse();
    }

    @Test
    void givenBelowBoundWithClear_whenValueAtClear_thenClearedAndInsideBandIsNot() {
        Bound precision = Bound.below(0.70).withClear(0.72);

        assertThat(precision.cleared(0.72)).isTrue();
        assertThat(precision.cleared(0.9)).isTrue();
        assertThat(precision.cleared(Math.nextDown(0.72))).isFalse();
        assertThat(precision.cleared(0.70)).isFalse();
        assertThat(precision.cleared(0.5)).isFalse();
        assertThat(precision.cleared(Double.NaN)).isFalse();
    }

    @Test
    void givenBoundWithoutClear_whenValueNoLongerBreaches_thenCleared() {
        Bound above = Bound.above(20);
        Bound below = Bound.below(0.70);

        assertThat(above.cleared(20)).isTrue();
        assertThat(above.cleared(Math.nextUp(20.0))).isFalse();
        assertThat(below.cleared(0.70)).isTrue();
        assertThat(below.cleared(Math.nextDown(0.70))).isFalse();
        assertThat(above.cleared(Double.NaN)).isFalse();
        assertThat(below.cleared(Double.NaN)).isFalse();
    }

    @Test
    void givenBound_whenWithClear_thenKeepsDirectionAndTrigger() {
        Bound bound = Bound.below(0.70).withClear(0.72);

        assertThat(bound.direction()).isEqualTo(Direction.BELOW);
        assertThat(bound.trigger()).isEqualTo(0.70);
        assertThat(bound.clear()).hasValue(0.72);
        assertThat(Bound.above(1).clear()).isEmpty();
    }

    // ---- describe -----------------------------------------------------------------------

    @Test
    void givenBounds_whenDescribed_thenOperatorTriggerAndClearReadLikeTheRunbook() {
        assertThat(Bound.above(20).withClear(18).describe()).isEqualTo("> 20 (clear <= 18)");
        assertThat(Bound.below(0.70).withClear(0.72).describe()).isEqualTo("< 0.7 (clear >= 0.72)");
        assertThat(Bound.above(0.25).describe()).isEqualTo("> 0.25");
        assertThat(Bound.below(0.7).describe()).isEqualTo("< 0.7");
    }

    // ---- format -------------------------------------------------------------------------

    @Test
    void givenNonFiniteValues_whenFormatted_thenNaNAndSignedInf() {
        assertThat(Bound.format(Double.NaN)).isEqualTo("NaN");
        assertThat(Bound.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(Bound.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    }

    @Test
    void givenWholeNumbers_whenFormatted_thenNoDecimalPoint() {
        assertThat(Bound.format(20.0)).isEqualTo("20");
        assertThat(Bound.format(0.0)).isEqualTo("0");
        assertThat(Bound.format(-0.0)).isEqualTo("0");
        assertThat(Bound.format(-3.0)).isEqualTo("-3");
        assertThat(Bound.format(1027.0)).isEqualTo("1027");
    }

    @Test
    void givenFractions_whenFormatted_thenNoTrailingZerosAndNoBinaryNoise() {
        assertThat(Bound.format(0.70)).isEqualTo("0.7");
        assertThat(Bound.format(1.50)).isEqualTo("1.5");
        assertThat(Bound.format(0.25)).isEqualTo("0.25");
        assertThat(Bound.format(12.5)).isEqualTo("12.5");
        assertThat(Bound.format(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(Bound.format(0.70 * 1.1)).isEqualTo("0.77");
        assertThat(Bound.format(-0.05)).isEqualTo("-0.05");
        assertThat(Bound.format(1e20)).doesNotContain("E").startsWith("1").endsWith("0");
    }
}
