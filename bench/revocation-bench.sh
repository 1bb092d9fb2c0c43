#!/usr/bin/env bash
# Revocation-to-refusal latency through real processes on loopback: ca-server, crl-publisher, 1 and 3
# auth-sidecars; then the same with BENCH_BIG revoked certificates in the CA's store.
# See bench/README.md ("revocation to refusal") for what each figure means.
#
#   bench/revocation-bench.sh [--key-type ec|rsa] [--quick] [--keep] [--results-dir DIR] [--wait-calm LOAD]
#                             [--sidecars N]
#
# --sidecars N (N > 3): after the big runs, N sidecars on the big CRL (big-N), between two 3-sidecar runs
# with the same pacing (big-3-a, big-3-b) as its baseline (BENCH_SCALE_REVOCATIONS, 30;
# BENCH_SCALE_PAUSE_MS, 1000).
# Delta CRLs: the crl-publisher pushes them (--crl-deltas on, its default). With BENCH_DELTA_AB=1 the
# 3-sidecar small-CRL run and the N-sidecar big run are each repeated with the publisher restarted on the
# same port with --crl-deltas off (labels *-full: every sidecar fetches each complete CRL), as their
# baseline in the same run.
# Environment: BENCH_REVOCATIONS (120; quick 20), BENCH_BIG (100000), BENCH_POLL_MS (2), BENCH_PAUSE_MS (150),
# BENCH_WARMUP (10; untimed revocations before each run), BENCH_CLIENT_PROBE (1: also run the 3-sidecar case with non-admin probes, see README), BENCH_ONLY_BIG (1: skip
# the small-CRL runs), SIDECAR_JAVA_OPTS,
# CA_JAVA_OPTS, PUBLISHER_JAVA_OPTS, BENCH_JAVA_OPTS, BENCH_WORK_DIR (default $TMPDIR or /tmp: on disk,
# because the CA's fsyncs are part of every revocation).
set -euo pipefail

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }

KEY_TYPE=ec
QUICK=0
KEEP=0
CALM=""
RESULTS_DIR=""
SCALE=0
LOG_TAG=revocation-bench
# shellcheck source=bench/lib/options.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/options.sh"
bench_options "--sidecars=SCALE --key-type=KEY_TYPE --quick+QUICK --keep+KEEP --wait-calm=CALM \
  --results-dir=RESULTS_DIR" "$@"
[[ $KEY_TYPE == ec || $KEY_TYPE == rsa ]] || { echo "revocation-bench: --key-type must be ec or rsa" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results}"
WORK_BASE="${BENCH_WORK_DIR:-${TMPDIR:-/tmp}}"
WORK="$(mktemp -d "$WORK_BASE/upki-revocation-bench.XXXXXX")"
# shellcheck source=bench/lib/edge-common.sh
source "$ROOT/bench/lib/edge-common.sh"
edge_init

if [[ $QUICK == 1 ]]; then
  COUNT="${BENCH_REVOCATIONS:-20}"
else
  COUNT="${BENCH_REVOCATIONS:-120}"
fi
BIG="${BENCH_BIG:-100000}"
POLL_MS="${BENCH_POLL_MS:-2}"
PAUSE_MS="${BENCH_PAUSE_MS:-150}"
WARMUP="${BENCH_WARMUP:-10}"
CLIENT_PROBE="${BENCH_CLIENT_PROBE:-1}"
SEED="bench-seed-$RANDOM$RANDOM"
LOG_OPTS="-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSZ"

edge_results java curl jq
edge_build
[[ -n "$CALM" ]] && wait_for_calm "$CALM" 600

note() { log "NOTE: $*"; record "{\"kind\":\"note\",\"label\":\"note\",\"text\":$(json_str "$*")}"; }

