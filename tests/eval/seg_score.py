#!/usr/bin/env python3
"""Score `alinea segment` on the reference sets of shared/data/segmentation.

usage: seg_score.py ALINEA_BIN SEGMENTATION_DIR RECORDED_SCORES [--verbose] [--srx FILE]
                    [--sets NAME,NAME] [--prefix NAME]

Comparison rule (the folder's README): strip Unicode white space from each
expected and produced sentence, drop empty ones, compare the lists exactly.
Each set is segmented in one run, one case per line (--paragraphs=line).
Prints the issue's table with Alinea's column; exits 1 when a set scores below
the score recorded in RECORDED_SCORES (lines "set-name score"; "-": no check).
--srx FILE segments with an SRX file instead of Alinea's rules; --sets limits
the run to some sets; --prefix looks scores up as "PREFIX/set-name".
"""
import json
import os
import subprocess
import sys
import tempfile

# (row name, file, language, case filter)
SETS = [
    ("golden-en", "golden-en.jsonl", "en", lambda c: c["id"] != "en-ps52"),
    ("en-rule-52", "golden-en.jsonl", "en", lambda c: c["id"] == "en-ps52"),
    ("golden-fr", "golden-fr.jsonl", "fr", lambda c: True),
    ("languagetool-fr-explicit", "languagetool-fr.jsonl", "fr",
     lambda c: int(c["id"].rsplit("-", 1)[1]) <= 36),
    ("languagetool-fr-count-only", "languagetool-fr.jsonl", "fr",
     lambda c: int(c["id"].rsplit("-", 1)[1]) > 36),
    ("probes-fr", "probes-fr.jsonl", "fr", lambda c: True),
    ("golden-de", "golden-de.jsonl", "de", lambda c: True),
    ("golden-es", "golden-es.jsonl", "es", lambda c: True),
    ("golden-nl", "golden-nl.jsonl", "nl", lambda c: True),
]
# Reference columns from the issue (ICU 72 @ss=standard, best public tool).
REFERENCE = {
    "golden-en": ("29", "pySBD 47"), "en-rule-52": ("fail", "all fail"),
    "golden-fr": ("5", "5"), "languagetool-fr-explicit": ("22", "Moses 30"),
    "languagetool-fr-count-only": ("6", "6"), "probes-fr": ("20", "Moses 26"),
    "golden-de": ("2", "pySBD 3"), "golden-es": ("5", "pySBD 5"), "golden-nl": ("1", "pySBD 3"),
}


def norm(sents):
    out = []
    for s in sents:
        s = s.strip(" \t\n\r\f\v\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
        if s:
            out.append(s)
    return out


def run_set(binary, path, lang, cases, srx):
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        for c in cases:
            if "\n" in c["text"]:
                raise SystemExit("%s: %s has a line break; the runner needs one line per case"
                                 % (path, c["id"]))
            f.write(c["text"] + "\n")
        name = f.name
    try:
        cmd = [binary, "segment", "-l", lang, "--paragraphs=line", name]
        if srx:
            cmd[2:2] = ["--srx", srx]
        p = subprocess.run(cmd,
                           capture_output=True, timeout=60)
    finally:
        os.unlink(name)
    if p.returncode != 0:
        raise SystemExit("alinea segment failed (%d): %s" % (p.returncode,
                                                             p.stderr.decode(errors="replace")))
    paras = p.stdout.decode("utf-8").split("\n\n")
    paras = [x.split("\n") for x in paras]
    if len(paras) != len(cases):
        raise SystemExit("%s: %d paragraphs out for %d cases" % (path, len(paras), len(cases)))
    return paras


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    binary, folder, recorded_path = sys.argv[1:4]
    rest = sys.argv[4:]
    verbose = "--verbose" in rest
    srx = rest[rest.index("--srx") + 1] if "--srx" in rest else None
    only = rest[rest.index("--sets") + 1].split(",") if "--sets" in rest else None
    prefix = rest[rest.index("--prefix") + 1] + "/" if "--prefix" in rest else ""
    recorded = None
    if recorded_path != "-":
        recorded = {}
        with open(recorded_path, encoding="utf-8") as f:
            for line in f:
                line = line.split("#", 1)[0].split()
                if len(line) == 2:
                    recorded[line[0]] = int(line[1])
    print("| set | ICU 72 @ss=standard | best public tool | Alinea |")
    print("|---|---|---|---|")
    failed = []
    for name, fname, lang, keep in SETS:
        if only and name not in only:
            continue
        with open(os.path.join(folder, fname), encoding="utf-8") as f:
            cases = [json.loads(l) for l in f if l.strip()]
        cases = [c for c in cases if keep(c)]
        got = run_set(binary, fname, lang, cases, srx)
        ok = 0
        for c, g in zip(cases, got):
            if norm(c["sentences"]) == norm(g):
                ok += 1
            elif verbose:
                print("  MISS %s: %r\n    want %r\n    got  %r" % (c["id"], c["text"],
                                                                 norm(c["sentences"]), norm(g)))
        icu, best = REFERENCE[name]
        print("| %s (%d) | %s | %s | %d |" % (name, len(cases), icu, best, ok))
        if recorded is None:
            continue
        key = prefix + name
        if key in recorded and ok < recorded[key]:
            failed.append("%s: %d < recorded %d" % (key, ok, recorded[key]))
        elif key not in recorded:
            failed.append("%s: no recorded score" % key)
    for f in failed:
        print("REGRESSION " + f)
    sys.exit(1 if failed else 0)


main()
