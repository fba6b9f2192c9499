#!/bin/sh
# docker-entrypoint-initdb.d hook: create the app role normreg_app (see postgres-app-role.sql).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v app_role=normreg_app -v app_password="${NORMREG_APP_DB_PASSWORD:?set NORMREG_APP_DB_PASSWORD}" \
     -f /docker-entrypoint-initdb.d/postgres-app-role.sql.in
