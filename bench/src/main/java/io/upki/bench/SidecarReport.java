package io.upki.bench;

import static io.upki.bench.EdgeReport.WARM_RATIO_TARGET;
import static io.upki.bench.EdgeReport.METRICS_RATIO_TARGET;
import static io.upki.bench.EdgeReport.P99_TARGET_MS;
import static io.upki.bench.EdgeReport.COLD_TARGET;
import static io.upki.bench.EdgeReport.CRL_LOAD_TARGET_S;
import static io.upki.bench.EdgeReport.LOOKUP_SLOWDOWN_LIMIT;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The Markdown report of {@code sidecar-bench.sh}: the issue's figures against their same-run baselines, then every run. */
final class SidecarReport extends EdgeMarkdown {
    SidecarReport(List<JsonNode> lines) {
        super(lines);
    }

    @Override
    String render() {
        JsonNode meta = title("auth-sidecar benchmark");
        machine(meta, "wrk", "nginx");
        md.append(String.format(Locale.ROOT, ". wrk -t%s -c%s, %s s per run, %s round(s) per figure (the median is reported); "
                        + "nginx %s worker(s), access log off; open loop: wrk with `bench/wrk/paced.lua`, %s keep-alive "
                        + "connections, %s s. Work directory on %s.%n%n", text(meta, "wrk_threads"), text(meta, "wrk_connections"),
                text(meta, "seconds"), text(meta, "rounds"), text(meta, "nginx_workers"), text(meta, "open_connections"),
                text(meta, "open_seconds"), text(meta, "work_dir")));
        md.append("Load average during the run: ").append(loadAverages()).append(". wrk, nginx, the sidecar and anything else running share the same cores: `other cores` in the "
                        + "tables below is CPU used by other processes during each run.\n\n");

        double health = median("wrk", "health-");
        double warm = median("wrk", "warm-");
        double healthHeaders = median("wrk", "health-hdr-");
        double ngxHealth = median("wrk", "nginx-health-");
        double ngxAuth = median("wrk", "nginx-auth-");
        double ngxDirect = median("wrk", "nginx-direct-");
        double cold = median("wrk", "cold-");
        double coldHealth = median("wrk", "cold-health-");
        double auditWarm = median("wrk", "audit-warm-");
        double auditHealth = median("wrk", "audit-health-");
        double bigHealth = median("wrk", "bigcrl-health-");
        double bigWarm = median("wrk", "bigcrl-warm-");
        JsonNode open = first("openloop-warm");
        JsonNode openHealth = first("openloop-health");
        JsonNode crl1m = first("crl-load-1000000");
        JsonNode crl1k = first("crl-load-1000");
        JsonNode swap = lines.stream().filter(l -> l.path("kind").asText().equals("crl-swap")).findFirst().orElse(null);

        md.append("## The issue's figures\n\n");
        md.append("| figure | measured | baseline (same run) | ratio | target | verdict |\n|---|---|---|---|---|---|\n");
        row("warm path: `/auth/traefik`, valid admin certificate, req/s", f0(warm),
                "`/health` on the same sidecar: " + f0(health), ratio(warm, health), "≥ 0.80 × baseline",
                verdict(warm / health >= WARM_RATIO_TARGET));
        if (!Double.isNaN(healthHeaders)) {
            row("warm path against `/health` sent the same proxy headers, req/s", f0(warm),
                    "`/health` with the certificate and forwarded headers: " + f0(healthHeaders), ratio(warm, healthHeaders),
                    "≥ 0.80 × baseline", verdict(warm / healthHeaders >= WARM_RATIO_TARGET));
        }
        double noMetrics = median("wrk", "nometrics-warm-");
        if (!Double.isNaN(noMetrics)) {
            List<Double> perRound = roundRatios("warm-", "nometrics-warm-");
            double mid = Stats.median(perRound);
            row("metrics cost: warm path with metrics on (the default), req/s (per-round ratios "
                    + perRound.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).collect(Collectors.joining(" / ")) + ")",
                    f0(warm), "a sidecar with `--metrics off`, alternating: " + f0(noMetrics),
                    String.format(Locale.ROOT, "%.2f", mid), "≥ 0.95 × baseline (median of the rounds)",
                    verdict(mid >= METRICS_RATIO_TARGET));
        }
        double tlsSidecar = median("wrk", "tls-sidecar-");
        double tlsSelf = median("wrk", "tls-self-");
        if (!Double.isNaN(tlsSidecar)) {
            row("nginx over mutual TLS: `auth_request` to the sidecar, req/s", f0(tlsSidecar),
                    "nginx checking the certificate itself (`ssl_verify_client on; ssl_crl`): " + f0(tlsSelf),
                    ratio(tlsSidecar, tlsSelf), "(report the ratio)", "-");
        }
        row("through nginx: `auth_request` → `/auth/nginx`, upstream `return 200`, req/s", f0(ngxAuth),
                "nginx `auth_request` → `/health`: " + f0(ngxHealth) + " (nginx alone: " + f0(ngxDirect) + ")",
                ratio(ngxAuth, ngxHealth), "≥ 0.80 × baseline (same criterion)", verdict(ngxAuth / ngxHealth >= WARM_RATIO_TARGET));
        if (open != null) {
            row(String.format(Locale.ROOT, "p99 latency at half the warm maximum (open loop, %s req/s asked, %s served)",
                    f0(open.path("target_rate").asDouble()), f0(open.path("achieved_rate").asDouble())),
                    ms(open.path("p99_ms").asDouble()),
                    openHealth == null ? "-" : "`/health` at the same rate: " + ms(openHealth.path("p99_ms").asDouble()),
                    "-", "< 5 ms", verdict(open.path("p99_ms").asDouble() < P99_TARGET_MS
                            && open.path("not_ok").asLong() == 0 && open.path("missing").asLong() == 0));
        }
        row("cold path: distinct certificates, `--cache-size 1`, verifications/s", f0(cold),
                "`/health` on that sidecar: " + f0(coldHealth), ratio(cold, coldHealth), "≥ 5,000/s", verdict(cold >= COLD_TARGET));
        if (crl1m != null) {
            double worst = max(crl1m.path("accept_s"));
            row("CRL of 1,000,000 entries: `CrlAcceptor.accept`, s (each run: " + join(crl1m.path("accept_s")) + ")",
                    String.format(Locale.ROOT, "%.2f (worst)", worst), String.format(Locale.ROOT, "%.1f MB DER",
                            crl1m.path("der_bytes").asDouble() / 1e6), "-", "< 3 s", verdict(worst < CRL_LOAD_TARGET_S));
        }
        if (crl1m != null && crl1k != null) {
            double k = crl1k.path("index_check_ns").asDouble();
            double m = crl1m.path("index_check_ns").asDouble();
            row("lookup: `RevocationIndex.check`, ns per request, 1,000,000 entries", f1(m), "1,000 entries: " + f1(k),
                    ratio(m, k), "no slowdown (≤ 2×)", verdict(m / k <= LOOKUP_SLOWDOWN_LIMIT));
        }
        if (!Double.isNaN(bigWarm)) {
            row("warm path with the big CRL in force in the sidecar, req/s", f0(bigWarm), "`/health` then: " + f0(bigHealth),
                    ratio(bigWarm, bigHealth), "as without it (" + ratio(warm, health) + ")",
                    verdict(bigWarm / bigHealth >= 0.9 * (warm / health)));
        }
        if (!Double.isNaN(auditWarm)) {
            row("warm path with audit on (the default), req/s", f0(auditWarm), "`/health` then: " + f0(auditHealth),
                    ratio(auditWarm, auditHealth), "(cost of the audit line; no-audit ratio " + ratio(warm, health) + ")", "-");
        }
        md.append(quick ? "\nVerdicts marked * come from a --quick run and are only indicative.\n\n" : "\n");

