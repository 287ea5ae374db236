#!/usr/bin/env bash
# The reliability tests at full scale: kill -9 of one of three JobServer processes during 2,000 sleep jobs of 100 ms,
# MariaDB stopped for 10 s under 8 HTTP clients enqueueing and a server processing, 20 HTTP clients × 1,000 jobs over
# loopback. The same tests run small in scripts/test.sh (2,000 jobs of 20 ms, a 3 s outage, 20 × 50 jobs);
# JOBSERVER_RELIABILITY=full (set here; quick also works) sizes them. They run one at a time (the figures would skew
# each other) on a MariaDB instance of their own (.data/mariadb-reliability, port 3347); the outage test stops and
# starts a private instance of its own (.data/mariadb-outage). A few minutes. The figures are printed at the end.
#   scripts/reliability.sh [part of a test name, e.g. Outage] [extra dotnet test args...]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JOBSERVER_RELIABILITY="${JOBSERVER_RELIABILITY:-full}"
export JOBSERVER_TEST_DB_DATADIR="$ROOT/.data/mariadb-reliability"
export JOBSERVER_TEST_DB_PORT="${JOBSERVER_RELIABILITY_DB_PORT:-3347}"
filter="Category=Reliability"
if (($# > 0)) && [[ $1 != -* ]]; then
  filter+="&FullyQualifiedName~$1"
  shift
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
"$ROOT/scripts/test.sh" --filter "$filter" --logger "console;verbosity=detailed" "$@" \
  -- xUnit.ParallelizeTestCollections=false 2>&1 | tee "$log" || status=$?

# Each test prints a line starting with "[quick]" or "[full]", continued by indented lines.
echo
echo "=== reliability figures ($JOBSERVER_RELIABILITY) ==="
awk '/^ \[(quick|full)\]/ { on = 1; print; next } on && /^   [^ ]/ { print; next } { on = 0 }' "$log"
exit "$status"
