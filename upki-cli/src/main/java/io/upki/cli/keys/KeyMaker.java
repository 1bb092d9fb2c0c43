package io.upki.cli.keys;

import io.upki.cli.context.CliException;
import io.upki.cli.context.ExitCode;
import io.upki.pki.wire.ProfileDocument;
import io.upki.pki.x509.Pem;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Makes the key pair on this machine with the type and size the CA's profile asks for, and the PKCS#10
 * request (RFC 2986) that proves possession of it; the CA refuses RSA under 2048 bits and curves other
 * than P-256/384/521, so those are refused here first.
 */
public final class KeyMaker {
    private final SecureRandom random;

    public KeyMaker(SecureRandom random) {
        this.random = random;
    }

    public KeyPair generate(ProfileDocument profile) {
        String type = profile.keyType() == null ? "rsa" : profile.keyType().toLowerCase(Locale.ROOT);
        try {
            if (type.equals("rsa")) {
                int bits = profile.keyLen() == 0 ? 4096 : profile.keyLen();
                if (bits < 2048 || bits > 16384) {
                    throw new CliException(ExitCode.REFUSED, "the profile asks for RSA-" + bits + ", which the CA would refuse");
                }
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), random);
                return g.generateKeyPair();
            }
            if (type.equals("ec")) {
                String curve = switch (profile.keyLen()) {
                    case 256 -> "secp256r1";
                    case 384 -> "secp384r1";
                    case 521 -> "secp521r1";
                    default -> throw new CliException(ExitCode.REFUSED, "the profile asks for an EC key of "
                            + profile.keyLen() + " bits; only 256, 384 and 521 are supported");
                };
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec(curve), random);
                return g.generateKeyPair();
            }
        } catch (GeneralSecurityException e) {
            throw new CliException(ExitCode.INTERNAL, "cannot generate a " + type + " key: " + e.getMessage(), e);
        }
        throw new CliException(ExitCode.REFUSED, "the profile asks for key type '" + profile.keyType()
                + "', which upki-cli cannot make (rsa or ec)");
    }

    /** A PEM CSR signed with the profile's digest (sha256 unless it says sha384 or sha512). */
    public String csr(KeyPair keys, X500Name subject, List<GeneralName> sans, String digest) {
        try {
            var builder = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic());
            if (!sans.isEmpty()) {
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(GeneralName[]::new)));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            String hash = switch (digest == null ? "sha256" : digest.toLowerCase(Locale.ROOT)) {
                case "sha384" -> "SHA384";
                case "sha512" -> "SHA512";
                default -> "SHA256";
            };
            String algorithm = hash + "with" + (keys.getPrivate().getAlgorithm().equals("RSA") ? "RSA" : "ECDSA");
            return Pem.encode(builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
        } catch (OperatorCreationException | IOException e) {
            throw new CliException(ExitCode.INTERNAL, "cannot build the CSR: " + e.getMessage(), e);
        }
    }
}
