#!/usr/bin/env bash
# Benchmark of the auth-sidecar on loopback, against the HTTP stack's own ceiling measured in the same run.
# See bench/README.md ("auth-sidecar") for what each figure means.
#
#   bench/sidecar-bench.sh [--key-type ec|rsa] [--quick] [--profile] [--keep] [--results-dir DIR]
#                          [--wait-calm LOAD]
#
# --profile records JFR of the sidecar under the warm and the cold load (extra runs, not counted).
# --wait-calm waits up to 10 min for the 1-minute load average to drop below LOAD before measuring.
# Environment: SIDECAR_JAVA_OPTS, CA_JAVA_OPTS, BENCH_JAVA_OPTS (JVM options), WRK_THREADS (2),
# WRK_CONNECTIONS (16), NGINX_WORKERS (1), BENCH_ROUNDS, BENCH_SECONDS, BENCH_COLD_CERTS,
# BENCH_OPEN_SECONDS, BENCH_CRL_ENTRIES, BENCH_WORK_DIR (default /dev/shm when present).
set -euo pipefail

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }

KEY_TYPE=ec
QUICK=0
KEEP=0
PROFILE=0
CALM=""
RESULTS_DIR=""
LOG_TAG=sidecar-bench
# shellcheck source=bench/lib/options.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/options.sh"
bench_options "--key-type=KEY_TYPE --quick+QUICK --profile+PROFILE --keep+KEEP --wait-calm=CALM \
  --results-dir=RESULTS_DIR" "$@"
[[ $KEY_TYPE == ec || $KEY_TYPE == rsa ]] || { echo "sidecar-bench: --key-type must be ec or rsa" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results}"
WORK_BASE="${BENCH_WORK_DIR:-$([[ -d /dev/shm && -w /dev/shm ]] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}"
WORK="$(mktemp -d "$WORK_BASE/upki-sidecar-bench.XXXXXX")"
# shellcheck source=bench/lib/edge-common.sh
source "$ROOT/bench/lib/edge-common.sh"
edge_init

if [[ $QUICK == 1 ]]; then
  ROUNDS="${BENCH_ROUNDS:-1}";           SECS="${BENCH_SECONDS:-4}"
  COLD_CERTS="${BENCH_COLD_CERTS:-1000}"; OPEN_SECS="${BENCH_OPEN_SECONDS:-8}"
  CRL_ENTRIES="${BENCH_CRL_ENTRIES:-1000000}"; CRL_SIZES="1000,1000000"; CRL_RUNS=1; LOOKUPS=2000000
  COST_SECS=1; WARM_SECS=2
else
  ROUNDS="${BENCH_ROUNDS:-3}";           SECS="${BENCH_SECONDS:-10}"
  COLD_CERTS="${BENCH_COLD_CERTS:-5000}"; OPEN_SECS="${BENCH_OPEN_SECONDS:-30}"
  CRL_ENTRIES="${BENCH_CRL_ENTRIES:-1000000}"; CRL_SIZES="1000,100000,1000000"; CRL_RUNS=3; LOOKUPS=20000000
  COST_SECS=3; WARM_SECS=15 # a fresh sidecar's JIT needs that long to settle
fi
WRK_T="${WRK_THREADS:-2}"
OPEN_CONNS="${BENCH_OPEN_CONNECTIONS:-32}" # open loop: one connection per wrk thread (bench/wrk/paced.lua)
WRK_C="${WRK_CONNECTIONS:-16}"
NGINX_WORKERS="${NGINX_WORKERS:-1}"
SEED="bench-seed-$RANDOM$RANDOM"
edge_results java wrk nginx curl openssl
edge_build
[[ -n "$CALM" ]] && wait_for_calm "$CALM" 600

