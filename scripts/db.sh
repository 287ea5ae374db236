#!/usr/bin/env bash
# Helpers for a private, per-checkout MariaDB instance. Source this file; it only defines functions.
#
# After db_start these globals describe the instance:
#   DB_DATADIR  absolute data directory
#   DB_SOCKET   unix socket (root connects here without a password)
#   DB_PORT     TCP port on 127.0.0.1 (the real one, even when an instance was reused)
#   DB_STARTED  1 if db_start launched the server, 0 if it reused a running one
#               (callers stop only what they started).
# shellcheck disable=SC2034  # the globals above are read by the sourcing scripts

# Startup / shutdown deadline in seconds.
DB_DEADLINE="${DB_DEADLINE:-60}"

_db_log() { printf '[db] %s\n' "$*" >&2; }
_db_err() { printf '[db] ERROR: %s\n' "$*" >&2; }

# mariadbd lives in /usr/sbin, which a non-root PATH often lacks.
_db_fix_path() {
  case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH="$PATH:/usr/sbin" ;; esac
  case ":$PATH:" in *:/sbin:*) ;; *) PATH="$PATH:/sbin" ;; esac
  export PATH
}

# Quiet apt install that still shows everything when it fails.
# Waits for a dpkg lock held by another apt run instead of failing at once.
db_apt_install() {
  local -a sudo=()
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null || { _db_err "need root or sudo to install: $*"; return 1; }
    sudo=(sudo)
  fi
  local log
  log="$(mktemp)"
  _db_log "installing $* (apt-get)..."
  local -a apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=600)
  if ! "${apt[@]}" update >"$log" 2>&1 || ! "${apt[@]}" install -y "$@" >>"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    _db_err "apt-get install $* failed (output above)"
    return 1
  fi
  rm -f "$log"
}

db_install_if_missing() {
  _db_fix_path
  local tool missing=0
  for tool in mariadbd mariadb mariadb-admin mariadb-install-db; do
    command -v "$tool" >/dev/null || missing=1
  done
  ((missing)) || return 0
  db_apt_install mariadb-server mariadb-client || return 1
  hash -r
  command -v mariadbd >/dev/null || { _db_err "mariadbd still not found after install"; return 1; }
}

