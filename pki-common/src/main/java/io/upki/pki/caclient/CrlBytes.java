package io.upki.pki.caclient;

/** DATA of {@code get_crl} and {@code generate_crl}: the CRL's DER (base64 on the wire). */
public record CrlBytes(byte[] der) {
    public CrlBytes {
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }
}
