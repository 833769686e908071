#!/usr/bin/env bash
# Makes sure MariaDB/MySQL and Redis answer on the configured ports; starts the local ones if not.
set -euo pipefail
DB_HOST="${DB_HOST:-127.0.0.1}"; DB_PORT="${DB_PORT:-3306}"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"; REDIS_PORT="${REDIS_PORT:-6379}"

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for() {
  local name=$1 host=$2 port=$3
  for _ in $(seq 1 60); do port_open "$host" "$port" && return 0; sleep 0.5; done
  echo "$name at $host:$port did not come up" >&2; return 1
}

if ! port_open "$DB_HOST" "$DB_PORT"; then
  echo "Starting MariaDB..."
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  wait_for MariaDB "$DB_HOST" "$DB_PORT"
fi
if ! port_open "$REDIS_HOST" "$REDIS_PORT"; then
  echo "Starting Redis..."
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no
  wait_for Redis "$REDIS_HOST" "$REDIS_PORT"
fi
