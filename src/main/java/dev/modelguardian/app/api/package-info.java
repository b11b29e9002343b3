/**
 * The HTTP API of {@code serve}: {@code GET /api/v1/status}, {@code POST .../remediate} and
 * {@code .../approve} behind a bearer token. Application layer; it reads the guardian through the core's ports
 * (state, leader election) and the composition root, never an integration (held by {@code ArchitectureTest}).
 */
package dev.modelguardian.app.api;
