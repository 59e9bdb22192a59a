package dev.pgoutput.transport.pgjdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for a test server, made with the JDK's own {@code keytool} (no OpenSSL needed)
 * and written as PEM, the form PostgreSQL reads {@code server.crt}/{@code server.key} in and pgjdbc reads
 * {@code sslrootcert} in.
 *
 * @param certificatePem the certificate, PEM
 * @param privateKeyPem  its PKCS#8 private key, PEM
 * @param certificateFile the certificate written to a file, for {@code sslrootcert}
 */
record TestCertificate(byte[] certificatePem, byte[] privateKeyPem, Path certificateFile) {

    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    /** A self-signed EC certificate naming the IP address {@code ip}, valid for two days. */
    static TestCertificate selfSigned(Path directory, String alias, String ip) throws Exception {
        Path store = directory.resolve(alias + ".p12");
        Process keytool = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + ip, "-ext", "SAN=ip:" + ip, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(STORE_PASSWORD), "-keypass", new String(STORE_PASSWORD)))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD);
        }
        Certificate certificate = keyStore.getCertificate(alias);
        PrivateKey key = (PrivateKey) keyStore.getKey(alias, STORE_PASSWORD);
        byte[] certificatePem = pem("CERTIFICATE", certificate.getEncoded());
        Path certificateFile = directory.resolve(alias + ".crt");
        Files.write(certificateFile, certificatePem);
        return new TestCertificate(certificatePem, pem("PRIVATE KEY", key.getEncoded()), certificateFile);
    }

    private static byte[] pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
