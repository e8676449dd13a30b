#!/bin/sh
# Fault injection over the CLI (curl's "torture" tests): for each command
# below and each kind of fault (malloc, open, read, write), run the command
# once per N with the Nth call of that kind failing (tests/torture/
# faultinject.c, LD_PRELOAD), under LeakSanitizer when gcc's liblsan is
# there. Every run must end in one of two ways:
#   - a clean error: exit 2, 3 or 4, an "alinea..." message on stderr, no
#     leak, the old -o file intact byte for byte and no temporary file left;
#   - or the fault did not matter: the same exit status and the same output
#     as the run without faults.
# Anything else (a crash, a leak, exit 0 or 1 with a different output, an
# error without a message, a damaged -o file) is reported and fails.
#
#   run.sh BUILD_DIR [MAX_N]
# MAX_N (default 150; env TORTURE_MAX_N) caps the runs per command and kind:
# past it, N is sampled evenly over 1..K. FAULT_SCOPE=all also fails
# allocations made inside ICU, libxml2 and hunspell (default: only those of
# alinea itself).
set -u
BUILD=$(cd "$1" && pwd)
MAXN=${2:-${TORTURE_MAX_N:-150}}
ALINEA=$BUILD/alinea
FI=$BUILD/tests/torture/libfaultinject.so
HERE=$(cd "$(dirname "$0")" && pwd)
if [ ! -f "$FI" ]; then
  echo "torture: $FI not built (configure with BUILD_TESTING=ON)"; exit 1
