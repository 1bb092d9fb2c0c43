#!/usr/bin/env bash
# ACME issuance benchmark: upki's ra-core against Pebble, in the same run, with the same client
# (io.upki.bench.acme.AcmeBench, no artificial sleeps) and the same challenge type (http-01).
# See bench/README.md.
#
#   bench/acme-bench.sh [--orders N] [--warmup N] [--wait-calm L] [--keep] [--no-build] [--results-dir DIR]
#                       [--suffix S]   (report name acme-<date>S.md, e.g. -jdk25 with JAVA_HOME set)
#
# Environment: BENCH_ACME_ORDERS (100), BENCH_ACME_WARMUP (2000: both servers are measured warm, as a
# long-running RA is; the JVM's compilers need about that many orders to settle: after 300 the RA's p50
# was 35 ms, after 2000 it was 14-20 ms), BENCH_ACME_ONLY=upki (skip Pebble), BENCH_ACME_TRACE=1 (time of each request),
# RA_JAVA_OPTS, CA_JAVA_OPTS, BENCH_JAVA_OPTS.
set -euo pipefail

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
}

ORDERS="${BENCH_ACME_ORDERS:-100}"
WARMUP="${BENCH_ACME_WARMUP:-2000}"
KEEP=0
CALM=""
BUILD=1
RESULTS_DIR=""
SUFFIX=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --orders) ORDERS="${2:?--orders needs a number}"; shift 2 ;;
    --warmup) WARMUP="${2:?--warmup needs a number}"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --wait-calm) CALM="${2:?--wait-calm needs a load average}"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --results-dir) RESULTS_DIR="${2:?--results-dir needs a directory}"; shift 2 ;;
    --suffix) SUFFIX="${2:?--suffix needs a name}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "acme-bench: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
BENCH_JAR="$ROOT/bench/target/bench.jar"

