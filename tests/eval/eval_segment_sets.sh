#!/bin/sh
# eval_segment_sets.sh ALINEA SHARED BUILD - score the segmenter on every set of
# shared/data/segmentation with that folder's comparison rule, print the
# issue's table with Alinea's column, and fail on a score below the one
# recorded in segment_scores.txt (next to this script).
set -u
alinea=$1 shared=$2
data=$shared/data/segmentation
if [ ! -f "$data/golden-en.jsonl" ]; then
  echo "skip: $data not found (the shared reference data is not here)"
  exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "skip: python3 is needed to read the JSON Lines test sets"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/seg_score.py" "$alinea" "$data" "$here/segment_scores.txt" ${ALINEA_EVAL_VERBOSE:+--verbose}
