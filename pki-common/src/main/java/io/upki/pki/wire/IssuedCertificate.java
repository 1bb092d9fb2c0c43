package io.upki.pki.wire;

import java.math.BigInteger;

/** DATA of {@code generate} and of {@code register} on the operations port. */
public record IssuedCertificate(String dn, String certificate, BigInteger serial) {
}
