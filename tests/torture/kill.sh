#!/bin/sh
# Kill test: start `alinea align ... -o out.tmx` (or `alinea segment -o
# out.txt` when align cannot run) and kill it at a random moment, ROUNDS
# times. After every kill the output must be either the old file or the
# complete new one, byte for byte -- never a half-written file.
#   kill.sh ALINEA_BIN [ROUNDS [MIN_MS]]   (defaults 200 and 150: the input
# grows until one run takes MIN_MS milliseconds)
# Prints one summary line; exit 0 on success, 1 when a half-written output
# was seen. The input is synthetic (written here), so it needs no ../shared.
set -u
ALINEA=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROUNDS=${2:-200}
# A fixed TMX creationdate, so that two complete runs give the same bytes.
export SOURCE_DATE_EPOCH=1700000000
work=$(mktemp -d "${TMPDIR:-/tmp}/alinea-kill.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work" || exit 1

# Synthetic parallel text: numbered sentences with names and dates, in
# paragraphs of 5, long enough that a run takes a few hundred milliseconds.
awk -v n="${KILL_SENTENCES:-400}" 'BEGIN {
  for (i = 1; i <= n; i++) {
    printf "Le conseil de la ville numéro %d a voté le budget de %d euros le %d mars. ", i, i * 37, i % 28 + 1 >"fr.txt"
    printf "The council of town number %d voted a budget of %d euros on %d March. ", i, i * 37, i % 28 + 1 >"en.txt"
    if (i % 5 == 0) { printf "\n\n" >"fr.txt"; printf "\n\n" >"en.txt" }
  }
}'

mode=align
out=out.tmx
run() { "$ALINEA" align fr.txt en.txt -o "$out" 2>/dev/null; }
if ! run || ! [ -s "$out" ]; then
  mode=segment
  out=out.txt
  run() { "$ALINEA" segment -o "$out" fr.txt 2>/dev/null; }
  run || { echo "kill.sh: '$ALINEA segment' fails on the synthetic input"; exit 1; }
fi
# Grow the input until one run takes at least ~150 ms, so that kills land
# while the output is being computed and written.
grow=0
while :; do
  t0=$(date +%s%N)
  run
  t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 ))
  [ "$ms" -ge "${3:-150}" ] || [ "$grow" -ge 3 ] && break
  for f in fr.txt en.txt; do cat "$f" "$f" "$f" "$f" >"$f.4" && mv "$f.4" "$f"; done
  grow=$((grow + 1))
done
[ "$ms" -lt 1 ] && ms=1
mv "$out" new.ref
printf 'old output: must survive intact\n' >old.ref

seed=$$
old=0 new=0 bad=0 temps=0 i=0
while [ $i -lt "$ROUNDS" ]; do
  i=$((i + 1))
  cp old.ref "$out"
  # A random delay in [0, 1.2 * run time], so that some kills land after
  # the rename and some before the process has even started writing.
  delay=$(awk -v s="$seed" -v i="$i" -v ms="$ms" 'BEGIN { srand(s + i); printf "%.4f", rand() * ms * 1.2 / 1000 }')
  case $((i % 3)) in 0) sig=KILL ;; 1) sig=TERM ;; *) sig=INT ;; esac
  run &
  pid=$!
  sleep "$delay"
  kill -s "$sig" "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if cmp -s "$out" old.ref; then
    old=$((old + 1))
  elif cmp -s "$out" new.ref; then
    new=$((new + 1))
  else
    bad=$((bad + 1))
    cp "$out" "half-written.$i"
    echo "kill.sh: round $i ($sig after ${delay}s): $out is neither the old nor the new file ($(wc -c <"$out") bytes)"
  fi
  for t in "$out".tmp-*; do
    [ -e "$t" ] || continue
    temps=$((temps + 1))
    rm -f "$t"
  done
done
echo "kill.sh: $mode -o $out, $ROUNDS kills (KILL/TERM/INT, run ${ms} ms): old file intact $old, complete new file $new, half-written $bad; temporary files left by killed runs: $temps (removed)"
[ "$bad" -eq 0 ]
