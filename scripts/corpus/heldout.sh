#!/usr/bin/env bash
# Held-out corpus: programs written apart from the development corpus and never used while the parsers
# were developed; it only grades them. Output: testdata/stacktraces/heldout/<language>-<case>.log.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
OUT="$CORPUS_OUT/heldout"
mkdir -p "$OUT"
W="$(workdir heldout)"
NODE24="$CORPUS_ROOT/node_modules/node/bin/node"
NODE20="$(command -v node)"

# ---------- python ----------
mkdir -p "$W/py"
cat >"$W/py/json_bad.py" <<'PY'
import json
def handler(event):
    return json.loads(event["body"])["name"]
handler({"body": "{'name': 'x'}"})
PY
cat >"$W/py/from_none.py" <<'PY'
class NotFound(Exception):
    pass
def get(d, k):
    try:
        return d[k]
    except KeyError:
        raise NotFound("no item %r in store" % k) from None
get({}, "sku-19")
PY
cat >"$W/py/lambdas.py" <<'PY'
class Pricing:
    def __init__(self, rates):
        self.rates = rates
    def total(self, items):
        return sum(map(lambda i: self.rates[i] * 2, (x.strip() for x in items)))
print(Pricing({"a": 1}).total(["a ", " b"]))
PY
cat >"$W/py/named_logger.py" <<'PY'
import logging
logging.basicConfig(format="%(levelname)s:%(name)s:%(message)s")
log = logging.getLogger("billing.worker")
def ratio(a, b):
    return a / b
for pair in [(1, 2), (3, 0)]:
    try:
        print(ratio(*pair))
    except ArithmeticError:
        log.exception("ratio failed for %s", pair)
log.warning("finished with errors")
PY
cat >"$W/py/taskgroup.py" <<'PY'
import asyncio
async def fetch(n):
    await asyncio.sleep(0)
    if n > 0:
        raise ConnectionError(f"backend {n} refused")
    return n
async def main():
    async with asyncio.TaskGroup() as tg:
        for n in range(3):
            tg.create_task(fetch(n))
asyncio.run(main())
PY
cat >"$W/py/asserts.py" <<'PY'
def check(v):
    assert v == 1
def check2(v):
    assert v == 1, "expected 1, got %d" % v
try:
    check(2)
except AssertionError:
    import traceback; traceback.print_exc()
check2(3)
PY
cat >"$W/py/thread_exc.py" <<'PY'
import threading
def worker():
    {}["job"]
t = threading.Thread(target=worker)
t.start(); t.join()
print("main continues")
PY
cat >"$W/py/decode.py" <<'PY'
data = b"caf\xe9"
print(data.decode("utf-8"))
PY
cat >"$W/py/import_err.py" <<'PY'
import os
import handler_that_does_not_exist
PY
for v in 2.7 3.7 3.9 3.12 3.13; do
  py="$(pyenv_python "$v")" || continue
  label="py${v/./}"
  for prog in json_bad from_none lambdas named_logger taskgroup asserts thread_exc decode import_err; do
    case "$v:$prog" in 2.7:from_none|2.7:taskgroup|3.7:taskgroup|3.9:taskgroup|2.7:lambdas) continue ;; esac
    capture "$OUT/python-$prog-$label.log" "$W/py" env PYTHONUNBUFFERED=1 "$py" "$prog.py"
  done
done

# ---------- nodejs ----------
mkdir -p "$W/js"
cat >"$W/js/custom-class.js" <<'JS'
class ValidationError extends Error {
  constructor(field) { super(`field ${field} is required`); this.name = 'ValidationError'; this.field = field; }
}
class Form {
  validate(data) { for (const f of ['email', 'name']) if (!data[f]) throw new ValidationError(f); }
}
new Form().validate({ email: 'a@b.c' });
JS
cat >"$W/js/timer-json.js" <<'JS'
setTimeout(() => {
  const cfg = JSON.parse('{"port": 80,}');
  console.log(cfg);
}, 5);
JS
cat >"$W/js/read-missing.js" <<'JS'
const fs = require('fs/promises');
async function loadTemplate(name) { return fs.readFile(`/srv/templates/${name}.html`, 'utf8'); }
async function render() { const t = await loadTemplate('welcome'); return t.toUpperCase(); }
render();
JS
cat >"$W/js/logged-cause.js" <<'JS'
function db() { throw new Error('connection reset by peer'); }
function repo() { try { db(); } catch (e) { throw new Error('query users failed', { cause: e }); } }
function service() { try { repo(); } catch (e) { throw new TypeError('cannot list users', { cause: e }); } }
try { service(); } catch (err) { console.error('request 8812 failed:', err); }
console.log('still serving');
JS
cat >"$W/js/uncaught-handler.js" <<'JS'
process.on('uncaughtException', (err) => { console.error(err.stack); process.exit(1); });
const { EventEmitter } = require('events');
const q = new EventEmitter();
q.on('job', (job) => { job.run(); });
q.emit('job', {});
JS
cat >"$W/js/aggregate-logged.js" <<'JS'
Promise.any([Promise.reject(new RangeError('shard 1 down')), Promise.reject(new Error('shard 2 down'))])
  .catch((err) => { console.error(err); console.log('degraded mode'); });
