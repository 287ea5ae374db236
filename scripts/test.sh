#!/usr/bin/env bash
# Runs the whole test suite from nothing: installs MariaDB and chromium when missing, starts a
# separate test MariaDB instance, runs `dotnet test`, stops the instance if it started it.
#   scripts/test.sh [extra dotnet test args...]
# JOBSERVER_TEST_DB_PORT (3317) and JOBSERVER_TEST_DB_DATADIR (.data/mariadb-test) choose the instance.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/db.sh
source "$ROOT/scripts/db.sh"

DATADIR="${JOBSERVER_TEST_DB_DATADIR:-$ROOT/.data/mariadb-test}"
DB_STARTED=0

# shellcheck disable=SC2317  # only reached through the traps below
cleanup() {
  if ((DB_STARTED)); then
    DB_STARTED=0
    db_stop "$DATADIR" || true
  fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

db_install_if_missing
# Browser tests drive Debian's chromium; installing it up front keeps this command stable.
if [[ ! -x /usr/bin/chromium ]]; then
  db_apt_install chromium
fi

db_start "$DATADIR" "${JOBSERVER_TEST_DB_PORT:-3317}"

# Tests create uniquely named databases jobserver_t_<something>; this account may only touch those.
# (In GRANT, `_` and `%` are wildcards, so the literal underscores are escaped.)
db_root_sql "$DATADIR" <<'SQL'
CREATE USER IF NOT EXISTS 'jobserver_test'@'127.0.0.1' IDENTIFIED BY 'jobserver_test';
CREATE USER IF NOT EXISTS 'jobserver_test'@'localhost' IDENTIFIED BY 'jobserver_test';
ALTER USER 'jobserver_test'@'127.0.0.1' IDENTIFIED BY 'jobserver_test';
ALTER USER 'jobserver_test'@'localhost' IDENTIFIED BY 'jobserver_test';
GRANT ALL PRIVILEGES ON `jobserver\_t\_%`.* TO 'jobserver_test'@'127.0.0.1';
GRANT ALL PRIVILEGES ON `jobserver\_t\_%`.* TO 'jobserver_test'@'localhost';
SQL

# Drop databases that earlier (crashed or interrupted) runs left behind.
leftovers="$(db_root_sql "$DATADIR" "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'jobserver\\_t\\_%'")"
if [[ -n $leftovers ]]; then
  echo "Dropping $(wc -l <<<"$leftovers") leftover test database(s)" >&2
  while IFS= read -r name; do
    [[ -n $name ]] || continue
    db_root_sql "$DATADIR" "DROP DATABASE IF EXISTS \`${name//\`/\`\`}\`"
  done <<<"$leftovers"
fi

export JOBSERVER_TEST_DB="Server=127.0.0.1;Port=$DB_PORT;User ID=jobserver_test;Password=jobserver_test;CharSet=utf8mb4;SslMode=None;AllowLoadLocalInfile=true"
# For fault tests that stop and restart the database (root connects via the socket, no password).
export JOBSERVER_TEST_DB_DATADIR="$DATADIR"
export JOBSERVER_TEST_DB_SOCKET="$DB_SOCKET"
export JOBSERVER_TEST_DB_PORT="$DB_PORT"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

status=0
dotnet test JobServer.sln -c Release "$@" || status=$?
exit "$status"
