#!/bin/sh
# eval_segment_srx.sh ALINEA SHARED BUILD - the SRX 2.0 engine:
#  1. the two public SRX files in shared/data/srx load and segment the
#     reference sets (scores recorded as lt-srx/SET and okapi-srx/SET in
#     segment_scores.txt: LanguageTool's file on LanguageTool's own French tests
#     is the closest check of "segments as its tool does");
#  2. Alinea's rules exported with --export-srx (one file per language) load
#     back and keep their recorded scores (export-srx/SET);
#  3. the seed article through each file, for the record.
set -u
alinea=$1 shared=$2
data=$shared/data/segmentation
srx=$shared/data/srx
if [ ! -f "$srx/languagetool-segment.srx" ] || [ ! -f "$data/golden-en.jsonl" ]; then
  echo "skip: $srx or $data not found (the shared reference data is not here)"
  exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "skip: python3 is needed to read the JSON Lines test sets"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
scores=$here/segment_scores.txt
tmp=$(mktemp -d "${TMPDIR:-/tmp}/alinea-eval.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
echo "== languagetool-segment.srx (LGPL, LanguageTool)"
python3 "$here/seg_score.py" "$alinea" "$data" "$scores" --srx "$srx/languagetool-segment.srx" --prefix lt-srx || fail=1
echo "== okapi_default_icu4j.srx (Apache-2.0, Okapi; useIcu4jBreakRules)"
python3 "$here/seg_score.py" "$alinea" "$data" "$scores" --srx "$srx/okapi_default_icu4j.srx" --prefix okapi-srx || fail=1
echo "== Alinea's own rules, exported with --export-srx and loaded back with --srx"
for lang in en fr de es nl; do
  "$alinea" segment -l $lang --export-srx -o "$tmp/$lang.srx" || { echo "export $lang failed"; fail=1; continue; }
  case $lang in
    en) sets=golden-en,en-rule-52 ;;
    fr) sets=golden-fr,languagetool-fr-explicit,languagetool-fr-count-only,probes-fr ;;
    *) sets=golden-$lang ;;
  esac
  python3 "$here/seg_score.py" "$alinea" "$data" "$scores" --srx "$tmp/$lang.srx" --sets $sets --prefix export-srx | grep -v '^|---\|^| set' || fail=1
done
echo "== seed article (fr.txt against fr.sent), sentences right"
for f in "$srx/languagetool-segment.srx" "$srx/okapi_default_icu4j.srx" "$tmp/fr.srx"; do
  "$alinea" segment -l fr --srx "$f" "$shared/corpora/seed/fr.txt" | grep -v '^$' >"$tmp/out" || fail=1
  ok=$(grep -cxFf "$tmp/out" "$shared/corpora/seed/fr.sent")
  echo "$(basename "$f"): $(wc -l <"$tmp/out" | tr -d ' ') segments, $ok of 37 gold sentences found"
done
exit $fail
