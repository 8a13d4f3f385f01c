package dev.herald.testing;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

/**
 * A receiver's TLS identity for tests: a key pair and a self-signed certificate for one IP address, made by the JDK's
 * keytool, with the server's TLS context and a client context that trusts exactly that certificate.
 *
 * @param server serves the certificate (an HTTPS test receiver's context)
 * @param client trusts only that certificate (a sender's context in a test that wants the certificate trusted)
 */
public record SelfSignedTls(SSLContext server, SSLContext client) {
    /** Makes the key pair in {@code dir} (a test's temporary folder) for a certificate naming {@code ip}. */
    public static SelfSignedTls create(Path dir, String ip) throws IOException, GeneralSecurityException {
        Path keystore = dir.resolve("receiver-" + ip + ".p12");
        String password = "changeit-" + System.nanoTime();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + ip, "-ext", "SAN=ip:" + ip, "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).start();
        try {
            if (!keytool.waitFor(60, TimeUnit.SECONDS)) {
                keytool.destroyForcibly();
                throw new IOException("keytool did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
        if (keytool.exitValue() != 0) {
            throw new IOException("keytool failed: "
                    + new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        var store = KeyStore.getInstance("PKCS12");
        try (var in = new FileInputStream(keystore.toFile())) {
            store.load(in, password.toCharArray());
        }
        var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password.toCharArray());
        var server = SSLContext.getInstance("TLS");
        server.init(keys.getKeyManagers(), null, null);
        var trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("receiver", store.getCertificate("receiver"));
        var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        var client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);
        return new SelfSignedTls(server, client);
    }
}
