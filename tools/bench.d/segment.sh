#!/bin/sh
# bench.d/segment.sh ALINEA SHARED BUILD - segmenter throughput and memory.
# Builds a ~50 MB French text from the project's own corpora (corpora/*/fr.txt;
# never from shared/), runs tools/bench-segment.c (alinea_segmenter_run next to
# a bare ICU sentence BreakIterator over the same text, same process), then
# the CLI on 10 MB and 50 MB inputs to show its peak memory.
#   SEG_BENCH_MB=50  size of the text
set -eu
alinea=$1 build=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
mb=${SEG_BENCH_MB:-50}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/alinea-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
src=$(ls "$root"/corpora/*/fr.txt 2>/dev/null | head -1 || true)
if [ -n "$src" ]; then
  cp "$src" "$tmp/unit.txt"
else
  # fallback until corpora/ has a French text: sentences written for this benchmark
  cat >"$tmp/unit.txt" <<'TXT'
Le conseil municipal s’est réuni le 3 févr. 2025 à 18 h 30. M. Lefèvre, maire adjoint, a présenté le budget.
« Nous investirons 2,5 M€ dans les écoles ! » a-t-il déclaré. Mme Girard, p. ex., a demandé des précisions sur l’art. 4 du projet.
Les travaux commenceront au printemps… ou à l’automne, selon les entreprises. Voir le chap. II du rapport (p. 12 et suiv.) pour les détails.
La séance a été levée vers 21 h. Le prochain conseil aura lieu le 7 mars.
TXT
fi
bytes=$((mb * 1000000))
: >"$tmp/big.txt"
while [ "$(wc -c <"$tmp/big.txt")" -lt "$bytes" ]; do
  cat "$tmp/unit.txt" "$tmp/unit.txt" "$tmp/unit.txt" "$tmp/unit.txt" >>"$tmp/big.txt"
  cat "$tmp/big.txt" "$tmp/big.txt" >"$tmp/big2.txt" 2>/dev/null && mv "$tmp/big2.txt" "$tmp/big.txt"
done
head -c "$bytes" "$tmp/big.txt" >"$tmp/in.txt"
# end on a line boundary
sed -i '$d' "$tmp/in.txt"
pc() { pkg-config "$@"; }
cc -O2 -std=c11 -I"$root/src" "$root/tools/bench-segment.c" -o "$tmp/bench-segment" \
  -L"$build" -lalinea $(pc --cflags --libs icu-uc icu-i18n libxml-2.0 hunspell) -lm 2>/dev/null ||
cc -O2 -std=c11 -I"$root/src" "$root/tools/bench-segment.c" -o "$tmp/bench-segment" \
  "$build/libalinea.a" $(pc --cflags --libs icu-uc icu-i18n libxml-2.0 hunspell) -lm
echo "text: $(wc -c <"$tmp/in.txt") bytes from ${src:-the built-in sample}"
ALINEA_DATA_DIR=${ALINEA_DATA_DIR:-$root/dict} "$tmp/bench-segment" "$tmp/in.txt" fr 3
if [ -x /usr/bin/time ]; then
  for size in 10 $mb; do
    head -c $((size * 1000000)) "$tmp/in.txt" >"$tmp/part.txt"; sed -i '$d' "$tmp/part.txt"
    /usr/bin/time -f "cli: $size MB input: %e s, peak RSS %M KiB" \
      env ALINEA_DATA_DIR=${ALINEA_DATA_DIR:-$root/dict} "$alinea" segment -l fr "$tmp/part.txt" >/dev/null
  done
fi
