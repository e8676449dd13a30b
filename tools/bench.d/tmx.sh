#!/bin/sh
# tools/bench.d/tmx.sh ALINEA SHARED BUILD - TMX writer and reader on a
# generated 1,000,000-TU file (FR/EN/NL sentences of the project's own
# corpora/sample, cycled), next to a bare `xmllint --stream` pass over the
# same file in the same run. Prints MB/s and peak memory (max RSS, from
# /usr/bin/time) of each step.
#   TMX_BENCH_TUS=N   number of TUs (default 1000000)
set -eu
ALINEA=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
n=${TMX_BENCH_TUS:-1000000}
src=$root/corpora/sample
for f in fr.sent en.sent nl.sent; do
  [ -f "$src/$f" ] || { echo "tmx bench: $src/$f missing"; exit 1; }
done
[ -x /usr/bin/time ] || { echo "tmx bench: /usr/bin/time (Debian package time) is needed"; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/alinea-bench-tmx.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
export SOURCE_DATE_EPOCH=1700000000

# TSV: line i = FR, EN and NL sentence i (cycled; non-empty lines only),
# each followed by " (i)" so that every TU is distinct, as in a real memory.
for l in fr en nl; do grep -v '^$' "$src/$l.sent" >"$work/$l"; done
awk -v n="$n" 'FNR == 1 { f++ } f == 1 { fr[c1++] = $0 } f == 2 { en[c2++] = $0 } f == 3 { nl[c3++] = $0 }
  END { for (i = 0; i < n; i++) printf "%s (%d)\t%s (%d)\t%s (%d)\n", fr[i % c1], i, en[i % c2], i, nl[i % c3], i }' \
  "$work/fr" "$work/en" "$work/nl" >"$work/in.tsv"

measure() { # LABEL BYTES CMD... -> one line of figures
  label=$1; bytes=$2; shift 2
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { echo "$label: failed"; cat "$work/err"; exit 1; }
  set -- $(tail -1 "$work/time")
  awk -v l="$label" -v b="$bytes" -v s="$1" -v m="$2" \
    'BEGIN { if (s < 0.01) s = 0.01; printf "%-34s %7.2f s %8.1f MB/s %8.1f MiB peak\n", l, s, b / s / 1e6, m / 1024 }'
  echo "$1" >"$work/last"
}

# The write figure is in MB of TMX written per second.
/usr/bin/time -f '%e %M' -o "$work/time" "$ALINEA" tmx convert --langs fr,en,nl "$work/in.tsv" \
  -o "$work/big.tmx" 2>"$work/err" || { echo "write failed"; cat "$work/err"; exit 1; }
size=$(wc -c <"$work/big.tmx")
set -- $(tail -1 "$work/time")
awk -v b="$size" -v s="$1" -v m="$2" 'BEGIN { if (s < 0.01) s = 0.01;
  printf "%-34s %7.2f s %8.1f MB/s %8.1f MiB peak\n", "write: TSV -> TMX (alinea)", s, b / s / 1e6, m / 1024 }'
echo "file: $n TUs, $(awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1e6 }') of TMX"
measure "read: xmllint --stream" "$size" xmllint --stream --noout "$work/big.tmx"
xs=$(cat "$work/last")
measure "read: alinea tmx count" "$size" "$ALINEA" tmx count "$work/big.tmx"
as=$(cat "$work/last")
measure "read+write: alinea tmx convert" "$size" "$ALINEA" tmx convert "$work/big.tmx" -o "$work/big2.tmx"
measure "stats: alinea tmx stats (ICU words)" "$size" "$ALINEA" tmx stats "$work/big.tmx"
measure "merge: file with itself (2 passes)" "$((2 * size))" "$ALINEA" tmx merge "$work/big.tmx" "$work/big.tmx" -o "$work/merged.tmx"
awk -v x="$xs" -v a="$as" 'BEGIN { if (a < 0.01) a = 0.01; printf "alinea reader speed = %.0f%% of xmllint --stream (target >= 50%%)\n", 100 * x / a }'
