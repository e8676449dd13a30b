#!/bin/sh
# eval_tmx_seed.sh ALINEA SHARED BUILD - real clients on Alinea's own TMX:
# `alinea align fr.txt en.txt nl.txt -o seed.tmx` on the seed article must give
# a file that `xmllint --dtdvalid tmx14.dtd` accepts, that `alinea tmx
# validate` finds clean, and that translate-toolkit (Debian python3-translate)
# loads with the French as source and the English as target; the per-pair
# files of `alinea tmx convert --per-pair` give translate-toolkit the Dutch too.
set -u
ALINEA=$1
SHARED=$2
SEED=$SHARED/corpora/seed
DTD=$SHARED/data/tmx/tmx14.dtd
if [ ! -f "$SEED/fr.txt" ] || [ ! -f "$DTD" ]; then
  echo "skip: $SEED or $DTD not found (the shared reference data is missing)"; exit 77
fi
command -v xmllint >/dev/null 2>&1 || { echo "skip: xmllint not installed"; exit 77; }
/usr/bin/python3 -c 'import translate.storage.tmx' 2>/dev/null ||
  { echo "skip: translate-toolkit (python3-translate) not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/alinea-eval-tmx-seed.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work" || exit 1
cp "$SEED/fr.txt" "$SEED/en.txt" "$SEED/nl.txt" .
fail=0
if ! "$ALINEA" align fr.txt en.txt nl.txt -o seed.tmx 2>align.err; then
  echo "FAIL: alinea align"; cat align.err; exit 1
fi
xmllint --noout --nonet --dtdvalid "$DTD" seed.tmx 2>xmllint.err ||
  { echo "FAIL: seed.tmx not valid against tmx14.dtd"; head -5 xmllint.err; fail=1; }
"$ALINEA" tmx validate seed.tmx >validate.out 2>&1 ||
  { echo "FAIL: alinea tmx validate"; head -5 validate.out; fail=1; }
"$ALINEA" tmx convert --per-pair seed.tmx -o seed.tmx 2>/dev/null ||
  { echo "FAIL: convert --per-pair"; fail=1; }
/usr/bin/python3 - <<'PY' || fail=1
import sys, xml.etree.ElementTree as ET
from translate.storage import tmx
XL = '{http://www.w3.org/XML/1998/namespace}lang'
def segs(path):
    out = []
    for tu in ET.parse(path).getroot().iter('tu'):
        out.append([(v.get(XL), ''.join(v.find('seg').itertext())) for v in tu.findall('tuv')])
    return out
ref = segs('seed.tmx')
fr = [s for s in open('fr.txt', encoding='utf-8').read().split()]
ok = True
# The multilingual file: translate-toolkit takes the first TUV as source (it
# must be the French) and the second as target (English, or Dutch in a TU
# without English: that is what --bilingual/--per-pair are for).
checks = [('seed.tmx', [(t[0][1], t[1][1] if len(t) > 1 else '') for t in ref
                        if t[0][0] == 'fr'])]
for tgt in ('en', 'nl'):
    checks.append(('seed.fr-%s.tmx' % tgt, [(dict(t)['fr'], dict(t)[tgt]) for t in ref
                                            if 'fr' in dict(t) and tgt in dict(t)]))
if any(t[0][0] != 'fr' for t in ref):
    ok = False
    print('FAIL: a TU does not start with the French TUV')
for path, want in checks:
    units = tmx.tmxfile.parsefile(path).units
    got = [(u.source, u.target or '') for u in units]
    if got != want:
        ok = False
        bad = next(i for i in range(max(len(got), len(want)))
                   if i >= len(got) or i >= len(want) or got[i] != want[i])
        print('FAIL %s: translate-toolkit unit %d: %r, want %r (%d units, want %d)'
              % (path, bad + 1, got[bad] if bad < len(got) else None,
                 want[bad] if bad < len(want) else None, len(got), len(want)))
# every French word of the article is in some TU, in order
words = ' '.join(dict(t)['fr'] for t in ref if 'fr' in dict(t)).split()
if words != fr:
    ok = False
    print('FAIL: the French TUVs do not give back the article (%d words, want %d)' % (len(words), len(fr)))
print('seed.tmx: %d TUs; translate-toolkit reads fr->en, and fr->nl from the per-pair file%s'
      % (len(ref), '' if ok else ' -- FAILED'))
sys.exit(0 if ok else 1)
PY
exit $fail
