#!/bin/sh
# eval_check_seed.sh ALINEA SHARED BUILD - pipeline acceptance for `alinea check`
# on the seed article (issue 2, item 4; issue 5 "Measures"):
#  - the en-qa beads: exactly the 5 beads marked "flag" get an error-level
#    finding, each with the expected check kind, and no other bead does;
#  - the clean fr/en and fr/nl beads: no error-level finding.
# The TSVs are built at run time from ../shared (never copied into the repo).
set -u
ALINEA=$1 SHARED=$2 BUILD=$3
SEED=$SHARED/corpora/seed
if [ ! -f "$SEED/en-qa.gold.jsonl" ]; then
  echo "skip: $SEED/en-qa.gold.jsonl not found (the shared reference data is missing)"
  exit 77
fi
command -v python3 >/dev/null 2>&1 || { echo "skip: python3 is needed to build the TSVs"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/alinea-eval-check.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
python3 - "$ALINEA" "$SEED" "$work" <<'PY'
import json, subprocess, sys
alinea, seed, work = sys.argv[1:4]

def lines(name):
    with open(f"{seed}/{name}", encoding="utf-8") as f:
        return f.read().split("\n")

def links(name):
    out = []
    with open(f"{seed}/{name}", encoding="utf-8") as f:
        for l in f:
            if l.strip():
                a, b = l.strip().split(":")
                out.append((json.loads(a), json.loads(b)))
    return out

def run(tsv, tgt):
    p = subprocess.run([alinea, "check", "-s", "fr", "-t", tgt, "--format", "json", tsv],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        print(f"FAIL: alinea check {tsv} exited {p.returncode}: {p.stderr}")
        sys.exit(1)
    rep = json.loads(p.stdout)
    errs = {}
    for f in rep["findings"]:
        if f["severity"] == "error":
            errs.setdefault(f["unit"], set()).add(f["check"])
    want_rc = 1 if errs else 0
    if p.returncode != want_rc:
        print(f"FAIL: exit {p.returncode}, expected {want_rc}")
        sys.exit(1)
    return rep, errs

fr = lines("fr.sent")
fail = 0
# 1. the planted errors
gold = [json.loads(l) for l in open(f"{seed}/en-qa.gold.jsonl", encoding="utf-8") if l.strip()]
en = lines("en-qa.sent")
tsv = f"{work}/en-qa.tsv"
with open(tsv, "w", encoding="utf-8") as o:
    for g in gold:
        o.write(" ".join(fr[i] for i in g["fr"]) + "\t" + " ".join(en[i] for i in g["en"]) + "\n")
rep, errs = run(tsv, "en")
if rep["units"] != len(gold):
    print(f"FAIL: {rep['units']} units, expected {len(gold)}"); fail = 1
hit = 0
for u, g in enumerate(gold, 1):
    kinds = errs.get(u, set())
    if g["expect"] == "flag":
        if g["kind"] in kinds:
            hit += 1
            print(f"ok   bead {u}: {g['kind']} flagged ({g['source_has']} / {g['target_has']})")
        else:
            print(f"FAIL bead {u}: expected a '{g['kind']}' error, got {sorted(kinds) or 'none'}")
            fail = 1
    elif kinds:
        print(f"FAIL bead {u}: unexpected error(s) {sorted(kinds)}")
        fail = 1
print(f"en-qa: {hit}/5 planted errors flagged with the right kind; "
      f"{sum(1 for u in errs if gold[u-1]['expect'] == 'ok')} false alarms")
# 2. the clean translations
for tgt in ("en", "nl"):
    t = lines(f"{tgt}.sent")
    tsv = f"{work}/clean-{tgt}.tsv"
    lk = links(f"fr-{tgt}.links")
    with open(tsv, "w", encoding="utf-8") as o:
        for a, b in lk:
            o.write(" ".join(fr[i] for i in a) + "\t" + " ".join(t[i] for i in b) + "\n")
    rep, errs = run(tsv, tgt)
    for u, kinds in sorted(errs.items()):
        print(f"FAIL clean fr-{tgt} bead {u}: error(s) {sorted(kinds)}")
        fail = 1
    nw = sum(1 for f in rep["findings"] if f["severity"] == "warning")
    print(f"clean fr-{tgt}: {len(lk)} beads, {len(errs)} with an error, {nw} warnings")
sys.exit(fail)
PY
