package io.upki.pki.wire;

import java.math.BigInteger;

/** DATA of {@code sign} and {@code renew}: the PEM certificate and its serial as a JSON integer. */
public record SignedCertificate(String certificate, BigInteger serial) {
}
