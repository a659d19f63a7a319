-- PostgreSQL drops the hot tables' foreign keys and indexes casino transactions by time with BRIN
-- (010_hot_path.postgres.sql). SQLite keeps its keys (checked in process, without row locks; dropping one
-- would rebuild the table) and its B-tree: nothing changes here.
SELECT 1;
