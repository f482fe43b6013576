#!/usr/bin/env bash
# Regenerates testdata/stacktraces/php/<case>.log from real PHP runs (Debian's php-cli, PHP 8.2):
# log mode (error_log unset: `PHP Fatal error:  Uncaught …` on stderr; error_log=FILE: with a date),
# display mode (`Fatal error: Uncaught …`), html_errors through the built-in web server, "Next" chains,
# Throwable::__toString() text an application logs, and warnings/notices/fatal errors with no trace.
# `php -n` runs each program without php.ini, so every setting used is on the command line.
# Needs: apt-get install php-cli curl; node (the project's) for --golden.
# Golden files (<case>.json traces, <case>.lines.json spans) come from the parser and must be checked
# by eye: they are written only with --golden, for every case.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/testdata/stacktraces/php
WORK=${FNSCOPE_CORPUS_WORK:-/tmp/fnscope-corpus}/php
APP=$WORK/app
export PATH=$ROOT/node_modules/.bin:$PATH
mkdir -p "$OUT" "$APP/vendor/acme/http/src"
rm -f "$OUT"/*.log

cat > "$APP/vendor/acme/http/src/Router.php" <<'EOF'
<?php
namespace Acme\Http;

final class Router {
    /** @param array<string, callable> $routes */
    public function __construct(private array $routes) {}

    public function dispatch(string $path, array $event): mixed {
        $handler = $this->routes[$path] ?? throw new \OutOfBoundsException("no route for $path");
        return $handler($event);
    }
}
EOF

cat > "$APP/handler.php" <<'EOF'
<?php
require __DIR__ . '/vendor/acme/http/src/Router.php';

class RepositoryException extends RuntimeException {}
class FunctionFailed extends RuntimeException {}

function find_user(array $db, string $id): array {
    if (!isset($db[$id])) {
        throw new InvalidArgumentException("no user \"$id\"", 404);
    }
    return $db[$id];
}

final class Users {
    public function load(string $id): array {
        try {
            return find_user([], $id);
        } catch (InvalidArgumentException $e) {
            throw new RepositoryException("lookup failed for user $id", 1, $e);
        }
    }
}

function handle(array $event): array {
    try {
        return (new Users())->load($event['id']);
    } catch (RepositoryException $e) {
        throw new FunctionFailed('function "users" failed', 2, $e);
    }
}

function total(array $event): int {
    return array_sum(array_map(fn ($q) => intdiv(100, $q), $event['quantities']));
}

function typed(int $n): int {
    return $n * 2;
}
EOF

cat > "$APP/next_chain.php" <<'EOF'
<?php
require __DIR__ . '/handler.php';
echo "handling request 1\n";
trigger_error("cache miss for user 42", E_USER_NOTICE);
handle(['id' => '42']);
EOF

cat > "$APP/internal_frames.php" <<'EOF'
<?php
require __DIR__ . '/handler.php';
echo "total: " . total(['quantities' => [1, 2]]) . "\n";
$router = new Acme\Http\Router(['/total' => 'total']);
echo $router->dispatch('/total', ['quantities' => [4, 0]]), "\n";
EOF

cat > "$APP/vendor_throw.php" <<'EOF'
<?php
require __DIR__ . '/handler.php';
$router = new Acme\Http\Router(['/users' => 'handle']);
$router->dispatch('/orders', []);
EOF

cat > "$APP/type_error.php" <<'EOF'
<?php
require __DIR__ . '/handler.php';
$x = $undefined ?? null;
echo typed("not a number");
EOF

cat > "$APP/multiline.php" <<'EOF'
<?php
function validate(array $payload): void {
    throw new DomainException("payload rejected:\n- name is required\n- age must be >= 0");
}
validate([]);
EOF

cat > "$APP/empty_message.php" <<'EOF'
<?php
function fail(): never {
    throw new Exception();
}
fail();
EOF

cat > "$APP/undefined_function.php" <<'EOF'
<?php
echo "starting\n";
notDefinedAnywhere(1, 2);
EOF

cat > "$APP/logged_tostring.php" <<'EOF'
<?php
require __DIR__ . '/handler.php';
foreach (['7', '8'] as $id) {
    try {
        handle(['id' => $id]);
    } catch (Throwable $t) {
        error_log("request $id failed");
        error_log((string) $t);
    }
}
error_log("served 2 requests");
EOF

cat > "$APP/warnings.php" <<'EOF'
<?php
echo "Stack trace: (none, this is a plain line)\n";
echo "#0 is not a frame either\n";
$a = [];
echo $a['missing'] ?? "default\n";
echo $a['missing'];
echo hex2bin("zz");
echo "done\n";
EOF

