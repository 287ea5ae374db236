#!/usr/bin/env bash
# The long chaos soak (issue 14): three JobServer processes x 20 workers on one MariaDB run a mixed workload
# (fire-and-forget, scheduled, per-second recurring, continuations, random failures with retries, deletes while
# running, bulk inserts, jobs longer than the invisibility timeout) while a random process is SIGKILLed every
# 30-90 s and started again, and MariaDB is restarted once. Then everything is checked (see
# JobServer.Tests/Reliability/SoakTests.cs) and the figures are printed and written to docs/soak.json.
# The same test runs for a minute in the normal suite (scripts/test.sh).
#   scripts/soak.sh [--minutes N]     (default 10)
# MariaDB: a private instance of its own (.data/mariadb-soak-long, or JOBSERVER_SOAK_DB_DATADIR), installed from apt
# when missing, on a free port; started and stopped by the test (it restarts it mid-run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/db.sh
source "$ROOT/scripts/db.sh"

minutes=10
while (($# > 0)); do
  case $1 in
    --minutes) minutes=${2:?--minutes needs a number}; shift 2 ;;
    --minutes=*) minutes=${1#--minutes=}; shift ;;
    *) echo "usage: scripts/soak.sh [--minutes N]" >&2; exit 2 ;;
  esac
done
[[ $minutes =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "--minutes: not a number: $minutes" >&2; exit 2; }

db_install_if_missing
export JOBSERVER_SOAK_MINUTES="$minutes"
export JOBSERVER_SOAK_DB_DATADIR="${JOBSERVER_SOAK_DB_DATADIR:-$ROOT/.data/mariadb-soak-long}"
export JOBSERVER_SOAK_REPORT="$ROOT/docs/soak.json"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
dotnet build JobServer.sln -c Release -v quiet -nologo
status=0
dotnet test JobServer.Tests -c Release --no-build --filter "FullyQualifiedName~Reliability.SoakTests" \
  --logger "console;verbosity=detailed" 2>&1 | tee "$log" || status=$?

echo
echo "=== soak figures ($minutes min) -> docs/soak.json ==="
if [[ -s $JOBSERVER_SOAK_REPORT ]] && grep -q '"scale": "long"' "$JOBSERVER_SOAK_REPORT"; then
  cat "$JOBSERVER_SOAK_REPORT"
else
  echo "no report written (the test failed before its figures; see above)"
fi
exit "$status"
