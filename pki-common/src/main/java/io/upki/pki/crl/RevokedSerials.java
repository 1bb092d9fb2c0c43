package io.upki.pki.crl;

import java.math.BigInteger;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The serials a CRL lists, as an immutable set that a newer CRL of the same issuer can extend without
 * copying: a large base table shared by every CRL since it was built, plus a small table of the serials
 * revoked after it. Lookups cost at most two hash probes.
 *
 * <p>The small table is copied on each extension and folded into a new base once it passes an eighth
 * of the base (at least {@value #MIN_FOLD}), so the copying stays proportional to what was added.
 */
public final class RevokedSerials extends AbstractSet<BigInteger> {
    private static final int MIN_FOLD = 4096;
    private static final RevokedSerials EMPTY = new RevokedSerials(Set.of(), Set.of());

    private final Set<BigInteger> base;
    private final Set<BigInteger> recent;

    private RevokedSerials(Set<BigInteger> base, Set<BigInteger> recent) {
        this.base = base;
        this.recent = recent;
    }

    public static RevokedSerials empty() {
        return EMPTY;
    }

    /** A set over {@code serials}, which the caller hands over and never touches again. */
    static RevokedSerials owning(HashSet<BigInteger> serials) {
        return serials.isEmpty() ? EMPTY : new RevokedSerials(serials, Set.of());
    }

    /** This set with {@code added}; this one is left as it is. */
    public RevokedSerials plus(Collection<BigInteger> added) {
        if (added.isEmpty()) {
            return this;
        }
        int recentSize = recent.size() + added.size();
        if (recentSize > Math.max(MIN_FOLD, base.size() / 8)) {
            Set<BigInteger> all = copy(base, base.size() + recentSize);
            all.addAll(recent);
            all.addAll(added);
            return new RevokedSerials(all, Set.of());
        }
        Set<BigInteger> next = copy(recent, recentSize);
        for (BigInteger serial : added) {
            if (!base.contains(serial)) {
                next.add(serial);
            }
        }
        return new RevokedSerials(base, next);
    }

    private static Set<BigInteger> copy(Collection<BigInteger> from, int expected) {
        Set<BigInteger> set = new HashSet<>(Math.max(16, (int) (expected / 0.75f) + 1));
        set.addAll(from);
        return set;
    }

    @Override
    public boolean contains(Object o) {
        return base.contains(o) || recent.contains(o);
    }

    @Override
    public int size() {
        // Disjoint by construction: plus() never puts a serial of the base in the recent table.
        return base.size() + recent.size();
    }

    @Override
    public Iterator<BigInteger> iterator() {
        return Stream.concat(base.stream(), recent.stream()).iterator();
    }

    @Override
    public boolean add(BigInteger serial) {
        throw new UnsupportedOperationException("RevokedSerials is immutable");
    }

    @Override
    public boolean remove(Object o) {
        throw new UnsupportedOperationException("RevokedSerials is immutable");
    }
}
