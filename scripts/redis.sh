#!/usr/bin/env bash
# Helpers for a private, per-checkout Redis instance (the benchmark's Hangfire.Redis.StackExchange peer). Source this
# file after scripts/db.sh (for db_apt_install); it only defines functions.
#
# After redis_start these globals describe the instance:
#   REDIS_DIR      absolute data directory (AOF, log, pid file)
#   REDIS_PORT     TCP port on 127.0.0.1
#   REDIS_STARTED  1 if redis_start launched the server, 0 if it reused a running one (callers stop only what they started)
# Durability: appendonly yes with appendfsync everysec (Redis's own recommended setting: at most a second of writes
# lost on a crash), no RDB snapshots (a fork while measuring would show in the figures). Both are read back from the
# server into the benchmark's report.
# shellcheck disable=SC2034  # the globals above are read by the sourcing scripts

REDIS_DEADLINE="${REDIS_DEADLINE:-60}"

_redis_log() { printf '[redis] %s\n' "$*" >&2; }
_redis_err() { printf '[redis] ERROR: %s\n' "$*" >&2; }

_redis_ping() { [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == PONG ]]; }

redis_install_if_missing() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  db_apt_install redis-server || return 1
  hash -r
  command -v redis-server >/dev/null || { _redis_err "redis-server still not found after install"; return 1; }
}

# redis_start <absolute dir> <port>: reuse the instance answering on the port if its dir is this one, else start one.
redis_start() {
  local dir=${1:?dir} port=${2:?port} pid deadline actual
  [[ $dir == /* ]] || { _redis_err "data dir must be an absolute path: $dir"; return 1; }
  REDIS_DIR=$dir
  REDIS_PORT=$port
  REDIS_STARTED=0
  mkdir -p "$dir"
  if _redis_ping "$port"; then
    actual="$(redis-cli -h 127.0.0.1 -p "$port" config get dir | sed -n 2p)"
    if [[ $actual != "$dir" ]]; then
      _redis_err "port $port is taken by a Redis on $actual, not $dir"
      return 1
    fi
    _redis_log "reusing running Redis on $dir (port $port); it will be left running"
    return 0
  fi
  _redis_log "starting Redis on 127.0.0.1:$port (data: $dir)"
  # setsid: own session, so a terminal Ctrl-C reaches our trap, not the server. No config file: only these settings.
  setsid nohup redis-server --port "$port" --bind 127.0.0.1 --protected-mode yes \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --daemonize no \
    --appendonly yes --appendfsync everysec --save "" \
    </dev/null >"$dir/console.log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + REDIS_DEADLINE))
  until _redis_ping "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$dir/redis.log" "$dir/console.log" >&2 2>/dev/null || true
      _redis_err "redis-server exited during startup (see log above)"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      kill "$pid" 2>/dev/null || true
      _redis_err "redis-server did not answer within ${REDIS_DEADLINE}s"
      return 1
    fi
    sleep 0.1
  done
  REDIS_STARTED=1
  _redis_log "Redis is up (pid $pid)"
}

# redis_stop <dir> <port>: SHUTDOWN (the AOF is flushed first); falls back to signals on the pid from the pid file.
redis_stop() {
  local dir=${1:?dir} port=${2:?port} pid deadline
  pid="$(cat "$dir/redis.pid" 2>/dev/null)" || pid=""
  if _redis_ping "$port"; then
    _redis_log "stopping Redis on $dir"
    redis-cli -h 127.0.0.1 -p "$port" shutdown >/dev/null 2>&1 || true
  fi
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  deadline=$((SECONDS + REDIS_DEADLINE))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    _redis_err "redis-server $pid did not stop; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
}
