package io.upki.pki.clientcert;

import io.upki.pki.trust.Refusal;
import io.upki.pki.trust.RefusedException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What every proxy profile shares: its name, the one certificate header it reads, the headers naming
 * the original request, and the rule that an absent or empty header means no certificate; each
 * profile only says how its header's value decodes.
 */
abstract class HeaderSource implements ClientCertificateSource {
    private final String name;
    private final String header;
    private final OriginalRequest original;
    final CertificateDecoding decoding;

    HeaderSource(String name, String header, OriginalRequest original, CertificateDecoding decoding) {
        this.name = name;
        this.header = header;
        this.original = original;
        this.decoding = decoding;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String header() {
        return header;
    }

    @Override
    public final OriginalRequest original() {
        return original;
    }

    @Override
    public final List<X509Certificate> read(Headers headers) throws RefusedException {
        String value = decoding.single(headers, header);
        if (value == null || value.isEmpty() || meansAbsent(value)) {
            throw new RefusedException(Refusal.NO_CERTIFICATE, header + " absent");
        }
        return decode(value);
    }

    /** A non-empty value this proxy sends when the client gave no certificate. */
    boolean meansAbsent(String value) {
        return false;
    }

    /** The certificates in a present, non-empty header value, leaf first. */
    abstract List<X509Certificate> decode(String value) throws RefusedException;
}
