/**
 * The command line: {@code check}, {@code remediate}, {@code rollback}, {@code serve}, {@code status},
 * {@code doctor}, {@code replay}, with their exit codes. Application layer: may import anything; nothing imports it
 * but the application.
 */
package dev.modelguardian.app.cli;