fi
LSAN=$(gcc -print-file-name=liblsan.so 2>/dev/null || true)
case $LSAN in /*) [ -f "$LSAN" ] || LSAN= ;; *) LSAN= ;; esac
PRELOAD=$FI${LSAN:+ $LSAN}
[ -n "$LSAN" ] || echo "torture: liblsan.so not found: leaks are not checked"
export LSAN_OPTIONS=exitcode=23:print_suppressions=0
export FAULT_PROG=alinea
scope=${FAULT_SCOPE:-own}
export FAULT_SCOPE=$scope

work=$(mktemp -d "${TMPDIR:-/tmp}/alinea-torture.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work" || exit 1

# Inputs, written here (no ../shared needed).
cat >fr.txt <<'EOF'
Le conseil municipal de Lyon a voté le budget le 12 mars 2024. M. Dupont, maire adjoint, a présenté 3,5 millions d'euros d'investissements.

Mme Martin s'y est opposée : « Ce n'est pas raisonnable. » Le vote a eu lieu à 18 h.
EOF
cat >en.txt <<'EOF'
Lyon city council voted the budget on 12 March 2024. Mr Dupont, deputy mayor, presented 3.5 million euros of investment.

Ms Martin opposed it: "This is not reasonable." The vote took place at 6 pm.
EOF
cat >nl.txt <<'EOF'
De gemeenteraad van Lyon keurde op 12 maart 2024 de begroting goed. De heer Dupont, loco-burgemeester, presenteerde 3,5 miljoen euro aan investeringen.

Mevrouw Martin was ertegen: "Dit is niet redelijk." De stemming vond plaats om 18.00 uur.
EOF
printf 'Le budget est de 3,5 millions.\tThe budget is 3.5 million.\nLe vote a eu lieu le 12 mars.\tThe vote took place on 13 March.\n' >pairs.tsv
printf 'Il a \351t\351 ici.\n' >latin1.txt

# name|command ($A is the binary; -o files are named out.*)
cat >cases <<'EOF'
segment-o|"$A" segment -l fr -o out.txt fr.txt
segment-stdout|"$A" segment -l fr fr.txt
segment-lenient|"$A" segment --lenient latin1.txt
segment-stdin|"$A" segment -l en - <en.txt
align-tmx|"$A" align fr.txt en.txt nl.txt -o out.tmx
align-links|"$A" align --format links fr.txt en.txt
align-tsv|"$A" align --format tsv -o out.tsv fr.txt en.txt
check-tsv|"$A" check -s fr -t en pairs.tsv
check-tmx|"$A" check --format json seed.tmx
tmx-stats|"$A" tmx stats seed.tmx
EOF

# TORTURE_XFAIL="case ..." : known, reported failures of these cases are
# printed as XFAIL and do not fail the run (docs/robustness.md, open findings).
total=0 failures=0 xfails=0
report() {
  case " ${TORTURE_XFAIL:-} " in
    *" $name "*) echo "torture: XFAIL (known) $*"; xfails=$((xfails + 1)) ;;
    *) echo "torture: FAIL $*"; failures=$((failures + 1)) ;;
  esac
}

# $A is a wrapper that preloads the injector (and LeakSanitizer) into alinea
# only, never into the shell that runs the case.
cat >alinea-faults <<EOF
#!/bin/sh
LD_PRELOAD="\$FAULT_PRELOAD" exec "$ALINEA" "\$@"
EOF
chmod +x alinea-faults
A=$work/alinea-faults
export A

while IFS='|' read -r name cmd; do
  [ -n "$name" ] || continue
  # Reference run, without faults.
  rm -rf ref && mkdir ref
  printf 'OLD OUTPUT\n' >out.txt; cp out.txt out.tmx; cp out.txt out.tsv
  sh -c "$cmd" >ref/stdout 2>ref/stderr
  ref_rc=$?
  if [ "$ref_rc" -ge 2 ]; then
    echo "torture: skip $name (exit $ref_rc without faults: $(head -c 150 ref/stderr | head -1))"
    continue
  fi
  for f in out.txt out.tmx out.tsv; do cp "$f" "ref/$f"; done
  # seed.tmx for the check/tmx cases is made by align-tmx.
  [ "$name" = align-tmx ] && cp out.tmx seed.tmx
  for kind in malloc open read write; do
    rm -f count
    printf 'OLD OUTPUT\n' >out.txt; cp out.txt out.tmx; cp out.txt out.tsv
    FAULT_COUNT=$work/count FAULT_PRELOAD=$FI sh -c "$cmd" >/dev/null 2>&1
    k=$(sed -n "s/.*$kind=\([0-9]*\).*/\1/p" count 2>/dev/null | head -1)
    [ -n "$k" ] || k=0
    step=$(( (k + MAXN - 1) / (MAXN > 0 ? MAXN : 1) ))
    [ "$step" -lt 1 ] && step=1
    runs=0 fired=0 clean=0 tolerated=0 n=1
    while [ "$n" -le "$k" ]; do
      runs=$((runs + 1))
      printf 'OLD OUTPUT\n' >out.txt; cp out.txt out.tmx; cp out.txt out.tsv
      rm -f log
      FAULT_KIND=$kind FAULT_N=$n FAULT_LOG=$work/log FAULT_PRELOAD=$PRELOAD \
        sh -c "$cmd" >stdout 2>stderr
      rc=$?
      what="$name $kind #$n/$k"
      if [ $rc -ge 124 ] || grep -q 'Sanitizer\|core dumped' stderr; then
        if grep -q LeakSanitizer stderr; then
          report "$what: leak: $(grep -m1 -A4 'Direct leak\|Indirect leak' stderr | tr '\n' ' ' | head -c 400)"
        else
          report "$what: crash (exit $rc): $(head -c 300 stderr)"
        fi
      elif [ ! -s log ]; then
        # The fault did not fire (a shorter path this time): same result.
        if [ $rc != "$ref_rc" ] || ! cmp -s stdout ref/stdout; then
          report "$what: not fired, yet exit $rc and output differ from the reference"
        fi
      else
        fired=$((fired + 1))
        same=1
        [ $rc = "$ref_rc" ] && cmp -s stdout ref/stdout || same=0
        for f in out.txt out.tmx out.tsv; do cmp -s "$f" "ref/$f" || same=0; done
        if [ $same = 1 ]; then
          tolerated=$((tolerated + 1))
        elif [ $rc -ge 2 ] && [ $rc -le 4 ]; then
          ok=1
          grep -q '^alinea' stderr || { ok=0; report "$what: exit $rc without an error message"; }
          for f in out.txt out.tmx out.tsv; do
            printf 'OLD OUTPUT\n' | cmp -s - "$f" ||
              { ok=0; report "$what: exit $rc but $f was changed ($(wc -c <"$f") bytes)"; }
          done
          for t in out.*.tmp-*; do
            [ -e "$t" ] && { ok=0; report "$what: temporary file $t left behind"; rm -f "$t"; }
          done
          [ $ok = 1 ] && clean=$((clean + 1))
        else
          report "$what: exit $rc (reference $ref_rc) with a different output: a silently wrong result ($(head -c 200 stderr))"
        fi
      fi
      n=$((n + step))
    done
    total=$((total + runs))
    echo "torture: $name $kind: $k calls, $runs runs, fired $fired: clean error $clean, no effect $tolerated"
  done
done <cases
echo "torture: $total runs (scope $scope${LSAN:+, LeakSanitizer}), $failures failures, $xfails known (XFAIL)"
[ "$failures" -eq 0 ]
