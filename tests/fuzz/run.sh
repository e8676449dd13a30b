#!/bin/sh
# Run every libFuzzer target for SECONDS each (default 15), starting from the
# seed corpus tests/fuzz/corpus/TARGET (copied: the repository is not
# modified). Prints, per target, executions per second and coverage; exits 1
# when a target finds a crash, a leak or a timeout (the reproducer is kept in
# $ALINEA_FUZZ_ARTIFACTS, default BUILD_DIR/fuzz-artifacts).
#   run.sh BUILD_DIR [SECONDS] [TARGET...]
set -u
BUILD=$(cd "$1" && pwd)
SECONDS_EACH=${2:-15}
shift 2 2>/dev/null || shift $#
HERE=$(cd "$(dirname "$0")" && pwd)
ART=${ALINEA_FUZZ_ARTIFACTS:-$BUILD/fuzz-artifacts}
mkdir -p "$ART"
targets=${*:-$(cd "$HERE/corpus" && ls)}
work=$(mktemp -d "${TMPDIR:-/tmp}/alinea-fuzzrun.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
status=0
for t in $targets; do
  bin=$BUILD/tests/fuzz/$t
  [ -x "$bin" ] || { echo "fuzz: $t: not built"; status=1; continue; }
  mkdir -p "$work/$t"
  cp "$HERE/corpus/$t"/* "$work/$t/" 2>/dev/null
  # Replay the regression inputs first (crashes found earlier).
  if [ -d "$HERE/regress/$t" ]; then
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$HERE/ubsan.supp \
      "$bin" "$HERE/regress/$t"/* >"$work/$t.regress.log" 2>&1 ||
      { status=1; echo "fuzz: $t: a regression input fails again:"; grep -m5 'ERROR\|runtime error\|fuzz: ' "$work/$t.regress.log"; }
  fi
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$HERE/ubsan.supp \
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    "$bin" -max_total_time="$SECONDS_EACH" -timeout=20 -rss_limit_mb=2560 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$ART/$t-" "$work/$t" >"$work/$t.log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$t.log")
  cov=$(grep -o 'cov: [0-9]*' "$work/$t.log" | tail -1)
  ft=$(grep -o 'ft: [0-9]*' "$work/$t.log" | tail -1)
  units=$(ls "$work/$t" | wc -l)
  if [ $rc -ne 0 ]; then
    status=1
    echo "fuzz: $t: FAILED (exit $rc) after ${execs:-?} runs; artifacts in $ART"
    grep -m1 -A30 'ERROR\|fuzz: \|==.*==' "$work/$t.log" | head -40
  else
    echo "fuzz: $t: ${SECONDS_EACH}s, ${execs:-?} runs, ${rate:-?} exec/s, ${cov:-cov: ?} edges, ${ft:-ft: ?} features, corpus $units"
  fi
done
exit $status