        if (swap != null) {
            JsonNode log = first("crl-swap-log");
            md.append(String.format(Locale.ROOT, "**CRL of %,d entries (%.1f MB DER) in a running sidecar**: the file given to "
                            + "`--crl` was replaced (the sidecar checks its files every second); %sthe first 403 `%s` for a "
                            + "certificate it lists came %.2f s after the write. (Building and signing that CRL in the bench took "
                            + "%.1f s.)%n%n",
                    swap.path("entries").asInt(), swap.path("der_bytes").asDouble() / 1e6,
                    log == null ? "" : String.format(Locale.ROOT, "its log says the CRL was accepted %.2f s after the write; ",
                            log.path("write_to_accepted_log_s").asDouble()),
                    swap.path("refusal_reason").asText(), swap.path("write_to_refusal_s").asDouble(), swap.path("build_s").asDouble()));
        }

        md.append("## Every wrk run\n\nLatency percentiles are wrk's (closed loop: each connection waits for its answer, so they "
                + "understate queueing; the open-loop table is the one to read for latency).\n\n");
        md.append("| run | req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors | server cores | wrk cores | other cores | load |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode l : kind("wrk")) {
            if (l.path("open_loop").asBoolean()) {
                continue; // in the open-loop table
            }
            long errors = l.path("errors_connect").asLong() + l.path("errors_read").asLong() + l.path("errors_write").asLong()
                    + l.path("errors_timeout").asLong();
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.1f | %d | %d | %.2f | %.2f | %.2f | %s |%n",
                    l.path("label").asText(), f0(l.path("rps").asDouble()), l.path("p50_ms").asDouble(), l.path("p90_ms").asDouble(),
                    l.path("p99_ms").asDouble(), l.path("lat_max_ms").asDouble(), l.path("errors_status").asLong(), errors,
                    l.path("server_cores").asDouble(), l.path("wrk_cores").asDouble(), l.path("other_cores").asDouble(),
                    l.path("loadavg").asText()));
        }
        md.append("\n`server cores` counts the sidecar (and nginx, for nginx-* runs); `health-*`/`warm-*`: sidecar without audit, "
                + "default cache (`health-hdr-*`: `/health` sent the warm path's headers); `nginx-direct`: nginx to the trivial upstream, no auth; `nginx-health`: auth_request to the "
                + "sidecar's `/health`; `nginx-auth`: auth_request to `/auth/nginx`; `nometrics-warm-*`: the warm path on a sidecar "
                + "with `--metrics off`, alternating with `warm-*`; `tls-sidecar-*`/`tls-self-*`: wrk → nginx → mutual TLS (keep-alive) "
                + "→ nginx gate with auth_request to the sidecar, or with its own `ssl_verify_client on` and `ssl_crl` "
                + "(`bench/nginx/bench-nginx-tls.conf`); `bigcrl-*`: the same sidecar after the big "
                + "CRL was swapped in; `audit-*`: a sidecar with audit on; `cold-*`: a sidecar with `--cache-size 1`, each request "
                + "carrying the next of the distinct certificates.\n\n");

        // Open-loop runs: wrk with bench/wrk/paced.lua (kind wrk, open_loop), or the older Java driver (kind openloop).
        List<JsonNode> opens = lines.stream().filter(l -> l.path("open_loop").asBoolean()
                || l.path("kind").asText().equals("openloop")).toList();
        if (!opens.isEmpty()) {
            md.append("## Open loop (latency from each request's due time)\n\n");
            md.append("| run | asked req/s | served req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | non-2xx | missing | "
                    + "generator late > 1 ms | server cores | driver cores | other cores |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (JsonNode l : opens) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.1f | %d | %d | %d | %.2f | %.2f | %.2f |%n",
                        l.path("label").asText(), f0(l.path("target_rate").asDouble()), f0(l.path("achieved_rate").asDouble()),
                        l.path("p50_ms").asDouble(), l.path("p90_ms").asDouble(), l.path("p99_ms").asDouble(),
                        l.path("p999_ms").asDouble(), l.path("max_ms").asDouble(), l.path("not_ok").asLong(),
                        l.path("missing").asLong(), l.path("sender_late_over_1ms").asLong(), l.path("server_cores").asDouble(),
                        l.has("driver_cores") ? l.path("driver_cores").asDouble() : l.path("wrk_cores").asDouble(),
                        l.path("other_cores").asDouble()));
            }
            md.append("\n");
        }

        List<JsonNode> crls = kind("crl-load");
        if (!crls.isEmpty()) {
            md.append("## CRL acceptance and lookups (in one JVM, -Xmx3g)\n\n");
            md.append("| entries | DER MB | accept s (each run) | next CRL (+1 entry) accept s | heap of the snapshot MB | check ns | revokes: same serial ns "
                    + "| random miss ns | random hit ns |\n|---|---|---|---|---|---|---|---|---|\n");
            for (JsonNode l : crls) {
                md.append(String.format(Locale.ROOT, "| %,d | %.1f | %s | %.3f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                        l.path("entries").asInt(), l.path("der_bytes").asDouble() / 1e6, join(l.path("accept_s")),
                        l.path("accept_next_s").asDouble(), l.path("snapshot_heap_mb").asDouble(), l.path("index_check_ns").asDouble(),
                        l.path("revokes_same_serial_ns").asDouble(), l.path("revokes_random_miss_ns").asDouble(),
                        l.path("revokes_random_hit_ns").asDouble()));
            }
            md.append("\n`check`: `RevocationIndex.check` of a two-certificate path (leaf not revoked), what every request pays; "
                    + "`revokes`: one `CrlSnapshot.revokes` call with the same serial each time, with 4,096 random absent serials, "
                    + "and with 4,096 listed serials (distinct objects), i.e. with CPU cache misses in the 1M-entry table.\n\n");
        }

        JsonNode costs = first("costs");
        if (costs != null) {
            md.append("## Where a request's CPU goes (each operation alone, one thread)\n\n");
            md.append(String.format(Locale.ROOT, "Crypto provider %s; CA key %s; assertion key %s, %s certificate(s) in `x5c`, "
                            + "assertion %s bytes; %s distinct certificates for the cold rows.%n%n",
                    costs.path("crypto").asText("(not recorded)"), costs.path("ca_key").asText(),
                    costs.path("assertion_key").asText(), costs.path("x5c_certificates").asText(),
                    costs.path("assertion_bytes").asText(), costs.path("distinct_certs").asText()));
            md.append("| operation | µs per call | calls/s per core |\n|---|---|---|\n");
            String[][] names = {
                {"assertion_sign_us", "`AssertionSigner.sign` (JWS ES256: header naming the signer, claims, signature): every allowed request"},
                {"ecdsa_p256_sign_us", "of which: one ECDSA P-256 signature, the provider in force (initSign included)"},
                {"assertion_sign_nimbus_us", "the same JWS built with nimbus-jose-jwt's objects (how it was made before)"},
                {"ecdsa_p256_sign_sunec_us", "one ECDSA P-256 signature with SunEC (the JDK's own provider)"},
                {"ecdsa_p256_sign_bc_us", "the same signature with BouncyCastle"},
                {"traefik_decode_same_cert_us", "header decode + X.509 parse, same certificate (JDK parse cache hit)"},
                {"cache_key_sha256_us", "cache key: SHA-256 of the presented DER"},
                {"x509_parse_distinct_certs_us", "cold: X.509 parse of a certificate not seen recently"},
                {"parse_and_chain_verify_distinct_certs_us", "cold: parse + `ChainVerifier.verify` (CA signature check)"}};
            for (String[] n : names) {
                double us = costs.path(n[0]).asDouble(Double.NaN);
                if (!Double.isNaN(us)) {
                    md.append(String.format(Locale.ROOT, "| %s | %.1f | %s |%n", n[1], us, f0(1e6 / us)));
                }
            }
            md.append("\n");
        }

        for (JsonNode j : kind("jfr")) {
            md.append("## JFR: ").append(j.path("label").asText()).append(String.format(Locale.ROOT,
                    " (%d CPU samples; GC pauses: %d, %.1f ms in total, longest %.1f ms)%n%n", j.path("samples").asInt(),
                    j.path("gc_pauses").asInt(), j.path("gc_pause_total_ms").asDouble(), j.path("gc_pause_max_ms").asDouble()));
            md.append("| step (inclusive) | share of samples |\n|---|---|\n");
            for (JsonNode s : j.path("steps")) {
                md.append(String.format(Locale.ROOT, "| %s | %.1f %% |%n", s.path("step").asText(), s.path("percent").asDouble()));
            }
            md.append("\n| hottest methods (self) | share |\n|---|---|\n");
            for (JsonNode s : j.path("hot_methods")) {
                md.append(String.format(Locale.ROOT, "| `%s` | %.1f %% |%n", s.path("method").asText(), s.path("percent").asDouble()));
            }
            md.append("\n");
        }

        JsonNode audit = first("audit-log");
        List<JsonNode> issues = kind("issue");
        md.append("## Setup\n\n");
        for (JsonNode i : issues) {
            md.append(String.format(Locale.ROOT, "- %s: %d certificates signed by the CA (`sign`, profile admin, EC P-256 CSRs) in "
                    + "%.1f s.%n", i.path("label").asText(), i.path("count").asInt(), i.path("seconds").asDouble()));
        }
        if (audit != null) {
            md.append(String.format(Locale.ROOT, "- audit run: %,d audit lines, log file %,d bytes.%n",
                    audit.path("lines").asLong(), audit.path("bytes").asLong()));
        }
        return md.toString();
    }
}
