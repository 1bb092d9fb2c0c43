#!/usr/bin/env bash
# Benchmark of the ca-server against the machine's own signing limit, measured in the same run.
# See bench/README.md for what each figure means.
#
#   bench/ca-bench.sh [--key-type rsa|ec] [--quick] [--keep] [--results-dir DIR] [--auth-compare]
#                     [--compare store|hsm|jar] [--profile]
#
# --auth-compare measures only sign and get_ca with --client-auth curve against none, in alternating
# rounds of one run (report: bench/results/ca-auth-DATE.md).
# --compare store: sign on a PostgreSQL store against SQLite, 1 and 4 clients, and each against the
# in-JVM two-thread signing rate, interleaved rounds (bench/results/ca-store-DATE.md); --profile adds
# a JFR recording of each CA under 4 clients, summarised step by step.
# --compare hsm: sign with the CA key in a SoftHSM2 token against the key in a file (ca-hsm-DATE.md).
# --compare jar: this build's ca-server.jar against BENCH_BASE_JAR (another build's jar, with its lib/
# beside it), both on SQLite (ca-jar-DATE.md): what a change to the CA did.
# Environment: CA_JAVA_OPTS (extra JVM options for the CA, e.g. a JFR recording), BENCH_JAVA_OPTS
# (for the load driver), and BENCH_* overrides of the sizes below.
set -euo pipefail

usage() {
  sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
}

KEY_TYPE=rsa
QUICK=0
KEEP=0
AUTH_COMPARE=0
COMPARE=""
PROFILE=0
RESULTS_DIR=""
LOG_TAG=ca-bench
# shellcheck source=bench/lib/options.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/options.sh"
bench_options "--auth-compare+AUTH_COMPARE --compare=COMPARE --key-type=KEY_TYPE --quick+QUICK \
  --keep+KEEP --profile+PROFILE --results-dir=RESULTS_DIR" "$@"
case "$COMPARE" in
  ""|store|hsm) ;;
  jar) [[ -f ${BENCH_BASE_JAR:-} ]] || { echo "ca-bench: --compare jar needs BENCH_BASE_JAR (a ca-server.jar)" >&2; exit 2; } ;;
  *) echo "ca-bench: --compare must be store, hsm or jar" >&2; exit 2 ;;
esac
case "$KEY_TYPE" in
  rsa) OPENSSL_ALG=rsa4096 ;;
  ec) OPENSSL_ALG=ecdsap384 ;;
  *) echo "ca-bench: --key-type must be rsa or ec" >&2; exit 2 ;;
esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results}"
CA_JAR="$ROOT/ca-server/target/ca-server.jar"
# jvm_defaults: the CA is measured with the JVM options it ships with (CA_JAVA_OPTS come after them).
# shellcheck source=bin/lib.sh
source "$ROOT/bin/lib.sh"
BENCH_JAR="$ROOT/bench/target/bench.jar"

# Sizes: the issue's figures, or a smoke run with --quick.
if [[ $QUICK == 1 ]]; then
  SIGN_SECONDS="${BENCH_SIGN_SECONDS:-4}";   SIGN_WARMUP="${BENCH_SIGN_WARMUP:-3}"
  STORED="${BENCH_STORED:-5000}";            LEVELS=(${BENCH_LEVELS:-100 1000 5000})
  CRL_RUNS="${BENCH_CRL_RUNS:-3}";           REVOKE_CALLS="${BENCH_REVOKE_CALLS:-50}"
  GETCA_SECONDS="${BENCH_GETCA_SECONDS:-2}"; JVM_SECONDS="${BENCH_JVM_SECONDS:-2}"
