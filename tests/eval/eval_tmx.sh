#!/bin/sh
# eval_tmx.sh ALINEA SHARED BUILD - the TMX reader and writer on the 14 real
# sample files of SHARED/data/tmx/samples:
#  1. every sample reads with the unit and language counts its README states;
#     the three DTD-invalid ones read with a warning naming the broken rule;
#  2. round trip: each sample (the DTD-invalid ones too) is rewritten by
#     `alinea tmx convert`; the output must be valid under
#     `xmllint --dtdvalid tmx14.dtd`, keep the text, inline codes, props and
#     notes of every TU (compared by Python's own XML parser, not ours), and a
#     second rewrite must be byte-identical;
#  3. real clients: translate-toolkit (Debian python3-translate) loads every
#     output with the right source and target.
set -u
ALINEA=$1
SHARED=$2
S=$SHARED/data/tmx/samples
DTD=$SHARED/data/tmx/tmx14.dtd
if [ ! -d "$S" ] || [ ! -f "$DTD" ]; then
  echo "skip: $S or $DTD not found (the shared reference data is missing)"; exit 77
fi
for tool in xmllint /usr/bin/python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "skip: $tool not installed"; exit 77; }
done
/usr/bin/python3 -c 'import translate.storage.tmx' 2>/dev/null ||
  { echo "skip: translate-toolkit (python3-translate) not installed"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/alinea-eval-tmx.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
export SOURCE_DATE_EPOCH=1700000000
fail=0

# file  units  languages  DTD-valid  rule named in the warning (invalid ones)
cat >"$work/expect" <<'TABLE'
lisakit-ImportTest2A_utf16le_inline.tmx 7 2 valid -
lisakit-ImportTest1G_utf16be_charrefs.tmx 3 2 valid -
lisakit-ImportTest1B_attr-whitespace_mixedcase-lang.tmx 1 2 valid -
lisakit-ImportTest1C_5-languages.tmx 3 5 valid -
lisakit-ImportTest1K_tu-srclang-override.tmx 2 3 valid -
lisakit-ImportTest2C_full-metadata_ude_sub_hi.tmx 1 3 valid -
trados-tw4win-ed8_utf16le_dupes.tmx 4 2 valid -
olifant-3.0.8_props.tmx 9 2 valid -
okapi-rainbow_po2tmx_prop-after-seg.tmx 12 2 invalid tuv_is_((note|prop)*,_seg)
alignfactory-2.2_uppercase-2letter.tmx 2 2 valid -
omegat-6.1_project_save_tmx11.tmx 5 2 invalid version="1.1"
openxliff-3.11_multiline-seg.tmx 35 2 valid -
tmx14b-spec-sample_srclang-all.tmx 2 3 valid -
weblate-test_minimal-header_3-languages.tmx 1 3 invalid lacks_required_attributes
TABLE

nread=0; nrt=0; nvalid=0
while read -r f units langs valid rule; do
  "$ALINEA" tmx stats --format json "$S/$f" >"$work/stats.json" 2>"$work/stats.err"
  st=$?
  got=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["units"], len(d["languages"]))' "$work/stats.json" 2>/dev/null)
  if [ $st != 0 ] || [ "$got" != "$units $langs" ]; then
    echo "FAIL read $f: exit $st, got '$got', want '$units $langs'"; cat "$work/stats.err"; fail=1; continue
  fi
  if [ "$valid" = invalid ]; then
    want=$(echo "$rule" | tr '_' ' ')
    if ! grep -F -q "$want" "$work/stats.err"; then
      echo "FAIL $f: no warning naming the rule '$want'"; cat "$work/stats.err"; fail=1; continue
    fi
  elif [ -s "$work/stats.err" ]; then
    echo "FAIL $f: DTD-valid sample gave warnings:"; cat "$work/stats.err"; fail=1
  fi
  nread=$((nread + 1))
  out=$work/${f%.tmx}.out.tmx
  if ! "$ALINEA" tmx convert "$S/$f" -o "$out" 2>"$work/conv.err"; then
    echo "FAIL convert $f:"; cat "$work/conv.err"; fail=1; continue
  fi
  if ! xmllint --noout --nonet --path "$(dirname "$DTD")" --dtdvalid "$DTD" "$out" 2>"$work/xmllint.err"; then
    echo "FAIL $f: output not valid against tmx14.dtd:"; head -5 "$work/xmllint.err"; fail=1; continue
  fi
  nvalid=$((nvalid + 1))
  "$ALINEA" tmx convert "$out" -o "$out.2.tmx" 2>/dev/null
  if ! cmp -s "$out" "$out.2.tmx"; then
    echo "FAIL $f: a second rewrite differs:"; diff "$out" "$out.2.tmx" | head -10; fail=1; continue
  fi
  if ! /usr/bin/python3 - "$S/$f" "$out" <<'PY'
import copy, sys, xml.etree.ElementTree as ET
XL = '{http://www.w3.org/XML/1998/namespace}lang'
def lang(e):
    l = e.get(XL) or e.get('lang') or ''
    return l.replace('_', '-').lower()
def canon(e):
    # the segment with its text and inline elements, as canonical XML
    e = copy.copy(e)
    e.tail = None
    return ET.canonicalize(ET.tostring(e, encoding='unicode'))
