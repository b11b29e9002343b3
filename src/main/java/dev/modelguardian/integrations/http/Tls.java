package dev.modelguardian.integrations.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/** Trust stores built from PEM files, for sources behind a private CA, and the TLS settings of every REST client. */
public final class Tls {

    private Tls() {
    }

    /**
     * Makes {@code builder} verify the server's certificate and host name against the JVM's trust store plus, when
     * given, the certificates of {@code caFile}, whatever the global configuration says. Without an explicit
     * {@code trustAll(false)} the Quarkus REST client falls back to {@code quarkus.tls.trust-all}, so a
     * {@code QUARKUS_TLS_TRUST_ALL=true} set for anything else (or the Kubernetes test server, which sets it as a JVM
     * system property and never clears it) would silently turn off certificate checks; a private CA must be trusted
     * through the client's own {@code ca-file}, never by trusting everything.
     */
    public static QuarkusRestClientBuilder verified(QuarkusRestClientBuilder builder, Optional<Path> caFile) {
        builder.trustAll(false).verifyHost(true);
        caFile.ifPresent(ca -> builder.trustStore(trustStore(ca)));
        return builder;
    }

    /** A trust store holding every certificate of a PEM file. */
    public static KeyStore trustStore(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(pemFile + " holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate cert : certs) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read CA file " + pemFile + ": " + e.getMessage(), e);
        }
    }
}
