#!/usr/bin/env bash
# Runs the benchmarks on the run command's MariaDB instance, in a database of their own (jobserver_bench), so the
# cases can empty tables freely without touching the development data.
#   scripts/bench.sh [bulk] [--rows N] [--repeats N]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/db.sh
source "$ROOT/scripts/db.sh"

DATADIR="$ROOT/.data/mariadb"
DB_STARTED=0
cleanup() { if ((DB_STARTED)); then DB_STARTED=0; db_stop "$DATADIR" || true; fi; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

db_install_if_missing
db_start "$DATADIR" "${JOBSERVER_DB_PORT:-3307}"
db_root_sql "$DATADIR" <<'SQL'
CREATE DATABASE IF NOT EXISTS jobserver_bench CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'jobserver'@'127.0.0.1' IDENTIFIED BY 'jobserver';
GRANT ALL PRIVILEGES ON jobserver_bench.* TO 'jobserver'@'127.0.0.1';
SQL
export ConnectionStrings__JobServer="Server=127.0.0.1;Port=$DB_PORT;Database=jobserver_bench;User ID=jobserver;Password=jobserver;CharSet=utf8mb4;SslMode=None;AllowLoadLocalInfile=true"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet run -c Release --project bench/JobServer.Bench -- "$@"
