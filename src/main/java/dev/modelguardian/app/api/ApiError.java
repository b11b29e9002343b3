package dev.modelguardian.app.api;

/**
 * The JSON body of every error answer of the API. Registered for reflection in {@code app/NativeImage}.
 *
 * @param error   a stable code (e.g. {@code unauthorized}, {@code unknown-target})
 * @param message what happened and what to do, for a human
 */
public record ApiError(String error, String message) {
}