PUB_PID=""
PUB_KIND=""
start_publisher() { # start_publisher real|standin OUTDIR [PORT]
  PUB_PORT="${3:-$(edge ports --count 1)}"
  PUB_URL="http://127.0.0.1:$PUB_PORT"
  if [[ $1 == real ]]; then
    start_proc crl-publisher "$WORK/publisher-$PUB_PORT.log" env JAVA_OPTS="$LOG_OPTS ${PUBLISHER_JAVA_OPTS:-}" \
      "$ROOT/bin/upki" crl-publisher --ca "tcp://127.0.0.1:$CA_PORT" --ca-cert "$CA_DIR/ca.crt" --out "$2" \
      --listen "127.0.0.1:$PUB_PORT" --crl-deltas "${PUB_DELTAS:-on}"
    PUB_KIND=crl-publisher
  else
    # shellcheck disable=SC2086
    start_proc bench-publisher "$WORK/publisher-$PUB_PORT.log" java ${PUBLISHER_JAVA_OPTS:-} -cp "$BENCH_JAR" \
      io.upki.bench.EdgeBench publisher --ca "tcp://127.0.0.1:$CA_PORT" --events "tcp://127.0.0.1:$((CA_PORT + 2))" \
      --ca-cert "$CA_DIR/ca.crt" --out "$2" --port "$PUB_PORT"
    PUB_KIND="bench stand-in"
  fi
  PUB_PID=$LAST_PID
  wait_http "$PUB_URL/ready" "$PUB_PID" 120
  log "$PUB_KIND running (pid $PUB_PID, $PUB_URL)"
}

# restart_publisher on|off OUTDIR: the real publisher again on the same port with --crl-deltas on|off; the
# sidecars subscribed to it reconnect by themselves (backoff up to 2 s).
restart_publisher() {
  stop_proc "$PUB_PID"
  PUB_DELTAS="$1" start_publisher real "$2" "$PUB_PORT"
  sleep 4
}

declare -a SC_PIDS=() SC_ADDRS=()
start_sidecar() { # start_sidecar INDEX
  local i="$1" port
  port="$(edge ports --count 1)"
  start_proc "sidecar-$i" "$WORK/sidecar-$i-$port.log" env JAVA_OPTS="$LOG_OPTS ${SIDECAR_JAVA_OPTS:-}" \
    "$ROOT/bin/upki" auth-sidecar --listen "127.0.0.1:$port" --trust-anchor "$CA_DIR/ca.crt" \
    --crl "$PUB_URL/crl.der" --crl-events "$PUB_URL/events" --ca "tcp://127.0.0.1:$CA_PORT" \
    --register "tcp://127.0.0.1:$((CA_PORT + 1))" --seed "$SEED" --state-dir "$WORK/state-$i" --no-audit
  SC_PIDS+=("$LAST_PID")
  SC_ADDRS+=("127.0.0.1:$port")
  wait_http "http://127.0.0.1:$port/ready" "$LAST_PID" 120
  log "sidecar $i running (pid $LAST_PID, http://127.0.0.1:$port)"
}
stop_sidecars() {
  local p
  for p in "${SC_PIDS[@]}"; do stop_proc "$p"; done
  SC_PIDS=(); SC_ADDRS=()
}

# stats NAME: p50/p95/max/n of the numbers on stdin, as JSON fields NAME_p50_ms ...
stats() {
  sort -n | awk -v n="$1" '{ v[NR] = $1 } END {
    if (NR == 0) { printf "\"%s_n\":0", n; exit }
    p50 = v[int((NR - 1) * 0.50) + 1]; p95 = v[int((NR - 1) * 0.95) + 1]
    printf "\"%s_n\":%d,\"%s_p50_ms\":%s,\"%s_p95_ms\":%s,\"%s_max_ms\":%s", n, NR, n, p50, n, p95, n, v[NR] }'
}

# measure LABEL LEVEL [PROBE]: one revocation run over the sidecars now running, with the CA's own
# generate_crl times (its audit log) and, for the stand-in publisher, where each publication's time went.
measure() {
  local label="$1" level="$2" probe="${3:-admin}" line addrs ca_from pub_from extra
  addrs="$(IFS=,; echo "${SC_ADDRS[*]}")"
  log "$label: $COUNT revocations, ${#SC_ADDRS[@]} sidecar(s), $PUB_KIND, probe $probe"
  note_load "$label"
  ca_from=$(( $(wc -l <"$WORK/ca-$CA_PORT.log") + 1 ))
  pub_from=0
  [[ $PUB_KIND == crl-publisher ]] || pub_from="$(curl -s "$PUB_URL/timings" | jq length)"
  line="$(edge revocation --endpoint "tcp://127.0.0.1:$CA_PORT" --sidecar "$addrs" --count "$COUNT" \
    --prefix "$label-" --events "$PUB_URL/events" --crl-url "$PUB_URL/crl.der" --poll-ms "$POLL_MS" \
    --pause-ms "$PAUSE_MS" --label "$label" --probe "$probe" --warmup "$WARMUP" --raw-out "$WORK/$label.tsv")"
  extra="$(tail -n +"$ca_from" "$WORK/ca-$CA_PORT.log" | sed -n 's/.*action=generate_crl result=ok .* ms=\([0-9]*\).*/\1/p' \
    | stats ca_generate_crl)"
  if [[ $PUB_KIND != crl-publisher ]]; then
    local phase
    for phase in debounce_ms generate_crl_call_ms accept_ms write_fsync_ms push_ms; do
      extra+=",$(curl -s "$PUB_URL/timings" | jq -r --argjson from "$pub_from" ".[\$from:][] | .$phase" \
        | stats "standin_${phase%_ms}")"
    done
  fi
  line="$(json_add "$line" publisher "$(json_str "$PUB_KIND")" level "$(json_str "$level")")"
  record "${line%\}},$extra}"
  cp "$WORK/$label.tsv" "$RAW_DIR/" 2>/dev/null || true
}

