#!/usr/bin/env bash
# Throughput of the crl-publisher's OCSP responder on loopback: pre-signed answers (requests without a
# nonce, RFC 5019) by GET and by POST, against the same publisher's trivial GET /health in the same run.
#
#   bench/ocsp-bench.sh [--quick] [--keep] [--results-dir DIR]
#
# Targets (issue #19): >= 20,000 OCSP answers/s from the cache, and >= 0.8x the /health rate.
# Environment: PUBLISHER_JAVA_OPTS, WRK_THREADS (2), WRK_CONNECTIONS (16), BENCH_ROUNDS, BENCH_SECONDS.
# Needs java, wrk, openssl, curl, jq; builds ca-server and crl-publisher (mvn package) when a jar is missing.
set -euo pipefail

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }

QUICK=0
KEEP=0
RESULTS_DIR=""
LOG_TAG=ocsp-bench
# shellcheck source=bench/lib/options.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/options.sh"
bench_options "--quick+QUICK --keep+KEEP --results-dir=RESULTS_DIR" "$@"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/upki-ocsp-bench.XXXXXX")"
# shellcheck source=bench/lib/edge-common.sh
source "$ROOT/bench/lib/edge-common.sh"
edge_init

if [[ $QUICK == 1 ]]; then
  ROUNDS="${BENCH_ROUNDS:-1}"; SECS="${BENCH_SECONDS:-5}"; WARM_SECS=5
else
  ROUNDS="${BENCH_ROUNDS:-3}"; SECS="${BENCH_SECONDS:-10}"; WARM_SECS=15
fi
WRK_T="${WRK_THREADS:-2}"
WRK_C="${WRK_CONNECTIONS:-16}"
edge_results java wrk openssl curl jq
CA_JAR="$ROOT/ca-server/target/ca-server.jar"
PUB_JAR="$ROOT/crl-publisher/target/crl-publisher.jar"
if [[ ! -f "$CA_JAR" || ! -f "$PUB_JAR" ]]; then
  log "building ca-server and crl-publisher (mvn package)"
  (cd "$ROOT" && mvn -B -q -ntp -pl ca-server,crl-publisher -am -DskipTests package) >&2
fi

