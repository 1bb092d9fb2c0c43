package io.upki.acme.validation;

import io.upki.acme.problem.AcmeProblem;
import java.net.InetAddress;
import java.util.List;

/** Name resolution for validation: the addresses of a host and the TXT strings of a name. */
public interface Resolver {
    /** The IPv4 addresses of a host, or its IPv6 ones when it has no IPv4; a dns problem when there are none. */
    List<InetAddress> addresses(String host) throws AcmeProblem;

    /** The TXT records at {@code name}, each one's strings joined (RFC 1035 section 3.3.14); empty when none. */
    List<String> txt(String name) throws AcmeProblem;
}
