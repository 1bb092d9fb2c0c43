#!/usr/bin/env bash
# RA replicas, issuance throughput (issue #18): one CA, one real PostgreSQL (the ACME store both ra-cores
# share, nonces included), two ra-cores (direct mode, HTTPS, --acme-store postgresql://...) and nginx in
# front; io.upki.bench.acme.AcmeLoad drives N concurrent ACME accounts (http-01, one shared responder:
# every replica validates on the same --acme-http-port) for a fixed time per round, in rounds that
# alternate nginx's upstream between one ra-core and both (reloaded between rounds). See bench/README.md.
#
#   bench/ra-replicas-issuance.sh [--clients 8] [--seconds 30] [--rounds 4] [--warmup 60] [--settle 10]
#                                 [--keep] [--no-build] [--results-dir DIR] [--suffix S]
#
# Writes bench/results/ra-replicas-issuance-<date>S.md and .jsonl.
set -euo pipefail
CLIENTS=8; SECONDS_PER_ROUND=30; ROUNDS=4; WARMUP=60; SETTLE=10; KEEP=0; BUILD=1; RESULTS_DIR=""; SUFFIX=""
usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
LOG_TAG=ra-replicas-issuance
# shellcheck source=bench/lib/options.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/options.sh"
bench_options "--clients=CLIENTS --seconds=SECONDS_PER_ROUND --rounds=ROUNDS --warmup=WARMUP \
  --settle=SETTLE --keep+KEEP --no-build%BUILD --results-dir=RESULTS_DIR --suffix=SUFFIX" "$@"
# shellcheck source=bench/lib/acme-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/acme-common.sh"
for tool in "$JAVA" nginx pebble-challtestsrv curl jq; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
if [[ $BUILD == 1 || ! -f "$BENCH_JAR" || ! -f ra-core/target/ra-core.jar ]]; then
  log "building the jars (mvn package, no tests)"
  mvn -B -q -ntp -o -DskipTests package -pl ca-server,crl-publisher,ra-core,bench -am >/dev/null || die "build failed"
fi

ACME_START_TRIES=900
acme_work
NGX="$WORK/nginx"
acme_cleanup_extra() { [[ -f "$NGX/nginx.pid" ]] && kill "$(cat "$NGX/nginx.pid")" 2>/dev/null || true; }
CA_PORT="$(port 3)"; PUB_PORT="$(port)"; RA_A="$(port)"; RA_B="$(port)"; NGINX_PORT="$(port)"
HTTP_PORT="$(port)"; DNS_PORT="$(port)"; MGMT_PORT="$(port)"
SEED="bench-seed-$RANDOM$RANDOM"

log "PostgreSQL (initdb/pg_ctl, io.upki.bench.acme.PgServer), DNS (pebble-challtestsrv: every name is 127.0.0.1)"
start postgres "$JAVA" -cp "$BENCH_JAR" io.upki.bench.acme.PgServer "$WORK"
PG_PID=$LAST_PID
start challtestsrv pebble-challtestsrv -dns01 "127.0.0.1:$DNS_PORT" -management "127.0.0.1:$MGMT_PORT" \
  -http01 "" -https01 "" -tlsalpn01 "" -defaultIPv6 ""
wait_until challtestsrv "$LAST_PID" curl -s -o /dev/null "http://127.0.0.1:$MGMT_PORT/"
wait_until postgres "$PG_PID" grep -q '^ready' "$WORK/postgres.log"

log "ca-server (EC), crl-publisher, two ra-cores on $(cat "$WORK/store-url")"
start_ca_and_publisher
for r in a b; do # one after the other: each registers its own ra.key with the seed
  [[ $r == a ]] && p=$RA_A || p=$RA_B
  # shellcheck disable=SC2086
  start "ra-core-$r" env UPKI_CA_SEED="$SEED" "$JAVA" $RA_OPTS -jar ra-core/target/ra-core.jar start \
    --data-dir "$WORK/ra-$r" --ca-port "$CA_PORT" --port "$p" --crl "http://127.0.0.1:$PUB_PORT/crl.der" \
    --acme-http-port "$HTTP_PORT" --acme-dns "127.0.0.1:$DNS_PORT" --acme-allow-networks 127.0.0.0/8 \
    --acme-store "$(cat "$WORK/store-url")" --acme-store-password-file "$WORK/store-password" \
    --acme-base-url "https://127.0.0.1:$NGINX_PORT"
  wait_until "ra-core-$r" "$LAST_PID" curl -sf --cacert "$WORK/ca/ca.crt" "https://127.0.0.1:$p/acme/directory"
  [[ $r == a ]] && RA_A_PID=$LAST_PID || RA_B_PID=$LAST_PID
done