# wrk_run LABEL "PIDS" ARGS... : one wrk run; its JSON line gets the CPU used by PIDS (the server side),
# by wrk, and by everything else on the machine over the same interval. RUN_T/RUN_C/RUN_SECS override
# -t, -c and -d for one run.
wrk_run() {
  local label="$1" pids="$2"; shift 2
  local t="${RUN_T:-$WRK_T}" c="${RUN_C:-$WRK_C}" d="${RUN_SECS:-$SECS}"
  local p s0=0 s1=0 m0 m1 t0 t1 out wrk_cpu
  for p in $pids; do s0=$(( s0 + $(proc_ticks "$p") )); done
  m0=$(machine_ticks); t0=$(date +%s%N)
  out="$(
    TIMEFORMAT='%U %S'
    { time WRK_LABEL="$label" WRK_SECS="$d" wrk -t"$t" -c"$c" -d"${d}s" "$@" >"$WORK/wrk.out" 2>&1; } 2>"$WORK/wrk.time"
    cat "$WORK/wrk.out"
  )"
  t1=$(date +%s%N); m1=$(machine_ticks)
  for p in $pids; do s1=$(( s1 + $(proc_ticks "$p") )); done
  local line
  line="$(grep '^{"kind":"wrk"' <<<"$out" | tail -1)"
  [[ -n "$line" ]] || { printf '%s\n' "$out" >&2; die "wrk $label printed no result"; }
  wrk_cpu="$(awk '{ print $1 + $2 }' "$WORK/wrk.time")"
  line="$(awk -v s0="$s0" -v s1="$s1" -v m0="$m0" -v m1="$m1" -v t0="$t0" -v t1="$t1" -v w="$wrk_cpu" \
    -v tck="$CLK_TCK" -v line="$line" -v load="$(loadavg)" 'BEGIN {
      wall = (t1 - t0) / 1e9; server = (s1 - s0) / tck / wall; machine = (m1 - m0) / tck / wall; wc = w / wall
      other = machine - server - wc; if (other < 0) other = 0
      sub(/}$/, "", line)
      printf "%s,\"server_cores\":%.2f,\"wrk_cores\":%.2f,\"other_cores\":%.2f,\"loadavg\":\"%s\"}\n", line, server, wc, other, load
    }')"
  record "$line"
  log "$(jq -r '"\(.label): \(.rps|floor) req/s, p50 \(.p50_ms) ms, p99 \(.p99_ms) ms, non-2xx \(.errors_status), server \(.server_cores) cores, other \(.other_cores)"' <<<"$line")"
}

# A short unrecorded wrk run: JIT warm-up of the path about to be measured.
warm_up() {
  WRK_LABEL=warmup wrk -t"$WRK_T" -c"$WRK_C" -d"${WARM_SECS}s" "$@" >/dev/null 2>&1 || true
}

median_rps() { # median rps of the wrk lines whose label starts with $1
  jq -s -r --arg p "$1" '[.[] | select(.kind == "wrk" and (.label | startswith($p))) | .rps] | sort
    | if length == 0 then 0 else .[(length - 1) / 2 | floor] end' "$RESULTS"
}

# start_sidecar NAME EXTRA_ARGS...: sets SC_PID, SC_PORT, SC_URL.
start_sidecar() {
  local name="$1"; shift
  SC_PORT="$(edge ports --count 1)"
  # shellcheck disable=SC2086
  # Time-stamped log lines (slf4j-simple's own properties), so CRL acceptance can be timed from the log.
  start_proc "sidecar-$name" "$WORK/sidecar-$name.log" env JAVA_OPTS="$LOG_OPTS ${SIDECAR_JAVA_OPTS:-}" \
    "$ROOT/bin/upki" auth-sidecar --listen "127.0.0.1:$SC_PORT" --trust-anchor "$CA_DIR/ca.crt" \
    --crl "$WORK/crl.der" --ca "tcp://127.0.0.1:$CA_PORT" --register "tcp://127.0.0.1:$((CA_PORT + 1))" \
    --seed "$SEED" --state-dir "$WORK/state-$name" "$@"
  SC_PID=$LAST_PID
  SC_URL="http://127.0.0.1:$SC_PORT"
  wait_http "$SC_URL/ready" "$SC_PID" 120
  log "sidecar $name running (pid $SC_PID, $SC_URL, $*)"
}

jfr_profile() { # jfr_profile LABEL PID WRK_ARGS...: a JFR recording of PID during one extra wrk run
  local label="$1" pid="$2"; shift 2
  jcmd "$pid" JFR.start name="$label" settings=profile filename="$WORK/$label.jfr" >/dev/null
  WRK_LABEL="$label" wrk -t"$WRK_T" -c"$WRK_C" -d"${SECS}s" "$@" >/dev/null 2>&1 || true
  jcmd "$pid" JFR.stop name="$label" >/dev/null
  record "$(edge jfr-top --jfr "$WORK/$label.jfr" --label "$label")"
  log "JFR of $label summarised"
}

LOG_OPTS="-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSZ"
ADMIN_HEADERS=(-H "X-Forwarded-Method: GET" -H "X-Forwarded-Uri: /api/v1/health")

