#!/usr/bin/env bash
# Install what the tests need, then run the whole test suite (ruff, then pytest):
# - the Python packages of requirements-dev.lock (every package pinned, with hashes) into .venv,
#   made with python3 when it does not exist yet (uv from the lock installs them; pip if it cannot);
# - Debian's chromium for the browser tests when it is missing and apt-get can install it (as
#   root, or with password-less sudo): without recommended packages, listed before installing.
# Arguments go to pytest, e.g. ./scripts/test.sh tests/test_cli.py -x
set -euo pipefail
cd "$(dirname "$0")/.."

# apt_install WHAT PACKAGE...: print what apt-get is about to install, then install it.
apt_install() {
  local what=$1 plan new upgrades
  local -a sudo
  shift
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$(id -u)" = 0 ]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else return 1; fi
  "${sudo[@]}" apt-get update -qq || return 1
  plan=$("${sudo[@]}" apt-get install --simulate --no-install-recommends "$@") || return 1
  new=$(awk '/^Inst / && $3 !~ /^\[/ {print $2}' <<<"$plan" | xargs)
  upgrades=$(awk '/^Inst / && $3 ~ /^\[/ {print $2}' <<<"$plan" | xargs)
  echo "Installing $what with apt-get install --no-install-recommends $*:"
  echo "  $(wc -w <<<"$new") new Debian package(s): ${new:-none}"
  [ -z "$upgrades" ] || echo "  $(wc -w <<<"$upgrades") upgraded: $upgrades"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
  echo "Making the virtual environment .venv with $(python3 --version)"
  # Debian's python3 ships venv's pip bootstrap in a package of its own, python3-venv.
  python3 -m venv .venv \
    || { apt_install "Python's venv module" python3-venv && python3 -m venv .venv; } \
    || { echo "Could not make .venv: install python3-venv, then run this again." >&2; exit 1; }
fi
echo "Installing the Python packages of requirements-dev.lock into .venv"
# uv (pinned with its hashes in the lock, installed first by pip) installs the rest in a few
# seconds where pip takes 20-40; pip does it all if uv cannot.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
  -r <(awk '/^uv==/ {on = 1; print; next} on && /^ +--hash=/ {print; next} {on = 0}' requirements-dev.lock) \
  && .venv/bin/uv pip install --quiet --require-hashes --python .venv/bin/python \
    -r requirements-dev.lock \
  || .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
    -r requirements-dev.lock

if ! command -v chromium >/dev/null 2>&1; then
  apt_install "Debian's chromium for the browser tests" chromium \
    || echo "Could not install chromium; the browser tests will skip (or fail under CI=true)."
fi

.venv/bin/python -m ruff check .
.venv/bin/python -m pytest "$@"
