package net.lightqueue.host.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates made at test time with the JDK's keytool, written as the PEM files
 * the broker reads (certificate, PKCS#8 key) and usable by clients as an SSLContext.
 */
public final class TestCertificates {

    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    /** One key pair and its self-signed certificate. */
    public record Identity(KeyStore keyStore, X509Certificate certificate) {

        /** Writes the certificate and its PKCS#8 key as PEM files. */
        public void writePem(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
            Files.writeString(certFile, pem("CERTIFICATE", certificate.getEncoded()));
            Files.writeString(keyFile, pem("PRIVATE KEY", keyStore.getKey("key", STORE_PASSWORD).getEncoded()));
        }
    }

    private TestCertificates() {
    }

    /** A certificate for CN={@code commonName}, valid for localhost and 127.0.0.1. */
    public static Identity create(Path dir, String commonName)
        throws IOException, GeneralSecurityException, InterruptedException {
        Path store = dir.resolve(commonName + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "key",
            "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + commonName, "-validity", "2",
            "-ext", "san=dns:localhost,ip:127.0.0.1", "-keystore", store.toString(), "-storetype", "PKCS12",
            "-storepass", new String(STORE_PASSWORD)))
            .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD);
        }
        return new Identity(keyStore, (X509Certificate) keyStore.getCertificate("key"));
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
