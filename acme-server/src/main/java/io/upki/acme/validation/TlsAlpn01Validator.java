package io.upki.acme.validation;

import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import io.upki.acme.store.Identifier;
import io.upki.pki.process.DaemonThreads;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.ASN1OctetString;

/**
 * tls-alpn-01 (RFC 8737 section 3): a TLS handshake to the identifier with SNI set to it (the reverse
 * name for an IP, RFC 8738 section 6) and only the {@code acme-tls/1} protocol offered; the server must
 * negotiate it and present a certificate whose only SAN is the identifier and whose critical
 * acmeIdentifier extension holds SHA-256(key authorization). The certificate is self-signed by design,
 * so it is checked by content, not by trust. Only addresses the {@link NetworkPolicy} permits are
 * connected to.
 */
public final class TlsAlpn01Validator implements ChallengeValidator {
    static final String ALPN = "acme-tls/1";
    /** id-pe-acmeIdentifier (RFC 8737 section 6.1). */
    static final String ACME_IDENTIFIER = "1.3.6.1.5.5.7.1.31";

    private final Resolver resolver;
    private final NetworkPolicy networks;
    private final int port;
    private final Duration timeout;
    private final SecureRandom random;
    private final Deadline.Ticker ticker;
    /** Closes a socket whose validation passed its deadline: a handshake is many reads, each with its own timeout. */
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("tls-alpn-01-deadline"));

    public TlsAlpn01Validator(Resolver resolver, NetworkPolicy networks, int port, Duration timeout, SecureRandom random) {
        this(resolver, networks, port, timeout, random, Deadline.Ticker.SYSTEM);
    }

    /** With the time source the validation's deadline is measured on (a test's, to reach it without waiting). */
    TlsAlpn01Validator(Resolver resolver, NetworkPolicy networks, int port, Duration timeout, SecureRandom random,
                       Deadline.Ticker ticker) {
        this.resolver = resolver;
        this.networks = networks;
        this.port = port;
        this.timeout = timeout;
        this.random = random;
        this.ticker = ticker;
    }

    /** A fresh context per validation: a resumed session would show an earlier challenge's certificate. */
    private SSLContext context() {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new ContentChecked()}, random);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is always available", e);
        }
    }

    @Override
    public void validate(Identifier identifier, String token, String keyAuthorization) throws AcmeProblem {
        List<InetAddress> addresses = networks.permitted(identifier, resolver);
        String sni = identifier.isIp() ? Addresses.reverseName(addresses.get(0)) : identifier.value();
        SSLContext tls = context();
        // One deadline for the whole validation, as for http-01: a handshake is many reads, and a server
        // that trickles it a byte at a time would otherwise hold a validation thread for as long as it likes.
        Deadline deadline = Deadline.after(timeout, ticker, () -> "tls-alpn-01 validation took longer than its time limit");
        X509Certificate presented = SocketProbe.first(addresses, port, deadline,
                "no tls-alpn-01 handshake with " + identifier.value(), plain -> {
                    int left = deadline.remainingMillis();
                    plain.setSoTimeout(left);
                    ScheduledFuture<?> guard = deadlines.schedule(() -> closeQuietly(plain), left, TimeUnit.MILLISECONDS);
                    try {
                        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, sni, port, true);
                        SSLParameters params = socket.getSSLParameters();
                        params.setServerNames(List.of(new SNIHostName(sni)));
                        params.setApplicationProtocols(new String[] {ALPN});
                        socket.setSSLParameters(params);
                        socket.startHandshake();
                        if (!ALPN.equals(socket.getApplicationProtocol())) {
                            throw new AcmeProblem(AcmeError.TLS, identifier.value() + " did not negotiate the acme-tls/1 protocol");
                        }
                        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
                    } finally {
                        guard.cancel(false);
                    }
                });
        check(presented, identifier, keyAuthorization);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all that is wanted; the validation thread sees the failure
        }
    }

    static void check(X509Certificate cert, Identifier identifier, String keyAuthorization) throws AcmeProblem {
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            sans = null;
        }
        if (sans == null || sans.size() != 1 || !namesIdentifier(sans.iterator().next(), identifier)) {
            throw new AcmeProblem(AcmeError.INCORRECT_RESPONSE,
                    "the tls-alpn-01 certificate must name exactly " + identifier.value() + " in its SAN");
        }
        if (cert.getCriticalExtensionOIDs() == null || !cert.getCriticalExtensionOIDs().contains(ACME_IDENTIFIER)) {
            throw new AcmeProblem(AcmeError.INCORRECT_RESPONSE, "the tls-alpn-01 certificate has no critical acmeIdentifier extension");
        }
        byte[] value = ASN1OctetString.getInstance(ASN1OctetString.getInstance(cert.getExtensionValue(ACME_IDENTIFIER))
                .getOctets()).getOctets();
        if (!MessageDigest.isEqual(value, sha256(keyAuthorization))) {
            throw new AcmeProblem(AcmeError.INCORRECT_RESPONSE, "the acmeIdentifier of the tls-alpn-01 certificate does not match the key authorization");
        }
    }

    private static boolean namesIdentifier(List<?> san, Identifier identifier) {
        int type = (Integer) san.get(0);
        String value = String.valueOf(san.get(1));
        if (identifier.isIp()) {
            return type == 7 && Addresses.isLiteral(value)
                    && Arrays.equals(Addresses.literal(value).getAddress(), Addresses.literal(identifier.value()).getAddress());
        }
        return type == 2 && value.toLowerCase(Locale.ROOT).equals(identifier.value());
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The challenge certificate is self-signed by design: accepted here, checked by content in {@link #check}. */
    private static final class ContentChecked extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("client mode only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("client mode only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client mode only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // checked by content
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // checked by content
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // checked by content
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
