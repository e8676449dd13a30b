#!/bin/sh
# CLI golden test runner (after zstd's tests/cli-tests).
#   run.sh ALINEA_BINARY CASE_DIR
# CASE_DIR/cmd is a shell script run with `sh` in a fresh scratch directory,
# with $ALINEA (the binary), $CASE (the case folder) and $ROOT (the project
# root) set. Expected results, when present:
#   CASE_DIR/exit            the exit status (default 0)
#   CASE_DIR/stdout.exact    standard output, byte for byte
#   CASE_DIR/stderr.exact    standard error, byte for byte
# ALINEA_REGEN=1 rewrites the expected files from the actual results.
set -u
ALINEA=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CASE=$(cd "$2" && pwd)
ROOT=${ALINEA_ROOT:-$(cd "$CASE/../../.." && pwd)}
export ALINEA CASE ROOT
scratch=$(mktemp -d "${TMPDIR:-/tmp}/alinea-cli.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
cd "$scratch" || exit 1
# ALINEA_VALGRIND=1: run every alinea call under valgrind memcheck, through a
# wrapper so that cmd scripts keep calling "$ALINEA". Memory errors and
# definite leaks fail the case; "still reachable" ICU/hunspell caches do not.
if [ "${ALINEA_VALGRIND:-0}" = 1 ]; then
  mkdir "$scratch/.vg"
  {
    echo '#!/bin/sh'
    echo "exec valgrind -q --tool=memcheck --leak-check=full --show-leak-kinds=definite" \
      "--errors-for-leak-kinds=definite --error-exitcode=99" \
      "--log-file='$scratch/.vg/log.%p' '$ALINEA' \"\$@\""
  } >"$scratch/.vg/alinea"
  chmod +x "$scratch/.vg/alinea"
  ALINEA="$scratch/.vg/alinea"
fi
sh "$CASE/cmd" >"$scratch/.stdout" 2>"$scratch/.stderr" </dev/null
status=$?
if [ "${ALINEA_REGEN:-0}" = 1 ]; then
  echo "$status" >"$CASE/exit"
  cp "$scratch/.stdout" "$CASE/stdout.exact"
  cp "$scratch/.stderr" "$CASE/stderr.exact"
  echo "regenerated $CASE"
  exit 0
fi
fail=0
if [ "${ALINEA_VALGRIND:-0}" = 1 ]; then
  for log in "$scratch"/.vg/log.*; do
    [ -s "$log" ] || continue
    echo "valgrind: memory errors or definite leaks ($log):"; head -60 "$log"; fail=1
  done
fi
want=0
[ -f "$CASE/exit" ] && want=$(cat "$CASE/exit")
if [ "$status" != "$want" ]; then
  echo "exit status $status, expected $want"; fail=1
fi
for s in stdout stderr; do
  if [ -f "$CASE/$s.exact" ] && ! cmp -s "$CASE/$s.exact" "$scratch/.$s"; then
    echo "$s differs:"; diff -u "$CASE/$s.exact" "$scratch/.$s" | head -40; fail=1
  fi
done
if [ $fail != 0 ]; then
  echo "--- stderr ---"; head -20 "$scratch/.stderr"
fi
exit $fail