JS
cat >"$W/js/assert.js" <<'JS'
const assert = require('assert');
function total(xs) { return xs.reduce((a, b) => a + b, 0); }
assert.strictEqual(total([1, 2]), 4);
JS
cat >"$W/js/array-len.js" <<'JS'
function alloc(n) { return new Array(n); }
alloc(-1);
JS
cat >"$W/js/kubeless-promise.js" <<'JS'
function pick(o) { return o.user.profile.id; }
function hello(event) { return Promise.resolve(event).then((e) => pick(e.data)); }
hello({ data: {} }).catch((err) => console.error('Function failed to execute: ' + err.stack));
JS
for pair in "node20:$NODE20" "node24:$NODE24"; do
  label="${pair%%:*}"; bin="${pair#*:}"
  for p in custom-class timer-json read-missing logged-cause uncaught-handler aggregate-logged assert array-len kubeless-promise; do
    capture "$OUT/nodejs-$p-$label.log" "$W/js" "$bin" "$p.js"
  done
done

# ---------- java ----------
JS_SRC="$W/java/src/org/acme/billing"
mkdir -p "$JS_SRC" "$W/java/classes"
cat >"$JS_SRC/Parse.java" <<'JAVA'
package org.acme.billing;
import java.util.List;
import java.util.stream.Collectors;
public class Parse {
  public static void main(String[] args) {
    List<Integer> xs = List.of("1", "2", "x3").stream().map(Integer::valueOf).collect(Collectors.toList());
    System.out.println(xs);
  }
}
JAVA
cat >"$JS_SRC/Pool.java" <<'JAVA'
package org.acme.billing;
import java.util.concurrent.*;
public class Pool {
  public static void main(String[] args) throws Exception {
    ExecutorService ex = Executors.newSingleThreadExecutor();
    ex.execute(() -> { throw new IllegalStateException("invoice 77 already paid"); });
    ex.shutdown();
    ex.awaitTermination(5, TimeUnit.SECONDS);
  }
}
JAVA
cat >"$JS_SRC/Cme.java" <<'JAVA'
package org.acme.billing;
import java.util.*;
public class Cme {
  public static void main(String[] args) {
    List<String> l = new ArrayList<>(List.of("a", "b", "c"));
    for (String s : l) if (s.equals("a")) l.remove(s);
  }
}
JAVA
cat >"$JS_SRC/Deep.java" <<'JAVA'
package org.acme.billing;
public class Deep {
  static void l4() { throw new ArithmeticException("rounding overflow"); }
  static void l3() { try { l4(); } catch (RuntimeException e) { throw new IllegalArgumentException("bad amount", e); } }
  static void l2() { try { l3(); } catch (RuntimeException e) { throw new UnsupportedOperationException("cannot bill", e); } }
  static void l1() { try { l2(); } catch (RuntimeException e) { throw new RuntimeException("billing run 2026-11 failed", e); } }
  public static void main(String[] args) { l1(); }
}
JAVA
cat >"$JS_SRC/Multiline.java" <<'JAVA'
package org.acme.billing;
public class Multiline {
  public static void main(String[] args) {
    throw new IllegalStateException("validation failed:\n - amount missing\n - currency missing");
  }
}
JAVA
cat >"$JS_SRC/JulWarn.java" <<'JAVA'
package org.acme.billing;
import java.util.logging.*;
public class JulWarn {
  static final Logger LOG = Logger.getLogger("billing");
  public static void main(String[] args) {
    try { Object o = null; o.hashCode(); } catch (NullPointerException e) { LOG.log(Level.WARNING, "skipping record", e); }
    LOG.info("done");
  }
}
JAVA
cat >"$JS_SRC/Logback.java" <<'JAVA'
package org.acme.billing;
import org.slf4j.*;
public class Logback {
  static final Logger LOG = LoggerFactory.getLogger(Logback.class);
  static class QuotaException extends Exception { QuotaException(String m, Throwable c) { super(m, c); } }
  static void call() throws QuotaException {
    try { throw new java.util.concurrent.TimeoutException("quota service did not answer in 2000 ms"); }
    catch (Exception e) { throw new QuotaException("quota check failed for tenant 42", e); }
  }
  public static void main(String[] args) {
    try { call(); } catch (QuotaException e) { LOG.error("request {} rejected", "r-1", e); }
    LOG.info("next request");
  }
}
JAVA
cat >"$JS_SRC/Log4jSuppressed.java" <<'JAVA'
package org.acme.billing;
import org.apache.logging.log4j.*;
public class Log4jSuppressed {
  static final Logger LOG = LogManager.getLogger(Log4jSuppressed.class);
  static class Res implements AutoCloseable { public void close() { throw new IllegalStateException("flush failed"); } }
  public static void main(String[] args) {
    try (Res r = new Res()) { throw new java.io.UncheckedIOException(new java.io.IOException("disk full")); }
    catch (RuntimeException e) { LOG.fatal("export aborted", e); }
  }
}
JAVA
cat >"$W/java/log4j2.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders><Console name="out" target="SYSTEM_OUT"><PatternLayout pattern="[%d{HH:mm:ss.SSS}] [%t] %-5level %logger{36} - %msg%n"/></Console></Appenders>
  <Loggers><Root level="info"><AppenderRef ref="out"/></Root></Loggers>
