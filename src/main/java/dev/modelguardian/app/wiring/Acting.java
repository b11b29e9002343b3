package dev.modelguardian.app.wiring;

import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether this process may write state and act on the cluster now. One-shot commands ({@code remediate}) always may:
 * the state's compare-and-set keeps them from racing a leader. {@code serve} hands in its Lease, and from then on
 * only the leader acts, checked before every write and every action.
 */
@ApplicationScoped
public class Acting implements BooleanSupplier {

    private volatile BooleanSupplier gate = () -> true;

    /** From now on, act only while {@code leader} says so. */
    public void requireLeadership(BooleanSupplier leader) {
        this.gate = leader;
    }

    @Override
    public boolean getAsBoolean() {
        return gate.getAsBoolean();
    }
}
