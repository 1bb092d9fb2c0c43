#!/usr/bin/env bash
# ACME issuance benchmark: upki's ra-core against Pebble, in the same run, with the same client
# (io.upki.bench.acme.AcmeBench, no artificial sleeps) and the same challenge type (http-01).
# See bench/README.md.
#
#   bench/acme-bench.sh [--orders N] [--warmup N] [--rounds N] [--settle N] [--wait-calm L] [--keep] [--no-build]
#                       [--results-dir DIR] [--suffix S]   (report acme-<date>S.md, e.g. -jdk25 with JAVA_HOME set)
#                       [--profile DIR]   (JFR recordings and GC/safepoint logs of ra-core and ca-server in DIR)
#
# Environment: BENCH_ACME_ORDERS (100 per round), BENCH_ACME_ROUNDS (4: both servers run side by side and
# are measured in alternating rounds), BENCH_ACME_WARMUP (2000: both servers are measured warm, as a
# long-running RA is; the JVM's compilers need about that many orders to settle: after 300 the RA's p50
# was 35 ms, after 2000 it was 14-20 ms), BENCH_ACME_SETTLE (20 untimed orders a server gets right before
# each of its rounds: upki's first round otherwise followed the whole of Pebble's warm-up idle),
# BENCH_ACME_ONLY=upki (skip Pebble), BENCH_ACME_TRACE=1 (time of each request),
# RA_JAVA_OPTS, CA_JAVA_OPTS (after the options bin/upki gives those servers, see jvm_defaults in
# bin/lib.sh; -XX:CompileThresholdScaling=1 restores the JVM's own thresholds), BENCH_JAVA_OPTS.
set -euo pipefail

usage() {
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
}

ORDERS="${BENCH_ACME_ORDERS:-100}"
WARMUP="${BENCH_ACME_WARMUP:-2000}"
ROUNDS="${BENCH_ACME_ROUNDS:-4}"
SETTLE="${BENCH_ACME_SETTLE:-20}"
KEEP=0
CALM=""
BUILD=1
RESULTS_DIR=""
SUFFIX=""
PROFILE_DIR=""
LOG_TAG=acme-bench
# shellcheck source=bench/lib/options.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/options.sh"
bench_options "--orders=ORDERS --warmup=WARMUP --rounds=ROUNDS --settle=SETTLE --profile=PROFILE_DIR \
  --keep+KEEP --wait-calm=CALM --no-build%BUILD --results-dir=RESULTS_DIR --suffix=SUFFIX" "$@"

# shellcheck source=bench/lib/acme-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/acme-common.sh"
if [[ -n "$PROFILE_DIR" ]]; then # where the tail comes from: JFR (written at exit) and every pause, wall-clock stamped
  mkdir -p "$PROFILE_DIR"
  PROFILE_DIR="$(cd "$PROFILE_DIR" && pwd)"
  profile_opts() { echo "-XX:StartFlightRecording=filename=$PROFILE_DIR/$1.jfr,settings=profile -Xlog:gc*,safepoint:file=$PROFILE_DIR/$1-gc.log:time,uptime,level,tags"; }
  CA_OPTS+=" $(profile_opts ca-server)"
  RA_OPTS+=" $(profile_opts ra-core)"
fi

for tool in "$JAVA" pebble pebble-challtestsrv openssl curl jq; do
  command -v "$tool" >/dev/null || die "$tool is required (apt-get install -y pebble jq curl openssl)"
done

if [[ $BUILD == 1 || ! -f "$BENCH_JAR" || ! -f "$ROOT/ra-core/target/ra-core.jar" ]]; then
  log "building the jars (mvn package, no tests)"
  mvn -B -q -ntp -o -DskipTests package -pl ra-core,bench -am >/dev/null 2>&1 \
    || mvn -B -q -ntp -DskipTests package -pl ra-core,bench -am >/dev/null || die "build failed"
fi

if [[ -n "$CALM" ]]; then # every JVM, Pebble and the client share the machine's cores
  for _ in $(seq 1 120); do
    awk -v l="$CALM" '{ exit !($1 < l) }' /proc/loadavg && break
    log "load average $(cut -d' ' -f1 /proc/loadavg) >= $CALM, waiting"; sleep 5
  done
fi

acme_work

CA_PORT="$(port 3)"; PUB_PORT="$(port)"; RA_PORT="$(port)"; HTTP_PORT="$(port)"
DNS_PORT="$(port)"; MGMT_PORT="$(port)"; PEBBLE_PORT="$(port 2)"
SEED="bench-seed-$RANDOM$RANDOM"
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"