# nginx: TLS in (ra-core a's certificate), TLS out to the upstream on keep-alive connections; which
# ra-core served each request goes to a buffered log, a marker line per round (written by the switch).
mkdir -p "$NGX/tmp"
USER_LINE=""
[[ $EUID == 0 ]] && USER_LINE="user root root;"
cat >"$NGX/nginx.conf" <<CONF
$USER_LINE
worker_processes 2;
pid $NGX/nginx.pid;
error_log $NGX/error.log warn;
events { worker_connections 1024; }
http {
    log_format up '\$upstream_addr';
    access_log $NGX/access.log up buffer=64k flush=1s;
    client_body_temp_path $NGX/tmp/body;
    proxy_temp_path $NGX/tmp/proxy;
    fastcgi_temp_path $NGX/tmp/fastcgi;
    uwsgi_temp_path $NGX/tmp/uwsgi;
    scgi_temp_path $NGX/tmp/scgi;
    include $NGX/upstream.conf;
    server {
        listen 127.0.0.1:$NGINX_PORT ssl;
        ssl_certificate     $WORK/ra-a/ra.crt;
        ssl_certificate_key $WORK/ra-a/ra.key;
        location / {
            proxy_pass https://upki_ra;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_ssl_session_reuse on;
        }
    }
}
CONF
# cpu LABEL: one line of each part's CPU seconds so far (utime + stime), taken at every switch and at the end,
# so each round's share of the cores shows where the time went (nginx's and PostgreSQL's exited processes
# are not counted; their pools live for the whole run, and nginx's workers, new at each reload, for one round).
DB_NAME="$(sed 's|.*/||' "$WORK/store-url")"
cat >"$WORK/cpu.sh" <<SH
#!/usr/bin/env bash
secs() { local t=0 p; for p in "\$@"; do t=\$((t + \$(awk '{print \$14 + \$15}' /proc/\$p/stat 2>/dev/null || echo 0))); done; echo "\$t"; }
echo "\$1 \$(date +%s.%N) ca=\$(secs $CA_PID) ra_a=\$(secs $RA_A_PID) ra_b=\$(secs $RA_B_PID)" \\
  "postgres=\$(secs \$(pgrep -f "postgres: upki $DB_NAME")) nginx=\$(secs \$(pgrep -P "\$(cat $NGX/nginx.pid)"))" \\
  "client=\$(secs \$(pgrep -f "AcmeLoad.*$WORK/ca/ca.crt")) ticks=$(getconf CLK_TCK)" >>"$WORK/cpu.txt"
SH
chmod +x "$WORK/cpu.sh"
# switch N: the upstream with the first N ra-cores, nginx reloaded (or started), a marker in the log.
cat >"$WORK/switch.sh" <<SH
#!/usr/bin/env bash
set -e
{ echo "upstream upki_ra {"; echo "    server 127.0.0.1:$RA_A;"; [[ \$1 == 2 ]] && echo "    server 127.0.0.1:$RA_B;"; echo "    keepalive 32;"; echo "}"; } >"$NGX/upstream.conf"
[[ -s "$NGX/nginx.pid" ]] && "$WORK/cpu.sh" "switch-\$1"
if [[ -s "$NGX/nginx.pid" ]]; then nginx -p "$NGX/" -c "$NGX/nginx.conf" -s reload; else nginx -p "$NGX/" -c "$NGX/nginx.conf"; fi
sleep 1.5
echo "== \$1" >>"$NGX/access.log"
SH
chmod +x "$WORK/switch.sh"
"$WORK/switch.sh" 2
curl -sf --cacert "$WORK/ca/ca.crt" "https://127.0.0.1:$NGINX_PORT/acme/directory" >/dev/null || die "nginx does not answer; see $NGX/error.log"

RESULTS="$WORK/results.jsonl"
log "$CLIENTS clients; ${WARMUP}s warm-up with both ra-cores, then $ROUNDS rounds of one-ra then two-ra, ${SETTLE}s settle + ${SECONDS_PER_ROUND}s measured each"
"$JAVA" ${BENCH_JAVA_OPTS:-} -cp "$BENCH_JAR" io.upki.bench.acme.AcmeLoad --directory "https://127.0.0.1:$NGINX_PORT/acme/directory" \
  --trust "$WORK/ca/ca.crt" --http-port "$HTTP_PORT" --clients "$CLIENTS" --warmup "$WARMUP" --settle "$SETTLE" \
  --seconds "$SECONDS_PER_ROUND" --rounds "$ROUNDS" --config "one-ra=$WORK/switch.sh 1" --config "two-ra=$WORK/switch.sh 2" \
  | tee "$RESULTS" >&2 || die "the ACME client failed"
