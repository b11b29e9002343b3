/**
 * {@code replay}: scripted scenarios or a Prometheus range through the real policy and remediation engines
 * on a virtual clock, against simulated training, registry and model server plugged in through the core's ports;
 * the terminal timeline and the HTML report. Application layer.
 */
package dev.modelguardian.app.replay;
