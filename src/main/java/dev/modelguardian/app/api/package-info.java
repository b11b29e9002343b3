/**
 * The HTTP API of {@code serve}: {@code GET /api/v1/status}, {@code POST .../remediate} and
 * {@code .../approve} behind a bearer token. Application layer.
 */
package dev.modelguardian.app.api;
