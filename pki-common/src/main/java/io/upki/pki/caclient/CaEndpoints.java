package io.upki.pki.caclient;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * The validated addresses of one CA or an active/standby pair: each CA's operations endpoint
 * {@code tcp://host:port}, with registration on port + 1 and the event feed on port + 2 (docs/CA-PROTOCOL).
 *
 * @param operations the operations endpoints, in the order to try them
 */
public record CaEndpoints(List<String> operations) {

    public CaEndpoints {
        if (operations == null || operations.isEmpty()) {
            throw new IllegalArgumentException("a CA endpoint list needs at least one tcp://host:port");
        }
        operations = List.copyOf(operations);
    }

    /**
     * Parses {@code tcp://a:5000,tcp://b:5000}.
     *
     * @param option the option or variable the value came from, for the one-line refusal
     * @throws IllegalArgumentException for an empty element, another scheme than tcp, a missing host or
     *     port, or a port that leaves no room for registration and events (port + 2 must be a port)
     */
    public static CaEndpoints parse(String list, String option) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException(option + ": empty; give tcp://host:port[,tcp://host:port]");
        }
        List<String> out = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            out.add(check(part.strip(), list, option));
        }
        return new CaEndpoints(out);
    }

    /** One CA at {@code host:port}. */
    public static CaEndpoints of(String host, int port) {
        return parse("tcp://" + host + ":" + port, "CA endpoint");
    }

    private static String check(String element, String list, String option) {
        String where = option + ": '" + list + "'";
        if (element.isEmpty()) {
            throw new IllegalArgumentException(where + " has an empty element");
        }
        URI uri;
        try {
            uri = new URI(element);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(where + ": '" + element + "' is not tcp://host:port");
        }
        if (!"tcp".equals(uri.getScheme())) {
            throw new IllegalArgumentException(where + ": '" + element + "' is not tcp://host:port (only tcp)");
        }
        // The authority by hand: URI.getHost() is null for names such as compose's ca_1 (RFC 2396 hostnames).
        String authority = uri.getRawAuthority();
        int colon = authority == null ? -1 : authority.lastIndexOf(':');
        if (colon <= 0 || authority.endsWith("]") || colon == authority.length() - 1) {
            throw new IllegalArgumentException(where + ": '" + element + "' needs a host and a port");
        }
        int port;
        try {
            port = Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + element + "' has no numeric port");
        }
        if (port < 1 || port > 65533) {
            throw new IllegalArgumentException(where + ": port " + port
                    + " leaves no room for registration (+1) and events (+2)");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(where + ": '" + element + "' must be only tcp://host:port");
        }
        return element;
    }

    /** Each CA's registration endpoint (port + 1), in the same order. */
    public List<String> registration() {
        return shifted(p -> p + 1);
    }

    /** Each CA's event feed (port + 2), in the same order: only the active CA publishes. */
    public List<String> events() {
        return shifted(p -> p + 2);
    }

    /** The operations endpoints as {@link ZmqCaClient} takes them (comma-separated). */
    public String operationsList() {
        return String.join(",", operations);
    }

    /** The registration endpoints as {@link ZmqCaClient} takes them (comma-separated). */
    public String registrationList() {
        return String.join(",", registration());
    }

    private List<String> shifted(IntUnaryOperator port) {
        List<String> out = new ArrayList<>();
        for (String e : operations) {
            String authority = URI.create(e).getRawAuthority();
            int colon = authority.lastIndexOf(':');
            out.add("tcp://" + authority.substring(0, colon + 1)
                    + port.applyAsInt(Integer.parseInt(authority.substring(colon + 1))));
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return operationsList();
    }
}
