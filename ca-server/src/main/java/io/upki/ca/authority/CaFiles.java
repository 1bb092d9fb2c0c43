package io.upki.ca.authority;

import java.nio.file.Path;

/** Where a CA keeps its files inside its data directory. */
public record CaFiles(Path dataDir) {
    public Path caKey() {
        return dataDir.resolve("ca.key");
    }

    public Path caCertificate() {
        return dataDir.resolve("ca.crt");
    }

    /** An intermediate's certificate request, written by {@code init --intermediate} for the offline root. */
    public Path caCsr() {
        return dataDir.resolve("ca.csr");
    }

    /** The certificates above an intermediate up to its root (PEM), written by {@code install}. */
    public Path chain() {
        return dataDir.resolve("chain.crt");
    }

    public Path seedHash() {
        return dataDir.resolve("seed.hash");
    }

    public Path config() {
        return dataDir.resolve("config.yml");
    }

    public Path database() {
        return dataDir.resolve("upki.db");
    }

    public Path profiles() {
        return dataDir.resolve("profiles");
    }

    /** The latest CRL's DER, one file named by its CRL Number (the numbers themselves are in the database). */
    public Path crls() {
        return dataDir.resolve("crl");
    }

    /** The CA's long-term CURVE key pair (RFC 26), 0600. */
    public Path curveKey() {
        return dataDir.resolve("curve.key");
    }

    /** The CA's CURVE public key alone (Z85), for clients: {@code --ca-public-key}. */
    public Path curvePublicKey() {
        return dataDir.resolve("curve.pub");
    }

    /** CA-side private keys of {@code generate}, one 0600 file per serial. */
    public Path privateKeys() {
        return dataDir.resolve("private");
    }

    /** Earlier issuing-key generations kept after a rollover, one folder each ({@code generations/N}). */
    public Path generations() {
        return dataDir.resolve("generations");
    }

    /** Generation {@code number}'s folder: its {@code ca.crt} and its key ({@code ca.key} or {@code pkcs11-key}). */
    public Path generation(int number) {
        return generations().resolve(Integer.toString(number));
    }

    /** A rollover under way: the next key and its request ({@code next/ca.csr}) until it is installed. */
    public Path next() {
        return dataDir.resolve("next");
    }

    /** The token label of the current key once a rollover replaced the one {@code --pkcs11-key} names. */
    public Path pkcs11KeyLabel() {
        return dataDir.resolve("pkcs11-key");
    }
}
