package io.upki.ca.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.testkit.pki.TestKeys;
import io.upki.pki.caclient.CaClient;
import io.upki.pki.wire.CaEvent;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.math.BigInteger;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** The CA announces revocations and new CRLs on its PUB socket, after they are durable. */
class EventFeedTest {
    @TempDir
    Path dir;

    @Test
    void revocationsAndCrlsAreAnnounced() throws Exception {
        WireCodec codec = new WireCodec();
        try (TestCa ca = TestCa.start(dir); ZContext ctx = new ZContext(1)) {
            ZMQ.Socket sub = ctx.createSocket(SocketType.SUB);
            sub.subscribe(new byte[0]);
            sub.setHandshakeIvl(1000); // jeromq#1022, see ZmqCaClient
            sub.setReceiveTimeOut(5000);
            sub.connect(ca.eventsEndpoint());
            // PUB/SUB joins asynchronously: wait until a CRL event proves the subscription is live.
            CaEvent first = null;
            for (int i = 0; i < 50 && first == null; i++) {
                ca.call(CaTask.GENERATE_CRL, CaClient.params());
                sub.setReceiveTimeOut(200);
                first = next(sub, codec);
                // A CRL after the first comes with its delta, sent just before it: the CRL event follows.
                while (first != null && CaEvent.DELTA.equals(first.event())) {
                    first = next(sub, codec);
                }
            }
            assertThat(first).isNotNull();
            assertThat(first.event()).isEqualTo(CaEvent.CRL);
            while (sub.recv(ZMQ.DONTWAIT) != null) {
                // drain events of the warm-up loop
            }
            sub.setReceiveTimeOut(5000);
            BigInteger serial = ca.client().sign(TestKeys.csr("CN=evented"), "server").get("serial").bigIntegerValue();
            ca.call(CaTask.REVOKE, CaClient.params().put("serial", serial).put("reason", "certificateHold"));
            CaEvent revoked = next(sub, codec);
            assertThat(revoked).isEqualTo(CaEvent.revoked(serial, "certificateHold"));
            ca.call(CaTask.UNREVOKE, CaClient.params().put("serial", serial));
            assertThat(next(sub, codec)).isEqualTo(CaEvent.unrevoked(serial));
            BigInteger number = io.upki.testkit.pki.TestCrls.number(ca.call(CaTask.GENERATE_CRL, CaClient.params()).asText());
            assertThat(next(sub, codec)).isEqualTo(CaEvent.crl(number));
            // Revoking an already revoked certificate changes nothing and announces nothing.
            ca.call(CaTask.REVOKE, CaClient.params().put("serial", serial).put("reason", "keyCompromise"));
            assertThat(next(sub, codec).event()).isEqualTo(CaEvent.REVOKED);
            ca.call(CaTask.REVOKE, CaClient.params().put("serial", serial).put("reason", "keyCompromise"));
            sub.setReceiveTimeOut(300);
            assertThat(next(sub, codec)).isNull();
        }
    }

    @Test
    void theHeartbeatTellsALateSubscriberOfARevocationItMissedEvenAcrossARestart() throws Exception {
        WireCodec codec = new WireCodec();
        TestCa.initialize(dir, "ec");
        int port = TestCa.freePortBlock();
        BigInteger crlNumber;
        try (TestCa ca = TestCa.open(dir, java.time.Duration.ofDays(7), null, java.time.Clock.systemUTC(), port)) {
            crlNumber = io.upki.testkit.pki.TestCrls.number(ca.call(CaTask.GENERATE_CRL, CaClient.params()).asText());
            BigInteger serial = ca.client().sign(TestKeys.csr("CN=missed"), "server").get("serial").bigIntegerValue();
            // Revoked while nobody listens, and the CA stops before any CRL lists it.
            ca.call(CaTask.REVOKE, CaClient.params().put("serial", serial).put("reason", "keyCompromise"));
        }
        try (TestCa ca = TestCa.open(dir, java.time.Duration.ofDays(7), null, java.time.Clock.systemUTC(), port);
             ZContext ctx = new ZContext(1)) {
            ZMQ.Socket sub = subscriber(ctx, ca);
            CaEvent beat = nextState(sub, codec);
            assertThat(beat).isEqualTo(CaEvent.state(crlNumber, true));
            BigInteger fresh = io.upki.testkit.pki.TestCrls.number(ca.call(CaTask.GENERATE_CRL, CaClient.params()).asText());
            // Skip a beat that may have been read before the CRL was stored.
            CaEvent after = nextState(sub, codec);
            if (Boolean.TRUE.equals(after.stale())) {
                after = nextState(sub, codec);
            }
            assertThat(after).isEqualTo(CaEvent.state(fresh, false));
        }
    }

    private static ZMQ.Socket subscriber(ZContext ctx, TestCa ca) {
        ZMQ.Socket sub = ctx.createSocket(SocketType.SUB);
        sub.subscribe(new byte[0]);
        sub.setHandshakeIvl(1000); // jeromq#1022, see ZmqCaClient
        sub.setReceiveTimeOut(5000);
        sub.connect(ca.eventsEndpoint());
        return sub;
    }

    /** The next heartbeat, within 5 s. */
    private static CaEvent nextState(ZMQ.Socket sub, WireCodec codec) {
        for (int i = 0; i < 10; i++) {
            byte[] frame = sub.recv();
            assertThat(frame).as("a heartbeat within 5 s").isNotNull();
            CaEvent e = codec.fromBytes(frame, CaEvent.class);
            if (e.event().equals(CaEvent.STATE)) {
                return e;
            }
        }
        throw new AssertionError("no heartbeat among 10 events");
    }

    /** The next event other than a heartbeat, or null when none comes within the socket's timeout. */
    private static CaEvent next(ZMQ.Socket sub, WireCodec codec) {
        while (true) {
            byte[] frame = sub.recv();
            if (frame == null) {
                return null;
            }
            CaEvent e = codec.fromBytes(frame, CaEvent.class);
            if (!e.event().equals(CaEvent.STATE)) {
                return e;
            }
        }
    }
}
