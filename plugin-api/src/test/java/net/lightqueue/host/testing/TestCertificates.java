package net.lightqueue.host.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made at test time with the JDK's keytool, self-signed or issued by a test
 * certificate authority, written as the PEM files the broker reads (certificate chain, PKCS#8
 * key) and usable by clients as an SSLContext.
 */
public final class TestCertificates {

    private static final char[] STORE_PASSWORD = "changeit".toCharArray();
    private static final String ALIAS = "key";
    private static final String LOCAL_NAMES = "san=dns:localhost,ip:127.0.0.1";

    /** One key pair and its certificate (the first of its chain). */
    public record Identity(KeyStore keyStore, X509Certificate certificate) {

        /** Writes the certificate chain and the PKCS#8 key as PEM files. */
        public void writePem(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
            StringBuilder chain = new StringBuilder();
            for (Certificate link : keyStore.getCertificateChain(ALIAS)) {
                chain.append(pem("CERTIFICATE", link.getEncoded()));
            }
            Files.writeString(certFile, chain);
            Files.writeString(keyFile, pem("PRIVATE KEY", keyStore.getKey(ALIAS, STORE_PASSWORD).getEncoded()));
        }

        /** Writes the certificate alone as a PEM file: what a peer that trusts it reads. */
        public void writeCertificatePem(Path certFile) throws IOException, GeneralSecurityException {
            Files.writeString(certFile, pem("CERTIFICATE", certificate.getEncoded()));
        }
    }

    private TestCertificates() {
    }

    /** A self-signed certificate for CN={@code commonName}, valid for localhost and 127.0.0.1. */
    public static Identity create(Path dir, String commonName)
        throws IOException, GeneralSecurityException, InterruptedException {
        return load(newKeyPair(dir, commonName, "-ext", LOCAL_NAMES), commonName);
    }

    /** A self-signed certificate authority CN={@code commonName}, to {@link #issue} certificates. */
    public static Identity authority(Path dir, String commonName)
        throws IOException, GeneralSecurityException, InterruptedException {
        return load(newKeyPair(dir, commonName, "-ext", "bc:c"), commonName);
    }

    /**
     * A certificate for CN={@code commonName}, valid for localhost and 127.0.0.1, issued by
     * {@code authority}: its chain is the certificate, then the authority's.
     */
    public static Identity issue(Path dir, String commonName, Identity authority)
        throws IOException, GeneralSecurityException, InterruptedException {
        Path store = newKeyPair(dir, commonName, "-ext", LOCAL_NAMES);
        Path request = dir.resolve(commonName + ".csr");
        keytool("-certreq", "-alias", ALIAS, "-keystore", store.toString(), "-storepass", new String(STORE_PASSWORD),
            "-file", request.toString());
        Path authorityStore = dir.resolve(commonName + "-issuer.p12");
        try (OutputStream out = Files.newOutputStream(authorityStore)) {
            authority.keyStore().store(out, STORE_PASSWORD);
        }
        Path issued = dir.resolve(commonName + ".crt");
        keytool("-gencert", "-alias", ALIAS, "-keystore", authorityStore.toString(),
            "-storepass", new String(STORE_PASSWORD), "-infile", request.toString(), "-outfile", issued.toString(),
            "-ext", LOCAL_NAMES, "-validity", "2");
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(issued)) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore keyStore = load(store, commonName).keyStore();
        keyStore.setKeyEntry(ALIAS, keyStore.getKey(ALIAS, STORE_PASSWORD), STORE_PASSWORD,
            new Certificate[] {certificate, authority.certificate()});
        return new Identity(keyStore, certificate);
    }

    /** A PKCS12 key store in {@code dir} with a new EC key pair and its self-signed certificate. */
    private static Path newKeyPair(Path dir, String commonName, String... extensions)
        throws IOException, InterruptedException {
        Path store = dir.resolve(commonName + ".p12");
        List<String> arguments = new ArrayList<>(List.of("-genkeypair", "-alias", ALIAS,
            "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + commonName, "-validity", "2",
            "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", new String(STORE_PASSWORD)));
        arguments.addAll(List.of(extensions));
        keytool(arguments.toArray(String[]::new));
        return store;
    }

    private static Identity load(Path store, String commonName) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD);
        }
        return new Identity(keyStore, (X509Certificate) keyStore.getCertificate(ALIAS));
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
        }
    }

    /** A client context that trusts {@code trusted} and presents {@code own} (or no certificate when null). */
    public static SSLContext clientContext(Identity own, X509Certificate... trusted)
        throws GeneralSecurityException, IOException {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        for (int i = 0; i < trusted.length; i++) {
            trustStore.setCertificateEntry("trusted-" + i, trusted[i]);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(own == null ? null : own.keyStore(), STORE_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(own == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
            + "\n-----END " + type + "-----\n";
    }
}
