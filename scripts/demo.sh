#!/usr/bin/env bash
# One command from a fresh clone to a running service: services, install, migrate, seed, build, start.
set -euo pipefail
cd "$(dirname "$0")/.."

export APP_PROFILE="${APP_PROFILE:-development}"
export DB_TYPE="${DB_TYPE:-mariadb}" DB_NAME="${DB_NAME:-payrail}"
export PORT="${PORT:-3000}"
export PUBLIC_URL="${PUBLIC_URL:-http://127.0.0.1:$PORT}"

bash scripts/services.sh

if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing dependencies (and the pinned Node 24) from the lockfile..."
  npm ci --no-audit --no-fund
fi
export PATH="$PWD/node_modules/.bin:$PATH"

mysql -h"${DB_HOST:-127.0.0.1}" -P"${DB_PORT:-3306}" -u"${DB_USER:-root}" ${DB_PASSWORD:+-p"$DB_PASSWORD"} \
  -e "CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
npm run --silent migration:run > /dev/null
npm run --silent seed
npm run --silent build > /dev/null

cat <<TXT

Payrail ($APP_PROFILE) starting on $PUBLIC_URL
  GraphQL   $PUBLIC_URL/graphql
  GraphiQL  $PUBLIC_URL/graphiql   (log in with the logIn mutation, paste the accessToken in Headers)
  Health    $PUBLIC_URL/health  $PUBLIC_URL/health/ready
  Metrics   $PUBLIC_URL/metrics
Stop with Ctrl-C.

TXT
exec node dist/src/main.js
