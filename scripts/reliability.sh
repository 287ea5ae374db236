#!/usr/bin/env bash
# The reliability tests at full scale: kill -9 of a JobServer process during a 1,000,000-row bulk insert and during
# 2,000 sleep jobs, MariaDB stopped for 10 s under HTTP enqueue and processing, 20 HTTP clients × 1,000 jobs over
# loopback. The same tests run small in scripts/test.sh; JOBSERVER_RELIABILITY=full sizes them up. Each prints its
# figures. They run one at a time (the figures would be skewed by each other), on a MariaDB instance of their own
# (.data/mariadb-reliability, port 3347), since the outage test stops and starts it. A few minutes.
#   scripts/reliability.sh [part of a test name, e.g. Outage] [extra dotnet test args...]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JOBSERVER_RELIABILITY=full
export JOBSERVER_TEST_DB_DATADIR="$ROOT/.data/mariadb-reliability"
export JOBSERVER_TEST_DB_PORT="${JOBSERVER_RELIABILITY_DB_PORT:-3347}"
filter="Category=Reliability"
if (($# > 0)) && [[ $1 != -* ]]; then
  filter+="&FullyQualifiedName~$1"
  shift
fi
exec "$ROOT/scripts/test.sh" --filter "$filter" --logger "console;verbosity=detailed" "$@" \
  -- xUnit.ParallelizeTestCollections=false
