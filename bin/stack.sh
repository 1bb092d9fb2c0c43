# The local stack behind `bin/upki up|down|status`: every upki process on loopback, plus an nginx TLS
# edge when nginx is installed. Sourced by bin/upki after bin/lib.sh; defines stack_up, stack_down,
# stack_status and stack_restart.
#
# Each process started is recorded in $HOME_DIR/run/<name>.pid as "<pid> <start time>": the start time
# (field 22 of /proc/<pid>/stat) makes `down` stop exactly the processes `up` started, never a later
# process that happens to reuse a pid.

stack_settings() {
  HOME_DIR="${UPKI_HOME:-$ROOT/data}"
  EDGE="auto"
  FOREGROUND=0
  WITH_ROOT=0
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --home) HOME_DIR="${2:?--home needs a directory}"; shift 2 ;;
      --home=*) HOME_DIR="${1#*=}"; shift ;;
      --edge) EDGE="${2:?--edge needs nginx or none}"; shift 2 ;;
      --edge=*) EDGE="${1#*=}"; shift ;;
      --no-edge) EDGE="none"; shift ;;
      --foreground) FOREGROUND=1; shift ;;
      --with-offline-root) WITH_ROOT=1; shift ;;
      -h|--help) stack_usage; exit 0 ;;
      *) echo "upki: unknown option $1" >&2; stack_usage >&2; exit 2 ;;
    esac
  done
  mkdir -p "$HOME_DIR"
  HOME_DIR="$(cd "$HOME_DIR" && pwd)"
  RUN_DIR="$HOME_DIR/run"
  LOG_DIR="$HOME_DIR/logs"
  CA_PORT="${UPKI_CA_PORT:-5000}"
  # The CA list the processes use (registration and event feeds are each port + 1 and + 2): this stack's CA,
  # or UPKI_CA naming it with a standby CA on the same PostgreSQL store (docs/OPERATIONS.md).
  CA_LIST="${UPKI_CA:-tcp://127.0.0.1:$CA_PORT}"
  # The CA's HTTP operations listener (/health, /ready, /metrics), loopback only.
  CA_OPS_PORT="${UPKI_CA_OPS_PORT:-5080}"
  PUBLISHER_PORT="${UPKI_PUBLISHER_PORT:-8081}"
  SIDECAR_PORT="${UPKI_SIDECAR_PORT:-8080}"
  RA_PORT="${UPKI_RA_PORT:-8000}"
  RA_EDGE_PORT="${UPKI_RA_EDGE_PORT:-8001}"
  NGINX="${UPKI_NGINX:-$(command -v nginx || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true)}"
  # How the CA authenticates its clients (docs/SECURITY.md): none (uPKI's plain protocol, loopback only,
  # the user guide verbatim) or curve (every process and the operator's upki-cli hold a CURVE key).
  CLIENT_AUTH="${UPKI_CA_CLIENT_AUTH:-none}"
  case "$CLIENT_AUTH" in
    none|curve) ;;
    *) echo "upki: UPKI_CA_CLIENT_AUTH must be none or curve, not '$CLIENT_AUTH'" >&2; exit 2 ;;
  esac
  CA_PUBLIC_KEY="$HOME_DIR/ca/curve.pub"
  OPERATOR_KEY="$HOME_DIR/cli/operator.key"
}

