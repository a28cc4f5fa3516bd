#!/usr/bin/env bash
# Remake requirements.lock (the app) and requirements-dev.lock (the tests) from requirements.txt
# and requirements-dev.txt: every package pinned with its hashes, for Python 3.11 on Linux. The
# dev lock is constrained by the app lock, so both install the same version of what they share.
# Run it after changing a pin in requirements*.txt: packages already locked keep their version
# unless the change needs another. `./scripts/lock.sh --upgrade` moves every package that is not
# pinned in requirements*.txt to its newest release. Then run ./scripts/test.sh and commit.
set -euo pipefail
cd "$(dirname "$0")/.."

uv=.venv/bin/uv
if [ ! -x "$uv" ]; then
  echo "$uv is missing: run ./scripts/test.sh once first (it installs the test tools, uv among" \
       "them, into .venv)." >&2
  exit 2
fi
options=(--generate-hashes --python-version 3.11 --python-platform linux --quiet "$@")
"$uv" pip compile requirements.txt "${options[@]}" -o requirements.lock
"$uv" pip compile requirements-dev.txt -c requirements.lock "${options[@]}" -o requirements-dev.lock
echo "Wrote requirements.lock and requirements-dev.lock; now run ./scripts/test.sh."
