# Starts a throwaway PostgreSQL cluster for the storage tests and exports CHATINTEGRATIONS_PG.
#
#   source tests/pg-dev.sh        # start it (prints the connection string)
#   dotnet test tests/ChatIntegrations.Storage.Tests
#   pg_dev_stop                   # stop it and delete its folder
#
# Uses /usr/lib/postgresql/15/bin when present (installs postgresql-15 with apt-get as root when no server is
# installed). As root, the server runs as the user `ciuser` (created when missing), since PostgreSQL refuses root.
# The cluster trusts loopback connections, listens on a free port of 127.0.0.1 only, and runs with fsync off.

pg_dev_stop() {
  if [ -n "${PG_DEV_DIR:-}" ] && [ -d "$PG_DEV_DIR" ]; then
    ${PG_DEV_AS:-} "$PG_DEV_BIN/pg_ctl" -D "$PG_DEV_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DEV_DIR"
  fi
  unset PG_DEV_DIR PG_DEV_BIN PG_DEV_AS CHATINTEGRATIONS_PG CHATINTEGRATIONS_PG_BIN CHATINTEGRATIONS_PG_DATA CHATINTEGRATIONS_PG_USER
}

pg_dev_start() {
  local bin user port dir
  bin=/usr/lib/postgresql/15/bin
  if [ ! -x "$bin/initdb" ]; then
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    if [ "$(id -u)" -ne 0 ]; then echo "pg-dev: no PostgreSQL server installed (apt-get install postgresql-15)" >&2; return 1; fi
    echo "pg-dev: installing PostgreSQL" >&2
    (apt-get update -qq && (apt-get install -y -qq postgresql-15 || apt-get install -y -qq postgresql)) >&2 || { echo "pg-dev: install failed" >&2; return 1; }
    bin=/usr/lib/postgresql/15/bin
    [ -x "$bin/initdb" ] || bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -x "$bin/initdb" ] || { echo "pg-dev: initdb not found after install" >&2; return 1; }
  fi

  PG_DEV_AS=""
  if [ "$(id -u)" -eq 0 ]; then
    user=ciuser
    id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user" || { echo "pg-dev: cannot create user $user" >&2; return 1; }
    PG_DEV_AS="runuser -u $user --"
  fi

  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null)
  if [ -z "$port" ]; then
    port=55432
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  fi

  dir=$(mktemp -d "${TMPDIR:-/tmp}/chatintegrations-pg.XXXXXX") || return 1
  [ -n "$PG_DEV_AS" ] && chown "$user" "$dir"
  PG_DEV_DIR=$dir
  PG_DEV_BIN=$bin
  export PG_DEV_DIR PG_DEV_BIN PG_DEV_AS

  if ! $PG_DEV_AS "$bin/initdb" -D "$dir/data" -U ciuser --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1; then
    echo "pg-dev: initdb failed:" >&2; cat "$dir/initdb.log" >&2; pg_dev_stop; return 1
  fi
  if ! $PG_DEV_AS "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null; then
    echo "pg-dev: server did not start:" >&2; cat "$dir/server.log" >&2; pg_dev_stop; return 1
  fi
  if ! $PG_DEV_AS "$bin/createdb" -h 127.0.0.1 -p "$port" -U ciuser chat_integrations_tests; then
    echo "pg-dev: createdb failed" >&2; pg_dev_stop; return 1
  fi

  export CHATINTEGRATIONS_PG="Host=127.0.0.1;Port=$port;Username=ciuser;Database=chat_integrations_tests"
  # For the fault tests (tests/ChatIntegrations.FaultTests): the server binaries (pg_ctl, initdb), the data folder,
  # and the OS user the server runs as when the shell is root.
  export CHATINTEGRATIONS_PG_BIN="$bin" CHATINTEGRATIONS_PG_DATA="$dir/data" CHATINTEGRATIONS_PG_USER="${user:-}"
  echo "pg-dev: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port; CHATINTEGRATIONS_PG=$CHATINTEGRATIONS_PG (pg_dev_stop to remove)" >&2
}

pg_dev_start
