# Shared by sidecar-bench.sh and revocation-bench.sh (sourced, not run): building, starting and
# stopping the upki processes on loopback, CPU and load sampling, the run's JSON lines. Every process
# started here is recorded and stopped by the EXIT trap, by its own PID.
# Expects: ROOT, LOG_TAG, KEEP, WORK (set by the caller before edge_init).

CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"
BENCH_JAR="$ROOT/bench/target/bench.jar"
declare -a EDGE_PIDS=()
declare -A EDGE_NAMES=()

log() { printf '[%s %s] %s\n' "$LOG_TAG" "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The edge steps live in bench.jar next to the ca-server ones, under another main class.
edge() {
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of JVM options
  java ${BENCH_JAVA_OPTS:-} -cp "$BENCH_JAR" io.upki.bench.EdgeBench "$@"
}

# Builds every jar (bench included) when one is missing or a main source or POM is newer than the
# launcher's build stamp: the same rule as bin/upki, which then finds nothing to rebuild.
edge_build() {
  local stamp="$ROOT/target/.upki-build-stamp" module stale=0
  for module in ca-server auth-sidecar crl-publisher bench; do
    [[ -f "$ROOT/$module/target/$module.jar" ]] || stale=1
  done
  [[ -f "$stamp" ]] || stale=1
  if [[ $stale == 0 && -n "$(find "$ROOT" -path "$ROOT/*/target" -prune -o \( -path '*/src/main/*' -o -name pom.xml \) \
        -type f -newer "$stamp" -print -quit)" ]]; then
    stale=1
  fi
  if [[ $stale == 1 ]]; then
    log "building the jars (bin/upki build)"
    "$ROOT/bin/upki" build
  fi
}

# start_proc NAME LOGFILE CMD...: runs CMD in the background (its own PID is recorded for the trap).
start_proc() {
  local name="$1" logfile="$2"; shift 2
  "$@" >"$logfile" 2>&1 &
  local pid=$!
  EDGE_PIDS+=("$pid")
  EDGE_NAMES[$pid]="$name"
  LAST_PID=$pid
}

# stop_proc PID: SIGTERM, then SIGKILL after 10 s; forgets the PID.
stop_proc() {
  local pid="$1" i
  [[ -n "$pid" ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "WARNING: ${EDGE_NAMES[$pid]:-process} ($pid) ignored SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  fi
  local keep=() p
  for p in "${EDGE_PIDS[@]}"; do
    [[ "$p" == "$pid" ]] || keep+=("$p")
  done
  EDGE_PIDS=("${keep[@]}")
}

edge_cleanup() {
  local rc=$? i
  for ((i = ${#EDGE_PIDS[@]} - 1; i >= 0; i--)); do
    stop_proc "${EDGE_PIDS[$i]}"
  done
  if [[ $KEEP == 1 || $rc -ne 0 ]]; then
    log "work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}

# edge_results TOOL...: an empty RESULTS file in WORK for the run's JSON lines; dies unless every TOOL is on the PATH.
edge_results() {
  local tool
  RESULTS="$WORK/results.jsonl"
  : >"$RESULTS"
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is not on the PATH"
  done
}

# record LINE: one JSON line appended to RESULTS.
record() { printf '%s\n' "$1" >>"$RESULTS"; }
# note_load LABEL: the load average now, recorded as a {"kind":"load"} line.
note_load() { record "{\"kind\":\"load\",\"label\":\"load-$1\",\"at\":$(json_str "$1"),\"loadavg\":$(json_str "$(loadavg)")}"; }

# edge_report KIND: the run's JSON lines copied to RESULTS_DIR and the KIND report rendered beside them, as
# KIND-DATE-KEYTYPE[-quick].md; sets REPORT.
edge_report() {
  SUFFIX="-$KEY_TYPE"
  [[ $QUICK == 1 ]] && SUFFIX+="-quick"
  REPORT="$RESULTS_DIR/$1-$(date +%F)$SUFFIX.md"
  mkdir -p "$RESULTS_DIR"
  cp "$RESULTS" "${REPORT%.md}.jsonl"
  echo
  edge report --kind "$1" --results "$RESULTS" --out "$REPORT"
}

edge_init() {
  trap edge_cleanup EXIT
  trap 'log "interrupted (SIGINT)"; exit 130' INT
  trap 'log "terminated (SIGTERM)"; exit 143' TERM
  trap 'log "hung up (SIGHUP)"; exit 129' HUP
}

# wait_log FILE TEXT PID [SECONDS]: until FILE contains TEXT; fails if PID dies first.
wait_log() {
  local file="$1" text="$2" pid="$3" limit="${4:-90}"
  local deadline=$(( SECONDS + limit ))
  until grep -qF -- "$text" "$file" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { tail -30 "$file" >&2; die "${EDGE_NAMES[$pid]:-process} exited before '$text'"; }
    (( SECONDS < deadline )) || { tail -30 "$file" >&2; die "no '$text' in $file within $limit s"; }
    sleep 0.2
  done
}

# wait_http URL PID [SECONDS]: until URL answers 200.
wait_http() {
  local url="$1" pid="$2" limit="${3:-90}"
  local deadline=$(( SECONDS + limit ))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" == 200 ]]; do
    kill -0 "$pid" 2>/dev/null || die "${EDGE_NAMES[$pid]:-process} exited before $url answered 200"
    (( SECONDS < deadline )) || die "$url did not answer 200 within $limit s"
    sleep 0.2
  done
}

# CA: init (if needed) and start through the launcher; sets CA_PID and CA_PORT (ops), +1 reg, +2 events.
ca_init() {
  local data="$1" key_type="$2"
  "$ROOT/bin/upki" ca-server init --data-dir "$data" --key-type "$key_type" --seed "$SEED" >"$WORK/ca-init.log" 2>&1 \
    || { cat "$WORK/ca-init.log" >&2; die "ca-server init failed"; }
}

ca_start() {
  local data="$1"
  CA_PORT="$(edge ports --count 3)"
  JAVA_OPTS="${CA_JAVA_OPTS:-}" start_proc ca-server "$WORK/ca-$CA_PORT.log" \
    "$ROOT/bin/upki" ca-server start --data-dir "$data" --port "$CA_PORT" --seed "$SEED"
  CA_PID=$LAST_PID
  wait_log "$WORK/ca-$CA_PORT.log" "upki ca-server ready" "$CA_PID" 120
  log "ca-server running (pid $CA_PID, tcp://127.0.0.1:$CA_PORT, registration +1, events +2)"
}

# One reading of a process's CPU ticks (utime + stime) and of the machine's busy ticks.
proc_ticks() {
  awk '{ sub(/^.*\) /, ""); split($0, f, " "); print f[12] + f[13] }' "/proc/$1/stat" 2>/dev/null || echo 0
}
machine_ticks() {
  awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# json_add LINE KEY VALUE...: adds numeric or JSON values to a one-line JSON object.
json_add() {
  local line="$1"; shift
  local extra=""
  while [[ $# -gt 1 ]]; do
    extra+=",\"$1\":$2"
    shift 2
  done
  printf '%s\n' "${line%\}}$extra}"
}

json_str() {
  local s="${1//\\/\\\\}"
  printf '"%s"' "${s//\"/\\\"}"
}

# wait_for_calm MAXLOAD MAXSECONDS: waits (at most MAXSECONDS) for the 1-minute load average to drop
# under MAXLOAD, so that a run does not start in the middle of someone else's build.
wait_for_calm() {
  local max="$1" limit="$2" deadline=$(( SECONDS + $2 ))
  while awk -v m="$max" '{ exit !($1 >= m) }' /proc/loadavg; do
    if (( SECONDS >= deadline )); then
      log "WARNING: load average still $(loadavg) after $limit s; going on"
      return 0
    fi
    log "load average $(loadavg) >= $max: waiting"
    sleep 15
  done
}
