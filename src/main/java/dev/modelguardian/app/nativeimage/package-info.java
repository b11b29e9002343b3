/**
 * What the native image needs registered: one list of every class read by reflection, each with why.
 * Application layer.
 */
package dev.modelguardian.app.nativeimage;
