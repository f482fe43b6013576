#!/usr/bin/env bash
# Installs the real tools the test suite runs against, from Debian's packages, when they are missing:
# Prometheus + promtool, Alertmanager, Chromium (browser tests) and kubectl.
# Set FNSCOPE_SKIP_SYSTEM_DEPS=1 to skip (the tests that need a missing tool then fail with its name).
set -uo pipefail

[ "${FNSCOPE_SKIP_SYSTEM_DEPS:-}" = "1" ] && exit 0

declare -A pkg_for=(
  [prometheus]=prometheus
  [promtool]=prometheus
  [prometheus-alertmanager]=prometheus-alertmanager
  [chromium]=chromium
  [kubectl]=kubernetes-client
)
missing=()
for bin in prometheus promtool prometheus-alertmanager chromium kubectl; do
  command -v "$bin" >/dev/null 2>&1 || missing+=("${pkg_for[$bin]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
# shellcheck disable=SC2207
missing=($(printf '%s\n' "${missing[@]}" | sort -u))

sudo=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "fnscope: cannot install ${missing[*]}: not root and no password-less sudo." >&2
    echo "fnscope: install them with: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "fnscope: cannot install ${missing[*]}: apt-get not found; install these Debian packages (or equivalents) by hand." >&2
  exit 1
fi
echo "fnscope: installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Keep package scripts from trying to start services in containers without an init system.
$sudo apt-get update -qq >/dev/null || { echo "fnscope: apt-get update failed" >&2; exit 1; }
if ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/fnscope-apt.log 2>&1; then
  echo "fnscope: apt-get install ${missing[*]} failed; see /tmp/fnscope-apt.log" >&2
  tail -20 /tmp/fnscope-apt.log >&2
  exit 1
fi
# Debian's packages may start their services; the tests start their own instances on other ports.
for svc in prometheus prometheus-alertmanager prometheus-node-exporter; do
  pkill -x "$svc" >/dev/null 2>&1 || true
done
exit 0
