#!/usr/bin/env bash
# Node.js corpus: small programs that crash in each way the parser must know, run under the system
# Node.js and the project's pinned Node.js. Output: testdata/stacktraces/nodejs/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
W="$(workdir nodejs)"
OUT="$CORPUS_OUT/nodejs"
mkdir -p "$OUT" "$W/app/lib" "$W/app/node_modules/tiny-db"

cat >"$W/app/node_modules/tiny-db/index.js" <<'JS'
'use strict';
exports.query = function query(sql, cb) {
  setImmediate(() => {
    if (sql.includes('DROP')) cb(Object.assign(new Error('permission denied for table users'), { code: 'EPERM', sql }));
    else cb(null, [{ id: 1 }]);
  });
};
exports.queryAsync = (sql) => new Promise((resolve, reject) => exports.query(sql, (e, r) => (e ? reject(e) : resolve(r))));
JS
cat >"$W/app/lib/orders.js" <<'JS'
'use strict';
function lineTotal(item) {
  return item.price.value * item.qty;
}
function orderTotal(order) {
  return order.items.map(lineTotal).reduce((a, b) => a + b, 0);
}
class Order {
  constructor(data) {
    if (!data.id) throw new RangeError(`order id missing in ${JSON.stringify(data)}`);
    this.data = data;
  }
  total() {
    return orderTotal(this.data);
  }
}
module.exports = { Order, orderTotal };
JS

# 1. An uncaught TypeError thrown synchronously a few frames down (source line, caret, Node.js vNN trailer).
cat >"$W/app/sync-throw.js" <<'JS'
const { Order } = require('./lib/orders');
console.log('computing totals');
const o = new Order({ id: 7, items: [{ qty: 2 }] });
console.log(o.total());
JS
# 2. An uncaught error from an async function: "at async" frames.
cat >"$W/app/async-throw.js" <<'JS'
const db = require('tiny-db');
async function loadUser(id) {
  const rows = await db.queryAsync(`SELECT * FROM users WHERE id = ${id}`);
  if (rows.length < 2) throw new Error(`user ${id} not found`);
  return rows[0];
}
async function handler(event) {
  const user = await loadUser(event.id);
  return user.name;
}
handler({ id: 42 });
JS
# 3. Error with a cause.
cat >"$W/app/cause.js" <<'JS'
const fs = require('fs');
function readConfig(path) {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot load config ${path}`, { cause: err });
  }
}
function start() {
  return readConfig('/nonexistent/fnscope-config.json');
}
start();
JS
# 4. AggregateError from Promise.any, unhandled.
cat >"$W/app/aggregate.js" <<'JS'
async function ping(host) {
  throw new Error(`${host} unreachable`);
}
async function main() {
  await Promise.any([ping('a.internal'), ping('b.internal')]);
}
main();
JS
# 5. A rejected promise whose reason is not an Error.
cat >"$W/app/reject-string.js" <<'JS'
function fetchQuota() {
  return Promise.reject('quota service returned 503');
}
fetchQuota().then((q) => console.log(q));
JS
# 6. An error carrying extra properties ({ code: ... }), from a callback API.
cat >"$W/app/error-code.js" <<'JS'
const db = require('tiny-db');
db.query('DROP TABLE users', (err) => {
  if (err) throw err;
});
JS
cat >"$W/app/node-code.js" <<'JS'
const path = require('path');
function resolveHandler(name) {
  return path.join('/kubeless', name);
}
console.log(resolveHandler(42));
JS
# 7. Errors caught and logged with console.error, while the program keeps going.
cat >"$W/app/logged.js" <<'JS'
const { Order } = require('./lib/orders');
for (const data of [{ id: 1, items: [] }, { items: [] }, { id: 3, items: [{ price: { value: 2 }, qty: 1 }] }]) {
  try {
    console.log('order total', new Order(data).total());
  } catch (err) {
    console.error('Function failed to execute: ' + err.stack);
  }
}
try {
  JSON.parse('{"a": tru}');
} catch (err) {
  console.error(err);
}
try {
  null.f();
} catch (err) {
  console.error('request failed:', err);
}
console.log('at least one order was processed');
JS
# 8. Anonymous functions, eval, constructors, array callbacks.
cat >"$W/app/anon.js" <<'JS'
const handlers = [1, 2, 3].map((n) => () => {
  if (n === 3) return eval('undefinedFunction(n)');
  return n;
});
setTimeout(function () {
  handlers.forEach((h) => h());
}, 1);
JS
# 9. A thrown primitive and a thrown plain object.
cat >"$W/app/throw-string.js" <<'JS'
function check(v) {
  if (!v) throw 'value required';
}
check(0);
JS
cat >"$W/app/throw-object.js" <<'JS'
function check(v) {
  if (!v) throw { status: 400, reason: 'bad request' };
}
check(0);
JS
# 10. An ES module that crashes (file:// URLs) and one that imports a missing module.
cat >"$W/app/esm-throw.mjs" <<'JS'
import { readFile } from 'node:fs/promises';
export async function main() {
  const text = await readFile(new URL('./missing.json', import.meta.url), 'utf8');
  return JSON.parse(text);
}
await main();
JS
cat >"$W/app/esm-missing.mjs" <<'JS'
import { thing } from './not-there.mjs';
console.log(thing);
JS
# 11. An 'error' event nobody listens to; a stack overflow.
cat >"$W/app/emitter.js" <<'JS'
const { EventEmitter } = require('events');
const bus = new EventEmitter();
function publish() {
  bus.emit('error', new Error('broker connection lost'));
}
publish();
JS
cat >"$W/app/overflow.js" <<'JS'
function depth(n) {
  return depth(n + 1) + 1;
}
depth(0);
JS

SYSNODE="$(command -v node)"
PINNED="$CORPUS_ROOT/node_modules/node/bin/node"
progs="sync-throw async-throw cause aggregate reject-string error-code node-code logged anon throw-string throw-object esm-throw.mjs esm-missing.mjs emitter overflow"
for pair in "node20:$SYSNODE" "node24:$PINNED"; do
  label="${pair%%:*}"
  bin="${pair#*:}"
  [ -x "$bin" ] || { echo "corpus: no $bin, skipped" >&2; continue; }
  for p in $progs; do
    file="$p"
    case "$p" in *.mjs) name="${p%.mjs}" ;; *) name="$p"; file="$p.js" ;; esac
    capture "$OUT/$name-$label.log" "$W/app" "$bin" "$file"
  done
done