else
  # 40 s of warm-up: the CA's JIT still compiles and deoptimises the sign path for about a minute
  # after start, and a CA is a long-running process.
  SIGN_SECONDS="${BENCH_SIGN_SECONDS:-20}";  SIGN_WARMUP="${BENCH_SIGN_WARMUP:-40}"
  STORED="${BENCH_STORED:-100000}";          LEVELS=(${BENCH_LEVELS:-1000 10000 100000})
  CRL_RUNS="${BENCH_CRL_RUNS:-5}";           REVOKE_CALLS="${BENCH_REVOKE_CALLS:-200}"
  GETCA_SECONDS="${BENCH_GETCA_SECONDS:-5}"; JVM_SECONDS="${BENCH_JVM_SECONDS:-3}"
fi
REVOKE_WARMUP=5
SEED="bench-seed-$RANDOM$RANDOM"
CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"

log() { printf '[ca-bench %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for tool in java openssl; do
  command -v "$tool" >/dev/null || die "$tool is not on the PATH"
done
if [[ ! -f "$CA_JAR" || ! -f "$BENCH_JAR" ]]; then
  log "building (mvn -q -DskipTests package)"
  mvn -q -DskipTests package
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/upki-ca-bench.XXXXXX")"
DATA="$WORK/ca"
RESULTS="$WORK/results.jsonl"
CA_LOG="$WORK/ca.log"
CA_PID=""
PORT=""
EXTRA_PIDS=()
: >"$CA_LOG"

stop_ca() {
  if [[ -n "$CA_PID" ]]; then
    if kill -0 "$CA_PID" 2>/dev/null; then
      kill -TERM "$CA_PID" 2>/dev/null || true
      wait "$CA_PID" 2>/dev/null || true
    fi
    CA_PID=""
  fi
}
cleanup() {
  local rc=$?
  stop_ca
  local pid
  for pid in "${EXTRA_PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [[ $KEEP == 1 || $rc -ne 0 ]]; then
    log "work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_ca [none|curve]: the CA with that client authentication (default: the CA's own default, none here).
start_ca() {
  local -a auth=()
  [[ -n "${1:-}" ]] && auth=(--client-auth "$1")
  start_ca_with "$DATA" "$CA_LOG" "" "${auth[@]}"
}

# start_ca_with DATA LOG JVM_OPTS [ca-server start options...]: sets CA_PID and PORT.
start_ca_with() {
  local data="$1" log="$2" jvm_opts="$3"; shift 3
  PORT="$(java -jar "$BENCH_JAR" free-port)"
  local from
  touch "$log"
  from=$(( $(wc -l < "$log" 2>/dev/null || echo 0) + 1 ))
  # shellcheck disable=SC2086 # CA_JAVA_OPTS is a list of JVM options
  java $(jvm_defaults ca-server) ${CA_JAVA_OPTS:-} $jvm_opts -jar "${START_JAR:-$CA_JAR}" start --data-dir "$data" --port "$PORT" \
    --seed "$SEED" "$@" >>"$log" 2>&1 &
  CA_PID=$!
  # A busy shared machine (load average 20 on 2 cores) has taken over a minute to start a CA.
  local deadline=$(( SECONDS + ${BENCH_START_TIMEOUT:-240} ))
  until tail -n +"$from" "$log" | grep -q "upki ca-server ready"; do
    kill -0 "$CA_PID" 2>/dev/null || { tail -20 "$log" >&2; CA_PID=""; die "the CA did not start"; }
    (( SECONDS < deadline )) || die "the CA was not ready within ${BENCH_START_TIMEOUT:-240} s"
    sleep 0.2
  done
  log "CA running (pid $CA_PID, tcp://127.0.0.1:$PORT)"
}

# measure LABEL ARGS...: one JSON line appended to the results; a failed measurement is recorded as
# such and the run goes on, so one broken figure does not hide the others.
measure() {
  local label="$1"; shift
  local line
  # shellcheck disable=SC2086
  if line="$(java ${BENCH_JAVA_OPTS:-} -jar "$BENCH_JAR" measure --endpoint "tcp://127.0.0.1:$PORT" \
      --server-pid "$CA_PID" --clk-tck "$CLK_TCK" --label "$label" "$@" 2>"$WORK/measure.err")"; then
    cat "$WORK/measure.err" >&2
    printf '%s\n' "$line" >>"$RESULTS"
  else
    cat "$WORK/measure.err" >&2
    log "WARNING: measurement $label failed"
    printf '{"label":"%s","failed":%s}\n' "$label" "$(json_str "$(tail -1 "$WORK/measure.err")")" >>"$RESULTS"
  fi
}

seed_store() {
  java -jar "$BENCH_JAR" seed-store --data-dir "$DATA" "$@"
}

# report_file NAME: sets REPORT to results/NAME-DATE[-ec][-quick].md and copies the raw JSON lines beside it.
report_file() {
  local suffix=""
  [[ $KEY_TYPE == ec ]] && suffix+="-ec"
  [[ $QUICK == 1 ]] && suffix+="-quick"
  REPORT="$RESULTS_DIR/$1-$(date +%F)$suffix.md"
  mkdir -p "$RESULTS_DIR"
  cp "$RESULTS" "${REPORT%.md}.jsonl"
}

json_str() {
  local s="${1//\\/\\\\}"
  printf '"%s"' "${s//\"/\\\"}"
}

meta_line() {
  printf '{"label":"meta","date":%s,"key_type":"%s","quick":%s,"cores":%s,"cpu":%s,"loadavg":%s,"java":%s,"openssl":%s,"stored":%s,"revoked_levels":[%s],"csr_key":"%s","sign_seconds":%s}\n' \
    "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" "$KEY_TYPE" "$([[ $QUICK == 1 ]] && echo true || echo false)" \
    "$(nproc)" "$(json_str "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)")" \
    "$(json_str "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')")" "$(json_str "$(java -version 2>&1 | head -1)")" \
    "$(json_str "$(openssl version)")" "$1" "$2" "$3" "$4" >>"$RESULTS"
}

