-- The application's PostgreSQL login roles (infra/README.md, "Database roles"). Run once per
-- environment, and again after a password change, as the RDS master user, from inside the VPC:
--   psql "host=<DB_HOST> dbname=bet2wealth user=bet2wealth sslmode=verify-full sslrootcert=global-bundle.pem" \
--     -v app_password="$APP_PASSWORD" -v migrator_password="$MIGRATOR_PASSWORD" -f db-roles.sql
-- The passwords are the ones put in the secrets bet2wealth/<env>/db-app and bet2wealth/<env>/db-migrator
-- ({"username": "bet2wealth_app" | "bet2wealth_migrator", "password": ...}). Idempotent.
--
--   bet2wealth_migrator  owns the schema and every table; runs `bet2wealth migrate` (DDL)
--   bet2wealth_app       the service: reads and writes rows, uses sequences; owns nothing, no DDL
\set ON_ERROR_STOP on

SELECT format('CREATE ROLE bet2wealth_migrator LOGIN PASSWORD %L', :'migrator_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bet2wealth_migrator') \gexec
SELECT format('ALTER ROLE bet2wealth_migrator LOGIN PASSWORD %L', :'migrator_password') \gexec
SELECT format('CREATE ROLE bet2wealth_app LOGIN PASSWORD %L', :'app_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bet2wealth_app') \gexec
SELECT format('ALTER ROLE bet2wealth_app LOGIN PASSWORD %L', :'app_password') \gexec

-- The master user hands objects to the migrator (RDS: it must be a member of the role it gives them to).
GRANT bet2wealth_migrator TO CURRENT_USER;
SELECT format('GRANT CONNECT ON DATABASE %I TO bet2wealth_app, bet2wealth_migrator', current_database()) \gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO bet2wealth_migrator;

-- Tables the service created as the master user (it migrated at start) move to the migrator, with
-- the sequences they own.
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'bet2wealth_migrator' LOOP
    EXECUTE format('ALTER TABLE public.%I OWNER TO bet2wealth_migrator', r.tablename);
  END LOOP;
END
$$;

GRANT USAGE ON SCHEMA public TO bet2wealth_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO bet2wealth_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO bet2wealth_app;
-- And whatever the migrator creates from now on.
ALTER DEFAULT PRIVILEGES FOR ROLE bet2wealth_migrator IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO bet2wealth_app;
ALTER DEFAULT PRIVILEGES FOR ROLE bet2wealth_migrator IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO bet2wealth_app;