def tus(path):
    root = ET.parse(path).getroot()
    out = []
    for tu in root.iter('tu'):
        props = [(p.get('type'), p.text or '') for p in tu.findall('prop')]
        notes = [n.text or '' for n in tu.findall('note')]
        tuvs = {}
        for v in tu.findall('tuv'):
            seg = v.find('seg')
            tuvs[lang(v)] = (canon(seg) if seg is not None else '',
                             [(p.get('type'), p.text or '') for p in v.findall('prop')],
                             [n.text or '' for n in v.findall('note')])
        out.append((props, notes, tuvs))
    return out
a, b = tus(sys.argv[1]), tus(sys.argv[2])
if len(a) != len(b):
    sys.exit('TU count %d -> %d' % (len(a), len(b)))
for i, (x, y) in enumerate(zip(a, b)):
    if x != y:
        sys.exit('TU %d differs:\n  in:  %r\n  out: %r' % (i + 1, x, y))
PY
  then echo "FAIL round trip $f"; fail=1; continue; fi
  # translate-toolkit: same number of units, source = the srclang TUV
  if ! /usr/bin/python3 - "$out" "$units" <<'PY'
import sys, xml.etree.ElementTree as ET
from translate.storage import tmx
t = tmx.tmxfile.parsefile(sys.argv[1])
if len(t.units) != int(sys.argv[2]):
    sys.exit('translate-toolkit read %d units, want %s' % (len(t.units), sys.argv[2]))
root = ET.parse(sys.argv[1]).getroot()
hsrc = root.find('header').get('srclang').lower()
for u, tu in zip(t.units, root.iter('tu')):
    src = (tu.get('srclang') or hsrc).lower()
    if src == '*all*':
        continue
    tuvs = tu.findall('tuv')
    first = tuvs[0]
    if first.get('{http://www.w3.org/XML/1998/namespace}lang').lower() != src:
        sys.exit('tu %s: the source TUV is not first' % tu.get('tuid'))
    seg = first.find('seg')
    if len(seg) == 0 and u.source != (seg.text or ''):
        sys.exit('tu %s: translate-toolkit source %r, want %r' % (tu.get('tuid'), u.source, seg.text))
    if len(tuvs) > 1 and len(tuvs[1].find('seg')) == 0 and u.target != (tuvs[1].find('seg').text or ''):
        sys.exit('tu %s: translate-toolkit target %r' % (tu.get('tuid'), u.target))
PY
  then echo "FAIL translate-toolkit on the rewrite of $f"; fail=1; continue; fi
  nrt=$((nrt + 1))
done <"$work/expect"

# Our own TMX from a TSV written here (languages fr, en, nl; a C0 control to drop).
printf 'Le prix est de 5\001 euros.\tThe price is 5 euros.\tDe prijs is 5 euro.\nM. Dupont arrive.\tMr Dupont arrives.\t\n' >"$work/own.tsv"
if ! "$ALINEA" tmx convert --langs fr,en,nl "$work/own.tsv" -o "$work/own.tmx" 2>"$work/own.err" ||
   ! grep -q "1 control character dropped" "$work/own.err" ||
   ! xmllint --noout --nonet --dtdvalid "$DTD" "$work/own.tmx" 2>/dev/null ||
   ! /usr/bin/python3 -c '
import sys
from translate.storage import tmx
t = tmx.tmxfile.parsefile(sys.argv[1])
assert [(u.source, u.target) for u in t.units] == [("Le prix est de 5 euros.", "The price is 5 euros."), ("M. Dupont arrive.", "Mr Dupont arrives.")], [(u.source, u.target) for u in t.units]
' "$work/own.tmx"; then
  echo "FAIL: TSV -> TMX output not valid or not loaded by translate-toolkit"; cat "$work/own.err"; fail=1
fi

# Markup the DTD forbids (a <sub> inside <hi>, an unknown element in <seg>)
# is repaired on rewrite: valid under tmx14.dtd, the highlighted text kept
# (translate-toolkit reads it as text), the <hi> markup kept.
cat >"$work/hi.tmx" <<'EOF_TMX'
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="fr" datatype="html"><note>header note</note><prop type="x-origin">test</prop></header><body>
<tu><tuv xml:lang="fr"><seg>Le budget est de <hi type="b">64 000 <sub>euros</sub></hi> <b>!</b></seg></tuv><tuv xml:lang="en"><seg>The budget is <hi type="b">46,000 euros</hi>.</seg></tuv></tu>
</body></tmx>
EOF_TMX
if ! "$ALINEA" tmx convert "$work/hi.tmx" -o "$work/hi-out.tmx" 2>"$work/hi.err" ||
   ! xmllint --noout --nonet --path "$(dirname "$DTD")" --dtdvalid "$DTD" "$work/hi-out.tmx" 2>>"$work/hi.err" ||
   ! grep -q '<hi type="b">64 000 euros</hi>' "$work/hi-out.tmx" ||
   ! /usr/bin/python3 -c '
import sys
from translate.storage import tmx
t = tmx.tmxfile.parsefile(sys.argv[1])
assert [(u.source, u.target) for u in t.units] == [("Le budget est de 64 000 euros <b>!</b>", "The budget is 46,000 euros.")], [(u.source, u.target) for u in t.units]
' "$work/hi-out.tmx" 2>>"$work/hi.err"; then
  echo "FAIL: <sub> in <hi> not repaired into valid TMX"; cat "$work/hi.err"; fail=1
fi

echo "samples read with the stated counts: $nread/14; rewrites valid under tmx14.dtd: $nvalid/14 (the 3 invalid samples included); round trips kept (text, codes, props, notes) and loaded by translate-toolkit: $nrt/14"
[ "$nread" = 14 ] && [ "$nvalid" = 14 ] && [ "$nrt" = 14 ] || fail=1
exit $fail
