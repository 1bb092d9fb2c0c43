# Shared by the bench scripts (sourced): their command lines, parsed one way. Expects LOG_TAG and a usage function.

# bench_options SPEC ARGS...: sets variables from ARGS as SPEC allows, SPEC being words of three kinds:
#   --name=VAR   takes a value (--name V or --name=V) into VAR
#   --name+VAR   a flag that sets VAR=1
#   --name%VAR   a flag that sets VAR=0 (--no-build%BUILD)
# -h/--help prints usage and exits 0; an option SPEC does not name, or one without its value, exits 2.
bench_options() {
  local spec="$1" word tok w; shift
  while [[ $# -gt 0 ]]; do
    [[ $1 == -h || $1 == --help ]] && { usage; exit 0; }
    word="${1%%=*}" tok=""
    for w in $spec; do
      if [[ ${w%%[=+%]*} == "$word" ]]; then tok="$w"; break; fi
    done
    case "$tok" in
      *=*)
        if [[ $1 == *=* ]]; then printf -v "${tok#*=}" '%s' "${1#*=}"; shift
        elif [[ $# -ge 2 ]]; then printf -v "${tok#*=}" '%s' "$2"; shift 2
        else echo "$LOG_TAG: $1 needs a value" >&2; exit 2
        fi ;;
      *+*) printf -v "${tok#*+}" 1; shift ;;
      *%*) printf -v "${tok#*%}" 0; shift ;;
      *) echo "$LOG_TAG: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
  done
}
