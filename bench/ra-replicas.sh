#!/usr/bin/env bash
# RA replicas: what keeping ACME nonces in the shared PostgreSQL database costs each request, against
# keeping them in memory (io.upki.bench.acme.NonceCost, one issue + one consume per request, on a real
# PostgreSQL server it starts from initdb/pg_ctl, fsync on). See bench/README.md.
#
#   bench/ra-replicas.sh [--pairs N] [--rounds N] [--threads 1,4] [--no-build] [--results-dir DIR] [--suffix S]
#   bench/ra-replicas.sh --issuance [--clients N] [--seconds S] [--rounds N] [--warmup S] [--settle S] [...]
#
# Writes bench/results/ra-replicas-<date>S.md and .jsonl. With --issuance (bench/ra-replicas-issuance.sh):
# ACME issuance throughput through nginx with one ra-core against two, ra-replicas-issuance-<date>S.md.
set -euo pipefail
if [[ "${1:-}" == --issuance ]]; then
  shift
  exec "$(dirname "${BASH_SOURCE[0]}")/ra-replicas-issuance.sh" "$@"
fi
PAIRS=5000; ROUNDS=3; THREADS=1,4; BUILD=1; RESULTS_DIR=""; SUFFIX=""
usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }
LOG_TAG=ra-replicas
# shellcheck source=bench/lib/options.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/options.sh"
bench_options "--pairs=PAIRS --rounds=ROUNDS --threads=THREADS --no-build%BUILD \
  --results-dir=RESULTS_DIR --suffix=SUFFIX" "$@"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v jq >/dev/null || { echo "ra-replicas: jq is required" >&2; exit 1; }
if [[ $BUILD == 1 || ! -f bench/target/bench.jar ]]; then
  mvn -B -q -ntp -o -DskipTests install -pl bench -am >/dev/null
fi
DATE="$(date +%F)"
OUT="$RESULTS_DIR/ra-replicas-$DATE$SUFFIX"
mkdir -p "$RESULTS_DIR"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA" -cp bench/target/bench.jar io.upki.bench.acme.NonceCost --pairs "$PAIRS" --rounds "$ROUNDS" \
  --threads "$THREADS" | grep '^{' >"$OUT.jsonl"
{
  echo "# RA replicas: ACME nonces in PostgreSQL vs in memory ($DATE)"
  echo
  echo "One issue + one consume per pair (what each ACME request does), $PAIRS pairs per store, thread count"
  echo "and round, $ROUNDS alternating rounds, after untimed warm-up; PostgreSQL $(initdb --version 2>/dev/null | awk '{print $3}')"
  echo "started by the tool on loopback (fsync on, nonce table UNLOGGED), HikariCP pool of 10; $(nproc) cores."
  echo "Java: $("$JAVA" -version 2>&1 | head -1). Load average before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| threads | round | store | pairs/s | p50 µs | p90 µs | p99 µs |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  jq -r '"| \(.threads) | \(.round) | \(.store) | \(.pairs_per_s) | \(.p50_us) | \(.p90_us) | \(.p99_us) |"' "$OUT.jsonl"
  echo
  jq -s -r 'def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    group_by(.threads)[] | . as $g
    | ($g | map(select(.store == "memory")) | map(.p50_us) | median) as $m
    | ($g | map(select(.store == "postgresql")) | map(.p50_us) | median) as $p
    | "\($g[0].threads) thread(s): median p50 per request \($m) µs in memory, \($p) µs in PostgreSQL (+\((($p - $m) * 10 | round) / 10) µs per request)."' "$OUT.jsonl"
} >"$OUT.md"
cat "$OUT.md"