stack_usage() {
  cat <<'USAGE'
usage: bin/upki up [--home DIR] [--edge nginx|none] [--foreground] [--with-offline-root]
       bin/upki down [--home DIR]
       bin/upki status [--home DIR]
       bin/upki restart NAME [--home DIR]

up      starts ca-server, crl-publisher, auth-sidecar and ra-core on loopback (and an nginx TLS edge in
        front of ra-core when nginx is installed), creating a CA in DIR (default ./data) on first run;
        returns once every process answers. --foreground stays attached and stops everything on Ctrl-C.
        --with-offline-root (first run only): a two-tier PKI instead, an offline root in DIR/root that
        signs the online CA as an intermediate (docs/KEYS.md); the sidecar trusts the root.
        While part of the stack runs (a process died), up starts only the missing processes, as they were
        set up (edge or not, client auth), and leaves the running ones alone.
restart stops NAME (ca-server, crl-publisher, auth-sidecar, ra-core or nginx) and starts it again.
down    stops exactly the processes `up` started (SIGTERM, then SIGKILL after 15 s).
status  each process, its pid, port and health; exit 0 when all are healthy, 3 otherwise.

UPKI_CA_CLIENT_AUTH=curve: the CA accepts CURVE-authenticated clients only (docs/SECURITY.md); up enrols
an operator key (DIR/cli/operator.key) and gives every process its own key.

Ports (environment): UPKI_CA_PORT 5000 (+1 registration, +2 events), UPKI_CA_OPS_PORT 5080 (CA /metrics), UPKI_PUBLISHER_PORT 8081,
UPKI_SIDECAR_PORT 8080, UPKI_RA_PORT 8000 (the edge when there is one, else ra-core itself),
UPKI_RA_EDGE_PORT 8001 (ra-core behind the edge). UPKI_NGINX: the nginx binary.
UPKI_CA: the CA list given to crl-publisher, auth-sidecar and ra-core (default tcp://127.0.0.1:UPKI_CA_PORT),
e.g. this CA and a standby started on the same PostgreSQL store (UPKI_STORE; docs/OPERATIONS.md).
USAGE
}

# Start time of a process in clock ticks since boot, or nothing when it does not exist.
start_time() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  # The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  stat="${stat##*) }"
  awk '{print $20}' <<<"$stat"
}

# The pid recorded for NAME when that very process still runs; fails otherwise.
running_pid() {
  local file="$RUN_DIR/$1.pid" pid started
  [[ -f "$file" ]] || return 1
  read -r pid started <"$file" || return 1
  [[ -n "$pid" && -n "$started" && "$(start_time "$pid")" == "$started" ]] || return 1
  printf '%s' "$pid"
}

# launch NAME COMMAND...: runs COMMAND in its own session (Ctrl-C in this terminal does not reach it),
# output to logs/NAME.log, and records its pid.
launch() {
  local name="$1"; shift
  # One log per run (the previous one kept as .1), so readiness checks never read an old run's lines.
  [[ -f "$LOG_DIR/$name.log" ]] && mv -f "$LOG_DIR/$name.log" "$LOG_DIR/$name.log.1"
  setsid "$@" >"$LOG_DIR/$name.log" 2>&1 </dev/null &
  local pid=$!
  local started=""
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    started="$(start_time "$pid")"
    [[ -n "$started" ]] && break
    sleep 0.05
  done
  [[ -n "$started" ]] || { echo "upki: $name exited at once; see $LOG_DIR/$name.log" >&2; return 1; }
  printf '%s %s\n' "$pid" "$started" >"$RUN_DIR/$name.pid"
}

# await NAME CHECK...: waits up to 60 s for CHECK to succeed while NAME runs.
await() {
  local name="$1"; shift
  local i
  for i in $(seq 1 300); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ! running_pid "$name" >/dev/null; then
      echo "upki: $name stopped while starting; last lines of $LOG_DIR/$name.log:" >&2
      tail -n 15 "$LOG_DIR/$name.log" >&2 || true
      return 1
    fi
    sleep 0.2
  done
  echo "upki: $name did not become ready within 60 s; see $LOG_DIR/$name.log" >&2
  return 1
}

log_has() { grep -q "$2" "$LOG_DIR/$1.log"; }
http_ok() { curl -sf -o /dev/null --max-time 2 "$@"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

use_edge() {
  case "$EDGE" in
    none) return 1 ;;
    nginx) [[ -n "$NGINX" ]] || { echo "upki: --edge nginx, but nginx is not installed" >&2; exit 2; }; return 0 ;;
    auto) [[ -n "$NGINX" ]] ;;
    *) echo "upki: --edge must be nginx or none" >&2; exit 2 ;;
  esac
}

