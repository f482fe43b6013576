#!/usr/bin/env bash
# Python corpus: small programs that crash in each way the parser must know, run under every Python
# interpreter found (pyenv 2.7, 3.6-3.13, else the system python3). Output: testdata/stacktraces/python/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
W="$(workdir python)"
OUT="$CORPUS_OUT/python"
mkdir -p "$OUT" "$W/app/shop"

cat >"$W/app/shop/__init__.py" <<'PY'
PY
cat >"$W/app/shop/inventory.py" <<'PY'
class OutOfStock(Exception):
    pass


def lookup(stock, sku):
    return stock[sku]


def reserve(stock, sku, n):
    have = lookup(stock, sku)
    if have < n:
        raise OutOfStock("sku %s: wanted %d, have %d" % (sku, n, have))
    stock[sku] = have - n
PY

# 1. A KeyError raised a few frames down (what most handlers die of).
cat >"$W/app/keyerror.py" <<'PY'
from __future__ import print_function
from shop import inventory

print("starting order 1042")
inventory.reserve({"apple": 3}, "pear", 1)
PY

# 2. An exception raised from another one ("direct cause") and one raised while handling another.
cat >"$W/app/chained.py" <<'PY'
import json


class ConfigError(Exception):
    pass


def load(text):
    try:
        return json.loads(text)
    except ValueError as e:
        raise ConfigError("config is not valid JSON") from e


def main():
    try:
        load("{broken")
    except ConfigError:
        cleanup = None
        cleanup.close()


main()
PY

# 3. During handling (also valid Python 2, which prints only the last exception).
cat >"$W/app/during.py" <<'PY'
def parse_port(s):
    try:
        return int(s)
    except ValueError:
        return {"default": 8080}["fallback"]


print("port:", parse_port("http"))
PY

# 4. Exception groups (3.11+), nested.
cat >"$W/app/group.py" <<'PY'
def check(n):
    if n % 2:
        raise ValueError("odd value %d" % n)
    raise TypeError("even value %d" % n)


def run_all():
    errors = []
    for n in range(3):
        try:
            check(n)
        except Exception as e:
            errors.append(e)
    inner = ExceptionGroup("batch 2", [KeyError("k")])
    raise ExceptionGroup("3 checks failed", errors + [inner])


run_all()
PY

# 5. SyntaxError from compile() (File "<string>") and from the script itself.
cat >"$W/app/compile_err.py" <<'PY'
source = "def f(x):\n    return x +* 2\n"
code = compile(source, "<string>", "exec")
PY
cat >"$W/app/bad_syntax.py" <<'PY'
def handler(event, context):
    data = event['data']
    if data = None:
        return "none"
    return data
PY
cat >"$W/app/bad_indent.py" <<'PY'
def handler(event, context):
    x = 1
      return x
PY

# 6. Runaway recursion: "[Previous line repeated N more times]".
cat >"$W/app/recursion.py" <<'PY'
import sys
sys.setrecursionlimit(200)


def walk(node):
    return walk(node + 1)


walk(0)
PY

# 7. logging.exception with the default format and with a timestamped format, then life goes on.
cat >"$W/app/logged.py" <<'PY'
import logging
import sys

logging.basicConfig(level=logging.INFO)
log = logging.getLogger("orders")


def divide(a, b):
    return a / b


log.info("processing batch")
try:
    divide(10, 0)
except ZeroDivisionError:
    logging.exception("Function returned an exception: %r", "batch-7")
log.warning("retrying batch 7")
try:
    [1, 2, 3][7]
except IndexError:
    log.exception("lookup failed")
log.info("done")
sys.stderr.flush()
PY
cat >"$W/app/logged_fmt.py" <<'PY'
import logging

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s [%(name)s] %(message)s")
log = logging.getLogger("payments")


def charge(card):
    return card["number"].strip()


log.info("charging 3 cards")
for card in [{"number": " 4111 "}, {}, {"number": None}]:
    try:
        charge(card)
        log.info("charged")
    except Exception:
        log.exception("charge failed for card %s", card)
log.error("2 of 3 charges failed")
PY

# 8. An expression that fails in the middle, so 3.11+ prints ~~~^^^ markers.
cat >"$W/app/markers.py" <<'PY'
def total(order):
    return order["items"][0]["price"] * order["qty"] + order["shipping"]["cost"]


def price(orders):
    return [total(o) for o in orders]


print(price([{"items": [{"price": 2}], "qty": 3, "shipping": None}]))
PY

# 9. Exceptions of user modules, with no message, with a multi-part message; an attribute error.
cat >"$W/app/custom.py" <<'PY'
from shop.inventory import OutOfStock


class Timeout(Exception):
    pass


def wait():
    raise Timeout()


def fetch(kind):
    if kind == "timeout":
        wait()
    raise OutOfStock("sku 77", 3)


import sys
fetch(sys.argv[1] if len(sys.argv) > 1 else "stock")
PY
cat >"$W/app/attr.py" <<'PY'
class User(object):
    def __init__(self, name):
        self.name = name


def greet(u):
    return "hello " + u.nmae


print(greet(User("ada")))
PY

# 10. A traceback between ordinary output on both streams; a bare raise of a builtin.
cat >"$W/app/mixed.py" <<'PY'
from __future__ import print_function
import sys
for i in range(3):
    print("request %d ok" % i)
sys.stdout.flush()
print("at 10:00 the nightly job starts", file=sys.stderr)
int("forty-two")
PY

run_py() { # NAME VERSION_LABEL PYTHON ARGS...
  local name="$1" label="$2" py="$3"
  shift 3
  capture "$OUT/$name-$label.log" "$W/app" env PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 "$py" "$@"
}

all="keyerror chained during compile_err bad_syntax bad_indent recursion logged logged_fmt markers custom attr mixed"
py3only="chained"
py311="group"
for v in 2.7 3.6 3.8 3.10 3.11 3.12 3.13; do
  py="$(pyenv_python "$v")" || { echo "corpus: no python $v, skipped" >&2; continue; }
  label="py${v/./}"
  for prog in $all $py311; do
    case "$v" in
      2.7) case " $py3only $py311 " in *" $prog "*) continue ;; esac ;;
      3.6|3.8|3.10) case " $py311 " in *" $prog "*) continue ;; esac ;;
    esac
    run_py "$prog" "$label" "$py" "$prog.py"
  done
  run_py "custom-timeout" "$label" "$py" custom.py timeout
done
