package io.upki.pki.caclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.upki.pki.wire.CaTask;
import io.upki.pki.wire.WireCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * The client of an active/standby pair against real ZeroMQ ROUTER sockets standing in for the two CAs:
 * it moves on after a STANDBY refusal or an endpoint with no connection, retries silence only for
 * idempotent tasks, and gives up a request at once when its connection drops.
 */
class ZmqCaClientPairTest {
    private final ZContext zmq = new ZContext(1);
    private final java.util.List<FakeCa> fakes = new java.util.ArrayList<>();
    private final java.util.List<Thread> threads = new java.util.ArrayList<>();

    @AfterEach
    void close() throws InterruptedException {
        fakes.forEach(f -> f.stop().complete(null));
        for (Thread t : threads) {
            t.join(5000);
        }
        zmq.close();
    }

    /** A fake CA: answers each request with {@code reply}, or never (null), counting requests. */
    private record FakeCa(int port, AtomicInteger requests, CompletableFuture<Void> stop) {
    }

    private FakeCa serve(String reply, boolean closeOnFirstRequest) {
        ZMQ.Socket router = zmq.createSocket(SocketType.ROUTER);
        router.setLinger(0);
        int port = router.bindToRandomPort("tcp://127.0.0.1");
        AtomicInteger requests = new AtomicInteger();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            router.setReceiveTimeOut(50);
            while (!stop.isDone()) {
                ZMsg msg = ZMsg.recvMsg(router, 0);
                if (msg == null) {
                    continue;
                }
                requests.incrementAndGet();
                if (closeOnFirstRequest) {
                    break;
                }
                if (reply != null) {
                    ZMsg out = new ZMsg();
                    out.add(msg.pop());
                    out.add(msg.pop());
                    out.add(reply.getBytes(StandardCharsets.UTF_8));
                    out.send(router);
                }
            }
            zmq.destroySocket(router);
        });
        t.setDaemon(true);
        t.start();
        threads.add(t);
        FakeCa fake = new FakeCa(port, requests, stop);
        fakes.add(fake);
        return fake;
    }

    private static ZmqCaClient client(String endpoints, Duration timeout) {
        return new ZmqCaClient(endpoints, t -> timeout, 1, new WireCodec());
    }

    @Test
    void aStandbyRefusalSendsEvenASignToTheOtherCa() {
        FakeCa standby = serve("{\"EVENT\":\"UPKI ERROR\",\"MSG\":\"[1200] CA is on standby\"}", false);
        FakeCa active = serve("{\"EVENT\":\"ANSWER\",\"DATA\":{\"serial\":5}}", false);
        try (ZmqCaClient c = client("tcp://127.0.0.1:" + standby.port() + ",tcp://127.0.0.1:" + active.port(),
                Duration.ofSeconds(5))) {
            JsonNode answer = c.call(CaTask.SIGN, CaClient.params().put("csr", "x"));
            assertThat(answer.path("serial").asInt()).isEqualTo(5);
            assertThat(standby.requests().get()).isEqualTo(1);
            // The CA that answered is tried first from now on.
            c.call(CaTask.SIGN, CaClient.params().put("csr", "x"));
            assertThat(standby.requests().get()).isEqualTo(1);
            assertThat(active.requests().get()).isEqualTo(2);
        }
    }

    @Test
    void anEndpointWithNoConnectionIsSkippedForASign() {
        FakeCa active = serve("{\"EVENT\":\"ANSWER\",\"DATA\":{\"serial\":7}}", false);
        int dead = TestPorts.unused();
        try (ZmqCaClient c = client("tcp://127.0.0.1:" + dead + ",tcp://127.0.0.1:" + active.port(),
                Duration.ofSeconds(5))) {
            long started = System.nanoTime();
            assertThat(c.call(CaTask.SIGN, CaClient.params()).path("serial").asInt()).isEqualTo(7);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void silenceIsNotRetriedElsewhereForASignButIsForAnIdempotentTask() {
        FakeCa silent = serve(null, false);
        FakeCa active = serve("{\"EVENT\":\"ANSWER\",\"DATA\":\"pem\"}", false);
        String both = "tcp://127.0.0.1:" + silent.port() + ",tcp://127.0.0.1:" + active.port();
        try (ZmqCaClient c = client(both, Duration.ofMillis(700))) {
            assertThatThrownBy(() -> c.call(CaTask.SIGN, CaClient.params()))
                    .isInstanceOf(CaClientException.class).hasMessageContaining("may or may not have been applied");
            assertThat(active.requests().get()).isZero();
        }
        try (ZmqCaClient c = client(both, Duration.ofMillis(700))) {
            assertThat(c.call(CaTask.GET_CA, null).asText()).isEqualTo("pem");
        }
    }

    @Test
    void aConnectionThatDropsMidRequestEndsTheWaitAtOnce() {
        FakeCa dying = serve(null, true);
        FakeCa other = serve("{\"EVENT\":\"ANSWER\",\"DATA\":1}", false);
        try (ZmqCaClient c = client("tcp://127.0.0.1:" + dying.port() + ",tcp://127.0.0.1:" + other.port(),
                Duration.ofSeconds(20))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> c.call(CaTask.SIGN, CaClient.params()))
                    .isInstanceOf(CaClientException.class).hasMessageContaining("may or may not have been applied");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    /** A loopback port nothing listens on. */
    static final class TestPorts {
        static int unused() {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                return s.getLocalPort();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
