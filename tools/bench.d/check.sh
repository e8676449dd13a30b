#!/bin/sh
# bench.d/check.sh ALINEA SHARED BUILD - `alinea check` throughput and memory.
# Builds a fr-en TMX of CHECK_BENCH_UNITS units (default 1,000,000) from the
# project's own corpus (corpora/sample: fr.sent, en.sent, fr-en.links; never
# from shared/): the 45 beads are repeated, with a running reference number
# ("(réf. N)" / "(ref. N)") on one bead in nine so that units are not all
# identical. Then:
#  - alinea check --format json on the whole TMX: wall time and peak RSS;
#  - Debian pofilter (translate-toolkit) on the first CHECK_BENCH_POFILTER
#    units (default 20,000) of the same TMX, in the same run; its rate is
#    extrapolated to the whole file for the ratio (pofilter on 1M units takes
#    hours); alinea is also timed on exactly those units.
set -eu
alinea=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
units=${CHECK_BENCH_UNITS:-1000000}
pounits=${CHECK_BENCH_POFILTER:-20000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/alinea-bench-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
gen() { # gen N OUT
  python3 - "$root/corpora/sample" "$1" "$2" <<'PY'
import json, sys
from xml.sax.saxutils import escape
d, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
fr = open(f"{d}/fr.sent", encoding="utf-8").read().split("\n")
en = open(f"{d}/en.sent", encoding="utf-8").read().split("\n")
beads = []
for l in open(f"{d}/fr-en.links", encoding="utf-8"):
    a, b = l.strip().split(":")
    a, b = json.loads(a), json.loads(b)
    if a and b:
        beads.append((" ".join(fr[i] for i in a), " ".join(en[i] for i in b)))
with open(out, "w", encoding="utf-8") as o:
    o.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
            '<header creationtool="bench" creationtoolversion="1" segtype="sentence" o-tmf="none" '
            'adminlang="en" srclang="fr" datatype="plaintext"/>\n<body>\n')
    for k in range(n):
        s, t = beads[k % len(beads)]
        if k % 9 == 0:
            s, t = f"{s} (réf. {k})", f"{t} (ref. {k})"
        o.write(f'<tu tuid="{k+1}"><tuv xml:lang="fr"><seg>{escape(s)}</seg></tuv>'
                f'<tuv xml:lang="en"><seg>{escape(t)}</seg></tuv></tu>\n')
    o.write("</body>\n</tmx>\n")
PY
}
gen "$units" "$tmp/big.tmx"
echo "TMX: $units fr-en units, $(wc -c <"$tmp/big.tmx") bytes, from corpora/sample"
measure() { # measure OUT CMD...: prints "seconds peak_kib"
  out=$1; shift
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >"$out" 2>"$tmp/err" || true
  cat "$tmp/time"
}
set -- $(measure "$tmp/report.json" "$alinea" check --no-config --format json "$tmp/big.tmx")
a_sec=$1 a_kib=$2
a_find=$(grep -c '"unit":' "$tmp/report.json" || true)
echo "alinea check: ${a_sec} s, peak RSS $((a_kib / 1024)) MiB, $a_find findings," \
     "$(python3 -c "print(round($units/max($a_sec,0.001)))") units/s"
if ! /usr/bin/python3 -c "import translate.filters.pofilter" 2>/dev/null; then
  echo "pofilter: not installed (Debian python3-translate); no ratio"
  exit 0
fi
gen "$pounits" "$tmp/small.tmx"
set -- $(measure "$tmp/a-small.json" "$alinea" check --no-config --format json "$tmp/small.tmx")
s_sec=$1
set -- $(measure "$tmp/po.out" /usr/bin/python3 -m translate.filters.pofilter --progress=none \
  -i "$tmp/small.tmx" -o "$tmp/po-out.tmx")
p_sec=$1 p_kib=$2
python3 - "$units" "$pounits" "$a_sec" "$s_sec" "$p_sec" "$p_kib" <<'PY'
import sys
units, pou, a, s, p, pk = int(sys.argv[1]), int(sys.argv[2]), *map(float, sys.argv[3:6]), int(sys.argv[6])
print(f"pofilter: {p:.1f} s on {pou} units ({pou/max(p,1e-3):.0f} units/s, peak RSS {pk//1024} MiB); "
      f"alinea on the same {pou} units: {s:.2f} s")
print(f"ratio on the same {pou} units: {p/max(s,1e-3):.0f}x; "
      f"per unit (pofilter extrapolated to {units}): {(p/pou)/(max(a,1e-3)/units):.0f}x faster")
PY
