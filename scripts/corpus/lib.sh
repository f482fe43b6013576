# Helpers shared by the corpus generators: where programs are written, where output goes, how runs are saved.
# Programs are written under a fixed scratch folder so the paths inside the traces stay the same between runs.
CORPUS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CORPUS_OUT="${CORPUS_OUT:-$CORPUS_ROOT/testdata/stacktraces}"
CORPUS_WORK="${CORPUS_WORK:-/tmp/fnscope-corpus}"

# workdir LANG: a clean folder for one language's programs; prints its path.
workdir() {
  local d="$CORPUS_WORK/$1"
  rm -rf "$d" && mkdir -p "$d" && printf '%s\n' "$d"
}

# capture OUTFILE DIR CMD...: run CMD in DIR with stdout and stderr merged into OUTFILE (as `kubectl logs`
# shows them). A non-zero exit is expected: these programs crash on purpose. Each run is bounded in time.
capture() {
  local out="$1" dir="$2"
  shift 2
  mkdir -p "$(dirname "$out")"
  (cd "$dir" && timeout 60 "$@") >"$out" 2>&1 || true
  if [ ! -s "$out" ]; then echo "corpus: $out is empty" >&2; fi
}

# pyenv_python VERSION: the interpreter of a pyenv-installed Python (e.g. 3.8), or nothing.
pyenv_python() {
  local root="${PYENV_ROOT:-$HOME/.pyenv}" v
  for v in "$root"/versions/"$1".*; do
    if [ -x "$v/bin/python" ]; then printf '%s\n' "$v/bin/python"; return 0; fi
  done
  return 1
}