# --- --auth-compare: CURVE against the plain protocol, nothing else -----------------------------------
if [[ $AUTH_COMPARE == 1 ]]; then
  ROUNDS="${BENCH_AUTH_ROUNDS:-6}"
  if [[ $QUICK == 1 ]]; then A_WARMUP=5; A_SIGN=4; A_GETCA=3; else A_WARMUP=20; A_SIGN=10; A_GETCA=5; fi
  A_WARMUP="${BENCH_AUTH_WARMUP:-$A_WARMUP}"; A_SIGN="${BENCH_AUTH_SIGN_SECONDS:-$A_SIGN}"
  A_GETCA="${BENCH_AUTH_GETCA_SECONDS:-$A_GETCA}"
  log "init a $KEY_TYPE CA in $DATA; the load driver's key is made known with role operator"
  java -jar "$CA_JAR" init --data-dir "$DATA" --key-type "$KEY_TYPE" --seed "$SEED" >"$WORK/init.log" 2>&1 \
    || { cat "$WORK/init.log" >&2; die "ca-server init failed"; }
  java -jar "$CA_JAR" add-client --data-dir "$DATA" --role operator --name ca-bench \
      --key-file "$WORK/bench-client.key" >>"$WORK/init.log" 2>&1 \
    || { cat "$WORK/init.log" >&2; die "ca-server add-client failed"; }
  CURVE_ARGS=(--ca-public-key "$DATA/curve.pub" --client-key "$WORK/bench-client.key")
  meta_line 0 "" ec-p256 "$A_SIGN"
  for (( r = 1; r <= ROUNDS; r++ )); do
    # none, curve, curve, none, ...: each mode sees the machine early and late alike.
    case $(( r % 4 )) in 1|0) mode=none ;; *) mode=curve ;; esac
    args=()
    [[ $mode == curve ]] && args=("${CURVE_ARGS[@]}")
    start_ca "$mode"
    log "round $r ($mode): sign (${A_WARMUP} s warm-up + ${A_SIGN} s), get_ca (2 s + ${A_GETCA} s)"
    measure "$mode-sign-r$r" --task sign --clients 1 --seconds "$A_SIGN" --warmup-seconds "$A_WARMUP" \
      --csr-key ec-p256 "${args[@]}"
    measure "$mode-get_ca-r$r" --task get_ca --clients 1 --seconds "$A_GETCA" --warmup-seconds 2 "${args[@]}"
    stop_ca
  done
  report_file ca-auth
  java -jar "$BENCH_JAR" auth-report --results "$RESULTS" --out "$REPORT"
  log "report written to $REPORT (raw JSON lines beside it)"
  exit 0
