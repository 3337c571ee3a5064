#!/usr/bin/env bash
# Write the locks from the ranges in pyproject.toml (and requirements/build.in):
#   bash requirements/lock.sh                        resolve what changed, keep the other pins
#   bash requirements/lock.sh --upgrade              the newest releases the ranges allow
#   bash requirements/lock.sh --upgrade-package X    the newest X, the other pins kept
# main.txt: what the tool needs; test.txt: and what the tests need; oldest.txt: each direct
# dependency at its lower bound, so that CI proves the ranges true. All with hashes, for every
# Python from 3.11 and every platform, installable by plain pip. docs.txt: what builds the
# manual (requirements/docs.in), in an environment of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9
uv=$(command -v uv || true)
if [ -z "$uv" ] || [ "$("$uv" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    tools=$(mktemp -d)
    trap 'rm -rf "$tools"' EXIT
    python3 -m venv "$tools"
    "$tools/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
    uv=$tools/bin/uv
fi

lock() {
    "$uv" pip compile pyproject.toml requirements/build.in --universal --python-version 3.11 \
        --generate-hashes --custom-compile-command "bash requirements/lock.sh" --quiet "$@"
}
lock "$@" -o requirements/main.txt
lock "$@" --extra test -o requirements/test.txt
lock "$@" --extra test --resolution lowest-direct -o requirements/oldest.txt
"$uv" pip compile requirements/docs.in --universal --python-version 3.11 --generate-hashes \
    --custom-compile-command "bash requirements/lock.sh" --quiet "$@" -o requirements/docs.txt
