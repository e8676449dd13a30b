#!/bin/sh
# tools/bench.d/align.sh ALINEA SHARED BUILD - aligner speed, memory and F1
# on synthetic long documents (tools/align-synth: TransRead books
# concatenated in deterministic shuffles of whole books), and the large-
# omission test (50 consecutive target sentences deleted from the middle of
# the 20k document: the beads away from the hole must not change).
#   SIZES="5000 20000 100000 500000"  sentences per side (override to shorten)
set -u
ALINEA=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SHARED=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
score=$SHARED/bin/align-score
if [ ! -d "$SHARED/data/alignment" ]; then
  echo "skip: $SHARED/data/alignment not found"; exit 0
fi
export ALINEA_DATA_DIR=${ALINEA_DATA_DIR:-$root/dict}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-align.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
f1() { "$score" --json "$1" "$2" | sed -n 's/.*"f1_strict": \([0-9.]*\).*/\1/p'; }
if [ ! -x /usr/bin/time ]; then
  echo "skip: /usr/bin/time is missing (Debian package 'time'); it measures wall time and peak RSS"
  exit 0
fi
echo "| sentences fr / en | wall time | peak RSS | strict F1 |"
echo "|---|---|---|---|"
for n in ${SIZES:-5000 20000 100000 500000}; do
  d=$tmp/$n
  python3 "$root/tools/align-synth" "$SHARED" "$n" "$d" || exit 1
  /usr/bin/time -f '%e %M' -o "$d/time" "$ALINEA" align --presegmented --format links \
    "fr:$d/src.txt" "en:$d/tgt.txt" >"$d/pred.links" || { echo "FAIL: align $n"; exit 1; }
  read -r wall rss <"$d/time"
  printf '| %s / %s | %s s | %s MiB | %.3f |\n' "$(wc -l <"$d/src.txt")" "$(wc -l <"$d/tgt.txt")" \
    "$wall" "$((rss / 1024))" "$(f1 "$d/gold.txt" "$d/pred.links")"
  rm -f "$d/src.txt" "$d/tgt.txt"
done

# Large omission: 20k document with and without a hole of 50 target sentences.
n=20000
python3 "$root/tools/align-synth" "$SHARED" $n "$tmp/full" || exit 1
python3 "$root/tools/align-synth" "$SHARED" $n "$tmp/hole" --hole 50 || exit 1
"$ALINEA" align --presegmented --format links "fr:$tmp/full/src.txt" "en:$tmp/full/tgt.txt" >"$tmp/full.links"
"$ALINEA" align --presegmented --format links "fr:$tmp/hole/src.txt" "en:$tmp/hole/tgt.txt" >"$tmp/hole.links"
read -r start k <"$tmp/hole/hole.txt"
python3 - "$tmp/full.links" "$tmp/hole.links" "$start" "$k" <<'PYEOF'
import re, sys
def links(p):
    out = []
    for line in open(p):
        m = re.match(r'\[([^\]]*)\]:\[([^\]]*)\]', line)
        out.append((tuple(int(x) for x in m.group(1).split(',') if x.strip()),
                    tuple(int(x) for x in m.group(2).split(',') if x.strip())))
    return out
full, hole = links(sys.argv[1]), links(sys.argv[2])
start, k = int(sys.argv[3]), int(sys.argv[4])
# map the full alignment's target indices to the holed document; drop links
# that touch the hole
mapped = set()
for s, t in full:
    if any(start <= x < start + k for x in t):
        continue
    mapped.add((s, tuple(x - k if x >= start + k else x for x in t)))
hs = set(hole)
near = far = total = 0
for s, t in mapped:
    if not t:
        continue
    total += 1
    if (s, t) in hs:
        continue
    d = min(abs(x - start) for x in t)
    if d <= 100:
        near += 1
    else:
        far += 1
print('large omission (50 target sentences deleted at target line %d): of %d beads, %d differ '
      'from the alignment without the hole within 100 sentences of it, %d further away'
      % (start, total, near, far))
PYEOF
