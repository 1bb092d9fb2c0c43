package io.upki.cli.renewal;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * When a certificate is renewed: at two thirds of its lifetime, moved earlier by a random part of up to a
 * tenth of the lifetime so that many agents started together (a fleet issued in one batch) do not all
 * reach the RA in the same second. Never later than two thirds: the rest is the margin for retries.
 */
public final class RenewalSchedule {
    private RenewalSchedule() {
    }

    public static Instant due(X509Certificate certificate, Random random) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Duration life = Duration.between(notBefore, certificate.getNotAfter().toInstant());
        Instant twoThirds = notBefore.plus(life.multipliedBy(2).dividedBy(3));
        long jitterMillis = (long) (life.dividedBy(10).toMillis() * random.nextDouble());
        return twoThirds.minusMillis(jitterMillis);
    }
}