# Unix socket paths are limited to ~107 bytes; deep checkouts fall back to a stable path in /tmp
# (derived from the data dir, so a second invocation finds the same socket).
db_socket() {
  local datadir=$1 sock="$1/mysqld.sock"
  if ((${#sock} > 100)); then
    sock="${TMPDIR:-/tmp}/jobserver-mariadb-$(printf '%s' "$datadir" | md5sum | cut -c1-12).sock"
  fi
  printf '%s\n' "$sock"
}

# --no-defaults everywhere: neither /etc/mysql/*.cnf nor a developer's ~/.my.cnf may change
# what these instances do or which credentials the clients send.
_db_ping() { mariadb-admin --no-defaults --socket="$1" -uroot --connect-timeout=2 ping >/dev/null 2>&1; }

# Prints the server pid from the pid file if that process is alive and is a MariaDB server.
_db_live_pid() {
  local pid
  pid="$(cat "$1/mysqld.pid" 2>/dev/null)" || return 1
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  case "$(cat "/proc/$pid/comm" 2>/dev/null)" in mariadbd | mysqld) printf '%s\n' "$pid" ;; *) return 1 ;; esac
}

_db_show_logs() {
  local f
  for f in "$1/console.log" "$1/error.log"; do
    [[ -s $f ]] || continue
    printf -- '--- last lines of %s ---\n' "$f" >&2
    tail -n 20 "$f" >&2
  done
}

# Runs SQL as root through the socket: db_root_sql <datadir> "<sql>"  (without <sql>: reads stdin).
# Output is tab-separated, no column names.
db_root_sql() {
  local datadir=$1
  local -a cmd=(mariadb --no-defaults --socket="$(db_socket "$datadir")" -uroot --batch --skip-column-names --raw)
  if (($# >= 2)); then "${cmd[@]}" -e "$2"; else "${cmd[@]}"; fi
}

# First-time initialisation into a temporary directory that is renamed only on success, so an
# interrupted or failed init never leaves a half-initialised data dir that looks usable.
_db_init_datadir() {
  local datadir=$1 tmp="$1.init" log
  [[ -d $datadir/mysql ]] && return 0
  if [[ -d $datadir ]] && [[ -n "$(ls -A "$datadir")" ]]; then
    _db_err "$datadir is not empty but has no mysql/ system schema; move it away or delete it"
    return 1
  fi
  _db_log "initialising $datadir"
  rm -rf "$tmp"
  log="$(mktemp)"
  if ! mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$tmp" \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve >"$log" 2>&1; then
    cat "$log" >&2
    rm -rf "$tmp" "$log"
    _db_err "mariadb-install-db failed (output above)"
    return 1
  fi
  rm -f "$log"
  rmdir "$datadir" 2>/dev/null || true
  mv "$tmp" "$datadir"
}

# db_start <absolute datadir> <port>: reuse the instance on this data dir if it answers, else start one.
db_start() {
  local datadir=${1:?datadir} port=${2:?port}
  _db_fix_path
  [[ $datadir == /* ]] || { _db_err "data dir must be an absolute path: $datadir"; return 1; }
  DB_DATADIR=$datadir
  DB_SOCKET="$(db_socket "$datadir")"
  DB_PORT=$port
  DB_STARTED=0
  mkdir -p "$(dirname "$datadir")"

  # Serialise concurrent invocations on the same data dir (e.g. two terminals at once).
  local lock_fd rc=0
  exec {lock_fd}>"$datadir.lock"
  flock "$lock_fd"
  _db_start_locked "$datadir" "$port" "$lock_fd" || rc=$?
  exec {lock_fd}>&-
  return "$rc"
}

_db_start_locked() {
  local datadir=$1 port=$2 lock_fd=$3 pid deadline
  deadline=$((SECONDS + DB_DEADLINE))

  # A server process on this data dir that does not answer yet may still be starting.
  if ! _db_ping "$DB_SOCKET" && pid="$(_db_live_pid "$datadir")"; then
    _db_log "server pid $pid on $datadir is not answering yet; waiting"
    while ! _db_ping "$DB_SOCKET" && kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
    if ! _db_ping "$DB_SOCKET" && kill -0 "$pid" 2>/dev/null; then
      _db_show_logs "$datadir"
      _db_err "pid $pid holds $datadir but does not answer on $DB_SOCKET"
      return 1
    fi
  fi

  if _db_ping "$DB_SOCKET"; then
    local actual
    actual="$(db_root_sql "$datadir" 'SELECT @@port')" || return 1
    if [[ $actual != "$port" ]]; then
      _db_log "WARNING: running instance listens on port $actual, not $port; using $actual"
      DB_PORT=$actual
    fi
    _db_log "reusing running MariaDB on $datadir (port $DB_PORT); it will be left running"
    return 0
  fi

  local fresh=0
  [[ -d $datadir/mysql ]] || fresh=1
  _db_init_datadir "$datadir" || return 1

  _db_log "starting MariaDB on 127.0.0.1:$port (data: $datadir)"
  # setsid: own session, so a terminal Ctrl-C reaches our trap, not the server.
  # The lock fd is closed for the server, otherwise it would hold the lock for its lifetime.
  setsid nohup mariadbd --no-defaults \
    --user="$(id -un)" \
    --datadir="$datadir" \
    --socket="$DB_SOCKET" \
    --port="$port" \
    --bind-address=127.0.0.1 \
    --skip-name-resolve \
    --pid-file="$datadir/mysqld.pid" \
    --log-error="$datadir/error.log" \
    --innodb-buffer-pool-size=512M \
    --max-connections=2000 \
    --open-files-limit=8192 \
    --innodb-flush-log-at-trx-commit=1 \
    --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_unicode_ci \
    --local-infile=1 \
    </dev/null >"$datadir/console.log" 2>&1 {lock_fd}>&- &
  pid=$!

  until _db_ping "$DB_SOCKET"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      _db_show_logs "$datadir"
      _db_err "mariadbd exited during startup (see log above)"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      kill "$pid" 2>/dev/null || true
      _db_show_logs "$datadir"
      _db_err "mariadbd did not answer within ${DB_DEADLINE}s"
      return 1
    fi
    sleep 0.25
  done
  DB_STARTED=1
  _db_log "MariaDB is up (pid $pid)"
  if ((fresh)); then
    # mariadb-install-db also creates password-less root@127.0.0.1/::1/<hostname>; keep only
    # root@localhost, which is reachable through the socket alone.
    db_root_sql "$datadir" <<'SQL' || return 1
SET @drop = (SELECT GROUP_CONCAT(CONCAT(QUOTE(user), '@', QUOTE(host))) FROM mysql.user WHERE user = 'root' AND host <> 'localhost');
SET @drop = IF(@drop IS NULL, 'DO 0', CONCAT('DROP USER ', @drop));
EXECUTE IMMEDIATE @drop;
SQL
  fi
}

# db_stop <datadir>: graceful shutdown via the socket; falls back to signals on the pid.
# Succeeds when nothing is running (tests may already have stopped it).
db_stop() {
  local datadir=${1:?datadir} sock pid deadline
  _db_fix_path
  sock="$(db_socket "$datadir")"
  pid="$(_db_live_pid "$datadir")" || pid=""
  if _db_ping "$sock"; then
    _db_log "stopping MariaDB on $datadir"
    # mariadb-admin shutdown waits until the server has removed its pid file.
    mariadb-admin --no-defaults --socket="$sock" -uroot --shutdown-timeout="$DB_DEADLINE" shutdown >/dev/null 2>&1 || true
  fi
  [[ -n $pid ]] || return 0
  deadline=$((SECONDS + DB_DEADLINE))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    _db_log "graceful shutdown timed out; sending TERM to $pid"
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      _db_err "mariadbd $pid ignored TERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
}
