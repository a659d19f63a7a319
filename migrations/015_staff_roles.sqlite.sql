-- Staff roles (issue 20): the one `admin` role becomes five, and every administrator a superadmin.
--
-- SQLite cannot alter a CHECK constraint. A rebuild of `users` would have to list every column (dropping any
-- column another migration adds before this one) and move the tables that reference it, so this uses
-- SQLite's documented procedure for changing a constraint in place (sqlite.org/lang_altertable.html, "making
-- other kinds of table schema changes"): rewrite the CHECK in the stored CREATE TABLE text. SQLite checks a
-- CHECK only on rows it writes, and the UPDATE below rewrites every `admin` row, so no stored row breaks the
-- new list. RESET reloads the schema on this connection; the CREATE INDEX is a real schema change, so it
-- bumps the schema cookie and every other connection reloads it too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (role IN (''user'', ''admin''))',
                     'CHECK (role IN (''user'', ''trader'', ''finance'', ''support'', ''superadmin''))')
 WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;
UPDATE users SET role = 'superadmin' WHERE role = 'admin';
-- GET /admin/staff lists the few staff accounts among many players.
CREATE INDEX users_staff ON users (role, email) WHERE role <> 'user';
