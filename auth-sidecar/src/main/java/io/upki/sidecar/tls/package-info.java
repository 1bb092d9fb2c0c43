/**
 * The sidecar's HTTPS listener: its own certificate, and the proxy's client certificate asked for in the
 * handshake and judged by {@link io.upki.pki.peer.ProxyPeer} (issue #16 M1).
 */
package io.upki.sidecar.tls;