fi

# --- --compare store|hsm: two CAs side by side, measured in interleaved rounds -------------------------
# measure_on PID PORT LABEL ARGS...: measure against one of the two running CAs.
measure_on() {
  local pid="$1" port="$2"; shift 2
  CA_PID="$pid"; PORT="$port"
  measure "$@"
  CA_PID=""
}

if [[ -n $COMPARE ]]; then
  ROUNDS="${BENCH_COMPARE_ROUNDS:-4}"
  if [[ $QUICK == 1 ]]; then C_WARMUP=5; C_SIGN=4; C_SETTLE=1; C_JVM=2; C_PROFILE=5
  else C_WARMUP=40; C_SIGN=10; C_SETTLE=3; C_JVM=3; C_PROFILE=20; fi
  C_WARMUP="${BENCH_COMPARE_WARMUP:-$C_WARMUP}"; C_SIGN="${BENCH_SIGN_SECONDS:-$C_SIGN}"
  case "$COMPARE" in
    store) A=sqlite; B=postgresql ;;
    hsm) A=file; B=pkcs11 ;;
    jar) A=base; B=this ;;
  esac
  declare -A VDATA=([$A]="$WORK/ca-$A" [$B]="$WORK/ca-$B") VPID VPORT
  declare -a B_START=() B_KEY=()
  log "init a $KEY_TYPE CA for $A in ${VDATA[$A]}"
  java -jar "$CA_JAR" init --data-dir "${VDATA[$A]}" --key-type "$KEY_TYPE" --seed "$SEED" >"$WORK/init-$A.log" 2>&1 \
    || { cat "$WORK/init-$A.log" >&2; die "ca-server init failed"; }
  if [[ $COMPARE == store ]]; then
    log "starting a PostgreSQL server of its own (initdb + pg_ctl, fsync on) for the $B store"
    java -cp "$BENCH_JAR" io.upki.bench.CaBench postgres --out "$WORK/pg" >"$WORK/postgres.log" 2>&1 &
    EXTRA_PIDS+=($!)
    for _ in $(seq 1 300); do [[ -f $WORK/pg/ready ]] && break; kill -0 "${EXTRA_PIDS[-1]}" 2>/dev/null || break; sleep 0.2; done
    [[ -f $WORK/pg/ready ]] || { cat "$WORK/postgres.log" >&2; die "PostgreSQL did not start"; }
    B_START=(--store "$(cat "$WORK/pg/store-url")" --store-password-file "$WORK/pg/password")
    B_INIT=()
  elif [[ $COMPARE == jar ]]; then
    B_INIT=()
  else
    command -v softhsm2-util >/dev/null || die "softhsm2-util is not on the PATH (apt softhsm2)"
    mkdir -p "$WORK/tokens"
    export SOFTHSM2_CONF="$WORK/softhsm2.conf"
    printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$WORK/tokens" >"$SOFTHSM2_CONF"
    softhsm2-util --init-token --free --label upki-bench --so-pin 87654321 --pin 5678 >/dev/null
    printf '5678\n' >"$WORK/token.pin"; chmod 600 "$WORK/token.pin"
    B_KEY=(--pkcs11-token upki-bench --pkcs11-key issuing --pkcs11-pin-file "$WORK/token.pin")
    B_START=("${B_KEY[@]}")
    B_INIT=("${B_KEY[@]}")
  fi
  log "init a $KEY_TYPE CA for $B in ${VDATA[$B]}"
  java -jar "$CA_JAR" init --data-dir "${VDATA[$B]}" --key-type "$KEY_TYPE" --seed "$SEED" "${B_INIT[@]}" \
      >"$WORK/init-$B.log" 2>&1 || { cat "$WORK/init-$B.log" >&2; die "ca-server init failed"; }
  [[ $COMPARE == jar ]] && START_JAR="$BENCH_BASE_JAR"
  start_ca_with "${VDATA[$A]}" "$WORK/ca-$A.log" ""
  START_JAR=""
  VPID[$A]="$CA_PID"; VPORT[$A]="$PORT"; EXTRA_PIDS+=("$CA_PID"); CA_PID=""
  start_ca_with "${VDATA[$B]}" "$WORK/ca-$B.log" "" "${B_START[@]}"
  VPID[$B]="$CA_PID"; VPORT[$B]="$PORT"; EXTRA_PIDS+=("$CA_PID"); CA_PID=""
  meta_line 0 "" ec-p256 "$C_SIGN"
  SIGN_ARGS=(--task sign --csr-key ec-p256)
  for v in "$A" "$B"; do
    log "warm-up of the $v CA: 4 clients for ${C_WARMUP} s"
    measure_on "${VPID[$v]}" "${VPORT[$v]}" "$v-warmup" "${SIGN_ARGS[@]}" --clients 4 --warmup-seconds "$C_WARMUP" --seconds 2
  done
  for (( r = 1; r <= ROUNDS; r++ )); do
    if (( r % 2 == 1 )); then order=("$A" "$B"); else order=("$B" "$A"); fi
    log "round $r of $ROUNDS: ${order[*]} (sign 1 client, 4 clients, in-JVM signing on 2 threads)"
    for v in "${order[@]}"; do
      measure_on "${VPID[$v]}" "${VPORT[$v]}" "$v-sign-c1-r$r" "${SIGN_ARGS[@]}" --clients 1 --warmup-seconds "$C_SETTLE" --seconds "$C_SIGN"
      measure_on "${VPID[$v]}" "${VPORT[$v]}" "$v-sign-c4-r$r" "${SIGN_ARGS[@]}" --clients 4 --warmup-seconds "$C_SETTLE" --seconds "$C_SIGN"
      key_args=()
      [[ $v == pkcs11 ]] && key_args=("${B_KEY[@]}")
      java -jar "$BENCH_JAR" sign-speed --data-dir "${VDATA[$v]}" --seconds "$C_JVM" --threads 2 \
        --label "$v-jvm2-r$r" "${key_args[@]}" >>"$RESULTS" || log "WARNING: sign-speed $v failed"
    done
  done
  if [[ $PROFILE == 1 ]]; then
    # JFR's "profile" settings, sampling Java every 2 ms and native code every 5 ms (10 and 20 ms there):
    # a sign is a few ms, so more samples per second of load.
    JAVA_HOME_DIR="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')"
    sed -e 's/\(method-sampling-java-interval">\)10 ms/\12 ms/' -e 's/\(method-sampling-native-interval">\)20 ms/\15 ms/' \
      "$JAVA_HOME_DIR/lib/jfr/profile.jfc" >"$WORK/bench.jfc"
    for v in "$A" "$B"; do
      log "JFR recording of the $v CA under 4 clients for ${C_PROFILE} s"
      jcmd "${VPID[$v]}" JFR.start name=bench settings="$WORK/bench.jfc" >/dev/null
      measure_on "${VPID[$v]}" "${VPORT[$v]}" "$v-profiled" "${SIGN_ARGS[@]}" --clients 4 --warmup-seconds 0 --seconds "$C_PROFILE"
      jcmd "${VPID[$v]}" JFR.stop name=bench filename="$WORK/$v.jfr" >/dev/null
      java -jar "$BENCH_JAR" ca-profile --jfr "$WORK/$v.jfr" --label "$v-profile" >>"$RESULTS" \
        || log "WARNING: ca-profile $v failed"
    done
  fi
  printf '{"label":"meta-end","date":%s,"loadavg":%s}\n' "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" \
    "$(json_str "$(cut -d' ' -f1-3 /proc/loadavg)")" >>"$RESULTS"
  report_file ca-$COMPARE
  if [[ $COMPARE == store ]]; then
    RATIO_ARGS=(--title "ca-server: sign on PostgreSQL against SQLite"
      --intro "Two $KEY_TYPE CAs run side by side, one on its SQLite file, one on a PostgreSQL 15 server on loopback (initdb/pg_ctl by the bench, fsync on); each round measures sign with 1 then 4 clients ($C_SIGN s each after $C_SETTLE s) and the in-JVM signing rate of that CA's key on 2 threads ($C_JVM s), the two CAs in turn (A, B, then B, A)."
      --ratio "postgresql / sqlite, 1 client=postgresql-sign-c1/sqlite-sign-c1>=0.8"
      --ratio "postgresql / sqlite, 4 clients=postgresql-sign-c4/sqlite-sign-c4"
      --ratio "sqlite 4 clients / JVM 2 threads=sqlite-sign-c4/sqlite-jvm2>=0.7"
      --ratio "postgresql 4 clients / JVM 2 threads=postgresql-sign-c4/postgresql-jvm2>=0.7"
      --ratio "sqlite 4 clients / 1 client=sqlite-sign-c4/sqlite-sign-c1"
      --ratio "postgresql 4 clients / 1 client=postgresql-sign-c4/postgresql-sign-c1")
  elif [[ $COMPARE == jar ]]; then
    RATIO_ARGS=(--title "ca-server: this build against $(basename "$BENCH_BASE_JAR")"
      --intro "Two $KEY_TYPE CAs on SQLite run side by side, one from BENCH_BASE_JAR=$BENCH_BASE_JAR (base), one from this build (this); each round measures sign with 1 then 4 clients ($C_SIGN s each after $C_SETTLE s) and the in-JVM signing rate on 2 threads ($C_JVM s), the two CAs in turn."
      --ratio "this / base, 1 client=this-sign-c1/base-sign-c1"
      --ratio "this / base, 4 clients=this-sign-c4/base-sign-c4"
      --ratio "base 4 clients / JVM 2 threads=base-sign-c4/base-jvm2>=0.7"
      --ratio "this 4 clients / JVM 2 threads=this-sign-c4/this-jvm2>=0.7")
  else
    RATIO_ARGS=(--title "ca-server: sign with the CA key in SoftHSM2 against the key in a file"
      --intro "Two $KEY_TYPE CAs on SQLite run side by side, one with its key in a file, one with it in a SoftHSM2 token (PKCS#11, SunPKCS11); each round measures sign with 1 then 4 clients ($C_SIGN s each after $C_SETTLE s) and the in-JVM signing rate of that key on 2 threads ($C_JVM s), the two CAs in turn."
      --ratio "pkcs11 / file, 1 client=pkcs11-sign-c1/file-sign-c1>=0.8"
      --ratio "pkcs11 / file, 4 clients=pkcs11-sign-c4/file-sign-c4>=0.8"
      --ratio "pkcs11 / file, JVM 2 threads=pkcs11-jvm2/file-jvm2"
      --ratio "file 4 clients / JVM 2 threads=file-sign-c4/file-jvm2"
      --ratio "pkcs11 4 clients / JVM 2 threads=pkcs11-sign-c4/pkcs11-jvm2")
  fi
  java -jar "$BENCH_JAR" compare-report --results "$RESULTS" --out "$REPORT" "${RATIO_ARGS[@]}"
  if [[ $PROFILE == 1 ]]; then
    {
      echo
      echo "Where a sign's CPU goes (JFR, profile settings sampling every 2 ms (Java) / 5 ms (native), 4 clients for ${C_PROFILE} s; share of the CA's samples"
      echo "whose stack holds the step; native samples are threads in native code inside the CA's own calls, on a core or waiting in it: fsync, the token):"
      echo
      jq -r 'select(.kind == "jfr") | "### \(.label): \(.samples) samples (\(.native_samples) native), GC pauses \(.gc_pauses) (\(.gc_pause_total_ms) ms)\n\n" +
        ([.steps[] | "- \(.step): \(.percent) % (\(.samples) samples, \(.native_samples) native)"] | join("\n")) +
        "\n\nHottest methods (self): " + ([.hot_methods[] | "\(.method) \(.percent) %"] | join(", ")) + "\n"' "$RESULTS"
      jq -r 'select((.label | endswith("-profiled")) and .throughput_per_s) | "- \(.label): \(.throughput_per_s)/s, p50 \(.p50_ms) ms, CA \(.server_cores) cores: \((.server_cores * 1000 / .throughput_per_s * 100 | round) / 100) ms of CA CPU per sign"' "$RESULTS"
    } >>"$REPORT"
  fi
  log "report written to $REPORT (raw JSON lines beside it)"
  exit 0
