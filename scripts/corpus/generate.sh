#!/usr/bin/env bash
# Rebuilds the stack-trace corpus under testdata/stacktraces/ from real runtimes on this machine:
# python (pyenv 2.7-3.13 or the system python3), Node.js (system and pinned), Java 17 (+ logback, log4j2),
# Go (Debian golang-go), the Kubeless runtime captures in /work/shared, negatives, CRI-format captures.
# Then review each *.log by eye and write the goldens with: node scripts/corpus/golden.ts [DIR...]
# The held-out set (heldout.sh) is generated separately and is not used while developing the parsers.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"
bash "$here/python.sh"
bash "$here/nodejs.sh"
bash "$here/java.sh"
bash "$here/go.sh"
bash "$here/negative.sh"
bash "$here/kubeless.sh"
bash "$here/cri.sh"