# --- the PKI -------------------------------------------------------------------------------------
CA_DIR="$WORK/ca"
log "work directory $WORK; CA key type $KEY_TYPE; load average $(loadavg)"
ca_init "$CA_DIR" "$KEY_TYPE"
ca_start "$CA_DIR"
note_load start
record "$(edge issue --endpoint "tcp://127.0.0.1:$CA_PORT" --profile admin --prefix bench-admin- --count 1 \
  --out-b64 "$WORK/admin.b64" --out-pem "$WORK/admin.pem" --out-key "$WORK/admin.key" --out-nginx "$WORK/admin.nginx" | sed 's/"issue-admin"/"issue-admin-warm"/')"
log "issuing $COLD_CERTS admin certificates for the cold path"
record "$(edge issue --endpoint "tcp://127.0.0.1:$CA_PORT" --profile admin --prefix bench-cold- --count "$COLD_CERTS" \
  --threads 2 --out-b64 "$WORK/cold.b64" --out-pem "$WORK/cold-0.pem" | sed 's/"issue-admin"/"issue-admin-cold"/')"
edge crl-fetch --endpoint "tcp://127.0.0.1:$CA_PORT" --out "$WORK/crl.der"
ADMIN_CERT="$(head -1 "$WORK/admin.b64")"
AUTH=(-H "X-Forwarded-Tls-Client-Cert: $ADMIN_CERT" "${ADMIN_HEADERS[@]}")

record "$(printf '{"kind":"meta","label":"meta","date":%s,"key_type":"%s","quick":%s,"cores":%s,"cpu":%s,"java":%s,"wrk":%s,"nginx":%s,"wrk_threads":%s,"wrk_connections":%s,"seconds":%s,"rounds":%s,"cold_certs":%s,"nginx_workers":%s,"open_connections":%s,"open_seconds":%s,"work_dir":%s}' \
  "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" "$KEY_TYPE" "$([[ $QUICK == 1 ]] && echo true || echo false)" "$(nproc)" \
  "$(json_str "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)")" \
  "$(json_str "$(java -version 2>&1 | head -1)")" "$(json_str "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)")" \
  "$(json_str "$(nginx -v 2>&1)")" "$WRK_T" "$WRK_C" "$SECS" "$ROUNDS" "$COLD_CERTS" "$NGINX_WORKERS" "$OPEN_CONNS" "$OPEN_SECS" "$(json_str "$WORK_BASE")")"

# --- A: no audit, default cache: trivial endpoint against the warm path ------------------------------
# Beside it sidecar m, the same with --metrics off (issue #19: metrics cost <= 5 %), idle while A is measured.
start_sidecar m --no-audit --metrics off
M_PID=$SC_PID
M_URL=$SC_URL
code="$(curl -s -o /dev/null -w '%{http_code}' "$M_URL/metrics")"
[[ $code == 404 ]] || die "sidecar m (--metrics off) answered $code on /metrics"
start_sidecar a --no-audit
# Both sidecars get the same warm-up, in turn: in the first full run of 2026-12-07, m warmed once
# before a and was still compiling in the measured rounds (its rate rose 3,154 -> 4,489 -> 8,056).
for url in "$SC_URL" "$M_URL" "$SC_URL" "$M_URL"; do
  warm_up "$url/health"
  warm_up "${AUTH[@]}" "$url/auth/traefik"
done
note_load direct
for ((r = 1; r <= ROUNDS; r++)); do
  wrk_run "health-$r" "$SC_PID" -s "$ROOT/bench/wrk/report.lua" "$SC_URL/health"
  # /health sent the same proxy headers as the warm path: the baseline that leaves out only the work.
  wrk_run "health-hdr-$r" "$SC_PID" -s "$ROOT/bench/wrk/report.lua" "${AUTH[@]}" "$SC_URL/health"
  # Metrics on (a) and off (m) in turn, the order swapped every round (ABBA).
  if (( r % 2 == 1 )); then
    wrk_run "warm-$r" "$SC_PID" -s "$ROOT/bench/wrk/report.lua" "${AUTH[@]}" "$SC_URL/auth/traefik"
    wrk_run "nometrics-warm-$r" "$M_PID" -s "$ROOT/bench/wrk/report.lua" "${AUTH[@]}" "$M_URL/auth/traefik"
  else
    wrk_run "nometrics-warm-$r" "$M_PID" -s "$ROOT/bench/wrk/report.lua" "${AUTH[@]}" "$M_URL/auth/traefik"
    wrk_run "warm-$r" "$SC_PID" -s "$ROOT/bench/wrk/report.lua" "${AUTH[@]}" "$SC_URL/auth/traefik"
  fi
