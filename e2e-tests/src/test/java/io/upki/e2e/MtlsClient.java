package io.upki.e2e;

import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An HTTPS client holding one client certificate, trusting only the upki CA: what an admin's script does. */
final class MtlsClient {
    private final HttpClient http;

    /** The client of {@code NAME.crt} and {@code NAME.key} in {@code dir}, trusting {@code dir}'s {@code ca.crt}: upki-cli's layout. */
    static MtlsClient in(Path dir, String name) throws Exception {
        return new MtlsClient(dir.resolve(name + ".crt"), dir.resolve(name + ".key"), dir.resolve("ca.crt"));
    }

    MtlsClient(Path cert, Path key, Path caCert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("upki-ca", Pem.parseCertificate(Files.readString(caCert)));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = null;
        if (cert != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            PrivateKey privateKey = Pem.parsePrivateKey(Files.readString(key), null);
            X509Certificate leaf = Pem.parseCertificate(Files.readString(cert));
            keys.setKeyEntry("client", privateKey, new char[0], new Certificate[] {leaf});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        tls.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
