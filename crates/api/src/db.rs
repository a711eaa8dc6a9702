//! The connection type that covers SQLite and PostgreSQL, the pool, migrations and transactions.

use std::sync::Arc;
use std::time::Duration;

use diesel::connection::{InstrumentationEvent, SimpleConnection};
use diesel::prelude::*;
use diesel::r2d2::R2D2Connection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::ApiError;
use crate::secrets::{AuditKey, Keyring};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
pub const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// One connection type for both backends; query functions take `&mut Conn`.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type Conn = AnyConnection;
pub type Pool = r2d2::Pool<AnyManager>;

/// Opens one connection, dispatching on the URL scheme ourselves: `AnyConnection::establish` tries
/// each backend in turn and swallows the real error (STACK.md §5.1).
pub fn connect(url: &str) -> Result<AnyConnection, ConnectionError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return diesel::PgConnection::establish(url).map(AnyConnection::Postgresql);
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let mut conn = diesel::SqliteConnection::establish(path)?;
    // Per-connection settings: WAL lets readers run beside the writer, foreign keys are off by default
    // in SQLite, and a writer waits for the lock instead of failing at once. `secure_delete` overwrites
    // what is deleted (a destroyed bilan key leaves no copy in the file's free pages).
    conn.batch_execute(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;",
    )
    .map_err(ConnectionError::CouldntSetupConfiguration)?;
    Ok(AnyConnection::Sqlite(conn))
}

/// The keys a connection carries: the audit chain's, and the keyring that wraps bilan keys.
#[derive(Debug, Clone)]
pub struct Keys {
    pub audit: AuditKey,
    pub keyring: Keyring,
}

/// Opens one connection that carries the keys, so that `journal::record` can sign entries and bilan
/// keys can be wrapped and unwrapped (see [`Instrumented`]).
pub fn connect_keyed(url: &str, keys: &Keys) -> Result<AnyConnection, ConnectionError> {
    let mut conn = connect(url)?;
    conn.set_instrumentation(Instrumented {
        queries: None,
        keys: Some(Arc::new(keys.clone())),
    });
    Ok(conn)
}

/// What a connection carries besides its socket: the statement counter of its pool, and the keys.
/// diesel's instrumentation is the one slot a connection has for our own data, and it can be read
/// back (downcast) by [`audit_key`] and [`keyring`]; so the journal's and the content's many
/// callers keep passing a connection only.
pub struct Instrumented {
    queries: Option<prometheus::IntCounter>,
    keys: Option<Arc<Keys>>,
}

impl diesel::connection::Instrumentation for Instrumented {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let (InstrumentationEvent::StartQuery { .. }, Some(q)) = (event, &self.queries) {
            q.inc();
        }
    }
}

/// The audit key this connection was opened with (`None`: a bare [`connect`]).
pub fn audit_key(conn: &mut AnyConnection) -> Option<AuditKey> {
    keys(conn).map(|k| k.audit.clone())
}

/// The keyring this connection was opened with (`None`: a bare [`connect`]).
pub fn keyring(conn: &mut AnyConnection) -> Option<Keyring> {
    keys(conn).map(|k| k.keyring.clone())
}

fn keys(conn: &mut AnyConnection) -> Option<Arc<Keys>> {
    conn.instrumentation()
        .downcast_ref::<Instrumented>()
        .and_then(|i| i.keys.clone())
}

/// r2d2 manager that goes through [`connect`] (diesel's own manager calls `establish`), and counts
/// the statements its connections run (`boussole_db_queries_total` in `/metrics`).
#[derive(Debug, Clone)]
pub struct AnyManager {
    url: String,
    queries: prometheus::IntCounter,
    keys: Option<Arc<Keys>>,
}

impl r2d2::ManageConnection for AnyManager {
    type Connection = AnyConnection;
    type Error = ConnectionError;

    fn connect(&self) -> Result<AnyConnection, ConnectionError> {
        let mut conn = connect(&self.url)?;
        conn.set_instrumentation(Instrumented {
            queries: Some(self.queries.clone()),
            keys: self.keys.clone(),
        });
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), ConnectionError> {
        conn.ping()
            .map_err(ConnectionError::CouldntSetupConfiguration)
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        conn.is_broken()
    }
}

/// Builds the pool after one direct connection, so that a bad URL or an unreachable server stops
/// start-up with the database's own error message.
pub fn pool(url: &str, size: u32) -> Result<Pool, anyhow::Error> {
    pool_counted(url, size, queries_counter()?, None)
}

/// The counter of statements run by a pool's connections.
pub fn queries_counter() -> Result<prometheus::IntCounter, anyhow::Error> {
    Ok(prometheus::IntCounter::new(
        "boussole_db_queries_total",
        "SQL statements run on the pool's connections",
    )?)
}

