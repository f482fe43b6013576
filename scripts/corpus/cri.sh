#!/usr/bin/env bash
# CRI-format captures: programs that write to stdout and stderr at once, recorded as a kubelet's CRI log
# file holds them (scripts/corpus/cri-capture.ts), with a small --max so long lines become P records.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
NODE="$CORPUS_ROOT/node_modules/node/bin/node"
CAP="$CORPUS_ROOT/scripts/corpus/cri-capture.ts"
W="$(workdir cri)"
cat >"$W/interleave.py" <<'PY'
import sys, time, logging
logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s")
def handler(event):
    return event["data"]["name"]
for i in range(4):
    print("127.0.0.1 - - \"POST / HTTP/1.1\" 200 11 request %d %s" % (i, "x" * 120), flush=True)
    try:
        handler({"data": {} if i % 2 else {"name": "n%d" % i}})
    except KeyError:
        logging.exception("Function returned an exception")
    time.sleep(0.01)
PY
capture "$CORPUS_OUT/python/cri-interleave.log" "$W" "$NODE" "$CAP" --max 64 -- python3 interleave.py
cat >"$W/interleave.js" <<'JS'
function hello(event) { return event.data.value.length; }
for (let i = 0; i < 4; i++) {
  console.log(`::ffff:127.0.0.1 - - "POST / HTTP/1.1" 200 - request ${i} ${'y'.repeat(100)}`);
  try { hello({ data: i % 2 ? {} : { value: 'v' } }); } catch (err) { console.error('Function failed to execute: ' + err.stack); }
}
JS
capture "$CORPUS_OUT/nodejs/cri-interleave.log" "$W" "$NODE" "$CAP" --max 48 -- "$NODE" interleave.js
