package dev.modelguardian.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The JSON body of every error answer of the API.
 *
 * @param error   a stable code (e.g. {@code unauthorized}, {@code unknown-target})
 * @param message what happened and what to do, for a human
 */
@RegisterForReflection
public record ApiError(String error, String message) {
}
