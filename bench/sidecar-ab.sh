#!/usr/bin/env bash
# A/B of two builds of the auth-sidecar on a busy machine: both run side by side on one CA, and wrk runs
# alternate between them (ABBA order) on `/health` sent the warm path's proxy headers and on the warm
# `/auth/traefik`; then an open loop (bench/wrk/paced.lua) at half the second build's median warm rate.
# Both builds see the same noise, so their ratios compare where absolute figures of one run would not.
#
#   bench/sidecar-ab.sh BEFORE_ROOT [OUT.jsonl]   # BEFORE_ROOT: another checkout, its jars built;
#                                                 # OUT defaults to bench/results/sidecar-ab-<date>.jsonl
#
# This checkout is "after". Environment: CYCLES (10), SECS (4 s per wrk run), KEY_TYPE (rsa), BENCH_WORK_DIR.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AFTER=$ROOT; BEFORE="$(cd "${1:?usage: bench/sidecar-ab.sh BEFORE_ROOT [OUT.jsonl]}" && pwd)"
LOG_TAG=sidecar-ab; KEEP=0
WORK_BASE="${BENCH_WORK_DIR:-$([[ -d /dev/shm && -w /dev/shm ]] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}"
WORK="$(mktemp -d "$WORK_BASE/upki-sidecar-ab.XXXXXX")"; SEED="ab-seed-$RANDOM$RANDOM"
OUT="${2:-$ROOT/bench/results/sidecar-ab-$(date +%F).jsonl}"; : >"$OUT"
CYCLES="${CYCLES:-10}"; SECS="${SECS:-4}"
export UPKI_NO_BUILD=1 # both builds as they are
for tool in java wrk curl jq; do command -v "$tool" >/dev/null || { echo "sidecar-ab: $tool is not on the PATH" >&2; exit 1; }; done
source "$ROOT/bench/lib/edge-common.sh"; edge_init
ca_init "$WORK/ca" "${KEY_TYPE:-rsa}"; ca_start "$WORK/ca"
edge issue --endpoint "tcp://127.0.0.1:$CA_PORT" --profile admin --prefix ab-admin- --count 1 --out-b64 "$WORK/admin.b64" --out-pem "$WORK/admin.pem" --out-nginx "$WORK/admin.nginx" >/dev/null
edge crl-fetch --endpoint "tcp://127.0.0.1:$CA_PORT" --out "$WORK/crl.der"
CERT="$(head -1 "$WORK/admin.b64")"
AUTH=(-H "X-Forwarded-Tls-Client-Cert: $CERT" -H "X-Forwarded-Method: GET" -H "X-Forwarded-Uri: /api/v1/health")
declare -A PID PORT
for side in before after; do
  dir=$AFTER; [[ $side == before ]] && dir=$BEFORE
  PORT[$side]="$(edge ports --count 1)"
  start_proc "sidecar-$side" "$WORK/sidecar-$side.log" "$dir/bin/upki" auth-sidecar --listen "127.0.0.1:${PORT[$side]}" --trust-anchor "$WORK/ca/ca.crt" \
    --crl "$WORK/crl.der" --ca "tcp://127.0.0.1:$CA_PORT" --register "tcp://127.0.0.1:$((CA_PORT + 1))" --seed "$SEED" --state-dir "$WORK/state-$side" --no-audit
  PID[$side]=$LAST_PID
  wait_http "http://127.0.0.1:${PORT[$side]}/ready" "${PID[$side]}" 120
done
run() { # label side url-path [auth]
  local label="$1" side="$2" path="$3"; shift 3
  local p="${PID[$side]}" s0 s1 t0 t1 line
  s0=$(proc_ticks "$p"); t0=$(date +%s%N)
  line="$(WRK_LABEL="$label" wrk -t2 -c16 -d"${SECS}s" -s "$ROOT/bench/wrk/report.lua" "$@" "http://127.0.0.1:${PORT[$side]}$path" | grep '^{"kind":"wrk"' | tail -1)"
  s1=$(proc_ticks "$p"); t1=$(date +%s%N)
  line="$(awk -v s0="$s0" -v s1="$s1" -v t0="$t0" -v t1="$t1" -v tck="$CLK_TCK" -v line="$line" -v load="$(loadavg)" 'BEGIN {
    wall = (t1 - t0) / 1e9; sub(/}$/, "", line); printf "%s,\"server_cores\":%.3f,\"server_cpu_s\":%.3f,\"loadavg\":\"%s\"}\n", line, (s1 - s0) / tck / wall, (s1 - s0) / tck, load }')"
  echo "$line" >>"$OUT"
  log "$(jq -r '"\(.label): \(.rps|floor) req/s, p99 \(.p99_ms) ms, server \(.server_cores) cores, \((.server_cpu_s / .requests * 1e6)|floor) us/req"' <<<"$line")"
}
for side in before after; do # JIT warm-up, unrecorded
  WRK_LABEL=warmup wrk -t2 -c16 -d15s "${AUTH[@]}" "http://127.0.0.1:${PORT[$side]}/auth/traefik" >/dev/null 2>&1 || true
  WRK_LABEL=warmup wrk -t2 -c16 -d8s "${AUTH[@]}" "http://127.0.0.1:${PORT[$side]}/health" >/dev/null 2>&1 || true
done
for ((c = 1; c <= CYCLES; c++)); do
  order="before after"; (( c % 2 == 0 )) && order="after before"
  for side in $order; do
    run "$side-health-hdr-$c" "$side" /health "${AUTH[@]}"
    run "$side-warm-$c" "$side" /auth/traefik "${AUTH[@]}"
  done
done
# open loop at half the after sidecar's median warm maximum, for after and (same rate) before
WARM_MAX="$(jq -s -r '[.[] | select(.label | startswith("after-warm-")) | .rps] | sort | .[(length - 1) / 2 | floor]' "$OUT")"
HALF="$(awk -v r="$WARM_MAX" 'BEGIN { printf "%.0f", r / 2 }')"
log "open loop at $HALF req/s (half the after median warm $WARM_MAX)"
for side in after before after before; do
  s0=$(proc_ticks "${PID[$side]}")
  line="$(WRK_LABEL="openloop-$side" WRK_SECS=15 WRK_RATE="$HALF" WRK_THREADS_N=32 wrk -t32 -c32 -d15s -s "$ROOT/bench/wrk/paced.lua" "${AUTH[@]}" "http://127.0.0.1:${PORT[$side]}/auth/traefik" | grep '^{"kind"' | tail -1)"
  echo "${line%\}},\"loadavg\":\"$(loadavg)\"}" >>"$OUT"
  log "openloop-$side: $(jq -r '"asked \(.target_rate // "?"), served \(.achieved_rate // .rps), p99 \(.p99_ms) ms, p50 \(.p50_ms) ms"' <<<"$line")"
done
log "raw lines in $OUT"