fi

# openssl speed prints e.g. "rsa 4096 bits 0.003763s 0.000058s 265.7 17202.1": the times come first
# (ending in "s"), then the rates, sign/s first.
openssl_sign_rate() {
  openssl speed -seconds 3 "$1" 2>/dev/null | awk '
    /^rsa [0-9]+ bits/ || /ecdsa \(nistp[0-9]+\)/ { line = $0 }
    END {
      n = split(line, f, /[ \t]+/); seen = 0
      for (i = 1; i <= n; i++) {
        if (f[i] ~ /^[0-9.]+s$/) { seen = 1 }
        else if (seen && f[i] ~ /^[0-9.]+$/) { print f[i]; exit }
      }
    }'
}

# --- the machine's own limit --------------------------------------------------------------------
log "openssl speed -seconds 3 $OPENSSL_ALG"
BASE_RATE="$(openssl_sign_rate "$OPENSSL_ALG")"
[[ -n "$BASE_RATE" ]] || die "could not read the sign/s figure of openssl speed $OPENSSL_ALG"
log "openssl $OPENSSL_ALG: $BASE_RATE sign/s (1 core)"
printf '{"label":"openssl","alg":"%s","sign_per_s":%s}\n' "$OPENSSL_ALG" "$BASE_RATE" >>"$RESULTS"
if [[ $KEY_TYPE == ec ]]; then
  RSA_RATE="$(openssl_sign_rate rsa4096)"
  log "openssl rsa4096 (for comparison): $RSA_RATE sign/s"
  printf '{"label":"openssl-rsa4096","alg":"rsa4096","sign_per_s":%s}\n' "${RSA_RATE:-null}" >>"$RESULTS"
