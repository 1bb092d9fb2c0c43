package io.upki.ca.authority;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * The issuing-key generations of a CA (docs/KEYS.md, rollover): the current one signs new certificates,
 * every live one keeps signing the CRL of the certificates it issued. Each generation has its own subject
 * (the CN gains " G2", " G3"...), so a certificate's issuer name tells which generation signed it.
 * Replaced as a whole, so a reader sees one consistent list.
 */
public final class CaGenerations {
    /** One generation: its number (1 for the CA as first installed) and its loaded CA. */
    public record Generation(int number, CertificateAuthority ca) {
        public Generation {
            Objects.requireNonNull(ca);
            if (number < 1) {
                throw new IllegalArgumentException("generation numbers start at 1");
            }
        }
    }

    private volatile List<Generation> generations;

    /** @param generations every live generation; the highest number is the current one */
    public CaGenerations(List<Generation> generations) {
        if (generations.isEmpty()) {
            throw new IllegalArgumentException("a CA has at least one generation");
        }
        this.generations = sorted(generations);
    }

    /** A CA that never rolled over. */
    public static CaGenerations single(CertificateAuthority ca) {
        return new CaGenerations(List.of(new Generation(1, ca)));
    }

    private static List<Generation> sorted(List<Generation> list) {
        List<Generation> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparingInt(Generation::number));
        return List.copyOf(copy);
    }

    /** The generation that signs new certificates. */
    public Generation current() {
        List<Generation> all = generations;
        return all.get(all.size() - 1);
    }

    /** Every live generation, oldest first. */
    public List<Generation> all() {
        return generations;
    }

    /** The generation whose subject is {@code issuer}, or null (a certificate of another CA, or retired). */
    public Generation forIssuer(X500Name issuer) {
        for (Generation g : generations) {
            if (g.ca().subject().equals(issuer)) {
                return g;
            }
        }
        return null;
    }

    /** The live generation {@code number}, or null. */
    public Generation byNumber(int number) {
        for (Generation g : generations) {
            if (g.number() == number) {
                return g;
            }
        }
        return null;
    }

    /** Makes {@code next} current (after a rollover was installed); its number must be above every other. */
    public synchronized void activate(Generation next) {
        if (next.number() <= current().number()) {
            throw new IllegalArgumentException("generation " + next.number() + " is not above " + current().number());
        }
        List<Generation> list = new ArrayList<>(generations);
        list.add(next);
        generations = List.copyOf(list);
    }

    /** Drops an earlier generation whose certificates have all expired; the current one is never dropped. */
    public synchronized void retire(int number) {
        if (number == current().number()) {
            throw new IllegalArgumentException("the current generation cannot be retired");
        }
        generations = generations.stream().filter(g -> g.number() != number).toList();
    }
}
