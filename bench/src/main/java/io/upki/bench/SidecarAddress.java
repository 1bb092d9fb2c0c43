package io.upki.bench;

import java.util.Map;

/** A sidecar's {@code host:port}, and the forward-auth request Traefik sends it about one client certificate. */
record SidecarAddress(String host, int port) {

    /** {@code host:port}, the form the bench scripts pass. */
    static SidecarAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new SidecarAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** {@code GET /auth/traefik} for an admin route, with the certificate (base64 DER) in Traefik's header. */
    byte[] authRequest(String certBase64) {
        return RawHttp.get(host, port, "/auth/traefik", Map.of("X-Forwarded-Tls-Client-Cert", certBase64,
                "X-Forwarded-Method", "GET", "X-Forwarded-Uri", "/api/v1/health"));
    }
}