# stack_offline_root CA_JAR PUBLISHER_URL SEED_FILE: the two-tier ceremony of docs/KEYS.md, on this machine
# for a demonstration (a real root lives offline): root key and certificate, the online CA's key and
# CSR, the root's signature, the installation, and the root's first CRL.
stack_offline_root() {
  local ca_jar="$1" publisher="$2" seed_file="$3" root_dir="$HOME_DIR/root"
  local -a root_cmd=("$JAVA" --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED -cp "$ca_jar" io.upki.ca.root.RootMain)
  {
    "${root_cmd[@]}" init --dir "$root_dir" --key-type ec &&
    UPKI_CA_SEED="$(cat "$seed_file")" "$JAVA" -jar "$ca_jar" init --intermediate --data-dir "$HOME_DIR/ca" \
        --key-type ec --crl-url "$publisher/crl.der" &&
    "${root_cmd[@]}" sign --dir "$root_dir" --csr "$HOME_DIR/ca/ca.csr" --out "$root_dir/ca.crt" \
        --crl-url "$publisher/root.crl" &&
    "${root_cmd[@]}" crl --dir "$root_dir" &&
    "$JAVA" -jar "$ca_jar" install --data-dir "$HOME_DIR/ca" --cert "$root_dir/ca.crt" --chain "$root_dir/root.crt"
  } >"$LOG_DIR/ca-init.log" 2>&1 || { cat "$LOG_DIR/ca-init.log" >&2; exit 1; }
  echo "upki: created an offline root in $root_dir and an intermediate CA in $HOME_DIR/ca (EC P-384; seed in $seed_file)"
}

# Whether NAME must be started by this `up`: it is not running. Already running ones are left alone.
stack_missing() { ! running_pid "$1" >/dev/null; }

