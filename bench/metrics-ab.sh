#!/usr/bin/env bash
# Metrics cost of the auth-sidecar (issue #19: warm path with metrics on >= 0.95x metrics off): two
# sidecars on one CA, one with --metrics on (the default) and one with --metrics off, warmed alike in
# turn, then ROUNDS alternating wrk runs (ABBA) on the warm /auth/traefik. The figure is the median of
# the per-round ratios on/off. Writes bench/results/metrics-ab-<date>.md and .jsonl.
#
#   bench/metrics-ab.sh   # environment: ROUNDS (6), SECS (8 s per run), WARM_SECS (10), KEY_TYPE (rsa)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOG_TAG=metrics-ab; KEEP=0
WORK="$(mktemp -d "$([[ -d /dev/shm && -w /dev/shm ]] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/upki-metrics-ab.XXXXXX")"
SEED="ab-seed-$RANDOM$RANDOM"; ROUNDS="${ROUNDS:-6}"; SECS="${SECS:-8}"; WARM_SECS="${WARM_SECS:-10}"
OUT="$ROOT/bench/results/metrics-ab-$(date +%F)"; : >"$OUT.jsonl"
for tool in java wrk curl jq; do command -v "$tool" >/dev/null || { echo "metrics-ab: $tool is not on the PATH" >&2; exit 1; }; done
source "$ROOT/bench/lib/edge-common.sh"; edge_init; edge_build
LOAD_START="$(loadavg)"
ca_init "$WORK/ca" "${KEY_TYPE:-rsa}"; ca_start "$WORK/ca"
edge issue --endpoint "tcp://127.0.0.1:$CA_PORT" --profile admin --prefix ab-admin- --count 1 --out-b64 "$WORK/admin.b64" >/dev/null
edge crl-fetch --endpoint "tcp://127.0.0.1:$CA_PORT" --out "$WORK/crl.der"
AUTH=(-H "X-Forwarded-Tls-Client-Cert: $(head -1 "$WORK/admin.b64")" -H "X-Forwarded-Method: GET" -H "X-Forwarded-Uri: /api/v1/health")
declare -A PID URL
for side in on off; do
  port="$(edge ports --count 1)"
  start_proc "sidecar-$side" "$WORK/sidecar-$side.log" "$ROOT/bin/upki" auth-sidecar --listen "127.0.0.1:$port" \
    --trust-anchor "$WORK/ca/ca.crt" --crl "$WORK/crl.der" --ca "tcp://127.0.0.1:$CA_PORT" \
    --register "tcp://127.0.0.1:$((CA_PORT + 1))" --seed "$SEED" --state-dir "$WORK/state-$side" --no-audit --metrics "$side"
  PID[$side]=$LAST_PID; URL[$side]="http://127.0.0.1:$port"
  wait_http "${URL[$side]}/ready" "${PID[$side]}" 120
done
[[ "$(curl -s -o /dev/null -w '%{http_code}' "${URL[off]}/metrics")" == 404 ]] || die "--metrics off still serves /metrics"
for side in on off on off; do # JIT warm-up, in turn, unrecorded
  wrk -t2 -c16 -d"${WARM_SECS}s" "${AUTH[@]}" "${URL[$side]}/auth/traefik" >/dev/null 2>&1 || true
done
for ((r = 1; r <= ROUNDS; r++)); do
  order="on off"; (( r % 2 == 0 )) && order="off on"
  for side in $order; do
    line="$(WRK_LABEL="$side-$r" wrk -t2 -c16 -d"${SECS}s" -s "$ROOT/bench/wrk/report.lua" "${AUTH[@]}" "${URL[$side]}/auth/traefik" \
      | grep '^{"kind":"wrk"' | tail -1)"
    echo "${line%\}},\"round\":$r,\"side\":\"$side\",\"loadavg\":\"$(loadavg)\"}" >>"$OUT.jsonl"
    log "$side-$r: $(jq -r '.rps | floor' <<<"${line}") req/s"
  done
done
curl -s "${URL[on]}/metrics" | grep -q '^upki_sidecar_decisions_total{.*reason="ok"' || die "--metrics on counted no decision"
{
  echo "# Metrics cost of the auth-sidecar, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Two sidecars on one ${KEY_TYPE:-rsa} CA (\`--no-audit\`), \`--metrics on\` and \`--metrics off\`, warmed alike in turn"
  echo "(2 x ${WARM_SECS} s each), then $ROUNDS rounds of wrk -t2 -c16 ${SECS} s on the warm \`/auth/traefik\`, alternating (ABBA)."
  echo "$(nproc) cores; load average at the start $LOAD_START, at the end $(loadavg)."
  echo
  echo "| round | on req/s | off req/s | on / off | load |"
  echo "|---|---|---|---|---|"
  jq -s -r 'group_by(.round)[] | (map(select(.side == "on"))[0]) as $a | (map(select(.side == "off"))[0]) as $b
    | "| \($a.round) | \($a.rps | floor) | \($b.rps | floor) | \(($a.rps / $b.rps * 100 | round) / 100) | \($b.loadavg) |"' "$OUT.jsonl"
  echo
  jq -s -r '[group_by(.round)[] | (map(select(.side == "on"))[0].rps) / (map(select(.side == "off"))[0].rps)] | sort
    | (if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end) as $m
    | "Median of the per-round ratios: \(($m * 100 | round) / 100)x (target >= 0.95x: \(if $m >= 0.95 then "met" else "not met" end))."' "$OUT.jsonl"
} >"$OUT.md"
cat "$OUT.md"