done
curl -s "$SC_URL/metrics" | grep -q '^upki_sidecar_decisions_total{.*reason="ok"' \
  || die "sidecar a (--metrics on) counted no decision on /metrics"
stop_proc "$M_PID"

# --- the same through nginx ---------------------------------------------------------------------------
NGX="$WORK/nginx"
mkdir -p "$NGX/tmp"
NGINX_PORT="$(edge ports --count 2)"
UPSTREAM_PORT=$((NGINX_PORT + 1))
USER_LINE=""
[[ $EUID == 0 ]] && USER_LINE="user root root;"
sed -e "s|@NGX@|$NGX|g" -e "s|@SIDECAR@|127.0.0.1:$SC_PORT|g" -e "s|@UPSTREAM@|127.0.0.1:$UPSTREAM_PORT|g" \
  -e "s|@LISTEN@|127.0.0.1:$NGINX_PORT|g" -e "s|@WORKERS@|$NGINX_WORKERS|g" -e "s|@USER@|$USER_LINE|g" \
  "$ROOT/bench/nginx/bench-nginx.conf" >"$NGX/nginx.conf"
start_proc nginx "$WORK/nginx.log" nginx -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log" -g 'daemon off;'
NGINX_PID=$LAST_PID
wait_http "http://127.0.0.1:$NGINX_PORT/direct/" "$NGINX_PID" 30
NGINX_PIDS="$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
NGINX_CERT="$(cat "$WORK/admin.nginx")"
NAUTH=(-H "X-SSL-Client-Cert: $NGINX_CERT")
code="$(curl -s -o /dev/null -w '%{http_code}' "${NAUTH[@]}" "http://127.0.0.1:$NGINX_PORT/api/v1/health")"
[[ $code == 200 ]] || { tail -5 "$NGX/error.log" >&2; die "nginx + sidecar answered $code to the admin certificate"; }
warm_up "http://127.0.0.1:$NGINX_PORT/health-gate/"
warm_up "${NAUTH[@]}" "http://127.0.0.1:$NGINX_PORT/api/v1/health"
note_load nginx
for ((r = 1; r <= ROUNDS; r++)); do
  wrk_run "nginx-direct-$r" "$NGINX_PIDS" -s "$ROOT/bench/wrk/report.lua" "http://127.0.0.1:$NGINX_PORT/direct/"
  wrk_run "nginx-health-$r" "$NGINX_PIDS $SC_PID" -s "$ROOT/bench/wrk/report.lua" "http://127.0.0.1:$NGINX_PORT/health-gate/"
  wrk_run "nginx-auth-$r" "$NGINX_PIDS $SC_PID" -s "$ROOT/bench/wrk/report.lua" "${NAUTH[@]}" "http://127.0.0.1:$NGINX_PORT/api/v1/health"
done
stop_proc "$NGINX_PID"

# --- nginx over TLS: auth_request to the sidecar against nginx's own ssl_verify_client + ssl_crl ---------
# (issue #20 item 6; bench/nginx/bench-nginx-tls.conf says how wrk's plain HTTP becomes mutual TLS)
NGT="$WORK/nginx-tls"
mkdir -p "$NGT/tmp"
# Five ports, one at a time: five consecutive free ones were not always found on a busy machine.
FRONT_SIDECAR="$(edge ports --count 1)"; FRONT_SELF="$(edge ports --count 1)"
GATE_SIDECAR="$(edge ports --count 1)"; GATE_SELF="$(edge ports --count 1)"; TLS_UPSTREAM="$(edge ports --count 1)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$NGT/server.key" -out "$NGT/server.crt" \
  -subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1" -days 2 >/dev/null 2>&1
