#!/usr/bin/env bash
# Runs JobServer locally: private MariaDB (started unless ConnectionStrings__JobServer is set),
# Release build, then the app. Ctrl-C stops the app, then the database if this script started it.
#   scripts/run.sh [--urls URL] [extra app args...]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/db.sh
source "$ROOT/scripts/db.sh"

URLS="${JOBSERVER_URLS:-http://127.0.0.1:5080}"
APP_ARGS=()
while (($#)); do
  case "$1" in
    --urls)
      (($# >= 2)) || { echo "run.sh: --urls needs a value" >&2; exit 2; }
      URLS=$2
      shift 2
      ;;
    --urls=*) URLS=${1#--urls=}; shift ;;
    *) APP_ARGS+=("$1"); shift ;;
  esac
done

DATADIR="$ROOT/.data/mariadb"
DB_STARTED=0
APP_PID=""
CLEANED=0

# shellcheck disable=SC2317  # only reached through the traps below
cleanup() {
  ((CLEANED)) && return 0
  CLEANED=1
  if [[ -n $APP_PID ]] && kill -0 -- "-$APP_PID" 2>/dev/null; then
    echo "Stopping JobServer..." >&2
    # The app runs in its own process group (setsid): signal dotnet run and the app it spawned.
    kill -TERM -- "-$APP_PID" 2>/dev/null || true
    local deadline=$((SECONDS + 20))
    while kill -0 -- "-$APP_PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.25; done
    kill -KILL -- "-$APP_PID" 2>/dev/null || true
  fi
  if ((DB_STARTED)); then
    db_stop "$DATADIR" || true
  fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

if [[ -n ${ConnectionStrings__JobServer:-} ]]; then
  # The caller brings their own database.
  echo "Using ConnectionStrings__JobServer from the environment; not starting MariaDB." >&2
  DB_DESC="from ConnectionStrings__JobServer"
else
  db_install_if_missing
  db_start "$DATADIR" "${JOBSERVER_DB_PORT:-3307}"
  # Idempotent; ALTER USER re-asserts the password if the account already existed.
  db_root_sql "$DATADIR" <<'SQL'
CREATE DATABASE IF NOT EXISTS jobserver CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'jobserver'@'127.0.0.1' IDENTIFIED BY 'jobserver';
CREATE USER IF NOT EXISTS 'jobserver'@'localhost' IDENTIFIED BY 'jobserver';
ALTER USER 'jobserver'@'127.0.0.1' IDENTIFIED BY 'jobserver';
ALTER USER 'jobserver'@'localhost' IDENTIFIED BY 'jobserver';
GRANT ALL PRIVILEGES ON jobserver.* TO 'jobserver'@'127.0.0.1';
GRANT ALL PRIVILEGES ON jobserver.* TO 'jobserver'@'localhost';
SQL
  export ConnectionStrings__JobServer="Server=127.0.0.1;Port=$DB_PORT;Database=jobserver;User ID=jobserver;Password=jobserver;CharSet=utf8mb4;SslMode=None;AllowLoadLocalInfile=true"
  DB_DESC="MariaDB 127.0.0.1:$DB_PORT/jobserver (data in .data/mariadb)"
  ((DB_STARTED)) || DB_DESC="$DB_DESC, already running: left running on exit"
fi

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

echo "Building JobServer (Release)..." >&2
dotnet build JobServer/JobServer.csproj -c Release -nologo -v q

# First URL of a ';'-separated list, with wildcard hosts shown as 127.0.0.1.
BASE="${URLS%%;*}"
BASE="$(printf '%s' "$BASE" | sed -E 's#://(\*|\+|0\.0\.0\.0|\[::\])(:|/|$)#://127.0.0.1\2#; s#/+$##')"

cat <<EOF

JobServer is starting:
  Dashboard:  $BASE/hangfire   (Hangfire's dashboard; Bulk inserts page in its menu)
  API:        $BASE/api/jobs   (also $BASE/api/stats, $BASE/api/servers)
  Health:     $BASE/health
  Try:        curl -X POST $BASE/api/jobs -H 'Content-Type: application/json' -d '{"type":"sleep","args":{"ms":500}}'
              curl -X POST $BASE/api/bulk-insert -H 'Content-Type: application/json' -d '{"rows":1000000,"project":"p1"}'
              curl -X POST $BASE/api/jobs -H 'Content-Type: application/json' -d '{"type":"fail","args":{"message":"boom"}}'
  Database:   $DB_DESC
  Stop:       Ctrl-C

EOF

# Own process group (setsid) so cleanup can stop dotnet run and the app it spawns together,
# also when this script gets TERM rather than a terminal Ctrl-C; `wait` returns as soon as a
# trapped signal arrives.
setsid dotnet run --project JobServer/JobServer.csproj -c Release --no-build -- --urls "$URLS" "${APP_ARGS[@]}" &
APP_PID=$!
status=0
wait "$APP_PID" || status=$?
exit "$status"
