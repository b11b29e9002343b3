/**
 * The status page {@code serve} serves on {@code /}: every target and signal, a target's charts over a chosen window
 * (the replay report's chart renderer, fed by the signals' own source through the guardian), its history with the
 * post-mortem drafts, and the approve / reject / remediate / rollback actions of the HTTP API, sent by a small script
 * with the token a person types. Server-rendered, readable without JavaScript, under a strict Content-Security-Policy.
 * Like the API, it reaches integrations only through the core's ports and the composition root.
 */
package dev.modelguardian.app.page;
