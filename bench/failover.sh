#!/usr/bin/env bash
# Failover of an active/standby CA pair on a real PostgreSQL server: kills the active ca-server with
# SIGKILL N times during a sign loop and records the time from each kill to the first successful sign
# on the standby (ca-server's StandbyFailoverTest, which also checks that nothing acknowledged is lost
# and no serial repeats).
#
#   bench/failover.sh [--kills N] [--results-dir DIR]
#
# Needs initdb/pg_ctl (Debian's postgresql package). Report: bench/results/failover-DATE.md.
set -euo pipefail

KILLS=10
RESULTS_DIR=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kills) KILLS="${2:?--kills needs a number}"; shift 2 ;;
    --results-dir) RESULTS_DIR="${2:?--results-dir needs a directory}"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "failover: unknown option $1" >&2; exit 2 ;;
  esac
done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results}"
mkdir -p "$RESULTS_DIR"
DATE="$(date -u +%Y-%m-%d)"
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT

cd "$ROOT"
# Only the default surefire execution: the test is the same on both store suites.
mvn -o -q -pl ca-server -am verify -Dtest=StandbyFailoverTest#theStandbyTakesOver* \
    -Dsurefire.failIfNoSpecifiedTests=false -Dupki.failover.kills="$KILLS" \
    -Dskip.postgresql.suite=true | tee "$LOG" | grep '\[standby-failover\]' || true
grep -q '\[standby-failover\] .* kills' "$LOG" || { echo "failover: the test did not finish; see above" >&2; exit 1; }

mapfile -t TIMES < <(grep -o 'kill [0-9]*: first successful sign on the standby [0-9]* ms' "$LOG" | awk '{print $9}')
SORTED=($(printf '%s\n' "${TIMES[@]}" | sort -n))
N=${#SORTED[@]}
P50=${SORTED[$(( (N - 1) / 2 ))]}
P99=${SORTED[$(( (N * 99 + 99) / 100 - 1 ))]}
SUMMARY="$(grep '\[standby-failover\] .* kills' "$LOG" | tail -1 | sed 's/^\[standby-failover\] //')"
OUT="$RESULTS_DIR/failover-$DATE.md"
{
  echo "# CA failover, $DATE"
  echo
  echo "Two ca-server processes (EC P-384 CA) on one PostgreSQL $(initdb --version | awk '{print $3}') server"
  echo "started by the test (fsync on), one client with both endpoints signing in a loop (one sign at a"
  echo "time, a new EC key and CSR each), the active CA killed with SIGKILL $KILLS times; the killed one"
  echo "comes back as the new standby each time. Machine: $(nproc) cores, shared with other sessions."
  echo
  echo "| kill | SIGKILL -> first successful sign on the standby |"
  echo "|---:|---:|"
  for i in "${!TIMES[@]}"; do echo "| $((i + 1)) | ${TIMES[$i]} ms |"; done
  echo
  echo "p50 ${P50} ms, p99 (max of $N) ${P99} ms. $SUMMARY."
  echo
  echo "Command: \`bench/failover.sh --kills $KILLS\`."
} > "$OUT"
echo "failover: wrote $OUT (p50 ${P50} ms, p99 ${P99} ms)"