cat > "$APP/notices.php" <<'EOF'
<?php
trigger_error("old API used", E_USER_DEPRECATED);
trigger_error("disk almost full", E_USER_WARNING);
$s = "abc";
echo $s[10];
echo intdiv(1, 1), "\n";
echo "Exception: not really, just a word in a log line\n";
echo "RuntimeException: in a sentence in /tmp/x.php:3\n";
trigger_error("giving up", E_USER_ERROR);
EOF

cat > "$APP/memory.php" <<'EOF'
<?php
$rows = [];
while (true) { $rows[] = str_repeat('x', 1 << 20); }
EOF

cat > "$APP/parse_error.php" <<'EOF'
<?php
function broken( {
EOF

LOG=(-d display_errors=0 -d log_errors=1)
DISPLAY=(-d display_errors=1 -d log_errors=0)
run() { # case, php args..., script
  local name=$1; shift
  (cd "$APP" && php -n "$@" >> "$OUT/$name.log" 2>&1) || true
}
run next-chain-display "${DISPLAY[@]}" next_chain.php
run next-chain-log "${LOG[@]}" next_chain.php
run internal-frames-log "${LOG[@]}" internal_frames.php
run vendor-throw-display "${DISPLAY[@]}" vendor_throw.php
# Several crashing runs of one container, one after the other.
run restarts-log "${LOG[@]}" type_error.php
run restarts-log "${LOG[@]}" multiline.php
run restarts-log "${LOG[@]}" empty_message.php
run restarts-log "${LOG[@]}" undefined_function.php
run restarts-display "${DISPLAY[@]}" multiline.php
run restarts-display "${DISPLAY[@]}" empty_message.php
run restarts-display "${DISPLAY[@]}" type_error.php
# Both modes at once: the same exception is reported twice, once per mode.
run display-and-log -d display_errors=stderr -d log_errors=1 next_chain.php
run logged-tostring "${LOG[@]}" logged_tostring.php
run negative-warnings-display "${DISPLAY[@]}" warnings.php
run negative-warnings-log "${LOG[@]}" warnings.php
run negative-notices-log "${LOG[@]}" notices.php
run negative-notices-log "${LOG[@]}" -d memory_limit=16M memory.php
run negative-notices-log "${LOG[@]}" parse_error.php

# error_log to a file: every report begins with a date.
rm -f "$WORK/error.log"
(cd "$APP" && php -n "${LOG[@]}" -d error_log="$WORK/error.log" next_chain.php >/dev/null 2>&1) || true
(cd "$APP" && php -n "${LOG[@]}" -d error_log="$WORK/error.log" internal_frames.php >/dev/null 2>&1) || true
(cd "$APP" && php -n "${LOG[@]}" -d error_log="$WORK/error.log" warnings.php >/dev/null 2>&1) || true
cp "$WORK/error.log" "$OUT/error-log-file.log"

# The built-in web server: its own log on stderr, and display mode with html_errors in the response.
cat > "$APP/index.php" <<'EOF'
<?php
require __DIR__ . '/handler.php';
error_log("request for " . ($_GET['id'] ?? '-'));
echo json_encode(handle(['id' => $_GET['id'] ?? '1'])), "\n";
EOF
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
(cd "$APP" && exec php -n -d html_errors=1 -d display_errors=1 -d log_errors=1 -S "127.0.0.1:$PORT" > "$WORK/server.log" 2>&1) &
SERVER=$!
echo ok > "$APP/ping.txt"
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/ping.txt" && break; sleep 0.1; done
curl -s "http://127.0.0.1:$PORT/index.php?id=42" > "$OUT/display-html.log"
curl -s -o /dev/null "http://127.0.0.1:$PORT/index.php?id=43"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
sed -E "s/$PORT/8080/g; s/127\.0\.0\.1:[0-9]+ /127.0.0.1:50000 /g" "$WORK/server.log" > "$OUT/builtin-server-log.log"

ls -1 "$OUT"/*.log | wc -l | xargs echo "php logs:"
if [ "${1:-}" = "--golden" ]; then
  # Runs the parser over every log through the tests' own assembly; check each result by eye.
  cat > "$WORK/golden.ts" <<EOF
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { PhpTraceParser } from '$ROOT/collector/src/stacktrace/languages/php.ts';
import { assemble, logLines } from '$ROOT/test/stacktrace/languages/lang-corpus.ts';
for (const f of readdirSync('$OUT').filter((n) => n.endsWith('.log'))) {
  const base = '$OUT/' + f.slice(0, -4);
  const found = assemble(new PhpTraceParser(), logLines(readFileSync(base + '.log', 'utf8')));
  writeFileSync(base + '.json', JSON.stringify(found.map((a) => a.trace), null, 2) + '\n');
  writeFileSync(base + '.lines.json', JSON.stringify(found.map((a) => a.lines)) + '\n');
}
EOF
  node "$WORK/golden.ts"
fi
