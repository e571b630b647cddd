#!/usr/bin/env bash
# The benchmark suite, end to end from a clean clone: a virtual environment with thidua, the
# sqlite3 shell, the data (bench/make_national.py), then every figure (bench/run.py).
#   bench/run.sh            # everything; RUNS=7 by default
#   SKIP_BUILD=1 bench/run.sh   # reuse bench/out's data
#   STARTUP_ONLY=1 bench/run.sh # only the startup figures (--help, rank, history), on sample.db
#   SKIP_BUILD=1 bench/run.sh --imports-only   # the score imports alone (new and --replace)
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
venv=$out/venv
mkdir -p "$out"
if [ ! -x "$venv/bin/thidua" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q .
else
    "$venv/bin/pip" install -q --force-reinstall --no-deps .  # this checkout, not an older one
fi
if [ -n "${STARTUP_ONLY:-}" ]; then
    exec "$venv/bin/python" bench/run.py --out "$out" --runs "${RUNS:-7}" --startup-only
fi
if ! command -v sqlite3 > /dev/null; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get > /dev/null; then
        apt-get install -y -q sqlite3 > /dev/null
    else
        echo "bench: the sqlite3 shell is needed (apt-get install sqlite3)" >&2
        exit 1
    fi
fi
if [ -z "${SKIP_BUILD:-}" ]; then
    "$venv/bin/python" bench/make_national.py --out "$out"
fi
"$venv/bin/python" bench/run.py --out "$out" --runs "${RUNS:-7}" "$@"
