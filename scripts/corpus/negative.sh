#!/usr/bin/env bash
# Negative corpus: ordinary log output of real programs that must yield no exception event: JSON logs
# (some carrying a stack inside a JSON string), YAML, prose starting with "at", Go file.go:12: log lines
# (written by go.sh), compiler diagnostics, warnings with and without their own stack, error lines with
# no trace. Output: testdata/stacktraces/negative/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
W="$(workdir negative)"
OUT="$CORPUS_OUT/negative"
mkdir -p "$OUT"
PINNED="$CORPUS_ROOT/node_modules/node/bin/node"

# Python: logging at every level with no exception, JSON lines, warnings, YAML.
cat >"$W/pylogs.py" <<'PY'
import json, logging, sys, warnings
logging.basicConfig(level=logging.DEBUG, stream=sys.stdout)
log = logging.getLogger("worker")
log.debug("polling queue orders")
log.info("at 10:00 the nightly export starts")
log.warning("Traceback collection is disabled in this build")
log.error("Error: payment service answered 503")
log.error("KeyError: 'missing' was reported by the client")
logging.critical("panic: disk almost full")
print("    at least 3 retries are left")
print("Error: disk almost full")
print("    at 95% capacity on /var")
print("Caused by: a scheduled maintenance window")
for i in range(3):
    print(json.dumps({"level": "error", "msg": "request failed", "error": "Traceback (most recent call last):\n  File \"x.py\"", "n": i}))
warnings.warn("the 'foo' option is deprecated", DeprecationWarning)
warnings.warn("queue size above 80%")
def old():
    warnings.warn("old() is deprecated, use new()", UserWarning, stacklevel=2)
old()
PY
capture "$OUT/python-logging.log" "$W" env PYTHONWARNINGS=always python3 pylogs.py
cat >"$W/pyyaml.py" <<'PY'
import yaml
doc = {
    "errors": [{"at": "2026-11-22T01:30:00Z", "type": "KeyError", "message": "'missing'"}],
    "Traceback": "disabled",
    "panic": {"goroutine": 1, "at": "handler.go:21"},
    "stack": "Error: boom\n    at f (x.js:1:1)\n",
    "Caused by": "nothing",
}
print(yaml.safe_dump(doc, default_flow_style=False))
PY
capture "$OUT/python-yaml.log" "$W" python3 pyyaml.py

# Node.js: pino JSON logs (a stack inside a JSON string), warnings with and without --trace-warnings,
# a deprecation, console output that looks a little like a trace.
cat >"$W/nodelogs.js" <<'JS'
const pino = require(process.env.PINO_PATH);
const log = pino();
log.info({ fn: 'hello' }, 'function loaded');
log.error({ err: new Error('upstream timeout') }, 'request failed');
log.warn('at 10:00 the cache is flushed');
process.emitWarning('queue is 90% full', 'CapacityWarning');
Buffer(4);
console.log('Error: not an exception, only a message');
console.log('    at the end of the day everything is fine');
console.log('TypeError: is a word that appears in docs (see below)');
console.log('Function failed to execute: is printed by kubeless on errors');
console.log('[Error: bracketed] is a way node prints errors');
JS
capture "$OUT/nodejs-logs.log" "$W" env PINO_PATH="$CORPUS_ROOT/node_modules/pino" "$PINNED" nodelogs.js
capture "$OUT/nodejs-trace-warnings.log" "$W" env PINO_PATH="$CORPUS_ROOT/node_modules/pino" "$PINNED" --trace-warnings --trace-deprecation nodelogs.js
cat >"$W/nodeyaml.js" <<'JS'
const YAML = require(process.env.YAML_PATH);
console.log(YAML.stringify({
  apiVersion: 'kubeless.io/v1beta1',
  kind: 'Function',
  metadata: { name: 'hello', labels: { 'created-by': 'kubeless' } },
  spec: { handler: 'handler.hello', runtime: 'nodejs14', function: 'module.exports = { hello: () => { throw new Error("x") } }\n  at: 1\n' },
  at: ['10:00', '11:00'],
  'Error': 'boom',
}));
JS
capture "$OUT/nodejs-yaml.log" "$W" env YAML_PATH="$CORPUS_ROOT/node_modules/yaml" "$PINNED" nodeyaml.js

# kubectl YAML and JSON.
if command -v kubectl >/dev/null; then
  capture "$OUT/kubectl-yaml.log" "$W" kubectl create deployment hello --image=kubeless/python:3.8 --dry-run=client -o yaml
  capture "$OUT/kubectl-json.log" "$W" kubectl create configmap traces --from-literal=trace='panic: x' --dry-run=client -o json
fi

# Go: compiler diagnostics (file.go:12:3: ...), go vet output.
mkdir -p "$W/gobad"
cat >"$W/gobad/go.mod" <<'GO'
module example.com/bad

go 1.19
GO
cat >"$W/gobad/main.go" <<'GO'
package main

import "fmt"

func main() {
	x := undefinedThing()
	fmt.Printf("%d\n", "text")
	panic
}
GO
if command -v go >/dev/null; then
  capture "$OUT/go-build-errors.log" "$W/gobad" env GOCACHE="$W/gocache" GOTOOLCHAIN=local go build ./...
fi

# Java: compiler errors, java.util.logging lines without exceptions.
mkdir -p "$W/java"
cat >"$W/java/Bad.java" <<'JAVA'
public class Bad {
  public static void main(String[] args) {
    int x = "text";
    undefined();
  }
}
JAVA
capture "$OUT/javac-errors.log" "$W/java" javac Bad.java
cat >"$W/java/Jul.java" <<'JAVA'
import java.util.logging.Logger;
public class Jul {
  public static void main(String[] args) {
    Logger log = Logger.getLogger("orders");
    log.severe("Exception in thread pool: none, all workers healthy");
    log.warning("at 10:00 the cache is flushed");
    System.out.println("java.lang.IllegalStateException: is mentioned here only as text");
    System.out.println("Caused by: nothing");
  }
}
JAVA
(cd "$W/java" && javac Jul.java) && capture "$OUT/java-logging.log" "$W/java" java -cp . Jul

# Kubeless runtime access lines (copied from the real captures, without their tracebacks is not
# possible, so the access-line-only go log is used).
cp /work/shared/fixtures/kubeless-runtimes/go-logs.txt "$OUT/kubeless-go-access.log" 2>/dev/null || true