fi

# --- a fresh CA -----------------------------------------------------------------------------------
log "init a $KEY_TYPE CA in $DATA"
java -jar "$CA_JAR" init --data-dir "$DATA" --key-type "$KEY_TYPE" --seed "$SEED" >"$WORK/init.log" 2>&1 \
  || { cat "$WORK/init.log" >&2; die "ca-server init failed"; }

log "signing rate of the CA key inside a JVM (1 and 2 threads, ${JVM_SECONDS} s each)"
for threads in 1 2; do
  java -jar "$BENCH_JAR" sign-speed --data-dir "$DATA" --seconds "$JVM_SECONDS" --threads "$threads" \
    --label "jvm-sign-$threads" >>"$RESULTS"
done

start_ca

# The CA is meant to sign EC P-256 CSRs; fall back to RSA-2048 ones if this build refuses them.
CSR_KEY=ec-p256
PREFLIGHT="$(java -jar "$BENCH_JAR" measure --endpoint "tcp://127.0.0.1:$PORT" --task sign --calls 1 --csrs 1 \
  --csr-key ec-p256 --label preflight 2>/dev/null || true)"
if [[ "$PREFLIGHT" != *'"errors":0'* ]]; then
  log "WARNING: the CA refused an EC P-256 CSR ($(sed -n 's/.*"first_error":"\([^"]*\)".*/\1/p' <<<"$PREFLIGHT"));"
  log "WARNING: measuring sign with RSA-2048 CSRs instead"
  CSR_KEY=rsa-2048
fi

LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
CPU_MODEL="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)"
JAVA_VERSION="$(java -version 2>&1 | head -1)"
OPENSSL_VERSION="$(openssl version)"
printf '{"label":"meta","date":%s,"key_type":"%s","quick":%s,"cores":%s,"cpu":%s,"loadavg":%s,"java":%s,"openssl":%s,"stored":%s,"revoked_levels":[%s],"csr_key":"%s","sign_seconds":%s}\n' \
  "$(json_str "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" "$KEY_TYPE" "$([[ $QUICK == 1 ]] && echo true || echo false)" \
  "$(nproc)" "$(json_str "${CPU_MODEL:-?}")" "$(json_str "$LOADAVG")" "$(json_str "$JAVA_VERSION")" \
  "$(json_str "$OPENSSL_VERSION")" "$STORED" "$(IFS=,; echo "${LEVELS[*]}")" "$CSR_KEY" "$SIGN_SECONDS" >>"$RESULTS"

# --- sign on an empty store, then with STORED certificates -----------------------------------------
SIGN_ARGS=(--task sign --seconds "$SIGN_SECONDS" --warmup-seconds "$SIGN_WARMUP" --csr-key "$CSR_KEY")
log "sign, empty store: 1 client, then 4 clients (${SIGN_WARMUP} s warm-up + ${SIGN_SECONDS} s each)"
measure sign-empty-c1 "${SIGN_ARGS[@]}" --clients 1
measure sign-empty-c4 "${SIGN_ARGS[@]}" --clients 4

stop_ca
log "seeding $STORED certificates into the stopped CA's store"
seed_store --count "$STORED"
start_ca
log "sign, $STORED stored: 1 client, then 4 clients"
measure sign-stored-c1 "${SIGN_ARGS[@]}" --clients 1
measure sign-stored-c4 "${SIGN_ARGS[@]}" --clients 4

# --- revocation and CRL at growing revoked counts ---------------------------------------------------
for level in "${LEVELS[@]}"; do
  stop_ca
  log "marking $level certificates revoked in the stopped CA's store"
  seed_store --revoked "$level" --serials $(( REVOKE_CALLS + REVOKE_WARMUP )) --serials-out "$WORK/serials-$level"
  start_ca
  log "generate_crl with $level revoked (1 warm-up + $CRL_RUNS runs), then $REVOKE_CALLS revokes"
  measure "crl-$level" --task generate_crl --calls "$CRL_RUNS" --warmup-calls 1
  measure "revoke-$level" --task revoke --calls "$REVOKE_CALLS" --warmup-calls "$REVOKE_WARMUP" \
    --serials-file "$WORK/serials-$level"
done

log "get_ca round trip (1 client, ${GETCA_SECONDS} s)"
measure get_ca --task get_ca --clients 1 --seconds "$GETCA_SECONDS" --warmup-seconds 2
stop_ca

# --- report -----------------------------------------------------------------------------------------
report_file ca
echo
java -jar "$BENCH_JAR" report --results "$RESULTS" --out "$REPORT"
log "report written to $REPORT (raw JSON lines beside it)"
# A failed call's "[600] Internal CA error (ref X)" is explained only in the CA's log: keep those lines.
if grep -q '\[ERROR\]' "$CA_LOG"; then
  grep -A40 '\[ERROR\]' "$CA_LOG" >"${REPORT%.md}-ca-errors.log" || true
  log "the CA logged errors: ${REPORT%.md}-ca-errors.log"
fi
