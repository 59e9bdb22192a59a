package dev.pgoutput.connect;

import java.sql.SQLException;

/**
 * The tables and changes the differential tests run through both connectors: a primary-key table with many
 * column types (defaults and NOT NULL included), a composite-key table, a keyless table (REPLICA IDENTITY FULL,
 * or its deletes would be refused) and a table whose large value stays TOASTed across an update. Every kind of
 * change happens: inserts, updates, deletes, a primary-key change, an unchanged TOAST value.
 */
final class TypesWorkload {

    /** The tables, for the publication. */
    static final String TABLES = "public.types_pk, public.comp, public.nokey, public.toasty, public.more";

    /** Topic suffixes, in the order the records are consumed. */
    static final String[] TOPICS = {"public.types_pk", "public.comp", "public.nokey", "public.toasty", "public.more"};

    private TypesWorkload() {
    }

    /** Creates the types and tables. */
    static void createTables(TestDatabase db) throws SQLException {
        db.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE DOMAIN posint AS int CHECK (VALUE > 0)",
                """
                CREATE TABLE types_pk (
                  id int PRIMARY KEY,
                  b bool, i2 int2 NOT NULL DEFAULT 7, i4 int DEFAULT 42, i8 int8, f4 float4, f8 float8,
                  n numeric, n52 numeric(5,2), n100 numeric(10) DEFAULT 3, m money,
                  t text NOT NULL DEFAULT 'hello', vc varchar(10), c char(3), ch "char", nm name, bt bytea,
                  j json, jb jsonb, x xml, u uuid,
                  d date, d_def date DEFAULT '2020-02-02', tm time, tm3 time(3), tm0 time(0), ttz timetz,
                  ts timestamp, ts3 timestamp(3), tstz timestamptz, tstz3 timestamptz(3),
                  iv interval, b1 bit(1), b8 bit(8), b12 bit(12), vb varbit, vb5 varbit(5),
                  ip inet, net cidr, mac macaddr, mac8 macaddr8, pt point,
                  i4r int4range, nr numrange, tsr tsrange, dr daterange,
                  mo mood, mo_def mood NOT NULL DEFAULT 'ok', dom posint,
                  ia int[], ta text[], na numeric[], oi oid, lsn pg_lsn, xid_ xid,
                  tsv tsvector, flag bool NOT NULL DEFAULT true, f8d float8 DEFAULT 1.5, txt_nn text NOT NULL,
                  bt_nn bytea NOT NULL DEFAULT '\\x0102', big bigint NOT NULL DEFAULT 9000000000
                )""",
                "CREATE TABLE comp (a int, b text, v int, PRIMARY KEY (b, a))",
                "CREATE TABLE nokey (x int, y text)",
                "ALTER TABLE nokey REPLICA IDENTITY FULL",
                "CREATE TABLE toasty (id int PRIMARY KEY, n int, body text)",
                "CREATE EXTENSION IF NOT EXISTS hstore",
                "CREATE EXTENSION IF NOT EXISTS ltree",
                "CREATE TYPE pair AS (a int, b text)",
                """
                CREATE TABLE more (
                  id int PRIMARY KEY, h hstore, l ltree, bx box, ci circle, ln line, ls lseg, pa path, po polygon,
                  tq tsquery, jp jsonpath, x8 xid8, i8r int8range, tzr tstzrange, mr int4multirange, ia2 int[][],
                  ea mood[], tza timestamptz[], ua uuid[], jba jsonb[], da date[], pr pair, n_nan numeric,
                  n_inf numeric(10,2), ts_inf timestamp, d_inf date, iv2 interval(0), vc_def varchar(5) DEFAULT 'ab',
                  nextv serial, now_ts timestamptz DEFAULT now(), neg int DEFAULT -1, f4n float4 NOT NULL DEFAULT 0.5
                )""");
    }

    /** The changes, each statement its own transaction. */
    static void run(TestDatabase db) throws SQLException {
        db.execute("""
                INSERT INTO types_pk VALUES (1, true, 2, 3, 4000000000, 1.5, -2.25,
                  12345.678901, 123.45, 1234567890, 12.34,
                  'text', 'varchar', 'ab', 'q', 'aname', '\\xdeadbeef',
                  '{"a": 1}', '{"b": [1, 2]}', '<x>1</x>', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
                  '2024-03-01', '1999-12-31', '13:45:06.123456', '13:45:06.123', '13:45:06', '13:45:06.5+05:30',
                  '2024-03-01 13:45:06.123456', '2024-03-01 13:45:06.123', '2024-03-01 13:45:06.123456+02',
                  '2024-03-01 13:45:06.5+02',
                  '1 year 2 months 3 days 04:05:06.5', B'1', B'10110011', B'101100111000', B'1011', B'10',
                  '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05', '(1.5,-2)',
                  '[1,10)', '(1.5,2.5]', '[2024-01-01 10:00,2024-01-02 11:00)', '[2024-01-01,2024-02-01)',
                  'happy', 'sad', 5,
                  '{1,2,NULL}', '{"a","b c"}', '{1.5,2}', 12345, '16/B374D848', '777',
                  'a fat cat', false, 2.5, 'nn', '\\x0a', 1)""",
                "INSERT INTO types_pk (id, txt_nn) VALUES (2, 'only')",
                "INSERT INTO types_pk (id, txt_nn, n, f8, d, ts, tstz, iv) VALUES (3, 'edge', 'NaN', 'Infinity', "
                        + "'0001-01-01 BC', '1970-01-01 00:00:00', '1969-12-31 23:59:59.999999+00', '-1 mon -2 days')",
                "UPDATE types_pk SET i4 = 43, t = 'changed', jb = 'null' WHERE id = 1",
                "UPDATE types_pk SET id = 10 WHERE id = 2",
                "DELETE FROM types_pk WHERE id = 1",
                "INSERT INTO comp VALUES (1, 'x', 1), (2, 'y', 2)",
                "UPDATE comp SET v = 5 WHERE a = 1",
                "UPDATE comp SET a = 3 WHERE a = 2",
                "DELETE FROM comp WHERE a = 1",
                "INSERT INTO nokey VALUES (1, 'one'), (2, NULL)",
                "UPDATE nokey SET y = 'uno' WHERE x = 1",
                "DELETE FROM nokey WHERE x = 2",
                "INSERT INTO toasty VALUES (1, 1, (SELECT string_agg(md5(g::text), '') FROM generate_series(1, 400) g))",
                "UPDATE toasty SET n = 2 WHERE id = 1",
                "DELETE FROM toasty WHERE id = 1",
                """
                INSERT INTO more (id, h, l, bx, ci, ln, ls, pa, po, tq, jp, x8, i8r, tzr, mr, ia2, ea, tza, ua, jba, da,
                  pr, n_nan, n_inf, ts_inf, d_inf, iv2)
                VALUES (1, 'a=>1, b=>NULL', 'top.sci', '((0,0),(1,1))', '<(1,1),2>', '{1,2,3}', '[(0,0),(1,1)]',
                  '((0,0),(1,1))', '((0,0),(1,0),(1,1))', 'fat & cat', '$.a', '123', '[1,5)',
                  '[2024-01-01 10:00+00,2024-01-02 10:00+00)', '{[1,3),[5,7)}', '{{1,2},{3,4}}', '{sad,happy}',
                  '{"2024-03-01 13:45:06.5+02"}', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', '{"{\\"k\\": 1}"}',
                  '{2024-03-01}', '(1,x)', 'NaN', 12.5, 'infinity', '-infinity', '1 day 02:03:04')""",
                "UPDATE more SET neg = 5 WHERE id = 1");
    }
}