/// Like [`pool`], counting every statement in `queries` (a list must run a constant number of them
/// whatever its page size; the tests read this counter to prove it), its connections carrying the
/// audit key (without one, `journal::record` fails).
pub fn pool_counted(
    url: &str,
    size: u32,
    queries: prometheus::IntCounter,
    keys: Option<Keys>,
) -> Result<Pool, anyhow::Error> {
    connect(url).map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))?;
    let pool = r2d2::Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        // No `SELECT 1` before every checkout (r2d2's default): a request would pay one more statement
        // (a round trip on PostgreSQL) each time it takes a connection. A connection that broke is
        // seen by the query that fails, and dropped on return (`has_broken`).
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(10))
        .build(AnyManager {
            url: url.to_string(),
            queries,
            keys: keys.map(Arc::new),
        })?;
    Ok(pool)
}

/// Applies the pending migrations of the connection's backend; returns how many ran.
pub fn migrate(conn: &mut AnyConnection) -> Result<usize, anyhow::Error> {
    let applied = match conn {
        AnyConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        AnyConnection::Postgresql(c) => c.run_pending_migrations(PG_MIGRATIONS),
    }
    .map_err(|e| anyhow::anyhow!("migrations failed: {e}"))?;
    Ok(applied.len())
}

/// True when every embedded migration has been applied (for `/readyz`).
pub fn migrations_current(conn: &mut AnyConnection) -> bool {
    match conn {
        AnyConnection::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS),
        AnyConnection::Postgresql(c) => c.has_pending_migration(PG_MIGRATIONS),
    }
    .is_ok_and(|pending| !pending)
}

pub fn is_postgres(conn: &AnyConnection) -> bool {
    matches!(conn, AnyConnection::Postgresql(_))
}

/// Runs blocking database work on the blocking thread pool, never on the async executor.
pub async fn run<T, F>(pool: &Pool, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut Conn) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?
}

/// Like [`run`], inside a [`transaction`] that is retried when the database asks for it (PostgreSQL
/// serialisation failures, or two audit entries that raced for the same place in the chain). The
/// closure may therefore run more than once.
pub async fn tx<T, F>(pool: &Pool, mut f: F) -> Result<T, ApiError>
where
    F: FnMut(&mut Conn) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get()?;
        let mut attempt = 0u32;
        loop {
            match transaction(&mut conn, &mut f) {
                Err(e) if e.is_retryable() && attempt < 8 => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(5 << attempt.min(6)));
                }
                other => return other,
            }
        }
    })
    .await?
}

/// A write transaction. On SQLite it starts `BEGIN IMMEDIATE`: the write lock is taken at the start, so
/// a second writer waits for it (the busy timeout) instead of failing with "database is locked" when
/// its read snapshot turns out stale at the first write. PostgreSQL's default `BEGIN` is right.
pub fn transaction<T, F>(conn: &mut Conn, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut Conn) -> Result<T, ApiError>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let AnyConnection::Sqlite(sqlite) = conn else {
        return conn.transaction(f);
    };
    // The multi-backend connection's transaction manager delegates to SQLite's, so the transaction
    // begun here on the inner connection is the one it commits, rolls back, or nests savepoints in.
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    type Manager = <Conn as Connection>::TransactionManager;
    match f(conn) {
        Ok(value) => match Manager::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(e) => {
                // A failed COMMIT leaves the transaction open on SQLite: end it before answering.
                let _ = Manager::rollback_transaction(conn);
                Err(e.into())
            }
        },
        Err(e) => {
            Manager::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

/// Runs `$body` with `$c` bound to the backend's own connection, for the statements the multi-backend
/// connection cannot express (`ON CONFLICT`); the body is written once and compiled for each backend.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::AnyConnection::Postgresql($c) => $body,
            $crate::db::AnyConnection::Sqlite($c) => $body,
        }
    };
}

/// "Now" as stored: UTC, truncated to microseconds so that PostgreSQL and SQLite keep the same value
/// (the audit chain hashes it).
pub fn now() -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    chrono::Utc::now().naive_utc().trunc_subsecs(6)
}

/// A stored value that does not parse (a corrupted row, or a value written by a newer version): the
/// request fails with a 500 that names the column in the log, never a silent default.
pub fn stored<T>(parsed: Option<T>, column: &str, value: &str) -> Result<T, ApiError> {
    parsed.ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "stored value {value:?} of {column} does not parse"
        ))
    })
}

/// A stored id (text) as a UUID. Ids are only ever written by `new_id`; a malformed one is a corrupted
/// row: the request fails (500, the value in the log) rather than answering with a nil UUID that a
/// client would then send back as if it named something.
pub fn uuid_of(id: &str) -> Result<uuid::Uuid, ApiError> {
    stored(uuid::Uuid::parse_str(id).ok(), "an id column", id)
}

/// A new UUID v7 as stored (text).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