"$WORK/cpu.sh" end
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
sleep 1.5 # the access log's last buffer
# Requests per upstream address in each switch's section (warm-up is the first "== 2").
SHARES="$(awk '/^== /{n++; cfg[n]=$2; next} {c[n" "$1]++} END {for (k in c) {split(k, a, " "); print a[1], cfg[a[1]], a[2], c[k]}}' "$NGX/access.log" | sort -n)"

DATE="$(date +%F)"
mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/ra-replicas-issuance-$DATE$SUFFIX"
cp "$RESULTS" "$OUT.jsonl"
{
  echo "# RA replicas: ACME issuance through nginx, one ra-core against two ($DATE)"
  echo
  echo "$CLIENTS concurrent ACME accounts (\`io.upki.bench.acme.AcmeLoad\`, one order at a time each, http-01 answered"
  echo "by one shared responder, a new P-256 key per certificate) through nginx (TLS in, TLS on keep-alive"
  echo "connections out) to ra-core(s) in direct mode sharing one PostgreSQL ACME store (nonces included), one"
  echo "EC P-384 ca-server. Rounds alternate nginx's upstream (reloaded): one-ra = ra-core a only, two-ra ="
  echo "a and b round robin; ${WARMUP}s untimed warm-up with both, then per configuration and round ${SETTLE}s"
  echo "untimed after the reload and ${SECONDS_PER_ROUND}s measured (certificates finished inside the window)."
  echo "Everything (CA, PostgreSQL $(initdb --version 2>/dev/null | awk '{print $3}'), nginx, both ra-cores, the client) on the same $(nproc) cores,"
  echo "shared with other sessions. Java: $("$JAVA" -version 2>&1 | head -1)."
  echo "Load average at the start: $LOAD_START; at the end: $LOAD_END."
  echo
  echo "| round | upstream | certs | certs/s | errors | p50 ms | p99 ms | load (1 min) | two-ra / one-ra, same round |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  jq -s -r '(map(select(.label == "one-ra") | {key: (.round | tostring), value: .certs_per_s}) | from_entries) as $one
    | .[] | "| \(.round) | \(.label) | \(.certs) | \(.certs_per_s) | \(.errors) | \(.p50_ms) | \(.p99_ms) | \(.load) | \(if .label == "two-ra" and ($one[.round | tostring] // 0) > 0 then ((.certs_per_s / $one[.round | tostring] * 100 | round) / 100 | tostring) + "x" else "" end) |"' "$RESULTS"
  echo
  jq -s -r 'def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    (map(select(.label == "one-ra") | {key: (.round | tostring), value: .certs_per_s}) | from_entries) as $one
    | [.[] | select(.label == "two-ra" and ($one[.round | tostring] // 0) > 0) | .certs_per_s / $one[.round | tostring]] as $r
    | "Median of the per-round ratios two-ra / one-ra: \(($r | median) * 100 | round / 100)x (rounds: \($r | map(. * 100 | round / 100 | tostring + "x") | join(", "))); median certs/s one-ra \(map(select(.label == "one-ra") | .certs_per_s) | median * 100 | round / 100), two-ra \(map(select(.label == "two-ra") | .certs_per_s) | median * 100 | round / 100)."' "$RESULTS"
  echo
  echo "Cores used by each part, per configuration and round (settle and measured time; the first line is the"
  echo "warm-up), from the CPU seconds each process had used at every switch:"
  echo
  echo "| from the switch to | ca-server | ra-core a | ra-core b | PostgreSQL | nginx | client | all |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  awk 'function v(k,  i, a) { for (i = 3; i <= NF; i++) { split($i, a, "="); if (a[1] == k) return a[2] } return 0 }
    { lab[NR] = $1; t[NR] = $2; hz = v("ticks"); for (j = 1; j <= 6; j++) c[NR, j] = v(p[j]) }
    BEGIN { split("ca ra_a ra_b postgres nginx client", p, " ") }
    END { for (r = 2; r <= NR; r++) { d = t[r] - t[r - 1]; all = 0; line = "| " (lab[r - 1] == "switch-1" ? "one-ra" : "two-ra") " |"
      for (j = 1; j <= 6; j++) { x = (j == 5 ? c[r, j] : c[r, j] - c[r - 1, j]) / hz / d; if (x < 0) x = 0; all += x; line = line sprintf(" %.2f |", x) }
      print line sprintf(" %.2f |", all) } }' "$WORK/cpu.txt"
  echo
  echo "Requests nginx sent to each ra-core, from its access log (section, ra-cores in the upstream, ra-core, requests;"
  echo "section 1 is the set-up, 2 the warm-up, then one per configuration and round (settle included), in order;"
  echo "nginx's log buffers make the borders approximate). ra-core a is 127.0.0.1:$RA_A, b is 127.0.0.1:$RA_B:"
  echo
  echo '```'
  echo "$SHARES"
  echo '```'
} >"$OUT.md"
cat "$OUT.md"
log "report: $OUT.md"
