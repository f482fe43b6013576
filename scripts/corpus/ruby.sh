#!/usr/bin/env bash
# Regenerates testdata/stacktraces/ruby/<case>.log from real Ruby runs:
#   - Debian's ruby (3.1, backtick quotes), with the Debian ruby-sinatra, ruby-rack and ruby-webrick
#     packages for the layout the Kubeless ruby runtime (Sinatra) prints;
#   - Ruby 3.4 (single quotes, 'Class#method' labels) from the npm package @ruby/3.4-wasm-wasi, run by
#     Node's WASI: there the program is loaded by `load` and an escaping exception is printed with
#     Exception#full_message(highlight: false), the writer Ruby's top-level handler uses, so its
#     reports end with the loader's frames (eval:5:in 'Kernel#load').
# Needs: apt-get install ruby ruby-sinatra ruby-rack ruby-webrick curl; node (the project's) and npm.
# Golden files (<case>.json traces, <case>.lines.json spans) come from the parser and must be checked
# by eye: they are written only with --golden, for every case.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/testdata/stacktraces/ruby
WORK=${FNSCOPE_CORPUS_WORK:-/tmp/fnscope-corpus}/ruby
APP=$WORK/kubeless
export PATH=$ROOT/node_modules/.bin:$PATH
mkdir -p "$OUT" "$APP"
rm -f "$OUT"/*.log

# ---------- Ruby 3.1 (Debian) ----------
cat > "$APP/orders.rb" <<'EOF'
# A function and its helpers, as a Kubeless ruby function would be laid out.
module Orders
  PRICES = { "apple" => 3, "pear" => 4 }.freeze

  def self.price_of(item)
    PRICES.fetch(item)
  end

  def self.total(items)
    items.sum { |i| price_of(i) }
  end
end

def handler(event, _context)
  Orders.total(event[:data][:items])
end
EOF

cat > "$APP/uncaught_keyerror.rb" <<'EOF'
require_relative 'orders'
$stdout.sync = true
puts "handler loaded"
puts "total=#{handler({ data: { items: %w[apple pear] } }, nil)}"
handler({ data: { items: %w[apple kiwi] } }, nil)
EOF

cat > "$APP/cause_chain.rb" <<'EOF'
class ConfigError < StandardError; end
class BootError < StandardError; end

def read_port(settings)
  settings.fetch(:port)
end

def load_config(settings)
  read_port(settings)
rescue KeyError
  raise ConfigError, "config incomplete: port"
end

def boot
  load_config({ host: "0.0.0.0" })
rescue ConfigError => e
  raise BootError, "boot failed\nsee the config reference\nfor the keys a function needs"
end

$stderr.puts "booting"
boot
EOF

cat > "$APP/error_highlight.rb" <<'EOF'
def line_total(item)
  item[:price] * item[:qty]
end

def order_total(order)
  order[:lines].map { |l| line_total(l) }.sum
end

puts "computing"
order_total({ lines: [{ price: 2, qty: 1 }, { qty: 2 }] })
EOF

cat > "$APP/did_you_mean.rb" <<'EOF'
def greet(event)
  message = "hello #{event}"
  mesage.upcase
end
greet("kubeless")
EOF

cat > "$APP/json_message.rb" <<'EOF'
require 'json'
def parse_event(body)
  JSON.parse(body)
end
parse_event("{\"name\": \"kubeless\",\n \"tags\": [oops]}")
EOF

cat > "$APP/empty_message.rb" <<'EOF'
def check(x)
  raise ArgumentError, "" if x.nil?
end
$stderr.puts "checking nil"
begin
  check(nil)
rescue ArgumentError => e
  $stderr.print e.full_message(highlight: false)
end
$stderr.puts "then a bare raise"
def fail_hard = raise("")
fail_hard
EOF

cat > "$APP/stack_too_deep.rb" <<'EOF'
def walk(node) = walk({ next: node })
walk(nil)
EOF

cat > "$APP/thread_report.rb" <<'EOF'
$stdout.sync = true
def fetch_remote(id)
  raise IOError, "connection reset while reading item #{id}"
end
def worker(id)
  fetch_remote(id)
end
t = Thread.new { worker(7) }
sleep 0.2
puts "main thread still serving"
t.join
EOF

cat > "$APP/logger_layout.rb" <<'EOF'
require 'logger'
require_relative 'orders'
log = Logger.new($stdout)
log.info("function started")
log.warn("slow call: 1200 ms")
begin
  handler({ data: { items: %w[plum] } }, nil)
rescue => e
  log.error(e)
end
log.error("plain error without a trace (ValidationError)")
log = Logger.new($stdout, progname: "bikesearch")
begin
  Integer("12x")
rescue => e
  log.fatal(e)
end
log.info("done")
EOF

cat > "$APP/warnings.rb" <<'EOF'
require 'json'
require 'yaml'
unused = 1
warn "plain warning from warn"
warn "deprecated call", uplevel: 0
$stderr.puts({ level: "error", msg: "lookup failed", err: "KeyError" }.to_json)
puts({ "service" => "bikesearch", "errors" => ["KeyError: key not found"] }.to_yaml)
puts "at least one request failed: retrying"
puts "orders.rb:12:in lookup: nothing found (ok)"
puts "E, [2026-11-22T01:30:18.000000 #1] ERROR -- : upstream returned 502"
EOF

run31() { # case, script, [ruby flags]
  local name=$1 script=$2; shift 2
  (cd "$APP" && ruby "$@" "$script" > "$OUT/$name.log" 2>&1) || true
}
run31 uncaught-keyerror-31 uncaught_keyerror.rb
run31 cause-chain-31 cause_chain.rb
run31 error-highlight-31 error_highlight.rb
run31 did-you-mean-31 did_you_mean.rb
run31 json-multiline-message-31 json_message.rb
run31 empty-message-31 empty_message.rb
run31 thread-report-31 thread_report.rb
run31 logger-31 logger_layout.rb
run31 negative-warnings-31 warnings.rb -w
# SystemStackError: Ruby elides the middle ("... N levels..."); its count varies by machine.
(cd "$APP" && ruby stack_too_deep.rb 2>&1 | sed -E 's/\.\.\. [0-9]+ levels\.\.\./... 10000 levels.../' > "$OUT/stack-too-deep-31.log") || true

# ---------- Sinatra (the Kubeless ruby runtime's web layer) ----------
cat > "$APP/server.rb" <<'EOF'
# A Sinatra app that calls a function the way the Kubeless ruby runtime does.
require 'sinatra/base'
require 'json'
require_relative 'orders'

class Runtime < Sinatra::Base
  set :bind, '127.0.0.1'
  set :port, ENV.fetch('PORT').to_i
  set :server, 'webrick'
  set :logging, true

  get('/healthz') { 'OK' }
  post '/' do
    event = { data: JSON.parse(request.body.read, symbolize_names: true) }
    if event[:data][:crash]
      nil.crash!
    elsif event[:data][:divide]
      (10 / event[:data][:divide].to_i).to_s
    else
      handler(event, {}).to_s
    end
  end
end
Runtime.run!
EOF
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
(cd "$APP" && RACK_ENV=production PORT=$PORT exec ruby server.rb > "$WORK/sinatra.out" 2>&1) &
SERVER=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
call() { curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d "$1" "http://127.0.0.1:$PORT/"; sleep 0.2; }
call '{"items":["apple"]}'
call '{"items":["apple","kiwi"]}'
call '{"crash":true}'
call '{"divide":"0"}'
call '{"items":["pear"]}'
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
# The run's own start-up banner names the port and pid: keep the lines, fix the varying numbers.
sed -E "s/$PORT/8090/g; s/pid=[0-9]+/pid=1/g; s/127\.0\.0\.1:[0-9]+/127.0.0.1:8090/g" "$WORK/sinatra.out" > "$OUT/sinatra-kubeless-31.log"

# ---------- Ruby 3.4 (WebAssembly) ----------
WASM=$WORK/wasm
if [ ! -f "$WASM/node_modules/@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm" ]; then
  mkdir -p "$WASM"
  (cd "$WASM" && echo '{"private":true}' > package.json && npm install --no-audit --no-fund --silent @ruby/3.4-wasm-wasi@2.10.1 @ruby/wasm-wasi@2.10.1)
fi
cat > "$WASM/run.cjs" <<'EOF'
// node run.cjs HOSTDIR SCRIPT: runs `load "/app/SCRIPT"` in Ruby 3.4 (WASI) with HOSTDIR as /app.
const { readFileSync } = require('node:fs');
const { WASI } = require('node:wasi');
const { RubyVM } = require('@ruby/wasm-wasi/dist/vm');
const [hostDir, script] = process.argv.slice(2);
(async () => {
  const wasi = new WASI({ version: 'preview1', returnOnExit: true, env: {}, args: ['ruby'], preopens: { '/app': hostDir } });
  const mod = await WebAssembly.compile(readFileSync(__dirname + '/node_modules/@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm'));
  const { vm } = await RubyVM.instantiateModule({ module: mod, wasip1: wasi });
  const status = vm.eval(`
    $stdout.sync = true; $stderr.sync = true
    Dir.chdir("/app")
    begin
      load ${JSON.stringify('/app/' + script)}
      0
    rescue Exception => e
      $stderr.print e.full_message(highlight: false)
      1
    end`);
  process.exitCode = Number(status.toString());
})();
EOF
run34() { # case, script
  (cd "$WASM" && node --no-warnings run.cjs "$APP" "$2" > "$OUT/$1.log" 2>&1) || true
}
run34 uncaught-keyerror-34 uncaught_keyerror.rb
run34 cause-chain-34 cause_chain.rb
run34 error-highlight-34 error_highlight.rb
run34 did-you-mean-34 did_you_mean.rb
run34 logger-34 logger_layout.rb

ls -1 "$OUT"/*.log | wc -l | xargs echo "ruby logs:"
if [ "${1:-}" = "--golden" ]; then
  # Runs the parser over every log through the tests' own assembly; check each result by eye.
  cat > "$WORK/golden.ts" <<EOF
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { RubyTraceParser } from '$ROOT/collector/src/stacktrace/languages/ruby.ts';
import { assemble, logLines } from '$ROOT/test/stacktrace/languages/lang-corpus.ts';
for (const f of readdirSync('$OUT').filter((n) => n.endsWith('.log'))) {
  const base = '$OUT/' + f.slice(0, -4);
  const found = assemble(new RubyTraceParser(), logLines(readFileSync(base + '.log', 'utf8')));
  writeFileSync(base + '.json', JSON.stringify(found.map((a) => a.trace), null, 2) + '\n');
  writeFileSync(base + '.lines.json', JSON.stringify(found.map((a) => a.lines)) + '\n');
}
EOF
  node "$WORK/golden.ts"
fi
