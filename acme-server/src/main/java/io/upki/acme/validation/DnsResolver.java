package io.upki.acme.validation;

import io.upki.acme.problem.AcmeError;
import io.upki.acme.problem.AcmeProblem;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Resolution with dnsjava, uncached so a TXT record just set is seen: through one configured DNS
 * server ({@code --acme-dns}), or else the system's (addresses through the JDK, which honours
 * {@code /etc/hosts}; TXT through the servers of {@code resolv.conf}).
 */
public final class DnsResolver implements Resolver {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final Executor DIRECT = Runnable::run;
    private final org.xbill.DNS.Resolver dns;
    private final boolean system;
    private final Duration timeout;

    private DnsResolver(org.xbill.DNS.Resolver dns, boolean system, Duration timeout) {
        this.dns = dns;
        this.system = system;
        this.timeout = timeout;
        dns.setTimeout(timeout);
    }

    /**
     * One DNS server for everything (a private DNS, or a test server), asked over UDP on the calling
     * thread ({@link CallerThreadUdp}); {@code random} picks each query's source port.
     */
    public static DnsResolver server(String host, int port, java.security.SecureRandom random) {
        return server(host, port, random, TIMEOUT);
    }

    /** With another time limit per query: a test's silent server is then given up on without a long wait. */
    static DnsResolver server(String host, int port, java.security.SecureRandom random, Duration timeout) {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(host, port));
        resolver.setIoClientFactory(new CallerThreadUdp(random));
        return new DnsResolver(resolver, false, timeout);
    }

    /** The system's resolvers. */
    public static DnsResolver system() {
        return new DnsResolver(new ExtendedResolver(), true, TIMEOUT);
    }

    @Override
    public List<InetAddress> addresses(String host) throws AcmeProblem {
        List<InetAddress> out = new ArrayList<>();
        if (system) {
            try {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    if (a instanceof java.net.Inet4Address) {
                        out.add(a);
                    }
                }
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    if (!(a instanceof java.net.Inet4Address)) {
                        out.add(a);
                    }
                }
            } catch (UnknownHostException e) {
                throw new AcmeProblem(AcmeError.DNS, "no address for " + host);
            }
        } else {
            for (Record r : query(host, Type.A)) {
                if (r instanceof ARecord a) {
                    out.add(a.getAddress());
                }
            }
            if (out.isEmpty()) {
                // IPv4 is tried first anyway: ask for IPv6 only when there is no IPv4 address.
                for (Record r : query(host, Type.AAAA)) {
                    if (r instanceof AAAARecord a) {
                        out.add(a.getAddress());
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new AcmeProblem(AcmeError.DNS, "no A or AAAA record for " + host);
        }
        return out;
    }

    @Override
    public List<String> txt(String name) throws AcmeProblem {
        List<String> out = new ArrayList<>();
        for (Record r : query(name, Type.TXT)) {
            if (r instanceof TXTRecord t) {
                out.add(String.join("", t.getStrings()));
            }
        }
        return out;
    }

    private List<Record> query(String host, int type) throws AcmeProblem {
        Message response;
        try {
            Record question = Record.newRecord(Name.fromString(host.endsWith(".") ? host : host + "."), type, DClass.IN);
            // Completed where the answer arrives (DIRECT): on this thread with a configured server, on dnsjava's
            // selector thread for the system's; never on the JDK's default async executor, which with fewer
            // than 3 cores starts a new thread for every completion, one per query.
            response = dns.sendAsync(Message.newQuery(question), DIRECT).toCompletableFuture()
                    .get(timeout.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TextParseException e) {
            throw new AcmeProblem(AcmeError.DNS, "not a DNS name: " + host);
        } catch (ExecutionException | TimeoutException e) {
            throw new AcmeProblem(AcmeError.DNS, "DNS query for " + host + " (" + Type.string(type) + ") failed: timeout or refused");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcmeProblem(AcmeError.DNS, "DNS query for " + host + " was interrupted");
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return List.of();
        }
        if (rcode != Rcode.NOERROR) {
            throw new AcmeProblem(AcmeError.DNS, "DNS answered " + Rcode.string(rcode) + " for " + host);
        }
        return response.getSection(Section.ANSWER);
    }
}