log "DNS: pebble-challtestsrv on 127.0.0.1:$DNS_PORT answers every name with 127.0.0.1"
start challtestsrv pebble-challtestsrv -dns01 "127.0.0.1:$DNS_PORT" -management "127.0.0.1:$MGMT_PORT" \
  -http01 "" -https01 "" -tlsalpn01 "" -defaultIPv6 ""
wait_until challtestsrv "$LAST_PID" curl -s -o /dev/null "http://127.0.0.1:$MGMT_PORT/"

bench() { # bench WARMUP ORDERS ROUNDS LABEL=DIRECTORY,TRUST...: one client JVM; one JSON line per server and round
  local warm="$1" orders="$2" rounds="$3"; shift 3
  local args=() spec
  for spec in "$@"; do args+=(--server "$spec"); done
  log "${*%%=*}: $warm warm-up orders each, then $rounds round(s) of $orders orders each"
  "$JAVA" ${BENCH_JAVA_OPTS:-} -cp "$BENCH_JAR" io.upki.bench.acme.AcmeBench "${args[@]}" --http-port "$HTTP_PORT" \
    --orders "$orders" --warmup "$warm" --rounds "$rounds" --settle "$SETTLE" | tee -a "$RESULTS" >&2 || die "the ACME client failed"
}

# upki: EC CA, crl-publisher (direct mode needs a CRL), ra-core in direct mode (HTTPS), ACME on.
log "upki: ca-server init --key-type ec, start, crl-publisher, ra-core"
start_ca_and_publisher
start ra-core env UPKI_CA_SEED="$SEED" "$JAVA" $RA_OPTS -jar ra-core/target/ra-core.jar start \
  --data-dir "$WORK/ra" --ca-port "$CA_PORT" --port "$RA_PORT" --crl "http://127.0.0.1:$PUB_PORT/crl.der" \
  --acme-http-port "$HTTP_PORT" --acme-dns "127.0.0.1:$DNS_PORT" --acme-allow-networks 127.0.0.0/8
RA_PID=$LAST_PID
wait_until ra-core "$RA_PID" curl -sf --cacert "$WORK/ca/ca.crt" "https://127.0.0.1:$RA_PORT/acme/directory"
UPKI_DIR="https://127.0.0.1:$RA_PORT/acme/directory"

# Pebble: its own TLS certificate, a fresh authorization per order, no injected bad nonces.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/pebble.key" \
  -out "$WORK/pebble.crt" -subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -days 2 \
  >/dev/null 2>&1
cat >"$WORK/pebble.json" <<JSON
{"pebble": {"listenAddress": "127.0.0.1:$PEBBLE_PORT", "managementListenAddress": "127.0.0.1:$((PEBBLE_PORT + 1))",
 "certificate": "$WORK/pebble.crt", "privateKey": "$WORK/pebble.key", "httpPort": $HTTP_PORT, "tlsPort": 5001,
 "ocspResponderURL": "", "externalAccountBindingRequired": false}}
JSON
pebble_start() { # pebble_start LABEL ENV...: sets PEBBLE_PID
  local label="$1"; shift
  start "pebble-$label" env PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 "$@" \
    pebble -config "$WORK/pebble.json" -dnsserver "127.0.0.1:$DNS_PORT"
  PEBBLE_PID=$LAST_PID
  wait_until "pebble-$label" "$PEBBLE_PID" curl -sf --cacert "$WORK/pebble.crt" "https://127.0.0.1:$PEBBLE_PORT/dir"
}
PEBBLE_DIR="https://127.0.0.1:$PEBBLE_PORT/dir"

UPKI="upki=$UPKI_DIR,$WORK/ca/ca.crt"
if [[ "${BENCH_ACME_ONLY:-}" == upki ]]; then
  bench "$WARMUP" "$ORDERS" "$ROUNDS" "$UPKI"
  exit 0
fi
pebble_start http01
# Both servers stay up for the whole comparison and one client measures them in alternating rounds
# (ABBA), so a change in the machine's load during the run (2 shared cores) weighs on both alike.
bench "$WARMUP" "$ORDERS" "$ROUNDS" "$UPKI" "pebble-http01=$PEBBLE_DIR,$WORK/pebble.crt"
stop "$PEBBLE_PID"; stop "$RA_PID"; stop "$PUB_PID"; stop "$CA_PID"
# Pebble without validation: the floor of its protocol work, for reference only.
pebble_start always-valid PEBBLE_VA_ALWAYS_VALID=1
bench 300 "$ORDERS" 1 "pebble-always-valid=$PEBBLE_DIR,$WORK/pebble.crt"
stop "$PEBBLE_PID"

