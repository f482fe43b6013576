#!/usr/bin/env bash
# Regenerates testdata/stacktraces/dotnet/mono-*.log and negative-mono-*.log from real Mono runs
# (Debian's mono-mcs + mono-runtime, Mono 6.8): C# programs compiled with mcs, run with and without
# --debug (file:line frames versus `<mvid>:0`). The .NET Core layout (`Unhandled exception. …`) needs
# a .NET runtime, which Debian does not package: the gh-*.log files beside these are real .NET output
# copied from public GitHub material (sources in README.md there) and are left alone by this script.
# Needs: apt-get install mono-mcs mono-runtime; node (the project's) for --golden.
# Golden files (<case>.json traces, <case>.lines.json spans) come from the parser and must be checked
# by eye: they are written only with --golden, for every case (gh-* included).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/testdata/stacktraces/dotnet
WORK=${FNSCOPE_CORPUS_WORK:-/tmp/fnscope-corpus}/dotnet
SRC=$WORK/src
export PATH=$ROOT/node_modules/.bin:$PATH
mkdir -p "$OUT" "$SRC"
rm -f "$OUT"/mono-*.log "$OUT"/negative-mono-*.log

cat > "$SRC/Orders.cs" <<'EOF'
using System;
using System.Collections.Generic;

namespace Shop.Orders
{
    public class StockRepository
    {
        private readonly Dictionary<string, int> stock = new Dictionary<string, int> { { "apple", 3 } };
        public int Find(string sku) { return stock[sku]; }
    }

    public class OrderService
    {
        public int Reserve(string sku)
        {
            try { return new StockRepository().Find(sku); }
            catch (KeyNotFoundException e) { throw new InvalidOperationException("cannot reserve " + sku, e); }
        }
    }

    public static class Handler
    {
        public static object Invoke(string sku)
        {
            Console.WriteLine("reserving " + sku);
            return new OrderService().Reserve(sku);
        }
    }
}
EOF

cat > "$SRC/Inner.cs" <<'EOF'
using System;
public static class Program
{
    public static void Main()
    {
        Console.WriteLine("function started");
        Shop.Orders.Handler.Invoke("apple");
        Shop.Orders.Handler.Invoke("kiwi");
    }
}
EOF

cat > "$SRC/Aggregate.cs" <<'EOF'
using System;
using System.Threading.Tasks;
namespace Fn
{
    public static class Jobs
    {
        static async Task<int> FetchAsync(int n)
        {
            await Task.Delay(1);
            if (n > 0) throw new ArgumentOutOfRangeException("n", n, "must be zero");
            return n;
        }
        static async Task<int> RunAsync() { return await FetchAsync(3); }
        public static void Main()
        {
            try
            {
                Task.WaitAll(RunAsync(), Task.Run(() => { throw new NotSupportedException("second job"); }));
            }
            catch (AggregateException ex)
            {
                Console.Error.WriteLine("2026-11-22T01:30:18Z jobs failed, continuing");
                Console.Error.WriteLine(ex);
            }
            Console.Error.WriteLine("2026-11-22T01:30:19Z retrying once");
            RunAsync().GetAwaiter().GetResult();
        }
    }
}
EOF

cat > "$SRC/Dispatch.cs" <<'EOF'
using System;
using System.Runtime.ExceptionServices;
namespace Fn
{
    public static class Parser
    {
        static Exception captured;
        static int ParseAge(string text) { return int.Parse(text); }
        public static void Main()
        {
            try { ParseAge("forty"); } catch (Exception e) { captured = e; }
            Console.WriteLine("parse failed, rethrowing later");
            ExceptionDispatchInfo.Capture(captured).Throw();
        }
    }
}
EOF

cat > "$SRC/Reflection.cs" <<'EOF'
using System;
using System.IO;
namespace Fn
{
    public class Storage
    {
        public string Read(string path)
        {
            try { return File.ReadAllText(path); }
            catch (IOException e) { throw new ApplicationException("storage unavailable", e); }
        }
    }
    public static class Entry
    {
        public static string Handle(string path)
        {
            try { return new Storage().Read(path); }
            catch (ApplicationException e) { throw new InvalidOperationException("handler failed", e); }
        }
        public static void Main()
        {
            var m = typeof(Entry).GetMethod("Handle");
            Console.WriteLine("invoking handler through reflection");
            m.Invoke(null, new object[] { "/nonexistent/fnscope/config.json" });
        }
    }
}
EOF

cat > "$SRC/ThreadCrash.cs" <<'EOF'
using System;
using System.Threading;
namespace Fn
{
    public static class Worker
    {
        static void Poll(object state)
        {
            string name = null;
            Console.WriteLine("polling " + name.Length);
        }
        public static void Main()
        {
            var t = new Thread(Poll);
            t.Start();
            t.Join();
            Console.WriteLine("not reached");
        }
    }
}
EOF

cat > "$SRC/Quiet.cs" <<'EOF'
using System;
namespace Fn
{
    public static class Quiet
    {
        public static void Main()
        {
            Console.WriteLine("Unhandled exceptions: 0");
            Console.WriteLine("System.Net.Http.HttpClient: request sent to http://orders/");
            Console.WriteLine("Microsoft.Hosting.Lifetime: Application started.");
            try { throw new TimeoutException("took too long"); }
            catch (TimeoutException e) { Console.WriteLine(e.GetType().FullName + ": " + e.Message); }
            Console.WriteLine(new InvalidOperationException("never thrown").ToString());
            Console.WriteLine("  at the end of the day, all is well");
            Console.WriteLine("   at least 3 retries left");
            Console.WriteLine("--- End of report ---");
        }
    }
}
EOF

(cd "$SRC" && mcs -debug -out:inner.exe Orders.cs Inner.cs && mcs -debug -out:aggregate.exe Aggregate.cs \
  && mcs -debug -out:dispatch.exe Dispatch.cs && mcs -debug -out:reflection.exe Reflection.cs \
  && mcs -debug -out:thread.exe ThreadCrash.cs && mcs -out:quiet.exe Quiet.cs) >/dev/null
run() { # case, mono args...
  local name=$1; shift
  (cd "$SRC" && mono "$@" > "$OUT/$name.log" 2>&1) || true
}
run mono-inner-debug --debug inner.exe
run mono-inner-nodebug inner.exe
run mono-aggregate-debug --debug aggregate.exe
run mono-dispatch-debug --debug dispatch.exe
run mono-reflection-nodebug reflection.exe
run mono-thread-debug --debug thread.exe
run negative-mono-quiet quiet.exe

ls -1 "$OUT"/*.log | wc -l | xargs echo "dotnet logs:"
if [ "${1:-}" = "--golden" ]; then
  # Runs the parser over every log through the tests' own assembly; check each result by eye.
  cat > "$WORK/golden.ts" <<EOF
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { DotnetTraceParser } from '$ROOT/collector/src/stacktrace/languages/dotnet.ts';
import { assemble, logLines } from '$ROOT/test/stacktrace/languages/lang-corpus.ts';
for (const f of readdirSync('$OUT').filter((n) => n.endsWith('.log'))) {
  const base = '$OUT/' + f.slice(0, -4);
  const found = assemble(new DotnetTraceParser(), logLines(readFileSync(base + '.log', 'utf8')));
  writeFileSync(base + '.json', JSON.stringify(found.map((a) => a.trace), null, 2) + '\n');
  writeFileSync(base + '.lines.json', JSON.stringify(found.map((a) => a.lines)) + '\n');
}
EOF
  node "$WORK/golden.ts"
fi