CA_DIR="$WORK/ca"
RAW_DIR="$WORK/raw"
mkdir -p "$RAW_DIR"
log "work directory $WORK; CA key type $KEY_TYPE; load average $(loadavg)"
ca_init "$CA_DIR" "$KEY_TYPE"
ca_start "$CA_DIR"
record "$(printf '{"kind":"meta","label":"meta","date":%s,"key_type":"%s","quick":%s,"cores":%s,"cpu":%s,"java":%s,"revocations":%s,"big":%s,"poll_ms":%s,"pause_ms":%s,"work_dir":%s}' \
  "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" "$KEY_TYPE" "$([[ $QUICK == 1 ]] && echo true || echo false)" "$(nproc)" \
  "$(json_str "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)")" \
  "$(json_str "$(java -version 2>&1 | head -1)")" "$COUNT" "$BIG" "$POLL_MS" "$PAUSE_MS" "$(json_str "$WORK_BASE")")"

# --- small CRL: the real crl-publisher, 1 then 3 sidecars -------------------------------------------------
if [[ ${BENCH_ONLY_BIG:-0} != 1 ]]; then
start_publisher real "$WORK/pub-small"
start_sidecar 1
measure small-1 small
start_sidecar 2
start_sidecar 3
measure small-3 small
if [[ $CLIENT_PROBE == 1 ]]; then
  measure small-3-client small client
fi
if [[ ${BENCH_DELTA_AB:-0} == 1 ]]; then
  restart_publisher off "$WORK/pub-small"
  measure small-3-full small
  restart_publisher on "$WORK/pub-small"
  measure small-3-b small
fi
stop_sidecars
stop_proc "$PUB_PID"

# The stand-in publisher on the same small CRL, to compare it with the real one.
start_publisher standin "$WORK/pub-standin-small"
start_sidecar 1; start_sidecar 2; start_sidecar 3
measure small-3-standin small
stop_sidecars
stop_proc "$PUB_PID"
fi

# --- BIG revoked certificates in the CA's store -------------------------------------------------------------
stop_proc "$CA_PID"
log "marking $BIG certificates revoked in the stopped CA's store"
java -jar "$BENCH_JAR" seed-store --data-dir "$CA_DIR" --revoked "$BIG" >&2
ca_start "$CA_DIR"

# Can the real publisher fetch a CRL that large? POST /refresh makes it call generate_crl now.
start_publisher real "$WORK/pub-big"
log "asking the crl-publisher for a CRL with $BIG entries (POST /refresh)"
PROBE_START=$(date +%s%N)
PROBE_CODE="$(curl -s -o "$WORK/refresh.out" -w '%{http_code}' -X POST --max-time 120 "$PUB_URL/refresh" || true)"
PROBE_MS=$(( ($(date +%s%N) - PROBE_START) / 1000000 ))
PROBE_BODY="$(head -c 400 "$WORK/refresh.out" 2>/dev/null | tr -d '\n' || true)"
if [[ $PROBE_CODE == 200 ]]; then
  note "crl-publisher published a CRL of $BIG+ entries on POST /refresh in $PROBE_MS ms: it is used for the big runs."
  BIG_PUB=real
else
  PUB_ERR="$(grep -E 'WARN|ERROR' "$WORK/publisher-$PUB_PORT.log" | grep -iE 'generate_crl|refresh|failed' | head -1 | cut -c1-400 || true)"
  note "crl-publisher could not publish a CRL of $BIG+ entries: POST /refresh answered $PROBE_CODE after $PROBE_MS ms ($PROBE_BODY); its log: ${PUB_ERR:-nothing}. The big runs use the bench stand-in publisher (same debounce, checks, fsync'd file and SSE push, but a JSON parser without the 4 MiB string bound)."
  BIG_PUB=standin