</Configuration>
XML
J=/usr/share/java
CP="$J/slf4j-api.jar:$J/logback-classic.jar:$J/logback-core.jar:$J/log4j-api.jar:$J/log4j-core.jar"
if javac -d "$W/java/classes" -cp "$CP" "$JS_SRC"/*.java; then
  for c in Parse Pool Cme Deep Multiline JulWarn Logback Log4jSuppressed; do
    name="$(printf '%s' "$c" | tr '[:upper:]' '[:lower:]')"
    capture "$OUT/java-$name.log" "$W/java" java -Dlog4j2.configurationFile="$W/java/log4j2.xml" -cp "$W/java/classes:$CP" "org.acme.billing.$c"
  done
fi

# ---------- go ----------
if command -v go >/dev/null; then
  export GOPATH="$W/gopath" GOCACHE="$W/gocache" GO111MODULE=on GOTOOLCHAIN=local
  mkdir -p "$W/go/store" "$W/go/bin"
  printf 'module acme.io/billing\n\ngo 1.19\n' >"$W/go/go.mod"
  cat >"$W/go/store/store.go" <<'GO'
package store

import "errors"

type Store interface{ Get(id string) string }

type Memory struct{ data map[string]string }

func (m *Memory) Get(id string) string {
	if v, ok := m.data[id]; ok {
		return v
	}
	panic(errors.New("store: id " + id + " not found"))
}
GO
  gprog() { mkdir -p "$W/go/cmd/$1" && cat >"$W/go/cmd/$1/main.go"; }
  gprog iface <<'GO'
package main

import "acme.io/billing/store"

func lookup(s store.Store) string { return s.Get("inv-9") }

func main() { lookup(&store.Memory{}) }
GO
  gprog closed-chan <<'GO'
package main

func stop(ch chan struct{}) { close(ch) }

func main() {
	ch := make(chan struct{})
	stop(ch)
	stop(ch)
}
GO
  gprog assert <<'GO'
package main

import "fmt"

func asInt(v interface{}) int { return v.(int) }

func main() { fmt.Println(asInt("42")) }
GO
  gprog makeslice <<'GO'
package main

import "fmt"

func buffer(n int) []byte { return make([]byte, n) }

func main() {
	n := -5
	fmt.Println(len(buffer(n)))
}
GO
  gprog http-sprintf <<'GO'
package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
)

func invoices(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	if id == "" {
		panic(fmt.Sprintf("missing invoice id in %q", r.URL.String()))
	}
	fmt.Fprintln(w, id)
}

func main() {
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(invoices)}
	go srv.Serve(ln)
	for _, q := range []string{"?id=1", "?x=2"} {
		if resp, err := http.Get("http://" + ln.Addr().String() + "/" + q); err == nil {
			log.Printf("status %d", resp.StatusCode)
			resp.Body.Close()
		} else {
			log.Printf("request failed: %v", err)
		}
	}
	os.Exit(0)
}
GO
  gprog overflow <<'GO'
package main

func walk(n int) int { return walk(n+1) + 1 }

func main() { walk(0) }
GO
  gprog divide <<'GO'
package main

import "fmt"

func share(total, people int) int { return total / people }

func main() { fmt.Println(share(10, 0)) }
GO
  gprog nil-func <<'GO'
package main

type hooks struct{ onSave func(string) }

func save(h hooks) { h.onSave("x") }

func main() { save(hooks{}) }
GO
  gprog all-goroutines <<'GO'
package main

import (
	"sync"
	"time"
)

func consumer(ch <-chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	for v := range ch {
		_ = v
	}
}

func main() {
	ch := make(chan int)
	var wg sync.WaitGroup
	wg.Add(2)
	go consumer(ch, &wg)
	go consumer(ch, &wg)
	time.Sleep(20 * time.Millisecond)
	var m map[string]int
	m["total"]++
}
GO
  if (cd "$W/go" && go build -o "$W/go/bin/" ./cmd/...); then
    for p in iface closed-chan assert makeslice http-sprintf overflow divide nil-func; do
      capture "$OUT/go-$p.log" "$W/go" "$W/go/bin/$p"
    done
    capture "$OUT/go-all-goroutines.log" "$W/go" env GOTRACEBACK=all "$W/go/bin/all-goroutines"
  fi
fi
