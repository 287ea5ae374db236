#!/usr/bin/env bash
# Helpers for a private, per-checkout PostgreSQL 15 instance (the benchmark's Hangfire.PostgreSql peer). Source this
# file after scripts/db.sh (for db_apt_install); it only defines functions.
#
# After pg_start these globals describe the instance:
#   PG_DATADIR  absolute data directory (its unix socket lives in it, or in /tmp when the path is too long)
#   PG_SOCKDIR  directory of the unix socket (the superuser "postgres" connects there without a password)
#   PG_PORT     TCP port on 127.0.0.1 (clients use it with a password)
#   PG_STARTED  1 if pg_start launched the server, 0 if it reused a running one (callers stop only what they started)
# PostgreSQL refuses to run as root: as root the server runs as the "postgres" OS user (the package creates it),
# owning the data dir. Durability as shipped: fsync=on, synchronous_commit=on (named on the command line all the same).
# shellcheck disable=SC2034  # the globals above are read by the sourcing scripts

PG_VERSION="${PG_VERSION:-15}"
PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
PG_DEADLINE="${PG_DEADLINE:-60}"

_pg_log() { printf '[pg] %s\n' "$*" >&2; }
_pg_err() { printf '[pg] ERROR: %s\n' "$*" >&2; }

# Runs a PostgreSQL program as the data dir's owner: "postgres" when we are root, else ourselves.
_pg_as_owner() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_install_if_missing() {
  [[ -x $PG_BIN/postgres && -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl && -x $PG_BIN/psql ]] && return 0
  db_apt_install "postgresql-$PG_VERSION" || return 1
  [[ -x $PG_BIN/postgres ]] || { _pg_err "$PG_BIN/postgres still missing after install"; return 1; }
}

# Unix socket paths are limited to ~107 bytes (the file is .s.PGSQL.<port> in this directory).
pg_sockdir() {
  local datadir=$1
  if ((${#datadir} > 90)); then
    printf '%s\n' "${TMPDIR:-/tmp}/jobserver-pg-$(printf '%s' "$datadir" | md5sum | cut -c1-12)"
  else
    printf '%s\n' "$datadir"
  fi
}

_pg_ready() { "$PG_BIN/pg_isready" -q -h "$1" -p "$2" >/dev/null 2>&1; }

# Runs SQL as the superuser through the socket: pg_root_sql "<sql>" (without <sql>: reads stdin). Unaligned, tuples only.
pg_root_sql() {
  local -a cmd=("$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG_SOCKDIR" -p "$PG_PORT" -U postgres -d postgres)
  if (($# >= 1)); then _pg_as_owner "${cmd[@]}" -c "$1"; else _pg_as_owner "${cmd[@]}"; fi
}

# First-time initialisation into a temporary directory renamed only on success (no half-initialised data dir).
_pg_init_datadir() {
  local datadir=$1 tmp="$1.init" log
  [[ -f $datadir/PG_VERSION ]] && return 0
  if [[ -d $datadir ]] && [[ -n "$(ls -A "$datadir")" ]]; then
    _pg_err "$datadir is not empty but has no PG_VERSION; move it away or delete it"
    return 1
  fi
  _pg_log "initialising $datadir"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  [[ $EUID -eq 0 ]] && chown postgres:postgres "$tmp"
  log="$(mktemp)"
  chmod 644 "$log"
  if ! _pg_as_owner "$PG_BIN/initdb" -D "$tmp" -U postgres --encoding=UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >"$log" 2>&1; then
    cat "$log" >&2
    rm -rf "$tmp" "$log"
    _pg_err "initdb failed (output above)"
    return 1
  fi
  rm -f "$log"
  rmdir "$datadir" 2>/dev/null || true
  mv "$tmp" "$datadir"
}

# pg_start <absolute datadir> <port>: reuse the instance on this data dir if it answers, else start one.
pg_start() {
  local datadir=${1:?datadir} port=${2:?port}
  [[ $datadir == /* ]] || { _pg_err "data dir must be an absolute path: $datadir"; return 1; }
  PG_DATADIR=$datadir
  PG_SOCKDIR="$(pg_sockdir "$datadir")"
  PG_PORT=$port
  PG_STARTED=0
  mkdir -p "$(dirname "$datadir")"
  if _pg_ready "$PG_SOCKDIR" "$port"; then
    _pg_log "reusing running PostgreSQL on $datadir (port $port); it will be left running"
    return 0
  fi
  _pg_init_datadir "$datadir" || return 1
  mkdir -p "$PG_SOCKDIR"
  [[ $EUID -eq 0 ]] && chown postgres:postgres "$PG_SOCKDIR"
  _pg_log "starting PostgreSQL $PG_VERSION on 127.0.0.1:$port (data: $datadir)"
  # setsid: own session, so a terminal Ctrl-C reaches our trap, not the server. pg_ctl -w returns once it accepts connections.
  if ! _pg_as_owner setsid --wait "$PG_BIN/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w -t "$PG_DEADLINE" \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$PG_SOCKDIR -c fsync=on -c synchronous_commit=on -c max_connections=300" \
    start </dev/null >/dev/null 2>&1; then
    tail -n 20 "$datadir/server.log" >&2 2>/dev/null || true
    _pg_err "PostgreSQL did not start (log above)"
    return 1
  fi
  PG_STARTED=1
  _pg_log "PostgreSQL is up (pid $(head -n 1 "$datadir/postmaster.pid" 2>/dev/null))"
}

# pg_stop <datadir>: fast shutdown (open sessions are ended, committed work is on disk). Succeeds when nothing runs.
pg_stop() {
  local datadir=${1:?datadir}
  [[ -f $datadir/postmaster.pid ]] || return 0
  _pg_log "stopping PostgreSQL on $datadir"
  _pg_as_owner "$PG_BIN/pg_ctl" -D "$datadir" -m fast -w -t "$PG_DEADLINE" stop >/dev/null 2>&1 || _pg_err "pg_ctl stop failed on $datadir"
}
