# Shared by acme-bench.sh and ra-replicas-issuance.sh (sourced after their option loop): paths, the JVM
# options the CA and ra-core ship with, logging, and the background processes of one run, each recorded and
# stopped by the EXIT trap. Expects LOG_TAG, KEEP and RESULTS_DIR; a script may define acme_cleanup_extra
# (run first by the trap) and set ACME_START_TRIES (checks of wait_until, 0.2 s apart; default 600).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# jvm_defaults: the servers are measured with the JVM options they ship with.
# shellcheck source=bin/lib.sh
source "$ROOT/bin/lib.sh"
CA_OPTS="$(jvm_defaults ca-server) ${CA_JAVA_OPTS:-}"
RA_OPTS="$(jvm_defaults ra-core) ${RA_JAVA_OPTS:-}"
BENCH_JAR="$ROOT/bench/target/bench.jar"

log() { printf '[%s %s] %s\n' "$LOG_TAG" "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# acme_work: the run's work directory WORK (named after LOG_TAG) and LOAD_START, the load average before
# the run; from here on the EXIT trap stops what start started and removes WORK (unless --keep).
acme_work() {
  LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/$LOG_TAG.XXXXXX")"
  PIDS=()
  trap acme_cleanup EXIT
}

acme_cleanup() {
  local pid
  if declare -F acme_cleanup_extra >/dev/null; then acme_cleanup_extra; fi
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $KEEP == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}

start() { # start NAME CMD...: runs in the background, log in $WORK/NAME.log; sets LAST_PID
  local name="$1"; shift
  "$@" >"$WORK/$name.log" 2>&1 &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
wait_until() { # wait_until WHAT PID CHECK...
  local what="$1" pid="$2"; shift 2
  for _ in $(seq 1 "${ACME_START_TRIES:-600}"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    kill -0 "$pid" 2>/dev/null || die "$what exited; see $WORK/$what.log"
    sleep 0.2
  done
  die "$what did not start; see $WORK/$what.log"
}
port() { "$JAVA" -cp "$BENCH_JAR" io.upki.bench.EdgeBench ports --count "${1:-1}"; }

# start_ca_and_publisher: an EC ca-server (data in $WORK/ca, seed SEED) on CA_PORT and its crl-publisher on
# PUB_PORT, both ready; sets CA_PID and PUB_PID.
start_ca_and_publisher() {
  "$JAVA" -jar ca-server/target/ca-server.jar init --data-dir "$WORK/ca" --seed "$SEED" --key-type ec >"$WORK/ca-init.log" 2>&1 \
    || die "ca-server init failed; see $WORK/ca-init.log"
  # shellcheck disable=SC2086 # CA_OPTS is a list of JVM options
  start ca-server "$JAVA" $CA_OPTS -jar ca-server/target/ca-server.jar start --data-dir "$WORK/ca" --port "$CA_PORT"
  CA_PID=$LAST_PID
  wait_until ca-server "$CA_PID" grep -q 'ca-server ready' "$WORK/ca-server.log"
  start crl-publisher "$JAVA" -jar crl-publisher/target/crl-publisher.jar --ca "tcp://127.0.0.1:$CA_PORT" \
    --ca-cert "$WORK/ca/ca.crt" --out "$WORK/crl" --listen "127.0.0.1:$PUB_PORT"
  PUB_PID=$LAST_PID
  wait_until crl-publisher "$PUB_PID" curl -sf "http://127.0.0.1:$PUB_PORT/ready"
}