stack_up() {
  stack_settings "$@"
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  chmod 700 "$HOME_DIR"
  local name running=()
  for name in ca-server crl-publisher auth-sidecar ra-core nginx; do
    running_pid "$name" >/dev/null && running+=("$name")
  done
  local edge=0
  if (( ${#running[@]} )) && [[ -f "$RUN_DIR/mode" ]]; then
    # Part of the stack runs: what is started now joins it as it was set up (edge or direct, client auth).
    [[ "$(cat "$RUN_DIR/mode")" == edge ]] && edge=1
    local recorded
    recorded="$(cat "$RUN_DIR/client-auth" 2>/dev/null || echo none)"
    if [[ "$recorded" != "$CLIENT_AUTH" ]]; then
      echo "upki: the running processes use UPKI_CA_CLIENT_AUTH=$recorded, not $CLIENT_AUTH" \
          "(bin/upki down first to change it)" >&2
      exit 2
    fi
  else
    use_edge && edge=1
  fi
  local wanted=(ca-server crl-publisher auth-sidecar ra-core)
  (( edge )) && wanted+=(nginx)
  if (( ${#running[@]} == ${#wanted[@]} )); then
    echo "upki: everything is already running from $HOME_DIR (bin/upki status --home $HOME_DIR; bin/upki down to stop)"
    return 0
  fi
  for name in "${running[@]}"; do
    echo "upki: $name is running (pid $(running_pid "$name")); starting what is not"
  done
  local ca_jar publisher_jar sidecar_jar ra_jar cli_jar
  ca_jar="$(ensure_jar ca-server)"
  publisher_jar="$ROOT/crl-publisher/target/crl-publisher.jar"
  sidecar_jar="$ROOT/auth-sidecar/target/auth-sidecar.jar"
  ra_jar="$ROOT/ra-core/target/ra-core.jar"
  cli_jar="$ROOT/upki-cli/target/upki-cli.jar"
  local publisher="http://127.0.0.1:$PUBLISHER_PORT"
  local seed_file="$HOME_DIR/.seed"
  if [[ ! -f "$HOME_DIR/ca/ca.crt" ]] && (( WITH_ROOT )); then
    (umask 077; head -c 32 /dev/urandom | base64 | tr -d '=+/\n' >"$seed_file")
    stack_offline_root "$ca_jar" "$publisher" "$seed_file"
  elif [[ ! -f "$HOME_DIR/ca/ca.crt" ]]; then
    # The seed lets the sidecar and the RA register; it stays on this machine, readable by its owner only.
    (umask 077; head -c 32 /dev/urandom | base64 | tr -d '=+/\n' >"$seed_file")
    # shellcheck disable=SC2086
    UPKI_CA_SEED="$(cat "$seed_file")" "$JAVA" ${JAVA_OPTS:-} -jar "$ca_jar" init --data-dir "$HOME_DIR/ca" \
        --crl-url "$publisher/crl.der" >"$LOG_DIR/ca-init.log" 2>&1 \
      || { cat "$LOG_DIR/ca-init.log" >&2; exit 1; }
    echo "upki: created a CA in $HOME_DIR/ca (key type RSA-4096; the registration seed is in $seed_file)"
  fi
  # Passed in the environment of the processes that register with it (auth-sidecar, ra-core, the operator's
  # enrolment), never on a command line that other users can read with ps, and not to the others.
  local seed
  seed="$(cat "$seed_file")"
  echo "$CLIENT_AUTH" >"$RUN_DIR/client-auth"
  # ca-server and ra-core append their audit events to this one file (JSON lines, 0600; "source" tells which).
  export UPKI_AUDIT_LOG="${UPKI_AUDIT_LOG:-$LOG_DIR/audit.jsonl}"

  # Two-tier (docs/KEYS.md): the root is the anchor, the online CA an intermediate the sidecar is told of,
  # and the publisher serves the root's CRL beside the CA's. The sidecar reads every issuing-key generation's
  # CRL (crls.pem) so that a key rollover (docs/OPERATIONS.md) needs no restart.
  local -a sidecar_trust=(--trust-anchor "$HOME_DIR/ca/ca.crt") publisher_root=() root_crl=() sidecar_crl=(--crl "$publisher/crl.der")
  if [[ -f "$HOME_DIR/ca/chain.crt" ]]; then
    sidecar_trust=(--trust-anchor "$HOME_DIR/ca/chain.crt" --intermediates "$HOME_DIR/ca/ca.crt")
    sidecar_crl=(--crl "$publisher/crls.pem")
    publisher_root=(--root-crl "$HOME_DIR/root/root.crl")
    root_crl=(--crl "$publisher/root.crl")
  fi
  if (( edge )); then echo edge >"$RUN_DIR/mode"; else echo direct >"$RUN_DIR/mode"; fi
  # Whatever fails from here on, stop what this run started (and only that: the rest kept running).
  STARTED=()
  trap 'stack_stop "${STARTED[@]}"; exit 1' ERR
  set -E
  if stack_missing ca-server; then
    # shellcheck disable=SC2086
    launch ca-server "$JAVA" $(jvm_defaults ca-server) ${JAVA_OPTS:-} -jar "$ca_jar" start --data-dir "$HOME_DIR/ca" --port "$CA_PORT" \
        --client-auth "$CLIENT_AUTH" --ops-listen "127.0.0.1:$CA_OPS_PORT"
    STARTED+=(ca-server)
    await ca-server log_has ca-server "ca-server ready"
    [[ "$CLIENT_AUTH" == curve ]] && curve_enrol
  fi
  # With curve, each process names the CA's public key and its own key pair file (0600, made on first run).
  local -a publisher_curve=() sidecar_curve=() ra_curve=()
  if [[ "$CLIENT_AUTH" == curve ]]; then
    publisher_curve=(--ca-public-key "$CA_PUBLIC_KEY" --client-key "$HOME_DIR/crl-publisher/ca-client.key")
    sidecar_curve=(--ca-public-key "$CA_PUBLIC_KEY" --client-key "$HOME_DIR/sidecar/ca-client.key")
    ra_curve=(--ca-public-key "$CA_PUBLIC_KEY" --client-key "$HOME_DIR/ra/ca-client.key")
  fi
  if stack_missing crl-publisher; then
    # shellcheck disable=SC2086
    launch crl-publisher "$JAVA" ${JAVA_OPTS:-} -jar "$publisher_jar" --ca "$CA_LIST" \
        --ca-cert "$HOME_DIR/ca/ca.crt" --out "$HOME_DIR/crl" --listen "127.0.0.1:$PUBLISHER_PORT" "${publisher_curve[@]}" \
        "${publisher_root[@]}"
    STARTED+=(crl-publisher)
  fi
  stack_proxy_mtls "$edge"
  await crl-publisher http_ok "$publisher/ready"
  if stack_missing auth-sidecar; then
    # shellcheck disable=SC2086
    UPKI_CA_SEED="$seed" launch auth-sidecar "$JAVA" ${JAVA_OPTS:-} -jar "$sidecar_jar" --listen "127.0.0.1:$SIDECAR_PORT" \
        "${sidecar_trust[@]}" "${sidecar_crl[@]}" "${root_crl[@]}" --crl-events "$publisher/events" \
        --ca "$CA_LIST" --state-dir "$HOME_DIR/sidecar" "${sidecar_curve[@]}"
    STARTED+=(auth-sidecar)
  fi
  if ! stack_missing ra-core; then
    :
  elif (( edge )); then
    # Behind the edge, ra-core speaks plain HTTP on loopback and trusts only the sidecar's signed assertions,
    # and only while the CRLs (pushed to it) do not revoke the sidecar's signing certificate.
    # shellcheck disable=SC2086
    # ACME clients of a local stack answer challenges on this host: validation may connect to loopback.
    UPKI_CA_SEED="$seed" launch ra-core "$JAVA" $(jvm_defaults ra-core) ${JAVA_OPTS:-} -jar "$ra_jar" start --mode edge \
        --data-dir "$HOME_DIR/ra" --ca "$CA_LIST" --port "$RA_EDGE_PORT" --crl "$publisher/crl.der" \
        --crl-events "$publisher/events" --publisher "$publisher" --acme-allow-networks 127.0.0.0/8,::1/128 \
        "${ra_curve[@]}"
    STARTED+=(ra-core)
  else
    # shellcheck disable=SC2086
    UPKI_CA_SEED="$seed" launch ra-core "$JAVA" $(jvm_defaults ra-core) ${JAVA_OPTS:-} -jar "$ra_jar" start \
        --data-dir "$HOME_DIR/ra" --ca "$CA_LIST" --port "$RA_PORT" --crl "$publisher/crl.der" \
        --crl-events "$publisher/events" --publisher "$publisher" --acme-allow-networks 127.0.0.0/8,::1/128 \
        "${ra_curve[@]}"
    STARTED+=(ra-core)
  fi
  await auth-sidecar sidecar_ready
  if (( edge )); then
    await ra-core port_open "$RA_EDGE_PORT"
    if stack_missing nginx; then
      start_edge
      STARTED+=(nginx)
    fi
    await nginx http_ok --cacert "$HOME_DIR/ca/ca.crt" --resolve "upki-ra:$RA_PORT:127.0.0.1" \
        "https://upki-ra:$RA_PORT/api/v1/public/health"
  else
    await ra-core http_ok --cacert "$HOME_DIR/ra/ca.crt" "https://127.0.0.1:$RA_PORT/api/v1/public/health"
  fi
  trap - ERR
  set +E
  if (( ${#running[@]} )); then
    echo "upki: started ${STARTED[*]}; everything runs from $HOME_DIR again"
  else
    stack_next_steps "$edge"
  fi
  if (( FOREGROUND )); then
    trap 'stack_stop_all; exit 0' INT TERM
    echo "upki: in the foreground; Ctrl-C stops everything."
    while true; do
      sleep 1
      for name in ca-server crl-publisher auth-sidecar ra-core; do
        if ! running_pid "$name" >/dev/null; then
          echo "upki: $name stopped; see $LOG_DIR/$name.log. Stopping the rest." >&2
          stack_stop_all
          exit 1
        fi
      done
    done
  fi
}

# bin/upki restart NAME [--home D]: stops NAME (when it runs) and starts it again with `up`, which also
# starts anything else that is not running.
stack_restart() {
  local target="${1:-}"
  case "$target" in
    ca-server|crl-publisher|auth-sidecar|ra-core|nginx) shift ;;
    *) echo "upki: restart needs a process name: ca-server, crl-publisher, auth-sidecar, ra-core or nginx" >&2; exit 2 ;;
  esac
  stack_settings "$@"
  [[ -f "$RUN_DIR/mode" ]] || { echo "upki: nothing runs from $HOME_DIR (bin/upki up --home $HOME_DIR)" >&2; exit 2; }
  stack_stop "$target"
  stack_up "$@"
}

# upki-cli as this stack's operator: over CURVE with the operator key when the CA runs curve.
stack_cli() {
  local -a curve=()
  [[ "$CLIENT_AUTH" == curve ]] && curve=(--ca-public-key "$CA_PUBLIC_KEY" --client-key "$OPERATOR_KEY")
  local sub="$1"; shift
  if [[ "$sub" == clients ]]; then
    local action="$1"; shift
    "$JAVA" -jar "$ROOT/upki-cli/target/upki-cli.jar" clients "$action" --host 127.0.0.1 --port "$CA_PORT" "${curve[@]}" "$@"
  else
    "$JAVA" -jar "$ROOT/upki-cli/target/upki-cli.jar" "$sub" --host 127.0.0.1 --port "$CA_PORT" "${curve[@]}" "$@"
  fi
}

# curve: the operator key enrols with the seed (only the first operator can; again is harmless), then
# makes the crl-publisher's key known: the publisher never sees the seed, an operator vouches for it.
curve_enrol() {
  mkdir -p "$HOME_DIR/cli" "$HOME_DIR/crl-publisher"
  chmod 700 "$HOME_DIR/cli"
  UPKI_CA_SEED="$seed" stack_cli clients enrol --name "operator (bin/upki up)" >"$LOG_DIR/curve-enrol.log" 2>&1 \
    || { echo "upki: could not enrol the operator key; see $LOG_DIR/curve-enrol.log" >&2; return 1; }
  { stack_cli clients keygen "$HOME_DIR/crl-publisher/ca-client.key" \
      && stack_cli clients add --role crl-publisher --name crl-publisher \
           --public-key-file "$HOME_DIR/crl-publisher/ca-client.key"; } >>"$LOG_DIR/curve-enrol.log" 2>&1 \
    || { echo "upki: could not add the crl-publisher's key; see $LOG_DIR/curve-enrol.log" >&2; return 1; }
}

# Mutual TLS inside the stack (issue #16 M1): the auth-sidecar serves HTTPS and decides only for a client
# certificate of upki's proxy profile, and so does ra-core's edge listener; nginx presents that certificate
# to both. Without it, anything on this machine that reached the sidecar could have an administrator's
# (public) certificate turned into an administrator's assertion. The settings go to the processes in their
# environment (UPKI_SIDECAR_TLS_*, UPKI_RA_EDGE_TLS). stack_proxy_mtls EDGE (1 or 0).
stack_proxy_mtls() {
  # Both at once, while the crl-publisher starts: each is a JVM start and a key pair.
  local sidecar_job proxy_job=""
  proxy_mtls_issue "$HOME_DIR/sidecar" https server auth-sidecar --san DNS:auth-sidecar --san IP:127.0.0.1 &
  sidecar_job=$!
  if (( $1 )); then
    proxy_mtls_issue "$HOME_DIR/edge" proxy proxy upki-edge-proxy &
    proxy_job=$!
  fi
  wait "$sidecar_job" || return 1
  [[ -z "$proxy_job" ]] || wait "$proxy_job" || return 1
  export UPKI_SIDECAR_TLS_CERT="$HOME_DIR/sidecar/https.crt" UPKI_SIDECAR_TLS_KEY="$HOME_DIR/sidecar/https.key"
  if (( $1 )); then export UPKI_RA_EDGE_TLS=true; fi
}

# proxy_mtls_issue DIR NAME PROFILE CN [SAN options]: DIR/NAME.crt and DIR/NAME.key (0600) from upki-cli,
# the key made here and only a CSR sent to the CA; again when missing or (openssl installed) within 7 days
# of expiry.
proxy_mtls_issue() {
  local dir="$1" name="$2" profile="$3" cn="$4" force=()
  shift 4
  mkdir -p "$dir"
  if [[ -f "$dir/$name.crt" && -f "$dir/$name.key" ]]; then
    command -v openssl >/dev/null && ! openssl x509 -checkend 604800 -noout -in "$dir/$name.crt" >/dev/null 2>&1 \
      && force=(--force)
    (( ${#force[@]} )) || return 0
  fi
  # As the stack's operator (stack_cli): under curve only an operator key may issue the proxy profile.
  stack_cli generate --cn "$cn" --profile "$profile" "$@" --out "$dir" --name "$name" "${force[@]}" \
      >"$LOG_DIR/$name-cert.log" 2>&1 \
    || { echo "upki: could not issue the $profile certificate $dir/$name.crt; see $LOG_DIR/$name-cert.log" >&2; return 1; }
}

sidecar_ready() { http_ok --cacert "$HOME_DIR/ca/ca.crt" "https://127.0.0.1:$SIDECAR_PORT/ready"; }

# The edge's own server certificate comes from the CA (profile server), its key made here by upki-cli.
start_edge() {
  local dir="$HOME_DIR/edge"
  mkdir -p "$dir/tmp"/{body,proxy,fastcgi,uwsgi,scgi}
  if [[ ! -f "$dir/edge.crt" ]]; then
    stack_cli generate --cn upki-ra \
        --profile server --san DNS:upki-ra --san IP:127.0.0.1 --out "$dir" --name edge \
        >"$LOG_DIR/edge-cert.log" 2>&1 \
      || { echo "upki: could not issue the edge's certificate; see $LOG_DIR/edge-cert.log" >&2; return 1; }
  fi
  local site user="" trusted="$HOME_DIR/ca/ca.crt"
  if [[ -f "$HOME_DIR/ca/chain.crt" ]]; then
    # Two-tier: nginx verifies upstream certificates up to the self-signed root, so it gets both.
    trusted="$dir/ca-chain.crt"
    cat "$HOME_DIR/ca/ca.crt" "$HOME_DIR/ca/chain.crt" >"$trusted"
  fi
  site="$(sed -e "s#@SIDECAR@#127.0.0.1:$SIDECAR_PORT#g" -e "s#@UPSTREAM@#127.0.0.1:$RA_EDGE_PORT#g" \
      -e "s#@LISTEN@#127.0.0.1:$RA_PORT#g" -e "s#@SERVER_NAME@#upki-ra#g" \
      -e "s#@CERT@#$dir/edge.crt#g" -e "s#@KEY@#$dir/edge.key#g" \
      -e "s#@PROXY_CERT@#$dir/proxy.crt#g" -e "s#@PROXY_KEY@#$dir/proxy.key#g" -e "s#@CA@#$trusted#g" \
      -e "s#@SIDECAR_NAME@#auth-sidecar#g" -e "s#@UPSTREAM_NAME@#upki-ra#g" \
      "$ROOT/deploy/nginx/upki-site.conf.template" | grep -v '^#')"
  # As root, workers would otherwise run as nobody and could not read the key in this private folder.
  [[ "$(id -u)" == 0 ]] && user="user root;"
  cat >"$dir/nginx.conf" <<CONF
# Written by bin/upki up: a private nginx (its own pid, logs and temp folders under $dir) around
# deploy/nginx/upki-site.conf.template.
$user
worker_processes 1;
pid $dir/nginx.pid;
error_log $LOG_DIR/nginx-error.log;
events { worker_connections 256; }
http {
    access_log $LOG_DIR/nginx-access.log;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path       $dir/tmp/proxy;
    fastcgi_temp_path     $dir/tmp/fastcgi;
    uwsgi_temp_path       $dir/tmp/uwsgi;
    scgi_temp_path        $dir/tmp/scgi;
$site
}
CONF
  "$NGINX" -t -q -p "$dir/" -c "$dir/nginx.conf" -e "$LOG_DIR/nginx-error.log" >"$LOG_DIR/nginx-check.log" 2>&1 \
    || { echo "upki: nginx refused the generated configuration; see $LOG_DIR/nginx-check.log" >&2; return 1; }
  launch nginx "$NGINX" -p "$dir/" -c "$dir/nginx.conf" -e "$LOG_DIR/nginx-error.log" \
      -g "daemon off; master_process on;"
}

stack_next_steps() {
  local edge="$1" ra_url="https://upki-ra:$RA_PORT" resolve="--resolve upki-ra:$RA_PORT:127.0.0.1"
  local ra_line="ra-core        $ra_url (direct mTLS)"
  if (( edge )); then
    ra_line="nginx edge     $ra_url -> auth-sidecar -> ra-core https://127.0.0.1:$RA_EDGE_PORT (proxy mTLS)"
  fi
  cat <<NEXT
upki is running from $HOME_DIR (bin/upki status; bin/upki down stops it):
  ca-server      tcp://127.0.0.1:$CA_PORT (registration $((CA_PORT + 1)), events $((CA_PORT + 2)), ops http://127.0.0.1:$CA_OPS_PORT/metrics)
  crl-publisher  http://127.0.0.1:$PUBLISHER_PORT/crl.der
  auth-sidecar   https://127.0.0.1:$SIDECAR_PORT (serves only the proxy certificate)
  $ra_line
Logs: $LOG_DIR/
NEXT
  if [[ "$CLIENT_AUTH" == curve ]]; then
    cat <<NEXT
The CA accepts CURVE clients only (docs/SECURITY.md). Use upki-cli as this stack's operator:
  export UPKI_CA_PUBLIC_KEY=$CA_PUBLIC_KEY UPKI_CLI_CLIENT_KEY=$OPERATOR_KEY
NEXT
  fi
  cat <<NEXT

Try the mTLS admin guide (upki-ra is this machine: curl's --resolve saves editing /etc/hosts):
  bin/upki-cli generate --host 127.0.0.1 --cn "admin.example.internal" --profile admin
  curl --cert admin.crt --key admin.key --cacert ca.crt $resolve $ra_url/api/v1/health
  curl --cacert ca.crt $resolve $ra_url/api/v1/health          # refused: no client certificate
  bin/upki-cli revoke --dn "/CN=admin.example.internal" --reason cessationOfOperation
  bin/upki-cli generate-crl                                     # then the first curl is refused
NEXT
}

# stack_stop NAME...: stops those of the recorded processes that run, the edge first and the CA last
# (SIGTERM, then SIGKILL after 15 s), and forgets them.
stack_stop() {
  local name pid stopped=() order=()
  for name in nginx ra-core auth-sidecar crl-publisher ca-server; do
    [[ " $* " == *" $name "* ]] && order+=("$name")
  done
  for name in "${order[@]}"; do
    if pid="$(running_pid "$name")"; then
      kill -TERM "$pid" 2>/dev/null || true
      stopped+=("$name:$pid")
    fi
  done
  local entry deadline=$((SECONDS + 15))
  for entry in "${stopped[@]}"; do
    name="${entry%%:*}"
    while running_pid "$name" >/dev/null && (( SECONDS < deadline )); do sleep 0.1; done
    if pid="$(running_pid "$name")"; then
      echo "upki: $name (pid $pid) ignored SIGTERM for 15 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "upki: stopped $name"
  done
  for name in "${order[@]}"; do
    rm -f "$RUN_DIR/$name.pid"
  done
}

# Stops every recorded process.
stack_stop_all() { stack_stop nginx ra-core auth-sidecar crl-publisher ca-server; }

stack_down() {
  stack_settings "$@"
  if [[ ! -d "$RUN_DIR" ]] || ! ls "$RUN_DIR"/*.pid >/dev/null 2>&1; then
    echo "upki: nothing to stop in $HOME_DIR"
    return 0
  fi
  stack_stop_all
}

stack_status() {
  stack_settings "$@"
  local healthy=1 line
  printf '%-14s %-8s %-34s %s\n' PROCESS PID ADDRESS HEALTH
  status_line() {
    local name="$1" address="$2" pid health
    shift 2
    if pid="$(running_pid "$name")"; then
      if "$@" >/dev/null 2>&1; then health="ok"; else health="not answering"; healthy=0; fi
    else
      pid="-"
      health="stopped"
      healthy=0
    fi
    printf '%-14s %-8s %-34s %s\n' "$name" "$pid" "$address" "$health"
  }
  status_line ca-server "tcp://127.0.0.1:$CA_PORT" port_open "$CA_PORT"
  status_line crl-publisher "http://127.0.0.1:$PUBLISHER_PORT" http_ok "http://127.0.0.1:$PUBLISHER_PORT/ready"
  status_line auth-sidecar "https://127.0.0.1:$SIDECAR_PORT" sidecar_ready
  if [[ "$(cat "$RUN_DIR/mode" 2>/dev/null)" == edge ]]; then
    status_line ra-core "https://127.0.0.1:$RA_EDGE_PORT (edge mode)" port_open "$RA_EDGE_PORT"
    status_line nginx "https://127.0.0.1:$RA_PORT" http_ok --cacert "$HOME_DIR/ca/ca.crt" \
        --resolve "upki-ra:$RA_PORT:127.0.0.1" "https://upki-ra:$RA_PORT/api/v1/public/health"
  else
    status_line ra-core "https://127.0.0.1:$RA_PORT" http_ok --cacert "$HOME_DIR/ca/ca.crt" \
        "https://127.0.0.1:$RA_PORT/api/v1/public/health"
  fi
  (( healthy )) || return 3
}
