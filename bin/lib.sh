# Shared by the upki launchers (bin/upki, bin/upki-cli): builds the jars when they are missing or stale.
# Sourced, not run; defines ROOT, JAVA, jvm_defaults, build, stale and ensure_jar.

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
STAMP="$ROOT/target/.upki-build-stamp"

# JVM options a server starts with, before JAVA_OPTS (which can override them). The CA and the RA
# serve a request every few milliseconds at most: at the JVM's default thresholds their request paths
# stay in profiled C1 code for the first few thousand requests (for a CA, weeks), so they compile at a
# tenth of the thresholds. Measured: bench/results/acme-2026-11-28-jit-*.md. The Dockerfiles match.
jvm_defaults() {
  case "$1" in
    ca-server | ra-core) echo "-XX:CompileThresholdScaling=0.1" ;;
  esac
}

build() {
  mkdir -p "$ROOT/target"
  # One build at a time, even when several processes are launched together.
  exec 9>"$ROOT/target/.upki-build-lock"
  flock 9
  if [[ "${1:-}" == "--if-stale" ]] && ! stale; then
    flock -u 9
    return 0
  fi
  echo "upki: building jars (mvn package)..." >&2
  (cd "$ROOT" && mvn -B -q -ntp -Dstyle.color=never -DskipTests package) >&2
  touch "$STAMP"
  flock -u 9
}

# Stale when a jar is missing, or a main source, resource or POM changed since the last build.
stale() {
  local module
  for module in ca-server auth-sidecar crl-publisher ra-core upki-cli; do
    [[ -f "$ROOT/$module/target/$module.jar" ]] || return 0
  done
  [[ -f "$STAMP" ]] || return 0
  [[ -n "$(find "$ROOT" -path "$ROOT/*/target" -prune -o \( -path '*/src/main/*' -o -name pom.xml \) \
        -type f -newer "$STAMP" -print -quit)" ]]
}

ensure_jar() {
  if [[ "${UPKI_NO_BUILD:-}" == 1 ]]; then
    # Packaged elsewhere (CI's mvn verify, an image): use the jars as they are, or say which is missing.
    [[ -f "$ROOT/$1/target/$1.jar" ]] || { echo "upki: $ROOT/$1/target/$1.jar is missing (UPKI_NO_BUILD=1)" >&2; exit 1; }
    printf '%s' "$ROOT/$1/target/$1.jar"
    return 0
  fi
  if stale; then
    build --if-stale
  fi
  printf '%s' "$ROOT/$1/target/$1.jar"
}