fi
stop_proc "$PUB_PID"
start_publisher "$BIG_PUB" "$WORK/pub-big-2"
start_sidecar 1
measure big-1 big
start_sidecar 2
start_sidecar 3
measure big-3 big
if (( SCALE > 3 )); then
  # A,B,A: the N-sidecar run between two 3-sidecar runs paced alike, so its ratio is of the same hour.
  SAVED=("$COUNT" "$PAUSE_MS")
  COUNT="${BENCH_SCALE_REVOCATIONS:-30}"; PAUSE_MS="${BENCH_SCALE_PAUSE_MS:-1000}"
  measure big-3-a big
  for (( i = 4; i <= SCALE; i++ )); do start_sidecar "$i"; done
  measure "big-$SCALE" big
  if [[ ${BENCH_DELTA_AB:-0} == 1 && $BIG_PUB == real ]]; then
    restart_publisher off "$WORK/pub-big-2"
    measure "big-$SCALE-full" big
    restart_publisher on "$WORK/pub-big-2"
    measure "big-$SCALE-b" big
  fi
  for (( i = SCALE - 1; i >= 3; i-- )); do stop_proc "${SC_PIDS[$i]}"; done
  SC_PIDS=("${SC_PIDS[@]:0:3}"); SC_ADDRS=("${SC_ADDRS[@]:0:3}")
  measure big-3-b big
  COUNT="${SAVED[0]}"; PAUSE_MS="${SAVED[1]}"
fi
stop_sidecars
stop_proc "$PUB_PID"
stop_proc "$CA_PID"
note_load end

# --- report --------------------------------------------------------------------------------------------------
edge_report revocation
tar -C "$WORK" -czf "${REPORT%.md}-raw.tgz" raw 2>/dev/null || true
if (( SCALE > 3 )); then
  {
    echo
    echo "## $SCALE sidecars on the big CRL, between two 3-sidecar runs (A, B, A; same pacing)"
    echo
    echo "Latency from the revoke reply to the last sidecar's refusal; 'published' is when the publisher's SSE"
    echo "announced the CRL, 'publish to all' the rest. Target (issue #18): p99 < 1 s with $SCALE sidecars."
    echo
    echo "| run | sidecars | n | p50 ms | p99 ms | max ms | published p50 ms | publish to all p50 / p99 ms | load at start |"
    echo "|---|---|---|---|---|---|---|---|---|"
    jq -r --slurp --arg n "big-$SCALE" '
      (map(select(.kind == "load")) | map({key: .at, value: .loadavg}) | from_entries) as $load
      | .[] | select(.kind == "revocation" and (.label == "big-3-a" or (.label | startswith($n)) or .label == "big-3-b"))
      | "| \(.label) | \(.sidecars) | \(.all_n) | \(.all_p50_ms) | \(.all_p99_ms) | \(.all_max_ms) | \(.publish_p50_ms) | \(.publish_to_all_p50_ms) / \(.publish_to_all_p99_ms) | \($load[.label] // "?") |"' "$RESULTS"
    echo
    jq -r --slurp --arg n "big-$SCALE" '
      (map(select(.label == "big-3-a" or .label == "big-3-b") | .all_p99_ms) | add / length) as $base
      | (map(select(.label == $n)) | .[0].all_p99_ms) as $big
      | "p99 with '"$SCALE"' sidecars: \($big) ms, \(($big / $base * 100 | round) / 100)x the mean p99 of the two 3-sidecar runs (\($base) ms); "
        + (if $big < 1000 then "target < 1 s met." else "target < 1 s NOT met." end)' "$RESULTS"
  } >>"$REPORT"
fi
if [[ ${BENCH_DELTA_AB:-0} == 1 ]]; then
  {
    echo
    echo "## Delta CRLs pushed against complete CRLs fetched (same run; *-full: publisher --crl-deltas off)"
    echo
    echo "| run | sidecars | n | p50 ms | p99 ms | max ms | load at start |"
    echo "|---|---|---|---|---|---|---|"
    jq -r --slurp '
      (map(select(.kind == "load")) | map({key: .at, value: .loadavg}) | from_entries) as $load
      | .[] | select(.kind == "revocation" and (.label | test("^(small-3|small-3-full|small-3-b|big-[0-9]+(-full|-b)?)$")))
      | "| \(.label) | \(.sidecars) | \(.all_n) | \(.all_p50_ms) | \(.all_p99_ms) | \(.all_max_ms) | \($load[.label] // "?") |"' "$RESULTS"
  } >>"$REPORT"
fi
log "report written to $REPORT (raw JSON lines and per-revocation TSVs beside it)"
