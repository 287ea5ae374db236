#!/usr/bin/env bash
# Runs the benchmarks on servers of their own, each installed with apt-get if missing, started on a private port bound
# to 127.0.0.1, and stopped again at exit if this script started it: MariaDB for ours (database jobserver_bench,
# innodb_flush_log_at_trx_commit=1), PostgreSQL 15 for Hangfire.PostgreSql (fsync and synchronous_commit on; see
# scripts/pg.sh) and Redis for Hangfire.Redis.StackExchange (AOF, appendfsync everysec; see scripts/redis.sh).
# Hangfire.InMemory needs no server. Only the servers of the selected storages start (--storage NAME runs one).
#   scripts/bench.sh [all|bulk|enqueue|processing|latency|reads] [--storage NAME] [--repeats N] [--rows N] ... (--help)
# Environment: JOBSERVER_BENCH_DB_PORT (3389), JOBSERVER_BENCH_DB_DATADIR (.data/mariadb-bench),
#   JOBSERVER_BENCH_PG_PORT (5439), JOBSERVER_BENCH_PG_DATADIR (.data/pg-bench),
#   JOBSERVER_BENCH_REDIS_PORT (6389), JOBSERVER_BENCH_REDIS_DIR (.data/redis-bench).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/db.sh
source "$ROOT/scripts/db.sh"
# shellcheck source=scripts/pg.sh
source "$ROOT/scripts/pg.sh"
# shellcheck source=scripts/redis.sh
source "$ROOT/scripts/redis.sh"

DATADIR="${JOBSERVER_BENCH_DB_DATADIR:-$ROOT/.data/mariadb-bench}"
PORT="${JOBSERVER_BENCH_DB_PORT:-3389}"
PG_DIR="${JOBSERVER_BENCH_PG_DATADIR:-$ROOT/.data/pg-bench}"
PG_BENCH_PORT="${JOBSERVER_BENCH_PG_PORT:-5439}"
REDIS_BENCH_DIR="${JOBSERVER_BENCH_REDIS_DIR:-$ROOT/.data/redis-bench}"
REDIS_BENCH_PORT="${JOBSERVER_BENCH_REDIS_PORT:-6389}"
DB_STARTED=0 PG_STARTED=0 REDIS_STARTED=0
cleanup() {
  if ((DB_STARTED)); then DB_STARTED=0; db_stop "$DATADIR" || true; fi
  if ((PG_STARTED)); then PG_STARTED=0; pg_stop "$PG_DIR" || true; fi
  if ((REDIS_STARTED)); then REDIS_STARTED=0; redis_stop "$REDIS_BENCH_DIR" "$REDIS_BENCH_PORT" || true; fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

# The storage named by --storage, if any (default: every one, so every server).
STORAGE=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ ${args[i]} == --storage ]] && ((i + 1 < ${#args[@]})); then STORAGE=${args[i + 1]}; fi
  if [[ ${args[i]} == --ablations ]]; then STORAGE=JobServer.Storage.MySql; fi
  if [[ ${args[i]} == --help || ${args[i]} == -h ]]; then STORAGE=none; fi
done
# Our storage's ablations ("JobServer.Storage.MySql (…)") need its server too.
needs() { [[ -z $STORAGE || $STORAGE == "$1" || $STORAGE == "$1 ("* ]]; }

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
# Built before the servers start, so a build error costs no server start.
dotnet build -c Release bench/JobServer.Bench -v quiet -nologo | grep -Ev '^\s*$|Build succeeded|Warning\(s\)|Error\(s\)|Time Elapsed' || true
[[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "build failed" >&2; exit 1; }

if needs JobServer.Storage.MySql; then
  db_install_if_missing
  db_start "$DATADIR" "$PORT"
  db_root_sql "$DATADIR" <<'SQL'
CREATE DATABASE IF NOT EXISTS jobserver_bench CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'jobserver'@'127.0.0.1' IDENTIFIED BY 'jobserver';
GRANT ALL PRIVILEGES ON jobserver_bench.* TO 'jobserver'@'127.0.0.1';
SQL
  export ConnectionStrings__JobServer="Server=127.0.0.1;Port=$DB_PORT;Database=jobserver_bench;User ID=jobserver;Password=jobserver;CharSet=utf8mb4;SslMode=None;AllowLoadLocalInfile=true"
fi

if needs Hangfire.PostgreSql; then
  pg_install_if_missing
  pg_start "$PG_DIR" "$PG_BENCH_PORT"
  pg_root_sql <<'SQL'
SELECT 'CREATE ROLE jobserver LOGIN PASSWORD ''jobserver''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jobserver')\gexec
SELECT 'CREATE DATABASE jobserver_bench OWNER jobserver' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'jobserver_bench')\gexec
SQL
  # A pool big enough for 50 workers, each with its fetch and its long-polling LISTEN connection, and the clients.
  export JOBSERVER_BENCH_POSTGRESQL="Host=127.0.0.1;Port=$PG_PORT;Database=jobserver_bench;Username=jobserver;Password=jobserver;Maximum Pool Size=250"
fi

if needs Hangfire.Redis.StackExchange; then
  redis_install_if_missing
  redis_start "$REDIS_BENCH_DIR" "$REDIS_BENCH_PORT"
  export JOBSERVER_BENCH_REDIS="127.0.0.1:$REDIS_PORT"
fi

dotnet bench/JobServer.Bench/bin/Release/net10.0/JobServer.Bench.dll "$@"
