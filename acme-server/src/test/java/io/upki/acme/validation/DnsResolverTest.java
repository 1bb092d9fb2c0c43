package io.upki.acme.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * {@link DnsResolver#server} against a real DNS server on loopback UDP (and TCP for truncated answers),
 * written with dnsjava's message classes so each test decides exactly which datagrams come back.
 */
class DnsResolverTest {
    private DatagramSocket udp;
    private ServerSocket tcp;
    private Thread udpThread;
    private Thread tcpThread;
    private final Set<Integer> sourcePorts = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() throws Exception {
        if (udp != null) {
            udp.close();
            udpThread.join(2000);
        }
        if (tcp != null) {
            tcp.close();
            tcpThread.join(2000);
        }
    }

    /** Serves UDP on a free loopback port; {@code answer} gets each query and a way to send datagrams back. */
    private DnsResolver serve(BiConsumer<Message, java.util.function.Consumer<Message>> answer) throws Exception {
        startUdp(answer);
        return DnsResolver.server("127.0.0.1", udp.getLocalPort(), new SecureRandom());
    }

    private void startUdp(BiConsumer<Message, java.util.function.Consumer<Message>> answer) throws Exception {
        udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        udpThread = new Thread(() -> {
            byte[] buf = new byte[4096];
            while (!udp.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    udp.receive(p);
                    sourcePorts.add(p.getPort());
                    Message query = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                    answer.accept(query, reply -> {
                        byte[] wire = reply.toWire();
                        try {
                            udp.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                } catch (Exception e) {
                    return;
                }
            }
        });
        udpThread.start();
    }

    /** A response to {@code query} with message ID {@code id} and the given answer records. */
    private static Message reply(Message query, int id, Record... answers) {
        Message r = new Message(id);
        r.getHeader().setFlag(Flags.QR);
        r.addRecord(query.getQuestion(), Section.QUESTION);
        for (Record answer : answers) {
            r.addRecord(answer, Section.ANSWER);
        }
        return r;
    }

    private static ARecord a(Message query, String address) {
        try {
            return new ARecord(query.getQuestion().getName(), DClass.IN, 60, InetAddress.getByName(address));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    @Test
    void answersAnARecordOverUdp() throws Exception {
        DnsResolver resolver = serve((q, send) -> send.accept(reply(q, q.getHeader().getID(), a(q, "127.0.0.7"))));
        assertEquals(List.of(InetAddress.getByName("127.0.0.7")), resolver.addresses("host.example"));
        assertEquals(List.of(InetAddress.getByName("127.0.0.7")), resolver.addresses("host.example"));
        assertEquals(2, sourcePorts.size(), "each query goes out from its own source port");
    }

    @Test
    void aDatagramWithAnotherQueryIdIsNotTakenAsTheAnswer() throws Exception {
        DnsResolver resolver = serve((q, send) -> {
            send.accept(reply(q, (q.getHeader().getID() + 1) & 0xffff, a(q, "10.9.9.9")));
            send.accept(reply(q, q.getHeader().getID(), a(q, "127.0.0.8")));
        });
        assertEquals(List.of(InetAddress.getByName("127.0.0.8")), resolver.addresses("host.example"));
    }

    @Test
    void aTruncatedUdpAnswerIsAskedAgainOverTcp() throws Exception {
        DnsResolver resolver = serve((q, send) -> {
            Message r = reply(q, q.getHeader().getID());
            r.getHeader().setFlag(Flags.TC);
            send.accept(r);
        });
        tcp = new ServerSocket(udp.getLocalPort(), 5, InetAddress.getLoopbackAddress());
        tcpThread = new Thread(() -> {
            while (!tcp.isClosed()) {
                try (Socket s = tcp.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] wire = new byte[in.readUnsignedShort()];
                    in.readFully(wire);
                    Message q = new Message(wire);
                    byte[] out = reply(q, q.getHeader().getID(),
                            new TXTRecord(q.getQuestion().getName(), DClass.IN, 60, "over-tcp")).toWire();
                    DataOutputStream o = new DataOutputStream(s.getOutputStream());
                    o.writeShort(out.length);
                    o.write(out);
                    o.flush();
                } catch (Exception e) {
                    return;
                }
            }
        });
        tcpThread.start();
        assertEquals(List.of("over-tcp"), resolver.txt("_acme-challenge.host.example"));
    }

    @Test
    void noSuchNameIsADnsProblem() throws Exception {
        DnsResolver resolver = serve((q, send) -> {
            Message r = reply(q, q.getHeader().getID());
            r.getHeader().setRcode(Rcode.NXDOMAIN);
            send.accept(r);
        });
        AcmeProblem p = assertThrows(AcmeProblem.class, () -> resolver.addresses("missing.example"));
        assertEquals(AcmeError.DNS, p.type());
        assertTrue(p.getMessage().contains("no A or AAAA record"), p.getMessage());
    }

    @Test
    @Timeout(30)
    void aServerThatNeverAnswersIsADnsProblemAfterTheTimeout() throws Exception {
        // The resolver's time limit, shortened: the query is given up on at that limit, with a DNS problem.
        startUdp((q, send) -> { });
        DnsResolver resolver = DnsResolver.server("127.0.0.1", udp.getLocalPort(), new SecureRandom(), Duration.ofMillis(200));
        AcmeProblem p = assertThrows(AcmeProblem.class, () -> resolver.addresses("silent.example"));
        assertEquals(AcmeError.DNS, p.type());
        assertTrue(p.getMessage().contains("timeout"), p.getMessage());
        assertFalse(sourcePorts.isEmpty(), "the query reached the server, which stayed silent");
    }
}
