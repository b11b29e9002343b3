package dev.modelguardian.core.remediation;

import java.util.Optional;

/**
 * Who the credentials the guardian runs with belong to, as the system that granted them names them: what
 * {@code approve} and {@code reject} record as the one who decided when {@code --by} is not given. A port: the
 * Kubernetes integration answers it with a SelfSubjectReview ({@code kubectl auth whoami}).
 */
@FunctionalInterface
public interface CallerIdentity {

    /** The caller's name; empty when it cannot be told (the call failed, or the answer names nobody). */
    Optional<String> name();
}
