//! The two migration trees must describe the same schema: same tables, columns, nullability and type
//! families. Runs only with the PostgreSQL half (it needs both databases).

mod postgres {
    use std::collections::BTreeSet;

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
}
