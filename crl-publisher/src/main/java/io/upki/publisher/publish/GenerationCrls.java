package io.upki.publisher.publish;

import io.upki.pki.caclient.GenerationCrl;
import io.upki.pki.caclient.TypedCaClient;
import io.upki.pki.crl.CrlAcceptor;
import io.upki.pki.crl.CrlRejectedException;
import io.upki.pki.crl.CrlSnapshot;
import io.upki.pki.crl.RevocationIndex;
import io.upki.pki.x509.Pem;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRL of every live issuing-key generation of the CA (docs/KEYS.md, rollover), served at
 * {@code /crl/N.der} and, all together, at {@code /crls.pem}: during a rollover relying parties need
 * the earlier generation's CRL as well as the current one. Follows the CA's issuing certificate too:
 * when {@code get_ca_chain} names a new one, {@link Publication} is told to publish its CRLs.
 *
 * <p>Each CRL passes the same checks as the published one (signature by an issuing CA the CA itself
 * names in {@code get_ca_chain}, CRL number above the last one of that issuer, nextUpdate ahead).
 * {@code get_crls} is asked only while more than one generation is live, or once to learn the number of
 * the only one: without a rollover it would send the current CRL a second time.
 */
public final class GenerationCrls {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationCrls.class);

    private final Publication publication;
    private final Clock clock;
    private volatile Map<Integer, Publication.Current> served = Map.of();
    private List<X509Certificate> issuing = List.of();

    public GenerationCrls(Publication publication, Clock clock) {
        this.publication = publication;
        this.clock = clock;
    }

    /**
     * Reads the CA's issuing certificates and, when needed, every generation's CRL. Runs on the
     * refresher's thread, before the CRL of the current generation is offered, so that a push
     * announcing it finds every generation's CRL already served.
     */
    public void refresh(TypedCaClient ca) {
        List<X509Certificate> chain = Pem.parseCertificates(ca.caChain());
        if (chain.isEmpty()) {
            return;
        }
        // Every certificate but the root issues leaves (a one-tier CA's chain is the CA alone).
        List<X509Certificate> cas = chain.size() == 1 ? chain : chain.subList(0, chain.size() - 1);
        CrlAcceptor forCurrent = new CrlAcceptor(List.of(cas.get(0)), clock, Duration.ZERO);
        publication.retrust(cas.get(0), forCurrent);
        boolean changed = !cas.equals(issuing);
        issuing = List.copyOf(cas);
        if (cas.size() == 1 && !changed && !served.isEmpty()) {
            return; // one generation, already numbered: /crl/N.der follows the published CRL
        }
        CrlAcceptor acceptor = new CrlAcceptor(cas, clock, Duration.ZERO);
        Map<Integer, Publication.Current> next = new TreeMap<>();
        for (GenerationCrl g : ca.generationCrls()) {
            Publication.Current previous = served.get(g.generation());
            RevocationIndex index = previous == null ? RevocationIndex.empty()
                    : RevocationIndex.empty().with(previous.snapshot());
            try {
                CrlSnapshot snapshot = acceptor.accept(g.der(), index);
                next.put(g.generation(), new Publication.Current(snapshot));
            } catch (CrlRejectedException e) {
                if (previous != null) {
                    next.put(g.generation(), previous); // the same CRL again, or an older one: keep ours
                }
                if (e.reason() != CrlRejectedException.Reason.OLDER_NUMBER) {
                    LOG.warn("CRL of generation {} rejected ({}): {}", g.generation(), e.reason(), e.getMessage());
                }
            }
        }
        served = next;
    }

    /** Generation {@code n}'s CRL: the published one when {@code n} is the current generation. */
    public Publication.Current crl(int n) {
        Publication.Current published = publication.current();
        Publication.Current mine = served.get(n);
        if (published != null && mine != null && published.snapshot().issuer().equals(mine.snapshot().issuer())
                && published.snapshot().number().compareTo(mine.snapshot().number()) > 0) {
            return published;
        }
        return mine;
    }

    /**
     * The CRL number of every live generation's CRL as served (the current one as published), ascending by
     * generation: what an announcement names so that a holder also fetches an earlier generation's new CRL.
     */
    public List<BigInteger> crlNumbers() {
        List<BigInteger> out = new ArrayList<>();
        for (int n : served.keySet()) {
            Publication.Current c = crl(n);
            if (c != null) {
                out.add(c.snapshot().number());
            }
        }
        return out;
    }

    /** The live generations' numbers, ascending. */
    public List<Integer> generations() {
        return new ArrayList<>(served.keySet());
    }

    /** Every live generation's CRL, PEM, one after the other (the current one as published); null before any. */
    public byte[] bundle() {
        Map<Integer, Publication.Current> map = served;
        Publication.Current published = publication.current();
        Bundled b = bundled;
        if (b != null && b.served() == map && b.published() == published) {
            return b.bytes();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (map.isEmpty() && published != null) {
            out.writeBytes(published.pem());
        }
        for (int n : map.keySet()) {
            Publication.Current c = crl(n);
            if (c != null) {
                out.writeBytes(c.pem());
            }
        }
        byte[] bytes = out.size() == 0 ? null : out.toByteArray();
        bundled = new Bundled(map, published, bytes);
        return bytes;
    }

    /** The bundle made last, and from what: remade only when a CRL changed. */
    private record Bundled(Map<Integer, Publication.Current> served, Publication.Current published, byte[] bytes) {
    }

    private volatile Bundled bundled;
}
