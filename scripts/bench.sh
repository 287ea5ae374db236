#!/usr/bin/env bash
# Runs the benchmarks on a MariaDB instance of their own (installed with apt-get if missing, started on a private
# port, stopped again at exit if this script started it), in a database of their own (jobserver_bench), so the cases
# can empty tables freely without touching development or test data.
#   scripts/bench.sh [all|bulk|enqueue|processing|latency|reads] [--repeats N] [--rows N] [--jobs N] ... (--help)
# Environment: JOBSERVER_BENCH_DB_PORT (default 3389), JOBSERVER_BENCH_DB_DATADIR (default .data/mariadb-bench).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/db.sh
source "$ROOT/scripts/db.sh"

DATADIR="${JOBSERVER_BENCH_DB_DATADIR:-$ROOT/.data/mariadb-bench}"
PORT="${JOBSERVER_BENCH_DB_PORT:-3389}"
DB_STARTED=0
cleanup() { if ((DB_STARTED)); then DB_STARTED=0; db_stop "$DATADIR" || true; fi; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
# Built before the database starts, so a build error costs no database start.
dotnet build -c Release bench/JobServer.Bench -v quiet -nologo | grep -Ev '^\s*$|Build succeeded|Warning\(s\)|Error\(s\)|Time Elapsed' || true
[[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "build failed" >&2; exit 1; }

db_install_if_missing
db_start "$DATADIR" "$PORT"
db_root_sql "$DATADIR" <<'SQL'
CREATE DATABASE IF NOT EXISTS jobserver_bench CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'jobserver'@'127.0.0.1' IDENTIFIED BY 'jobserver';
GRANT ALL PRIVILEGES ON jobserver_bench.* TO 'jobserver'@'127.0.0.1';
SQL
export ConnectionStrings__JobServer="Server=127.0.0.1;Port=$DB_PORT;Database=jobserver_bench;User ID=jobserver;Password=jobserver;CharSet=utf8mb4;SslMode=None;AllowLoadLocalInfile=true"
dotnet bench/JobServer.Bench/bin/Release/net10.0/JobServer.Bench.dll "$@"