# Report.
DATE="$(date +%F)"
mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/acme-$DATE$SUFFIX"
cp "$RESULTS" "$OUT.jsonl"
{
  echo "# ACME issuance: upki ra-core vs Pebble ($DATE)"
  echo
  echo "$ROUNDS rounds of $ORDERS sequential orders per server, one DNS name each, http-01, one client"
  echo "(\`io.upki.bench.acme.AcmeBench\`, polling 2 ms apart, a new P-256 key per certificate), on $(nproc) cores."
  echo "Both servers ran side by side; one client warmed each with $WARMUP orders, then measured them in"
  echo "alternating rounds (upki first in odd rounds), each server's round led by $SETTLE untimed orders. pebble-always-valid (Pebble skipping validation, for"
  echo "reference) ran afterwards on its own, after 300 warm-up orders."
  echo "upki: EC P-384 CA, ra-core in direct mode (HTTPS); Pebble $(dpkg-query -W -f '${Version}' pebble 2>/dev/null || echo '?')"
  echo "with PEBBLE_VA_NOSLEEP=1, PEBBLE_AUTHZREUSE=0, PEBBLE_WFE_NONCEREJECT=0. Latency: new order to downloaded chain."
  echo "Java: $("$JAVA" -version 2>&1 | head -1); JVM options: ca-server \`${CA_OPTS% }\`, ra-core \`${RA_OPTS% }\`."
  echo "Load average at the start: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg); work directory on $(df --output=fstype "$WORK" | tail -1)."
  echo
  echo "| round | server | certs/s | mean ms | p50 ms | p90 ms | p99 ms | max ms | requests/cert | p50 / p99 vs Pebble http-01, same round |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  jq -s -r 'def vs($f): (map(select(.label == "pebble-http01") | {key: (.round | tostring), value: .[$f]}) | from_entries) as $base
      | map(if .label == "pebble-always-valid" then 0 else $base[.round | tostring] // 0 end);
    def x($a; $b): if $b > 0 then (($a / $b * 100 | round) / 100 | tostring) + "x" else "-" end;
    (vs("p50_ms")) as $b50 | (vs("p99_ms")) as $b99
    | to_entries | sort_by(.value.label == "pebble-always-valid", .value.round, .value.label)[] | .key as $i | .value
    | "| \(if .label == "pebble-always-valid" then "-" else .round end) | \(.label) | \(.certs_per_s) | \(.mean_ms) | \(.p50_ms) | \(.p90_ms) | \(.p99_ms) | \(.max_ms // "-") | \(.requests_per_cert) | \(x(.p50_ms; $b50[$i])) / \(x(.p99_ms; $b99[$i])) |"' "$RESULTS"
  echo
  jq -s -r 'def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    def ratios($f): (map(select(.label == "pebble-http01") | {key: (.round | tostring), value: .[$f]}) | from_entries) as $base
      | map(select(.label == "upki" and ($base[.round | tostring] // 0) > 0) | .[$f] / $base[.round | tostring]);
    def fmt: map(. * 100 | round / 100 | tostring + "x") | join(", ");
    (map(select(.label == "upki")) | map(.p50_ms)) as $u | (map(select(.label == "pebble-http01")) | map(.p50_ms)) as $p
    | ratios("p50_ms") as $r | ratios("p99_ms") as $r99
    | if ($r | length) == 0 then "Only upki was measured." else
      "Median over the rounds: upki p50 \($u | median * 100 | round / 100) ms, Pebble http-01 p50 \($p | median * 100 | round / 100) ms; median of the per-round p50 ratios \(($r | median) * 100 | round / 100)x (rounds: \($r | fmt); target <= 0.8x), of the p99 ratios \(($r99 | median) * 100 | round / 100)x (rounds: \($r99 | fmt); target <= 1.0x)." end' "$RESULTS"
  echo
  echo "The three slowest orders of each upki round (start time, ms, then each request: resource, status, ms):"
  echo
  jq -r 'select(.label == "upki") | .round as $r | (.slowest // [])[] | "- round \($r), \(.at), \(.ms) ms: \(.requests)"' "$RESULTS"
} >"$OUT.md"
cat "$OUT.md"
log "report: $OUT.md"