# A port nobody listens on (bash only: the bench jar is not needed here).
free_port() {
  local p
  while true; do
    p=$(( 20000 + RANDOM % 10000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && ! (exec 3<>"/dev/tcp/127.0.0.1/$((p + 1))") 2>/dev/null \
        && ! (exec 3<>"/dev/tcp/127.0.0.1/$((p + 2))") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
}

export UPKI_CA_SEED="bench-seed-$RANDOM$RANDOM" # from the environment, never argv
java -jar "$CA_JAR" init --data-dir "$WORK/ca" --key-type ec >"$WORK/ca-init.log" 2>&1 \
  || { cat "$WORK/ca-init.log" >&2; die "ca-server init failed"; }
CA_PORT="$(free_port)"
start_proc ca-server "$WORK/ca.log" java -XX:CompileThresholdScaling=0.1 -jar "$CA_JAR" start \
  --data-dir "$WORK/ca" --port "$CA_PORT"
CA_PID=$LAST_PID
wait_log "$WORK/ca.log" "upki ca-server ready" "$CA_PID" 120
PUB_PORT="$(free_port)"
# shellcheck disable=SC2086 # PUBLISHER_JAVA_OPTS is a list of JVM options
start_proc crl-publisher "$WORK/publisher.log" java ${PUBLISHER_JAVA_OPTS:-} -jar "$PUB_JAR" \
  --ca "tcp://127.0.0.1:$CA_PORT" --ca-cert "$WORK/ca/ca.crt" --out "$WORK/crl" \
  --listen "127.0.0.1:$PUB_PORT" --ocsp
PUB_PID=$LAST_PID
URL="http://127.0.0.1:$PUB_PORT"
wait_http "$URL/ready" "$PUB_PID" 120
log "ca-server (pid $CA_PID) and crl-publisher --ocsp (pid $PUB_PID, $URL) running"

# The request: the status of the responder's own signer certificate, which the CA issued (good).
openssl ocsp -issuer "$WORK/ca/ca.crt" -cert "$WORK/crl/ocsp-signer/ocsp-signer.crt" -no_nonce \
  -reqout "$WORK/req.der" >/dev/null 2>&1 || true
[[ -s "$WORK/req.der" ]] || die "openssl wrote no OCSP request"
CHECK="$(openssl ocsp -reqin "$WORK/req.der" -url "$URL/ocsp" -CAfile "$WORK/ca/ca.crt" -resp_text 2>&1)"
grep -q "Response verify OK" <<<"$CHECK" && grep -q "Cert Status: good" <<<"$CHECK" \
  || { printf '%s\n' "$CHECK" >&2; die "the responder did not answer good"; }
GET_PATH="$(base64 -w0 "$WORK/req.der" | sed -e 's|+|%2B|g' -e 's|/|%2F|g' -e 's|=|%3D|g')"

wrk_run() { # wrk_run LABEL ARGS...: one recorded run, with the publisher's CPU over it
  local label="$1"; shift
  local s0 s1 t0 t1 line
  s0=$(proc_ticks "$PUB_PID"); t0=$(date +%s%N)
  line="$(WRK_LABEL="$label" wrk -t"$WRK_T" -c"$WRK_C" -d"${SECS}s" "$@" 2>&1 | grep '^{"kind":"wrk"' | tail -1)"
  t1=$(date +%s%N); s1=$(proc_ticks "$PUB_PID")
  [[ -n "$line" ]] || die "wrk $label printed no result"
  line="$(json_add "$line" server_cores "$(awk -v a="$s0" -v b="$s1" -v t0="$t0" -v t1="$t1" -v k="$CLK_TCK" \
    'BEGIN { printf "%.2f", (b - a) / k / ((t1 - t0) / 1e9) }')" loadavg "$(json_str "$(loadavg)")")"
  printf '%s\n' "$line" >>"$RESULTS"
  log "$(jq -r '"\(.label): \(.rps|floor) req/s, p50 \(.p50_ms) ms, p99 \(.p99_ms) ms, non-2xx \(.errors_status), publisher \(.server_cores) cores"' <<<"$line")"
}

HEALTH=(-s "$ROOT/bench/wrk/report.lua" "$URL/health")
OGET=(-s "$ROOT/bench/wrk/report.lua" "$URL/ocsp/$GET_PATH")
OPOST=(-s "$ROOT/bench/wrk/ocsp-post.lua" "$URL/ocsp")
export OCSP_REQ="$WORK/req.der"
for args in HEALTH OGET OPOST; do # JIT warm-up, not recorded
  declare -n a="$args"
  WRK_LABEL=warmup wrk -t"$WRK_T" -c"$WRK_C" -d"${WARM_SECS}s" "${a[@]}" >/dev/null 2>&1 || true
  unset -n a
done
for ((r = 1; r <= ROUNDS; r++)); do # interleaved, so a busy moment of the machine hits all three
  wrk_run "health-$r" "${HEALTH[@]}"
  wrk_run "ocsp-get-$r" "${OGET[@]}"
  wrk_run "ocsp-post-$r" "${OPOST[@]}"
done
METRICS="$(curl -s "$URL/metrics")"

median() {
  jq -s -r --arg p "$1" '[.[] | select(.kind == "wrk" and (.label | startswith($p))) | .rps] | sort
    | if length == 0 then 0 else .[(length - 1) / 2 | floor] end' "$RESULTS"
}
H="$(median health-)"; G="$(median ocsp-get-)"; P="$(median ocsp-post-)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v >= t ? "met" : "NOT met") }'; }

mkdir -p "$RESULTS_DIR"
SUFFIX=""
[[ $QUICK == 1 ]] && SUFFIX="-quick"
NAME="ocsp-$(date +%F)$SUFFIX"
cp "$RESULTS" "$RESULTS_DIR/$NAME.jsonl"
{
  echo "# OCSP responder bench, $(date -u +%FT%TZ)"
  echo
  echo "crl-publisher --ocsp on loopback, EC P-256 delegated signer, wrk -t$WRK_T -c$WRK_C, ${ROUNDS} x ${SECS} s per path"
  echo "(medians), $(nproc) cores, load average at the end $(loadavg). Requests without a nonce: every answer is"
  echo "a pre-signed response from the cache; /health is the same Javalin server's trivial endpoint."
  echo
  echo "| path | req/s (median) | x /health | target |"
  echo "| --- | --- | --- | --- |"
  echo "| GET /health | ${H%.*} | 1.00 | baseline |"
  echo "| GET /ocsp/{base64} | ${G%.*} | $(ratio "$G" "$H") | >= 20,000/s: $(verdict "$G" 20000); >= 0.8x: $(verdict "$(ratio "$G" "$H")" 0.8) |"
  echo "| POST /ocsp | ${P%.*} | $(ratio "$P" "$H") | >= 20,000/s: $(verdict "$P" 20000); >= 0.8x: $(verdict "$(ratio "$P" "$H")" 0.8) |"
  echo
  echo "Responder counters after the run:"
  echo
  echo '```'
  grep '^upki_publisher_ocsp' <<<"$METRICS" || true
  echo '```'
  echo
  echo "Raw wrk lines: \`$NAME.jsonl\`."
} | tee "$RESULTS_DIR/$NAME.md"
