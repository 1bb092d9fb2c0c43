package io.upki.publisher;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;

/** The client side of the OCSP tests: requests built with BouncyCastle, HTTP with the JDK, and the openssl CLI. */
final class OcspClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String url;

    OcspClient(String url) {
        this.url = url;
    }

    /** An HTTP answer: status, content type and the OCSPResponse it carried. */
    record Reply(int status, String contentType, String cacheControl, byte[] body) {
        OCSPResp ocsp() throws IOException {
            return new OCSPResp(body);
        }
    }

    static CertificateID id(X509Certificate issuer, BigInteger serial, AlgorithmIdentifier hash) throws Exception {
        return new CertificateID(new BcDigestCalculatorProvider().get(hash), new X509CertificateHolder(issuer.getEncoded()),
                serial);
    }

    static CertificateID id(X509Certificate issuer, BigInteger serial) throws Exception {
        return id(issuer, serial, CertificateID.HASH_SHA1);
    }

    /** A DER OCSPRequest for {@code ids}, with a nonce when one is given. */
    static byte[] request(byte[] nonce, CertificateID... ids) throws Exception {
        OCSPReqBuilder builder = new OCSPReqBuilder();
        for (CertificateID id : ids) {
            builder.addRequest(id);
        }
        if (nonce != null) {
            builder.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                    new DEROctetString(new DEROctetString(nonce)))));
        }
        return builder.build().getEncoded();
    }

    Reply post(byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** A POST without Content-Length (chunked transfer coding). */
    Reply postChunked(byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build());
    }

    /** RFC 6960 appendix A.1 GET, the base64 URL-encoded as nginx does ({@code escaped}) or left raw. */
    Reply get(byte[] der, boolean escaped) throws Exception {
        String b64 = Base64.getEncoder().encodeToString(der);
        String path = escaped ? URLEncoder.encode(b64, StandardCharsets.US_ASCII) : b64;
        return send(HttpRequest.newBuilder(URI.create(url + "/" + path)).GET().build());
    }

    /** GET with {@code encoded} as the path after {@code /ocsp/}, as it is. */
    Reply getPath(String encoded) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url + "/" + encoded)).GET().build());
    }

    Reply method(String method, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    private Reply send(HttpRequest request) throws Exception {
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                r.headers().firstValue("Cache-Control").orElse(""), r.body());
    }

    /** Runs {@code openssl ocsp} against the responder and returns what it printed (stdout and stderr). */
    String openssl(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("-url", url, "-timeout", "10"));
        cmd.addAll(List.of(args));
        return opensslOffline(workDir, cmd.toArray(String[]::new));
    }

    /** Runs {@code openssl ocsp} with {@code args} only (reading files, no responder). */
    static String opensslOffline(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl", "ocsp"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl ocsp timed out");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
