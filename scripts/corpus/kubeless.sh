#!/usr/bin/env bash
# Copies the real Kubeless runtime captures (python, nodejs, go) into the corpus, unchanged.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
SRC="${KUBELESS_CAPTURES:-$CORPUS_ROOT/../shared/fixtures/kubeless-runtimes}"
[ -d "$SRC" ] || SRC=/work/shared/fixtures/kubeless-runtimes
for f in python-logs python-stderr python38-logs; do cp "$SRC/$f.txt" "$CORPUS_OUT/python/kubeless-$f.log"; done
for f in nodejs-logs nodejs-stderr nodejs-badhandler-logs; do cp "$SRC/$f.txt" "$CORPUS_OUT/nodejs/kubeless-$f.log"; done
cp "$SRC/go-panic-logs.txt" "$CORPUS_OUT/go/kubeless-go-panic-logs.log"
