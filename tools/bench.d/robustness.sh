#!/bin/sh
# bench.d/robustness.sh ALINEA SHARED BUILD - pathological inputs
# (docs/robustness.md, "Limits"): each must end in bounded time and memory,
# with exit 0 or a clean exit 2 past a limit. Prints wall time, peak RSS and
# the exit status of each case.
#   one 100 MB line without punctuation   (segment: over the 1 MiB limit)
#   one 100 MB line of short sentences    (segment)
#   one million empty lines               (segment; align --presegmented)
#   10k sentences against 1               (align --presegmented)
#   a TMX of 200k TUs                     (tmx count, check)
set -u
alinea=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/alinea-bench-robust.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 1
TIME=/usr/bin/time
[ -x "$TIME" ] || TIME=

run() { # name, then the command
  name=$1
  shift
  if [ -n "$TIME" ]; then
    "$TIME" -f '%e %M' -o t.out "$@" >out.dat 2>err.txt
    rc=$?
    set -- $(tail -1 t.out)
    printf '%-40s exit %s  %6ss  %7s MB  %s\n' "$name" "$rc" "$1" "$(($2 / 1024))" "$(head -c 90 err.txt | head -1)"
  else
    "$@" >out.dat 2>err.txt
    printf '%-40s exit %s\n' "$name" "$?"
  fi
}

head -c 100000000 /dev/zero | tr '\000' 'a' >line.txt
run "segment: 100 MB line, no punctuation" "$alinea" segment line.txt
awk 'BEGIN { for (i = 0; i < 2500000; i++) printf "Le chat dort. "; }' >sents.txt
run "segment: 35 MB line of sentences" "$alinea" segment sents.txt
awk 'BEGIN { for (i = 0; i < 1000000; i++) print "" }' >empty.txt
run "segment: 1M empty lines" "$alinea" segment empty.txt
cp empty.txt en.txt
run "align --presegmented: 1M empty lines" "$alinea" align --presegmented fr:empty.txt en:en.txt
awk 'BEGIN { for (i = 1; i <= 10000; i++) printf "Phrase numero %d du texte.\n", i }' >fr10k.txt
printf 'One sentence.\n' >en1.txt
run "align --presegmented: 10k vs 1" "$alinea" align --presegmented fr:fr10k.txt en:en1.txt -o a.tmx
run "align --presegmented: 1 vs 10k" "$alinea" align --presegmented en:en1.txt fr:fr10k.txt -o b.tmx
awk 'BEGIN {
  print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
  print "<tmx version=\"1.4\"><header creationtool=\"b\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"x\" adminlang=\"en\" srclang=\"fr\" datatype=\"plaintext\"/><body>"
  for (i = 1; i <= 200000; i++)
    printf "<tu><tuv xml:lang=\"fr\"><seg>Le point %d vaut %d,5 euros.</seg></tuv><tuv xml:lang=\"en\"><seg>Item %d is worth %d.5 euros.</seg></tuv></tu>\n", i, i, i, i
  print "</body></tmx>"
}' >big.tmx
run "tmx count: 200k TUs" "$alinea" tmx count big.tmx
run "check: 200k TUs" "$alinea" check --format json big.tmx
