package io.upki.bench;

import static io.upki.bench.EdgeReport.REVOCATION_P99_TARGET_MS;
import static io.upki.bench.EdgeReport.REVOCATION_P99_STRETCH_MS;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/** The Markdown report of {@code revocation-bench.sh}: revocation-to-refusal latency per case, against its targets. */
final class RevocationReport extends EdgeMarkdown {
    RevocationReport(List<JsonNode> lines) {
        super(lines);
    }

    @Override
    String render() {
        JsonNode meta = title("Revocation-to-refusal benchmark");
        machine(meta);
        md.append(String.format(Locale.ROOT, "; CA data on %s (its fsyncs are part of every revoke and CRL). Real processes on "
                        + "loopback: ca-server, crl-publisher (or the bench stand-in where said), N auth-sidecars (`--crl` URL + "
                        + "`--crl-events`, `--no-audit`). Each sidecar is polled every %s ms on its own keep-alive connection.%n%n",
                text(meta, "work_dir"), text(meta, "poll_ms")));
        md.append("Load average: ").append(loadAverages()).append(".\n\n");
        md.append("Latency runs from the moment the `revoke` reply arrives to the first 403 `revoked` (all sidecars: the "
                + "last of them). `publish` is when the driver's own SSE subscription to the publisher saw the new CRL "
                + "announced; `publish → all` the rest (sidecars fetching, verifying and swapping the CRL, plus the poll "
                + "interval). Each run starts with " + lines.stream().filter(l -> l.path("kind").asText().equals("revocation"))
                .findFirst().map(l -> l.path("warmup_revocations").asInt()).orElse(0)
                + " untimed revocations (fresh JVMs compile the CRL paths), not counted in the figures.\n\n");
        md.append("| run | CRL entries (end) | publisher | sidecars | probe | revocations | p50 ms | p95 ms | p99 ms | max ms | target p99 < 1 s "
                + "| stretch < 250 ms | publish p50 / p99 ms | publish → all p50 / p99 ms | revoke call p50 / p99 ms | problems |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode l : kind("revocation")) {
            boolean ok = l.path("all_failed").asInt() == 0 && l.path("problems").asInt() == 0;
            double p99 = l.path("all_p99_ms").asDouble(Double.NaN);
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %d | %.1f | %.1f | %.1f | %.1f | %s | %s | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %d |%n",
                    l.path("label").asText(), l.has("crl_entries") ? String.format(Locale.ROOT, "%,d", l.path("crl_entries").asInt()) : "?",
                    l.path("publisher").asText("crl-publisher"), l.path("sidecars").asInt(), l.path("probe").asText("admin"),
                    l.path("revocations").asInt(),
                    l.path("all_p50_ms").asDouble(), l.path("all_p95_ms").asDouble(), p99, l.path("all_max_ms").asDouble(),
                    verdict(ok && p99 < REVOCATION_P99_TARGET_MS), verdict(ok && p99 < REVOCATION_P99_STRETCH_MS),
                    l.path("publish_p50_ms").asDouble(), l.path("publish_p99_ms").asDouble(),
                    l.path("publish_to_all_p50_ms").asDouble(), l.path("publish_to_all_p99_ms").asDouble(),
                    l.path("revoke_call_p50_ms").asDouble(), l.path("revoke_call_p99_ms").asDouble(), l.path("problems").asInt()));
        }
        md.append("\n### Where the time goes\n\n`CA generate_crl` is the CA's own time per CRL (its audit log: read the revoked rows, "
                + "encode, sign, store with fsync); the stand-in columns split each publication of the bench publisher: wait "
                + "from the revocation event to the call (debounce), the `generate_crl` round trip, `CrlAcceptor` checks, "
                + "writing `crl.der` with fsync, and the SSE push. p50 / p95 / max in ms.\n\n");
        md.append("| run | CRLs made | CA generate_crl | stand-in: debounce | generate_crl call | accept | write + fsync | push |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (JsonNode l : kind("revocation")) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n", l.path("label").asText(),
                    l.path("ca_generate_crl_n").asInt(), triple(l, "ca_generate_crl"), triple(l, "standin_debounce"),
                    triple(l, "standin_generate_crl_call"), triple(l, "standin_accept"), triple(l, "standin_write_fsync"),
                    triple(l, "standin_push")));
        }
        md.append("\n### Per sidecar\n\n| run | sidecar | p50 ms | p95 ms | p99 ms | max ms | failed |\n|---|---|---|---|---|---|---|\n");
        for (JsonNode l : kind("revocation")) {
            for (JsonNode s : l.path("per_sidecar")) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %d |%n", l.path("label").asText(),
                        s.path("sidecar").asText(), s.path("p50_ms").asDouble(), s.path("p95_ms").asDouble(),
                        s.path("p99_ms").asDouble(), s.path("max_ms").asDouble(), s.path("failed").asInt()));
            }
        }
        List<JsonNode> notes = kind("note");
        if (!notes.isEmpty()) {
            md.append("\n### Notes\n\n");
            for (JsonNode n : notes) {
                md.append("- ").append(n.path("text").asText()).append("\n");
            }
        }
        for (JsonNode l : kind("revocation")) {
            if (l.has("first_problems")) {
                md.append("\nProblems in ").append(l.path("label").asText()).append(": ");
                md.append(String.join("; ", list(l.path("first_problems")))).append("\n");
            }
        }
        if (quick) {
            md.append("\nA --quick run: verdicts are only indicative.\n");
        }
        return md.toString();
    }
}
