//! The two migration trees must describe the same schema: same tables, columns, nullability and type
//! families, the same primary keys and unique indexes, and the triggers that keep the audit journal
//! append-only. Runs only with the PostgreSQL half (it needs both databases).

mod postgres {
    use std::collections::{BTreeMap, BTreeSet};

    use boussole_api::db;
    use diesel::QueryableByName;
    use diesel::RunQueryDsl;
    use diesel::sql_types::{BigInt, Text};

    use crate::helpers::PgDatabase;

    #[derive(QueryableByName)]
    struct PgColumn {
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = Text)]
        column_name: String,
        #[diesel(sql_type = Text)]
        data_type: String,
        #[diesel(sql_type = Text)]
        is_nullable: String,
    }

    #[derive(QueryableByName)]
    struct SqliteColumn {
        #[diesel(sql_type = Text)]
        tbl: String,
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = Text)]
        type_: String,
        #[diesel(sql_type = BigInt)]
        notnull: i64,
        #[diesel(sql_type = BigInt)]
        pk: i64,
    }

    fn family(t: &str) -> &'static str {
        let t = t.to_lowercase();
        if t.contains("int") || t == "bigserial" {
            "integer"
        } else if t.contains("timestamp") {
            "timestamp"
        } else if t.contains("bool") {
            "boolean"
        } else if t.contains("text") || t.contains("char") {
            "text"
        } else {
            "other"
        }
    }

    #[test]
    fn sqlite_and_postgres_schemas_agree() {
        let pg = PgDatabase::create();
        let mut pg_conn = db::connect(&pg.url).unwrap();
        db::migrate(&mut pg_conn).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut lite =
            db::connect(&format!("sqlite://{}", dir.path().join("s.db").display())).unwrap();
        db::migrate(&mut lite).unwrap();

        let pg_cols: BTreeSet<(String, String, &str, bool)> = diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type, \
             is_nullable::text AS is_nullable FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
        )
        .load::<PgColumn>(&mut pg_conn)
        .unwrap()
        .into_iter()
        .map(|c| (c.table_name, c.column_name, family(&c.data_type), c.is_nullable == "NO"))
        .collect();

        let lite_cols: BTreeSet<(String, String, &str, bool)> = diesel::sql_query(
            "SELECT m.name AS tbl, p.name AS name, p.type AS type_, p.\"notnull\" AS \"notnull\", p.pk AS pk \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations'",
        )
        .load::<SqliteColumn>(&mut lite)
        .unwrap()
        .into_iter()
        // SQLite lets a PRIMARY KEY column be NULL unless declared otherwise; PostgreSQL never does.
        .map(|c| (c.tbl, c.name, family(&c.type_), c.notnull == 1 || c.pk > 0))
        .collect();

        assert!(pg_cols.len() > 50, "the foundation tables are there");
        let only_pg: Vec<_> = pg_cols.difference(&lite_cols).collect();
        let only_lite: Vec<_> = lite_cols.difference(&pg_cols).collect();
        assert!(
            only_pg.is_empty() && only_lite.is_empty(),
            "only in PostgreSQL: {only_pg:?}\nonly in SQLite: {only_lite:?}"
        );
    }

    /// Both databases, freshly migrated.
    fn both() -> (PgDatabase, db::Conn, tempfile::TempDir, db::Conn) {
        let pg = PgDatabase::create();
        let mut pg_conn = db::connect(&pg.url).unwrap();
        db::migrate(&mut pg_conn).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut lite =
            db::connect(&format!("sqlite://{}", dir.path().join("s.db").display())).unwrap();
        db::migrate(&mut lite).unwrap();
        (pg, pg_conn, dir, lite)
    }

    #[derive(QueryableByName)]
    struct KeyColumn {
        #[diesel(sql_type = Text)]
        tbl: String,
        #[diesel(sql_type = Text)]
        idx: String,
        #[diesel(sql_type = BigInt)]
        seqno: i64,
        #[diesel(sql_type = Text)]
        col: String,
    }

    /// (table, columns in key order) for each key, from rows of one column each.
    fn keys(rows: Vec<KeyColumn>) -> BTreeSet<(String, Vec<String>)> {
        let mut grouped: BTreeMap<(String, String), Vec<(i64, String)>> = BTreeMap::new();
        for r in rows {
            grouped
                .entry((r.tbl, r.idx))
                .or_default()
                .push((r.seqno, r.col));
        }
        grouped
            .into_iter()
            .map(|((tbl, _), mut cols)| {
                cols.sort();
                (tbl, cols.into_iter().map(|(_, c)| c).collect())
            })
            .collect()
    }

    const PG_KEYS: &str = "SELECT t.relname::text AS tbl, i.indexrelid::text AS idx, k.ord AS seqno, \
         a.attname::text AS col FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
         WHERE n.nspname = 'public' AND t.relname <> '__diesel_schema_migrations' AND ";

    #[test]
    fn primary_keys_and_unique_indexes_agree() {
        let (_pg, mut pg_conn, _dir, mut lite) = both();

        let pg_pks = keys(
            diesel::sql_query(format!("{PG_KEYS} i.indisprimary"))
                .load::<KeyColumn>(&mut pg_conn)
                .unwrap(),
        );
        // SQLite: the primary key is in table_info (an INTEGER PRIMARY KEY has no index of its own).
        let lite_pks = keys(
            diesel::sql_query(
                "SELECT m.name AS tbl, 'pk' AS idx, p.pk AS seqno, p.name AS col \
                 FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
                 AND m.name <> '__diesel_schema_migrations' AND p.pk > 0",
            )
            .load::<KeyColumn>(&mut lite)
            .unwrap(),
        );
        assert!(
            pg_pks.len() > 20,
            "every table has its primary key: {pg_pks:?}"
        );
        assert_eq!(pg_pks, lite_pks, "primary keys differ");

        let pg_unique = keys(
            diesel::sql_query(format!("{PG_KEYS} i.indisunique AND NOT i.indisprimary"))
                .load::<KeyColumn>(&mut pg_conn)
                .unwrap(),
        );
        let lite_unique = keys(
            diesel::sql_query(
                "SELECT m.name AS tbl, il.name AS idx, ii.seqno AS seqno, ii.name AS col \
                 FROM sqlite_master m JOIN pragma_index_list(m.name) il \
                 JOIN pragma_index_info(il.name) ii \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
                 AND m.name <> '__diesel_schema_migrations' AND il.\"unique\" = 1 AND il.origin <> 'pk'",
            )
            .load::<KeyColumn>(&mut lite)
            .unwrap(),
        );
        assert!(
            pg_unique.contains(&("users".into(), vec!["email".into()])),
            "the query sees unique constraints: {pg_unique:?}"
        );
        assert_eq!(pg_unique, lite_unique, "unique indexes differ");
    }

    #[derive(QueryableByName)]
    struct Trigger {
        #[diesel(sql_type = Text)]
        tbl: String,
        #[diesel(sql_type = Text)]
        event: String,
    }

    /// The audit journal refuses UPDATE and DELETE on both databases (and TRUNCATE on PostgreSQL,
    /// which SQLite does not have): a migration that drops a trigger on one side fails here.
    #[test]
    fn the_audit_triggers_exist_on_both_databases() {
        let (_pg, mut pg_conn, _dir, mut lite) = both();
        // pg_trigger's tgtype bits: 8 DELETE, 16 UPDATE, 32 TRUNCATE (information_schema omits TRUNCATE).
        let pg: BTreeSet<(String, String)> = diesel::sql_query(
            "SELECT c.relname::text AS tbl, e.event FROM pg_trigger t \
             JOIN pg_class c ON c.oid = t.tgrelid \
             JOIN (VALUES (4, 'INSERT'), (8, 'DELETE'), (16, 'UPDATE'), (32, 'TRUNCATE')) AS e(bit, event) \
             ON (t.tgtype::int & e.bit) <> 0 WHERE NOT t.tgisinternal",
        )
        .load::<Trigger>(&mut pg_conn)
        .unwrap()
        .into_iter()
        .map(|t| (t.tbl, t.event))
        .collect();
        let lite: BTreeSet<(String, String)> = diesel::sql_query(
            "SELECT tbl_name AS tbl, sql AS event FROM sqlite_master WHERE type = 'trigger'",
        )
        .load::<Trigger>(&mut lite)
        .unwrap()
        .into_iter()
        .flat_map(|t| {
            let sql = t.event.to_uppercase();
            ["INSERT", "DELETE", "UPDATE"]
                .into_iter()
                .filter(move |e| {
                    sql.contains(&format!(" {e} ON ")) || sql.contains(&format!(" {e} OF "))
                })
                .map(move |e| (t.tbl.clone(), e.to_string()))
        })
        .collect();
        let audit = |e: &str| ("audit_log".to_string(), e.to_string());
        for event in ["UPDATE", "DELETE"] {
            assert!(
                pg.contains(&audit(event)),
                "PostgreSQL lacks {event}: {pg:?}"
            );
            assert!(
                lite.contains(&audit(event)),
                "SQLite lacks {event}: {lite:?}"
            );
        }
        assert!(pg.contains(&audit("TRUNCATE")), "{pg:?}");
        let pg_without_truncate: BTreeSet<_> = pg
            .iter()
            .filter(|(_, e)| e != "TRUNCATE")
            .cloned()
            .collect();
        assert_eq!(pg_without_truncate, lite, "the triggers differ");
    }
}
