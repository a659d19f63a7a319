-- Staff roles (issue 20): the one `admin` role becomes five, and every administrator a superadmin (who may do
-- everything an administrator could). The column CHECK of 001 is named users_role_check by PostgreSQL.
ALTER TABLE users DROP CONSTRAINT users_role_check;
UPDATE users SET role = 'superadmin' WHERE role = 'admin';
ALTER TABLE users ADD CONSTRAINT users_role_check
  CHECK (role IN ('user', 'trader', 'finance', 'support', 'superadmin'));
-- GET /admin/staff lists the few staff accounts among many players.
CREATE INDEX users_staff ON users (role, email) WHERE role <> 'user';
