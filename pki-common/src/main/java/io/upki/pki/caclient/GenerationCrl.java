package io.upki.pki.caclient;

/** One entry of {@code get_crls}: an issuing-key generation's number and its current CRL (DER). */
public record GenerationCrl(int generation, byte[] der) {
    public GenerationCrl {
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }
}
