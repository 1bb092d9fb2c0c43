package io.upki.ca.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.upki.ca.testing.TestCa;
import io.upki.ca.testing.TestKeys;
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
                byte[] frame = sub.recv();
                if (frame != null) {
                    first = codec.fromBytes(frame, CaEvent.class);
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
            CaEvent revoked = codec.fromBytes(sub.recv(), CaEvent.class);
            assertThat(revoked).isEqualTo(CaEvent.revoked(serial, "certificateHold"));
            ca.call(CaTask.UNREVOKE, CaClient.params().put("serial", serial));
            assertThat(codec.fromBytes(sub.recv(), CaEvent.class)).isEqualTo(CaEvent.unrevoked(serial));
            BigInteger number = io.upki.ca.testing.TestCrls.number(ca.call(CaTask.GENERATE_CRL, CaClient.params()).asText());
            assertThat(codec.fromBytes(sub.recv(), CaEvent.class)).isEqualTo(CaEvent.crl(number));
            // Revoking an already revoked certificate changes nothing and announces nothing.
            ca.call(CaTask.REVOKE, CaClient.params().put("serial", serial).put("reason", "keyCompromise"));
            assertThat(codec.fromBytes(sub.recv(), CaEvent.class).event()).isEqualTo(CaEvent.REVOKED);
            ca.call(CaTask.REVOKE, CaClient.params().put("serial", serial).put("reason", "keyCompromise"));
            sub.setReceiveTimeOut(300);
            assertThat(sub.recv()).isNull();
        }
    }
}
