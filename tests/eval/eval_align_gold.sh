#!/bin/sh
# eval_align_gold.sh ALINEA SHARED BUILD - the aligner on every gold set of
# shared/data/alignment and on the seed article (issue 4, "Measures").
# Prints the issue's table with Alinea's strict F1 (shared/bin/align-score)
# and fails when a collection scores below the floor recorded in
# tests/eval/align_scores.txt (raise the floors there when scores improve).
# Exit 77 (skip) when the shared data is missing.
set -u
ALINEA=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SHARED=$2
here=$(cd "$(dirname "$0")" && pwd)
data=$SHARED/data/alignment
score=$SHARED/bin/align-score
if [ ! -d "$data" ] || [ ! -x "$score" ]; then
  echo "skip: $data or $score not found (the shared reference data is not here)"
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/eval-align-gold.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
start=$(date +%s)
for d in "$data"/*/; do
  n=$(basename "$d")
  case $n in textberg-defr-*) sl=de; tl=fr;; *) sl=fr; tl=en;; esac
  if ! "$ALINEA" align --presegmented --format links "$sl:$d/src.txt" "$tl:$d/tgt.txt" \
      >"$tmp/$n.links" 2>"$tmp/$n.err"; then
    echo "FAIL: alinea align on $n:"; head -5 "$tmp/$n.err"; exit 1
  fi
done
seed=$SHARED/corpora/seed
for t in en nl; do
  "$ALINEA" align --presegmented --format links "$seed/fr.sent" "$seed/$t.sent" >"$tmp/seed-fr$t.links" || exit 1
done
end=$(date +%s)

# f1 NAME PREFIX...: pooled strict F1 of the sets whose folder starts with a prefix
f1() {
  args=""
  for d in "$data"/*/; do
    n=$(basename "$d")
    for p in "$@"; do
      case $n in "$p"*) args="$args $d/gold.txt $tmp/$n.links";; esac
    done
  done
  # shellcheck disable=SC2086
  "$score" --json $args | sed -n 's/.*"f1_strict": \([0-9.]*\).*/\1/p'
}
seedf1() {
  "$score" --json "$seed/fr-$1.links" "$tmp/seed-fr$1.links" | sed -n 's/.*"f1_strict": \([0-9.]*\).*/\1/p'
}
{
  echo "transread-fren $(f1 transread-fren-)"
  echo "baf-fren-tao3 $(f1 baf-fren-tao3)"
  echo "baf-fren-hans-onu-ilo $(f1 baf-fren-hans baf-fren-onu baf-fren-ilo)"
  echo "textberg-defr-test $(f1 textberg-defr-test)"
  echo "textberg-defr-dev $(f1 textberg-defr-dev)"
  echo "seed-fr-en $(seedf1 en)"
  echo "seed-fr-nl $(seedf1 nl)"
} >"$tmp/scores"

echo "Strict F1 (shared/bin/align-score), alignment of every set took $((end - start)) s:"
echo
echo "| set | hunalign, no dict | hunalign + FreeDict | vecalign (published) | Alinea target | Alinea |"
echo "|---|---|---|---|---|---|"
while read -r name value; do
  case $name in
    transread-fren) row="transread-fren (11 novels, pooled) | 0.816 | 0.868 | – | ≥ 0.90";;
    baf-fren-tao3) row="baf-fren-tao3 (technical report) | 0.941 | 0.949 | – | ≥ 0.97";;
    baf-fren-hans-onu-ilo) row="baf-fren-hans, -onu, -ilo (pooled) | 0.958 | 0.959 | – | ≥ 0.975";;
    textberg-defr-test) row="textberg-defr test0..6 (pooled) | 0.762 | 0.791 | 0.902 | ≥ 0.85";;
    textberg-defr-dev) row="textberg-defr-dev | 0.702 | 0.752 | – | ≥ 0.80";;
    seed-fr-en) row="seed fr-en | – | – | – | 1.0";;
    seed-fr-nl) row="seed fr-nl | – | – | – | 1.0";;
  esac
  printf '| %s | %.3f |\n' "$row" "$value"
done <"$tmp/scores"
echo

fail=0
if [ ! -f "$here/align_scores.txt" ]; then
  echo "FAIL: $here/align_scores.txt (the recorded scores) is missing"; exit 1
fi
while read -r name floor; do
  case $name in ''|'#'*) continue;; esac
  got=$(sed -n "s/^$name //p" "$tmp/scores")
  if [ -z "$got" ]; then
    echo "FAIL: no score for $name"; fail=1
  elif awk -v g="$got" -v f="$floor" 'BEGIN { exit !(g + 1e-9 < f) }'; then
    echo "FAIL: $name strict F1 $got is below the recorded $floor"; fail=1
  fi
done <"$here/align_scores.txt"
[ $fail = 0 ] && echo "ok: no collection below its recorded score (tests/eval/align_scores.txt)"
exit $fail
