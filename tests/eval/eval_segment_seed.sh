#!/bin/sh
# eval_segment_seed.sh ALINEA SHARED BUILD - pipeline acceptance item 1 (and the
# raw-text side of the aligner): `alinea segment -l LANG LANG.txt`, empty lines
# ignored, equals the gold LANG.sent of the seed article line for line
# (fr 37, en 37, nl 36 sentences).
set -u
alinea=$1 shared=$2
seed=$shared/corpora/seed
if [ ! -f "$seed/fr.txt" ]; then
  echo "skip: $seed/fr.txt not found (the shared reference data is not here)"
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/alinea-eval.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
for lang in fr en nl; do
  if ! "$alinea" segment -l "$lang" "$seed/$lang.txt" >"$tmp/$lang.out" 2>"$tmp/$lang.err"; then
    echo "$lang: alinea segment failed:"; cat "$tmp/$lang.err"; fail=1; continue
  fi
  grep -v '^$' "$tmp/$lang.out" >"$tmp/$lang.got"
  got=$(wc -l <"$tmp/$lang.got" | tr -d ' ')
  want=$(wc -l <"$seed/$lang.sent" | tr -d ' ')
  if cmp -s "$tmp/$lang.got" "$seed/$lang.sent"; then
    echo "$lang: $got/$want sentences, identical to $lang.sent"
  else
    echo "$lang: $got sentences, gold $want; differences:"
    diff "$seed/$lang.sent" "$tmp/$lang.got" | head -20
    fail=1
  fi
done
exit $fail
