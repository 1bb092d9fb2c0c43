# Shared by the bench scripts (sourced before their option loop): the options several of them take, parsed
# alike. A script names the ones it accepts in BENCH_OPTIONS and ends its own `case` with
#   *) bench_option "$@"; shift "$BENCH_SHIFT" ;;
# so an option it does not name stays an error. Expects: LOG_TAG and a usage function.

# bench_option ARGS...: takes one option of "$@" (KEEP, QUICK, BUILD, PROFILE, RESULTS_DIR, SUFFIX, CALM,
# KEY_TYPE); sets BENCH_SHIFT to the words it used. -h/--help prints usage; anything else exits 2.
bench_option() {
  local name="${1%%=*}"
  if [[ $name != -h && $name != --help && " $BENCH_OPTIONS " != *" $name "* ]]; then
    echo "$LOG_TAG: unknown option $1" >&2; usage >&2; exit 2
  fi
  BENCH_SHIFT=1
  case "$1" in
    --keep) KEEP=1 ;;
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --profile) PROFILE=1 ;;
    --results-dir) RESULTS_DIR="${2:?--results-dir needs a directory}"; BENCH_SHIFT=2 ;;
    --suffix) SUFFIX="${2:?--suffix needs a name}"; BENCH_SHIFT=2 ;;
    --wait-calm) CALM="${2:?--wait-calm needs a load average}"; BENCH_SHIFT=2 ;;
    --key-type) KEY_TYPE="${2:?--key-type needs a key type}"; BENCH_SHIFT=2 ;;
    --key-type=*) KEY_TYPE="${1#*=}" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$LOG_TAG: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
}
