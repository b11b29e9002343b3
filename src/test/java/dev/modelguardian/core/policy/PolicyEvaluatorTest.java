package dev.modelguardian.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import dev.modelguardian.core.signal.Observation;
import dev.modelguardian.core.signal.TimedObservation;
import dev.modelguardian.testing.Query;

/**
 * The pure state machine of one policy (see {@link PolicyState} for the transitions), driven with a fixed clock.
 */
class PolicyEvaluatorTest {

    private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

    private static final Duration FOR = Duration.ofMinutes(10);

    /** The runbook's MAE rule: {@code > 20 for 10m (clear <= 18)}. */
    private static final Policy MAE = policy(Bound.above(20).withClear(18), FOR);

    /** The same trigger without hysteresis. */
    private static final Policy MAE_NO_CLEAR = policy(Bound.above(20), FOR);

    /** Fires at once. */
    private static final Policy MAE_AT_ONCE = policy(Bound.above(20).withClear(18), Duration.ZERO);

    /** The runbook's precision rule: {@code < 0.7 for 10m (clear >= 0.72)}. */
    private static final Policy PRECISION = policy(Bound.below(0.70).withClear(0.72), FOR);

    // ---- helpers ------------------------------------------------------------------------

    private static Instant t(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    private static Policy policy(Bound bound, Duration forDuration) {
        return policy(bound, forDuration, NoDataPolicy.INCONCLUSIVE);
    }

    private static Policy policy(Bound bound, Duration forDuration, NoDataPolicy noData) {
        return new Policy("ticket-duration-predictor", "mae-percentage", Query.promql("max(mae)"), bound,
                forDuration, bound.direction().defaultReduce(), noData, "");
    }

    private static PolicyStatus eval(Policy policy, PolicyStatus previous, Observation observation, Instant now) {
        return PolicyEvaluator.evaluate(policy, previous, observation, now);
    }

    private static PolicyStatus value(Policy policy, PolicyStatus previous, double value, Instant now) {
        return eval(policy, previous, Observation.of(value), now);
    }

    /** The first evaluation of a policy, from the unknown status. */
    private static PolicyStatus first(Policy policy, double value, Instant now) {
        return value(policy, PolicyStatus.unknown(now), value, now);
    }

    /** A status that is HEALTHY since {@code at}. */
    private static PolicyStatus healthyAt(Policy policy, double value, Instant at) {
        PolicyStatus status = first(policy, value, at);
        assertThat(status.state()).as("precondition").isEqualTo(PolicyState.HEALTHY);
        return status;
    }

    /** A status that began breaching at {@code breachAt} and is FIRING since {@code breachAt + for}. */
    private static PolicyStatus firingAt(Policy policy, double breachValue, Instant breachAt) {
        PolicyStatus status = first(policy, breachValue, breachAt);
        status = value(policy, status, breachValue, breachAt.plus(policy.forDuration()));
        assertThat(status.state()).as("precondition").isEqualTo(PolicyState.FIRING);
        assertThat(status.firingSince()).as("precondition").contains(breachAt.plus(policy.forDuration()));
        return status;
    }

    // ---- HEALTHY -> PENDING -> FIRING ---------------------------------------------------

    @Test
    void givenHealthy_whenValueBreachesWithFor_thenPendingSinceTheBreach() {
        PolicyStatus healthy = healthyAt(MAE, 12.5, t(0));

        PolicyStatus next = value(MAE, healthy, 27, t(1));

        assertThat(next.state()).isEqualTo(PolicyState.PENDING);
        assertThat(next.since()).isEqualTo(t(1));
        assertThat(next.breachSince()).contains(t(1));
        assertThat(next.firingSince()).isEmpty();
        assertThat(next.value()).isEqualTo(OptionalDouble.of(27));
        assertThat(next.reason()).isEmpty();
    }

    @Test
    void givenPending_whenBreachHeldExactlyFor_thenFiringSinceNowWithOriginalBreachSince() {
        PolicyStatus pending = value(MAE, healthyAt(MAE, 12.5, t(0)), 27, t(1));
        PolicyStatus stillPending = value(MAE, pending, 30, t(5));

        PolicyStatus next = value(MAE, stillPending, 28, t(1).plus(FOR));

        assertThat(next.state()).isEqualTo(PolicyState.FIRING);
        assertThat(next.since()).isEqualTo(t(11));
        assertThat(next.firingSince()).contains(t(11));
        assertThat(next.breachSince()).contains(t(1));
        assertThat(next.value()).isEqualTo(OptionalDouble.of(28));
    }

    @Test
    void givenPending_whenBreachHeldOneMillisecondLessThanFor_thenStillPending() {
        PolicyStatus pending = value(MAE, healthyAt(MAE, 12.5, t(0)), 27, t(1));

        PolicyStatus next = value(MAE, pending, 27, t(1).plus(FOR).minusMillis(1));

        assertThat(next.state()).isEqualTo(PolicyState.PENDING);
        assertThat(next.since()).isEqualTo(t(1));
        assertThat(next.breachSince()).contains(t(1));
        assertThat(next.firingSince()).isEmpty();
    }

    @Test
    void givenPending_whenValueNoLongerBreaches_thenHealthyAndALaterBreachStartsANewHold() {
        PolicyStatus pending = value(MAE, healthyAt(MAE, 12.5, t(0)), 27, t(1));

        PolicyStatus healthy = value(MAE, pending, 19, t(5));
        assertThat(healthy.state()).isEqualTo(PolicyState.HEALTHY);
        assertThat(healthy.since()).isEqualTo(t(5));
        assertThat(healthy.breachSince()).isEmpty();

        PolicyStatus newPending = value(MAE, healthy, 27, t(6));
        assertThat(newPending.state()).isEqualTo(PolicyState.PENDING);
        assertThat(newPending.breachSince()).contains(t(6));

        // The first hold would have completed at t(11); the new one has not.
        PolicyStatus atOldDeadline = value(MAE, newPending, 27, t(11));
        assertThat(atOldDeadline.state()).isEqualTo(PolicyState.PENDING);
        assertThat(value(MAE, atOldDeadline, 27, t(16)).state()).isEqualTo(PolicyState.FIRING);
    }

    @Test
    void givenForZero_whenValueBreaches_thenFiringAtOnce() {
        PolicyStatus healthy = healthyAt(MAE_AT_ONCE, 12.5, t(0));

        PolicyStatus next = value(MAE_AT_ONCE, healthy, 20.001, t(1));

        assertThat(next.state()).isEqualTo(PolicyState.FIRING);
        assertThat(next.since()).isEqualTo(t(1));
        assertThat(next.firingSince()).contains(t(1));
        assertThat(next.breachSince()).contains(t(1));
    }

    // ---- the trigger bound itself -------------------------------------------------------

    @Test
    void givenAbovePolicy_whenValueExactlyAtTriggerBound_thenHealthyAndJustAboveIsABreach() {
        PolicyStatus healthy = healthyAt(MAE_AT_ONCE, 12.5, t(0));

        assertThat(value(MAE_AT_ONCE, healthy, 20.0, t(1)).state()).isEqualTo(PolicyState.HEALTHY);
        assertThat(value(MAE_AT_ONCE, healthy, Math.nextUp(20.0), t(1)).state()).isEqualTo(PolicyState.FIRING);
    }

    @Test
    void givenBelowPolicy_whenValueExactlyAtTriggerBound_thenHealthyAndJustBelowIsABreach() {
        Policy precisionAtOnce = policy(Bound.below(0.70), Duration.ZERO);
        PolicyStatus healthy = healthyAt(precisionAtOnce, 0.82, t(0));

        assertThat(value(precisionAtOnce, healthy, 0.70, t(1)).state()).isEqualTo(PolicyState.HEALTHY);
        assertThat(value(precisionAtOnce, healthy, Math.nextDown(0.70), t(1)).state())
                .isEqualTo(PolicyState.FIRING);
    }

    // ---- FIRING -> FIRING / HEALTHY -----------------------------------------------------

    @Test
    void givenFiringWithClearBound_whenValueInsideHysteresisBand_thenStaysFiringWithItsFiringSince() {
        PolicyStatus firing = firingAt(MAE, 27, t(0));

        // at the trigger bound (no longer a breach), and just above the clear bound: both inside the band
        PolicyStatus atTrigger = value(MAE, firing, 20.0, t(11));
        PolicyStatus justAboveClear = value(MAE, atTrigger, Math.nextUp(18.0), t(12));

        for (PolicyStatus s : List.of(atTrigger, justAboveClear)) {
            assertThat(s.state()).isEqualTo(PolicyState.FIRING);
            assertThat(s.since()).isEqualTo(t(10));
            assertThat(s.firingSince()).contains(t(10));
            assertThat(s.breachSince()).contains(t(0));
        }
        assertThat(justAboveClear.value()).isEqualTo(OptionalDouble.of(Math.nextUp(18.0)));
    }

    @Test
    void givenFiringWithClearBound_whenValueExactlyAtClearBound_thenHealthySinceNow() {
        PolicyStatus firing = firingAt(MAE, 27, t(0));

        PolicyStatus next = value(MAE, firing, 18.0, t(11));

        assertThat(next.state()).isEqualTo(PolicyState.HEALTHY);
        assertThat(next.since()).isEqualTo(t(11));
        assertThat(next.firingSince()).isEmpty();
        assertThat(next.breachSince()).isEmpty();
    }

    @Test
    void givenFiringWithoutClearBound_whenValueNoLongerBreaches_thenHealthy() {
        PolicyStatus firing = firingAt(MAE_NO_CLEAR, 27, t(0));

        PolicyStatus stillBreaching = value(MAE_NO_CLEAR, firing, 20.5, t(11));
        assertThat(stillBreaching.state()).isEqualTo(PolicyState.FIRING);

        PolicyStatus next = value(MAE_NO_CLEAR, stillBreaching, 20.0, t(12));
        assertThat(next.state()).isEqualTo(PolicyState.HEALTHY);
        assertThat(next.since()).isEqualTo(t(12));
        assertThat(next.firingSince()).isEmpty();
    }

    // ---- inconclusive observations ------------------------------------------------------

    @Test
    void givenAnyState_whenValueIsNaN_thenInconclusiveNeverHealthyNorFiring() {
        PolicyStatus healthy = healthyAt(MAE, 12.5, t(0));
        PolicyStatus pending = value(MAE, healthy, 27, t(1));
        PolicyStatus firing = firingAt(MAE, 27, t(0));

        for (PolicyStatus previous : List.of(PolicyStatus.unknown(t(0)), healthy, pending, firing)) {
            PolicyStatus next = eval(MAE, previous, new Observation.Value(Double.NaN, 3), t(20));

            assertThat(next.state()).as("from %s", previous.state()).isEqualTo(PolicyState.INCONCLUSIVE);
            assertThat(next.reason()).as("from %s", previous.state()).contains("NaN");
            assertThat(next.value()).as("from %s", previous.state()).isEmpty();
            assertThat(next.breachSince()).as("from %s", previous.state()).isEmpty();
            assertThat(next.series()).as("from %s", previous.state()).isEqualTo(3);
        }
    }

    @Test
    void givenAnyState_whenValueIsInfinite_thenInconclusiveNotABreach() {
        PolicyStatus healthy = healthyAt(MAE, 12.5, t(0));
        PolicyStatus firing = firingAt(MAE, 27, t(0));

        for (PolicyStatus previous : List.of(PolicyStatus.unknown(t(0)), healthy, firing)) {
            PolicyStatus next = eval(MAE, previous, Observation.of(Double.POSITIVE_INFINITY), t(20));

            assertThat(next.state()).as("from %s", previous.state()).isEqualTo(PolicyState.INCONCLUSIVE);
            assertThat(next.reason()).as("from %s", previous.state()).contains("infinite value (+Inf)");
        }
    }

    @Test
    void givenNoDataInconclusive_whenNoData_thenInconclusiveWithReason() {
        PolicyStatus healthy = healthyAt(MAE, 12.5, t(0));

        PolicyStatus next = eval(MAE, healthy, Observation.noData(), t(1));

        assertThat(next.state()).isEqualTo(PolicyState.INCONCLUSIVE);
        assertThat(next.since()).isEqualTo(t(1));
        assertThat(next.reason()).contains("no data");
        assertThat(next.value()).isEmpty();
        assertThat(next.series()).isZero();
    }

    @Test
    void givenNoDataHealthy_whenNoDataWhilePending_thenHealthyAndTheHoldIsDropped() {
        Policy policy = policy(Bound.above(20), FOR, NoDataPolicy.HEALTHY);
        PolicyStatus pending = value(policy, healthyAt(policy, 12.5, t(0)), 27, t(1));

        PolicyStatus next = eval(policy, pending, Observation.noData(), t(2));

        assertThat(next.state()).isEqualTo(PolicyState.HEALTHY);
        assertThat(next.since()).isEqualTo(t(2));
        assertThat(next.breachSince()).isEmpty();
        assertThat(next.value()).isEmpty();
        assertThat(next.reason()).isEmpty();
        // the hold starts over: a breach at t(3) is not yet held at t(11)
        PolicyStatus again = value(policy, next, 27, t(3));
        assertThat(value(policy, again, 27, t(11)).state()).isEqualTo(PolicyState.PENDING);
    }

    @Test
    void givenNoDataBreach_whenNoDataForTheWholeFor_thenPendingThenFiringWithoutAValue() {
        Policy heartbeat = policy(Bound.above(20), FOR, NoDataPolicy.BREACH);
        PolicyStatus healthy = healthyAt(heartbeat, 12.5, t(0));

        PolicyStatus pending = eval(heartbeat, healthy, Observation.noData(), t(1));
        assertThat(pending.state()).isEqualTo(PolicyState.PENDING);
        assertThat(pending.breachSince()).contains(t(1));
        assertThat(pending.value()).isEmpty();

        PolicyStatus firing = eval(heartbeat, pending, Observation.noData(), t(11));
        assertThat(firing.state()).isEqualTo(PolicyState.FIRING);
        assertThat(firing.firingSince()).contains(t(11));
        assertThat(firing.value()).isEmpty();
    }

    @Test
    void givenSourceErrors_whenConsecutive_thenInconclusiveAndTheCountGrows() {
        PolicyStatus status = healthyAt(MAE, 12.5, t(0));

        for (int i = 1; i <= 3; i++) {
            status = eval(MAE, status, Observation.error("connection refused"), t(i));
            assertThat(status.state()).isEqualTo(PolicyState.INCONCLUSIVE);
            assertThat(status.consecutiveSourceErrors()).isEqualTo(i);
            assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r).contains("source error")
                    .contains("connection refused"));
        }
    }

    @Test
    void givenSourceErrors_whenTheSourceAnswersAgain_thenTheErrorCountResetsWhateverTheAnswer() {
        PolicyStatus errors = healthyAt(MAE, 12.5, t(0));
        errors = eval(MAE, errors, Observation.error("timeout"), t(1));
        errors = eval(MAE, errors, Observation.error("timeout"), t(2));
        assertThat(errors.consecutiveSourceErrors()).isEqualTo(2);

        List<Observation> answers = List.of(Observation.of(12.5), Observation.of(27), Observation.noData(),
                Observation.of(Double.NaN));
        for (Observation answer : answers) {
            PolicyStatus next = eval(MAE, errors, answer, t(3));
            assertThat(next.consecutiveSourceErrors()).as("after %s", answer).isZero();
            // and the count starts from 1 again
            assertThat(eval(MAE, next, Observation.error("timeout"), t(4)).consecutiveSourceErrors())
                    .as("error after %s", answer).isEqualTo(1);
        }
    }

    // ---- gaps ---------------------------------------------------------------------------

    @Test
    void givenPending_whenAGapInterruptsTheBreach_thenTheHoldStartsOverWhenDataReturns() {
        PolicyStatus pending = value(MAE, healthyAt(MAE, 12.5, t(0)), 27, t(1));

        PolicyStatus gap = eval(MAE, pending, Observation.noData(), t(5));
        assertThat(gap.state()).isEqualTo(PolicyState.INCONCLUSIVE);
        assertThat(gap.breachSince()).isEmpty();

        PolicyStatus back = value(MAE, gap, 27, t(6));
        assertThat(back.state()).isEqualTo(PolicyState.PENDING);
        assertThat(back.breachSince()).contains(t(6));
        // t(11) would have completed the old hold
        assertThat(value(MAE, back, 27, t(11)).state()).isEqualTo(PolicyState.PENDING);
        assertThat(value(MAE, back, 27, t(16)).state()).isEqualTo(PolicyState.FIRING);
    }

    @Test
    void givenFiring_whenAGapOccurs_thenInconclusiveKeepingFiringSince() {
        PolicyStatus firing = firingAt(MAE, 27, t(0));

        PolicyStatus gap = eval(MAE, firing, Observation.error("timeout"), t(11));
        PolicyStatus longerGap = eval(MAE, gap, Observation.noData(), t(12));

        for (PolicyStatus s : List.of(gap, longerGap)) {
            assertThat(s.state()).isEqualTo(PolicyState.INCONCLUSIVE);
            assertThat(s.firingSince()).contains(t(10));
        }
    }

    @Test
    void givenFiringThenAGap_whenDataReturnsBreached_thenFiringResumesWithTheOriginalFiringSince() {
        PolicyStatus gap = eval(MAE, firingAt(MAE, 27, t(0)), Observation.noData(), t(11));

        PolicyStatus back = value(MAE, gap, 27, t(12));

        assertThat(back.state()).isEqualTo(PolicyState.FIRING);
        assertThat(back.firingSince()).contains(t(10));
        assertThat(back.since()).isEqualTo(t(10));
    }

    @Test
    void givenFiringThenAGap_whenDataReturnsInsideTheHysteresisBand_thenFiringResumes() {
        PolicyStatus gap = eval(MAE, firingAt(MAE, 27, t(0)), Observation.of(Double.NaN), t(11));

        PolicyStatus back = value(MAE, gap, 19, t(12));

        assertThat(back.state()).isEqualTo(PolicyState.FIRING);
        assertThat(back.firingSince()).contains(t(10));
        assertThat(back.since()).isEqualTo(t(10));
    }

    @Test
    void givenFiringThenAGap_whenDataReturnsCleared_thenHealthy() {
        PolicyStatus gap = eval(MAE, firingAt(MAE, 27, t(0)), Observation.noData(), t(11));

        PolicyStatus back = value(MAE, gap, 18, t(12));

        assertThat(back.state()).isEqualTo(PolicyState.HEALTHY);
        assertThat(back.since()).isEqualTo(t(12));
        assertThat(back.firingSince()).isEmpty();
    }

    @Test
    void givenPendingWhoseHoldHasElapsed_whenObservationIsInconclusive_thenNeverFiring() {
        PolicyStatus pending = value(MAE, healthyAt(MAE, 12.5, t(0)), 27, t(1));

        List<Observation> gaps = List.of(Observation.noData(), Observation.of(Double.NaN),
                Observation.error("timeout"));
        for (Observation gap : gaps) {
            PolicyStatus next = eval(MAE, pending, gap, t(30));
            assertThat(next.state()).as("on %s", gap).isEqualTo(PolicyState.INCONCLUSIVE);
            assertThat(next.firingSince()).as("on %s", gap).isEmpty();
            // nor does the breach after the gap inherit the old hold
            assertThat(value(MAE, next, 27, t(31)).state()).as("after %s", gap).isEqualTo(PolicyState.PENDING);
        }
    }

    @Test
    void givenAFor_whenValueFlapsAroundTheBoundEveryMinute_thenNeverFires() {
        PolicyStatus status = healthyAt(MAE, 12.5, t(0));
        List<PolicyState> seen = new ArrayList<>();

        for (int minute = 1; minute <= 120; minute++) {
            status = value(MAE, status, minute % 2 == 1 ? 21 : 19.5, t(minute));
            seen.add(status.state());
        }

        assertThat(seen).doesNotContain(PolicyState.FIRING).contains(PolicyState.PENDING, PolicyState.HEALTHY);
    }

    // ---- since --------------------------------------------------------------------------

    @Test
    void givenHealthy_whenEvaluatedHealthyAgain_thenSinceIsKept() {
        PolicyStatus status = healthyAt(MAE, 12.5, t(0));

        status = value(MAE, status, 15, t(1));
        status = value(MAE, status, 20, t(2));

        assertThat(status.state()).isEqualTo(PolicyState.HEALTHY);
        assertThat(status.since()).isEqualTo(t(0));
        assertThat(status.value()).isEqualTo(OptionalDouble.of(20));
    }

    @Test
    void givenInconclusive_whenInconclusiveAgainForAnotherReason_thenSinceIsKeptAndReasonUpdated() {
        PolicyStatus status = eval(MAE, healthyAt(MAE, 12.5, t(0)), Observation.noData(), t(1));

        status = eval(MAE, status, Observation.of(Double.NaN), t(2));
        status = eval(MAE, status, Observation.error("HTTP 503"), t(3));

        assertThat(status.state()).isEqualTo(PolicyState.INCONCLUSIVE);
        assertThat(status.since()).isEqualTo(t(1));
        assertThat(status.reason()).hasValueSatisfying(r -> assertThat(r).contains("HTTP 503"));
    }

    @Test
    void givenUnknown_whenFirstValueIsHealthy_thenHealthySinceThatEvaluation() {
        PolicyStatus unknown = PolicyStatus.unknown(t(0));
        assertThat(unknown.state()).isEqualTo(PolicyState.INCONCLUSIVE);

        PolicyStatus next = value(MAE, unknown, 12.5, t(1));

        assertThat(next.state()).isEqualTo(PolicyState.HEALTHY);
        assertThat(next.since()).isEqualTo(t(1));
        assertThat(next.reason()).isEmpty();
    }

    // ---- replay -------------------------------------------------------------------------

    @Test
    void givenAHistory_whenReplayed_thenTheResultEqualsFoldingEvaluate() {
        List<TimedObservation> history = List.of(
                new TimedObservation(t(0), Observation.of(12.5)),
                new TimedObservation(t(1), Observation.of(27)),
                new TimedObservation(t(2), Observation.error("timeout")),
                new TimedObservation(t(3), Observation.of(27)),
                new TimedObservation(t(8), Observation.of(Double.NaN)),
                new TimedObservation(t(9), Observation.of(28)),
                new TimedObservation(t(19), Observation.of(29)),
                new TimedObservation(t(20), Observation.noData()),
                new TimedObservation(t(21), Observation.of(19)));
        PolicyStatus start = PolicyStatus.unknown(t(0));

        PolicyStatus folded = start;
        for (TimedObservation point : history) {
            folded = PolicyEvaluator.evaluate(MAE, folded, point.observation(), point.at());
        }
        PolicyStatus replayed = PolicyEvaluator.replay(MAE, start, history);

        assertThat(replayed).isEqualTo(folded);
        // the history ends firing (hysteresis after a gap) since t(19); make sure the fold is not trivially equal
        assertThat(replayed.state()).isEqualTo(PolicyState.FIRING);
        assertThat(replayed.firingSince()).contains(t(19));
        assertThat(PolicyEvaluator.replay(MAE, start, List.of())).isSameAs(start);
    }

    // ---- below-direction mirrors ---------------------------------------------------------

    @Test
    void givenBelowPolicy_whenValueStaysBelowForTheWholeFor_thenPendingThenFiring() {
        PolicyStatus healthy = healthyAt(PRECISION, 0.82, t(0));

        PolicyStatus pending = value(PRECISION, healthy, 0.65, t(1));
        assertThat(pending.state()).isEqualTo(PolicyState.PENDING);
        assertThat(pending.breachSince()).contains(t(1));

        assertThat(value(PRECISION, pending, 0.65, t(11).minusMillis(1)).state()).isEqualTo(PolicyState.PENDING);
        PolicyStatus firing = value(PRECISION, pending, 0.6, t(11));
        assertThat(firing.state()).isEqualTo(PolicyState.FIRING);
        assertThat(firing.firingSince()).contains(t(11));
    }

    @Test
    void givenFiringBelowPolicy_whenValueInsideBandThenExactlyAtClearBound_thenFiringThenHealthy() {
        PolicyStatus firing = firingAt(PRECISION, 0.65, t(0));

        PolicyStatus inBand = value(PRECISION, firing, 0.71, t(11));
        assertThat(inBand.state()).isEqualTo(PolicyState.FIRING);
        assertThat(inBand.firingSince()).contains(t(10));

        PolicyStatus cleared = value(PRECISION, inBand, 0.72, t(12));
        assertThat(cleared.state()).isEqualTo(PolicyState.HEALTHY);
        assertThat(cleared.since()).isEqualTo(t(12));
        assertThat(cleared.firingSince()).isEmpty();
    }

    @Test
    void givenFiringBelowPolicyWithoutClearBound_whenValueBackAtTheTrigger_thenHealthy() {
        Policy precision = policy(Bound.below(0.70), Duration.ZERO);
        PolicyStatus firing = value(precision, healthyAt(precision, 0.82, t(0)), 0.5, t(1));
        assertThat(firing.state()).isEqualTo(PolicyState.FIRING);

        PolicyStatus next = value(precision, firing, 0.70, t(2));

        assertThat(next.state()).isEqualTo(PolicyState.HEALTHY);
        assertThat(next.firingSince()).isEmpty();
    }
}