openssl crl -inform DER -in "$WORK/crl.der" -out "$NGT/crl.pem"
sed -e "s|@NGX@|$NGT|g" -e "s|@SIDECAR@|127.0.0.1:$SC_PORT|g" -e "s|@UPSTREAM@|127.0.0.1:$TLS_UPSTREAM|g" \
  -e "s|@FRONT_SIDECAR@|127.0.0.1:$FRONT_SIDECAR|g" -e "s|@FRONT_SELF@|127.0.0.1:$FRONT_SELF|g" \
  -e "s|@GATE_SIDECAR@|127.0.0.1:$GATE_SIDECAR|g" -e "s|@GATE_SELF@|127.0.0.1:$GATE_SELF|g" \
  -e "s|@SERVER_CERT@|$NGT/server.crt|g" -e "s|@SERVER_KEY@|$NGT/server.key|g" \
  -e "s|@CLIENT_CERT@|$WORK/admin.pem|g" -e "s|@CLIENT_KEY@|$WORK/admin.key|g" \
  -e "s|@CA@|$CA_DIR/ca.crt|g" -e "s|@CRL@|$NGT/crl.pem|g" -e "s|@WORKERS@|$NGINX_WORKERS|g" -e "s|@USER@|$USER_LINE|g" \
  "$ROOT/bench/nginx/bench-nginx-tls.conf" >"$NGT/nginx.conf"
start_proc nginx-tls "$WORK/nginx-tls.log" nginx -p "$NGT" -c "$NGT/nginx.conf" -e "$NGT/error.log" -g 'daemon off;'
NGINX_PID=$LAST_PID
wait_http "http://127.0.0.1:$FRONT_SELF/api/v1/health" "$NGINX_PID" 30
wait_http "http://127.0.0.1:$FRONT_SIDECAR/api/v1/health" "$NGINX_PID" 30
# The self-checking gate refuses a TLS client without a certificate (400), so it does check.
code="$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$GATE_SELF/api/v1/health")"
[[ $code == 400 ]] || die "nginx with ssl_verify_client on answered $code to a client without a certificate"
NGINX_PIDS="$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
warm_up "http://127.0.0.1:$FRONT_SIDECAR/api/v1/health"
warm_up "http://127.0.0.1:$FRONT_SELF/api/v1/health"
note_load nginx-tls
for ((r = 1; r <= ROUNDS; r++)); do
  wrk_run "tls-sidecar-$r" "$NGINX_PIDS $SC_PID" -s "$ROOT/bench/wrk/report.lua" "http://127.0.0.1:$FRONT_SIDECAR/api/v1/health"
  wrk_run "tls-self-$r" "$NGINX_PIDS" -s "$ROOT/bench/wrk/report.lua" "http://127.0.0.1:$FRONT_SELF/api/v1/health"
done
stop_proc "$NGINX_PID"

# --- open loop at half the warm maximum --------------------------------------------------------------
# wrk with bench/wrk/paced.lua: requests at fixed due times, latency from each due time (a Java open-loop
# generator took more CPU than the sidecar it measured on these 2 cores, and so set the figure itself).
WARM_MAX="$(median_rps warm-)"
HALF="$(awk -v r="$WARM_MAX" 'BEGIN { printf "%.0f", r / 2 }')"
log "open loop at $HALF req/s (half the median warm maximum $WARM_MAX), ${OPEN_SECS} s, $OPEN_CONNS connections"
note_load openloop
export WRK_RATE="$HALF" WRK_THREADS_N="$OPEN_CONNS"
RUN_T="$OPEN_CONNS" RUN_C="$OPEN_CONNS" RUN_SECS="$OPEN_SECS" \
  wrk_run openloop-warm "$SC_PID" -s "$ROOT/bench/wrk/paced.lua" "${AUTH[@]}" "$SC_URL/auth/traefik"
RUN_T="$OPEN_CONNS" RUN_C="$OPEN_CONNS" RUN_SECS="$OPEN_SECS" \
  wrk_run openloop-health "$SC_PID" -s "$ROOT/bench/wrk/paced.lua" "$SC_URL/health"
unset WRK_RATE WRK_THREADS_N

if [[ $PROFILE == 1 ]]; then
  jfr_profile jfr-warm "$SC_PID" -s "$ROOT/bench/wrk/report.lua" "${AUTH[@]}" "$SC_URL/auth/traefik"
fi

# --- a CRL of CRL_ENTRIES entries in the running sidecar ------------------------------------------------
log "replacing the sidecar's CRL with $CRL_ENTRIES entries (listing bench-cold-0)"
note_load crl-swap
# shellcheck disable=SC2086
record "$(java -Xmx3g ${BENCH_JAVA_OPTS:-} -cp "$BENCH_JAR" io.upki.bench.EdgeBench crl-swap --data-dir "$CA_DIR" \
  --crl-file "$WORK/crl.der" --entries "$CRL_ENTRIES" --number 1000000 --probe-pem "$WORK/cold-0.pem" \
  --sidecar "127.0.0.1:$SC_PORT" --label "crl-swap-$CRL_ENTRIES")"
