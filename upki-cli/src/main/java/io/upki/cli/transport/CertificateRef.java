package io.upki.cli.transport;

import io.upki.cli.context.CliException;
import io.upki.pki.x509.DistinguishedNames;
import java.math.BigInteger;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * How a command names one certificate: by serial (exact) or by DN/CN, which the CA resolves to the
 * newest certificate with that name that is not revoked (CA-PROTOCOL.md, "Addressing certificates").
 */
public sealed interface CertificateRef {

    /** For messages. */
    String describe();

    /** A serial number. */
    record Serial(BigInteger serial) implements CertificateRef {
        @Override
        public String describe() {
            return "serial 0x" + serial.toString(16);
        }
    }

    /** A bare CN, a slash DN or an RFC 4514 DN, sent as given. */
    record Name(String dn) implements CertificateRef {
        @Override
        public String describe() {
            return dn;
        }
    }

    /**
     * Parses a serial as printed by upki-cli and openssl: decimal, {@code 0x}-prefixed hex, or hex with
     * colons ({@code 3a:0f:...}).
     *
     * @throws CliException USAGE when the text is not a positive serial of at most 20 octets (RFC 5280 section 4.1.2.2)
     */
    static Serial parseSerial(String text) {
        String t = text == null ? "" : text.strip();
        BigInteger value = null;
        try {
            if (t.matches("[0-9]{1,49}")) {
                value = new BigInteger(t);
            } else if (t.matches("(?i)0x[0-9a-f]{1,40}")) {
                value = new BigInteger(t.substring(2), 16);
            } else if (t.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){1,20}")) {
                value = new BigInteger(t.replace(":", ""), 16);
            }
        } catch (NumberFormatException e) {
            value = null;
        }
        if (value == null || value.signum() <= 0 || value.bitLength() > 160) {
            throw CliException.usage("invalid serial '" + text + "': use decimal, 0x-prefixed hex or colon-separated hex");
        }
        return new Serial(value);
    }

    /** A DN given with {@code --dn}, checked locally so that a typo is a usage error, not a CA round trip. */
    static Name parseDn(String text) {
        try {
            DistinguishedNames.parse(text);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("invalid DN '" + text + "': " + e.getMessage());
        }
        return new Name(text.strip());
    }

    /** A bare CN given with {@code --cn}. */
    static Name ofCn(String cn) {
        if (cn == null || cn.isBlank()) {
            throw CliException.usage("--cn must not be empty");
        }
        return new Name(cn.strip());
    }

    /**
     * The form of a name for an RA URL path: a CN as is, a fuller DN in RFC 4514 form (no slashes, which
     * would split the path).
     */
    static String pathForm(Name name) {
        String dn = name.dn();
        if (!dn.contains("=")) {
            return dn;
        }
        X500Name parsed = DistinguishedNames.parse(dn);
        if (DistinguishedNames.isCommonNameOnly(parsed)) {
            return DistinguishedNames.commonName(parsed);
        }
        return DistinguishedNames.toRfc4514(parsed);
    }
}