log() { printf '[acme-bench %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

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

WORK="$(mktemp -d "${TMPDIR:-/tmp}/acme-bench.XXXXXX")"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $KEEP == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

start() { # start NAME CMD...: runs in the background, log in $WORK/NAME.log; sets LAST_PID
  local name="$1"; shift
  "$@" >"$WORK/$name.log" 2>&1 &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
wait_until() { # wait_until WHAT PID CHECK...
  local what="$1" pid="$2"; shift 2
  for _ in $(seq 1 600); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    kill -0 "$pid" 2>/dev/null || die "$what exited; see $WORK/$what.log"
    sleep 0.2
  done
  die "$what did not start; see $WORK/$what.log"
}
port() { "$JAVA" -cp "$BENCH_JAR" io.upki.bench.EdgeBench ports --count "${1:-1}"; }

CA_PORT="$(port 3)"; PUB_PORT="$(port)"; RA_PORT="$(port)"; HTTP_PORT="$(port)"
DNS_PORT="$(port)"; MGMT_PORT="$(port)"; PEBBLE_PORT="$(port 2)"
SEED="bench-seed-$RANDOM$RANDOM"
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"

log "DNS: pebble-challtestsrv on 127.0.0.1:$DNS_PORT answers every name with 127.0.0.1"
start challtestsrv pebble-challtestsrv -dns01 "127.0.0.1:$DNS_PORT" -management "127.0.0.1:$MGMT_PORT" \
  -http01 "" -https01 "" -tlsalpn01 "" -defaultIPv6 ""
wait_until challtestsrv "$LAST_PID" curl -s -o /dev/null "http://127.0.0.1:$MGMT_PORT/"

bench() { # bench LABEL DIRECTORY TRUST
  log "$1: $WARMUP warm-up + $ORDERS measured orders"
  "$JAVA" ${BENCH_JAVA_OPTS:-} -cp "$BENCH_JAR" io.upki.bench.acme.AcmeBench --label "$1" --directory "$2" \
    --trust "$3" --http-port "$HTTP_PORT" --orders "$ORDERS" --warmup "$WARMUP" | tee -a "$RESULTS" >&2
}

# upki: EC CA, crl-publisher (direct mode needs a CRL), ra-core in direct mode (HTTPS), ACME on.
log "upki: ca-server init --key-type ec, start, crl-publisher, ra-core"
"$JAVA" -jar ca-server/target/ca-server.jar init --data-dir "$WORK/ca" --seed "$SEED" --key-type ec >"$WORK/ca-init.log" 2>&1 \
  || die "ca-server init failed; see $WORK/ca-init.log"
start ca-server "$JAVA" ${CA_JAVA_OPTS:-} -jar ca-server/target/ca-server.jar start --data-dir "$WORK/ca" --port "$CA_PORT"
CA_PID=$LAST_PID
wait_until ca-server "$CA_PID" grep -q 'ca-server ready' "$WORK/ca-server.log"
start crl-publisher "$JAVA" -jar crl-publisher/target/crl-publisher.jar --ca "tcp://127.0.0.1:$CA_PORT" \
  --ca-cert "$WORK/ca/ca.crt" --out "$WORK/crl" --listen "127.0.0.1:$PUB_PORT"
PUB_PID=$LAST_PID
wait_until crl-publisher "$PUB_PID" curl -sf "http://127.0.0.1:$PUB_PORT/ready"
start ra-core env UPKI_CA_SEED="$SEED" "$JAVA" ${RA_JAVA_OPTS:-} -jar ra-core/target/ra-core.jar start \
  --data-dir "$WORK/ra" --ca-port "$CA_PORT" --port "$RA_PORT" --crl "http://127.0.0.1:$PUB_PORT/crl.der" \
  --acme-http-port "$HTTP_PORT" --acme-dns "127.0.0.1:$DNS_PORT"
RA_PID=$LAST_PID
wait_until ra-core "$RA_PID" curl -sf --cacert "$WORK/ca/ca.crt" "https://127.0.0.1:$RA_PORT/acme/directory"
bench upki "https://127.0.0.1:$RA_PORT/acme/directory" "$WORK/ca/ca.crt"
stop "$RA_PID"; stop "$PUB_PID"; stop "$CA_PID"
if [[ "${BENCH_ACME_ONLY:-}" == upki ]]; then exit 0; fi

# Pebble: its own TLS certificate, a fresh authorization per order, no injected bad nonces.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/pebble.key" \
  -out "$WORK/pebble.crt" -subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -days 2 \
  >/dev/null 2>&1
cat >"$WORK/pebble.json" <<JSON
{"pebble": {"listenAddress": "127.0.0.1:$PEBBLE_PORT", "managementListenAddress": "127.0.0.1:$((PEBBLE_PORT + 1))",
 "certificate": "$WORK/pebble.crt", "privateKey": "$WORK/pebble.key", "httpPort": $HTTP_PORT, "tlsPort": 5001,
 "ocspResponderURL": "", "externalAccountBindingRequired": false}}
JSON
pebble_run() { # pebble_run LABEL ENV...
  local label="$1"; shift
  start "pebble-$label" env PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0 "$@" \
    pebble -config "$WORK/pebble.json" -dnsserver "127.0.0.1:$DNS_PORT"
  local pid=$LAST_PID
  wait_until "pebble-$label" "$pid" curl -sf --cacert "$WORK/pebble.crt" "https://127.0.0.1:$PEBBLE_PORT/dir"
  bench "$label" "https://127.0.0.1:$PEBBLE_PORT/dir" "$WORK/pebble.crt"
  stop "$pid"
}
pebble_run pebble-http01
pebble_run pebble-always-valid PEBBLE_VA_ALWAYS_VALID=1

# Report.
DATE="$(date +%F)"
mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/acme-$DATE$SUFFIX"
cp "$RESULTS" "$OUT.jsonl"
{
  echo "# ACME issuance: upki ra-core vs Pebble ($DATE)"
  echo
  echo "$ORDERS sequential orders (after $WARMUP warm-up orders), one DNS name each, http-01, one client"
  echo "(\`io.upki.bench.acme.AcmeBench\`, polling 2 ms apart, a new P-256 key per certificate), on $(nproc) cores;"
  echo "upki: EC P-384 CA, ra-core in direct mode (HTTPS); Pebble $(dpkg-query -W -f '${Version}' pebble 2>/dev/null || echo '?')"
  echo "with PEBBLE_VA_NOSLEEP=1, PEBBLE_AUTHZREUSE=0, PEBBLE_WFE_NONCEREJECT=0. Latency: new order to downloaded chain."
  echo "Java: $("$JAVA" -version 2>&1 | head -1)."
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); work directory on $(df --output=fstype "$WORK" | tail -1)."
  echo
  echo "| server | certs/s | mean ms | p50 ms | p90 ms | p99 ms | requests/cert | p50 vs Pebble http-01 |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  base="$(jq -s -r '.[] | select(.label == "pebble-http01") | .p50_ms' "$RESULTS")"
  jq -r --argjson base "${base:-0}" '"| \(.label) | \(.certs_per_s) | \(.mean_ms) | \(.p50_ms) | \(.p90_ms) | \(.p99_ms) | \(.requests_per_cert) | \(if $base > 0 then ((.p50_ms / $base * 100 | round) / 100 | tostring) + "x" else "-" end) |"' "$RESULTS"
} >"$OUT.md"
cat "$OUT.md"
log "report: $OUT.md"
