package io.upki.sidecar.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** curl, for real TLS handshakes with a client certificate as an operator would make them. */
final class Curl {
    private Curl() {
    }

    /** A response as curl saw it. */
    record Response(int status, String body) {
    }

    /** One HTTPS request with curl: a real handshake, the CA as the only trust, the name resolved to loopback. */
    static Response get(ProxyPki pki, int port, String path, ProxyPki.Client client, Map<String, String> headers)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "--cacert", pki.caCrt.toString(),
                "--resolve", ProxyConfigs.SERVER_NAME + ":" + port + ":127.0.0.1", "-w", "\n%{http_code}"));
        if (client != null) {
            cmd.addAll(List.of("--cert", client.cert().toString(), "--key", client.key().toString()));
        }
        headers.forEach((k, v) -> cmd.addAll(List.of("-H", k + ": " + v)));
        cmd.add("https://" + ProxyConfigs.SERVER_NAME + ":" + port + path);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("curl timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("curl exited " + p.exitValue() + ": " + new String(err, StandardCharsets.UTF_8) + text);
        }
        int nl = text.lastIndexOf('\n');
        return new Response(Integer.parseInt(text.substring(nl + 1).strip()), text.substring(0, nl));
    }
}