# When the sidecar logged the acceptance, against when the file was written.
ACCEPTED_LINE="$(grep -F "CRL 1000000 from" "$WORK/sidecar-a.log" | grep -F accepted | tail -1 || true)"
if [[ -n "$ACCEPTED_LINE" ]]; then
  ACCEPTED_MS="$(date -d "$(cut -d' ' -f1 <<<"$ACCEPTED_LINE")" +%s%3N 2>/dev/null || echo 0)"
  WRITTEN_MS="$(jq -r 'select(.kind == "crl-swap") | .written_at_epoch_ms' "$RESULTS" | tail -1)"
  record "{\"kind\":\"crl-swap-log\",\"label\":\"crl-swap-log\",\"write_to_accepted_log_s\":$(awk -v a="$ACCEPTED_MS" -v w="$WRITTEN_MS" 'BEGIN { printf "%.3f", (a - w) / 1000 }')}"
fi
warm_up "${AUTH[@]}" "$SC_URL/auth/traefik"
wrk_run "bigcrl-health-1" "$SC_PID" -s "$ROOT/bench/wrk/report.lua" "$SC_URL/health"
wrk_run "bigcrl-warm-1" "$SC_PID" -s "$ROOT/bench/wrk/report.lua" "${AUTH[@]}" "$SC_URL/auth/traefik"
stop_proc "$SC_PID"
# Back to the CA's own CRL for the next sidecars (a fresh state, number below the big one is fine there).
edge crl-fetch --endpoint "tcp://127.0.0.1:$CA_PORT" --out "$WORK/crl.der"

# --- audit on (the default) -------------------------------------------------------------------------
start_sidecar b
warm_up "${AUTH[@]}" "$SC_URL/auth/traefik"
note_load audit
for ((r = 1; r <= ROUNDS; r++)); do
  wrk_run "audit-health-$r" "$SC_PID" -s "$ROOT/bench/wrk/report.lua" "$SC_URL/health"
  wrk_run "audit-warm-$r" "$SC_PID" -s "$ROOT/bench/wrk/report.lua" "${AUTH[@]}" "$SC_URL/auth/traefik"
done
record "{\"kind\":\"audit-log\",\"label\":\"audit-log\",\"lines\":$(grep -c 'audit action=' "$WORK/sidecar-b.log" || true),\"bytes\":$(stat -c %s "$WORK/sidecar-b.log")}"
stop_proc "$SC_PID"

# --- cold path: cache of one entry, distinct certificates -------------------------------------------------
start_sidecar c --no-audit --cache-size 1
export WRK_CERTS="$WORK/cold.b64" WRK_THREADS_N="$WRK_T"
warm_up -s "$ROOT/bench/wrk/rotate-certs.lua" "$SC_URL/auth/traefik"
note_load cold
for ((r = 1; r <= ROUNDS; r++)); do
  wrk_run "cold-health-$r" "$SC_PID" -s "$ROOT/bench/wrk/report.lua" "$SC_URL/health"
  wrk_run "cold-$r" "$SC_PID" -s "$ROOT/bench/wrk/rotate-certs.lua" "$SC_URL/auth/traefik"
done
if [[ $PROFILE == 1 ]]; then
  jfr_profile jfr-cold "$SC_PID" -s "$ROOT/bench/wrk/rotate-certs.lua" "$SC_URL/auth/traefik"
fi
stop_proc "$SC_PID"

# --- in-JVM figures: per-operation costs, CRL acceptance and lookups ---------------------------------------
note_load costs
{ head -1 "$WORK/admin.b64"; cat "$WORK/cold.b64"; } >"$WORK/costs.b64"
record "$(edge costs --state-dir "$WORK/state-a" --ca-cert "$CA_DIR/ca.crt" --certs "$WORK/costs.b64" --seconds "$COST_SECS")"
stop_proc "$CA_PID"
log "CrlAcceptor.accept and lookups for $CRL_SIZES entries"
note_load crl-load
# shellcheck disable=SC2086
java -Xmx3g ${BENCH_JAVA_OPTS:-} -cp "$BENCH_JAR" io.upki.bench.EdgeBench crl-load --data-dir "$CA_DIR" \
  --leaf "$WORK/admin.pem" --sizes "$CRL_SIZES" --runs "$CRL_RUNS" --lookups "$LOOKUPS" >>"$RESULTS"
note_load end

# --- report -------------------------------------------------------------------------------------------
edge_report sidecar
log "report written to $REPORT (raw JSON lines beside it)"
