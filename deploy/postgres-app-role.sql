-- The application's own PostgreSQL role: it reads and writes rows and cannot change the schema.
--
-- Run once by the database owner, connected to the registry's database with the registry's schema first
-- on the search path (docker-compose.yml runs it through postgres-app-role.sh when the data volume is
-- created). Migrations (`normreg init`) keep running as the owner; the API and the worker connect as the
-- app role, so nothing they run, and nobody who takes one of them over, can drop or disable the triggers
-- that keep the event log and the audit log append-only, TRUNCATE a table or ALTER one.
--   psql -v app_role=normreg_app -v app_password=… -f postgres-app-role.sql
\if :{?app_role}
\else
  \set app_role normreg_app
\endif
CREATE ROLE :"app_role" LOGIN NOINHERIT PASSWORD :'app_password';
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'app_role') \gexec
SELECT format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), :'app_role') \gexec
-- every table and sequence the owner creates from now on (the migrations) …
SELECT format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
              current_schema(), :'app_role') \gexec
SELECT format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I',
              current_schema(), :'app_role') \gexec
-- … and those that exist already
SELECT format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', current_schema(), :'app_role') \gexec
SELECT format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), :'app_role') \gexec
