#!/bin/sh
# eval_align_robust.sh ALINEA SHARED BUILD - a large omission must not derail
# the aligner (issue 4, "Robustness"): on a synthetic 5,000-sentence document
# made from the TransRead books (tools/align-synth), 50 consecutive target
# sentences are deleted from the middle. The beads more than 100 sentences
# away from the hole must be those of the intact document (at most 0.5% may
# differ), and the holed document's strict F1 must stay within 0.01 of the
# intact one's. Exit 77 (skip) when the shared data is missing.
set -u
ALINEA=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SHARED=$2
here=$(cd "$(dirname "$0")" && pwd)
root=${ALINEA_ROOT:-$(cd "$here/../.." && pwd)}
score=$SHARED/bin/align-score
if [ ! -d "$SHARED/data/alignment/transread-fren-candide" ] || [ ! -x "$score" ]; then
  echo "skip: $SHARED/data/alignment (TransRead) or $score not found"
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/eval-align-robust.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
python3 "$root/tools/align-synth" "$SHARED" 5000 "$tmp/full" || exit 1
python3 "$root/tools/align-synth" "$SHARED" 5000 "$tmp/hole" --hole 50 || exit 1
for d in full hole; do
  "$ALINEA" align --presegmented --format links "fr:$tmp/$d/src.txt" "en:$tmp/$d/tgt.txt" \
    >"$tmp/$d.links" || { echo "FAIL: alinea align on the $d document"; exit 1; }
done
f1() { "$score" --json "$1" "$2" | sed -n 's/.*"f1_strict": \([0-9.]*\).*/\1/p'; }
ff=$(f1 "$tmp/full/gold.txt" "$tmp/full.links")
fh=$(f1 "$tmp/hole/gold.txt" "$tmp/hole.links")
read -r start k <"$tmp/hole/hole.txt"
python3 - "$tmp/full.links" "$tmp/hole.links" "$start" "$k" "$ff" "$fh" <<'PYEOF'
import re, sys
def links(p):
    out = []
    for line in open(p):
        m = re.match(r'\[([^\]]*)\]:\[([^\]]*)\]', line)
        out.append((tuple(int(x) for x in m.group(1).split(',') if x.strip()),
                    tuple(int(x) for x in m.group(2).split(',') if x.strip())))
    return out
full, hole = links(sys.argv[1]), set(links(sys.argv[2]))
start, k, ff, fh = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
far = differ = 0
for s, t in full:
    if not t or any(start - 100 <= x < start + k + 100 for x in t):
        continue
    far += 1
    if (s, tuple(x - k if x >= start + k else x for x in t)) not in hole:
        differ += 1
print('strict F1: intact %.4f, with a hole of %d target sentences at line %d: %.4f' % (ff, k, start, fh))
print('beads more than 100 sentences from the hole: %d, of which %d differ' % (far, differ))
ok = differ <= 0.005 * far and fh >= ff - 0.01
print('ok' if ok else 'FAIL: the omission derailed the alignment')
sys.exit(0 if ok else 1)
PYEOF
