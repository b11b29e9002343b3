package dev.modelguardian.core.policy;

/**
 * The state of one policy.
 *
 * <pre>
 * HEALTHY      --value breaches the trigger bound----------------------&gt; PENDING (or FIRING at once when for = 0)
 * PENDING      --still breaching, held for the whole `for`-------------&gt; FIRING
 * PENDING      --value no longer breaches------------------------------&gt; HEALTHY (the hold starts over)
 * FIRING       --value meets the clear bound (or the trigger bound)----&gt; HEALTHY
 * FIRING       --value between trigger and clear bound (hysteresis)----&gt; FIRING
 * any          --no data / NaN / source error--------------------------&gt; INCONCLUSIVE
 * INCONCLUSIVE --a value again---------------------------------------&gt; as from HEALTHY, except that a policy that was
 *                                                                       FIRING before the gap resumes FIRING while the
 *                                                                       value does not meet the clear bound
 * </pre>
 *
 * An inconclusive observation never makes a policy healthy and never makes it fire: a gap resets a pending hold
 * (the condition was not seen to hold for the whole duration) but does not clear a firing policy.
 */
public enum PolicyState {
    HEALTHY,
    PENDING,
    FIRING,
    INCONCLUSIVE
}
