/**
 * What the HTTP integrations share: TLS trust (a private CA file) and the JSON writer. Imports no
 * other integration and never the application.
 */
package dev.modelguardian.integrations.http;
