//! The periodic work that keeps the trust promises (a loop of its own, beside the retention job):
//! sealing the audit chain's head on its last entry, blanking expired IPs, and rotating the key that
//! wraps the bilans' keys (destroying retired ones once backups made under them have aged out).

use std::sync::Arc;
use std::time::Duration;

use crate::Config;
use crate::db;

/// One pass, at `now` (tests call it with a date of their choosing).
pub fn run_once(conn: &mut db::Conn, config: &Config, now: chrono::NaiveDateTime) {
    if let Err(e) = crate::journal::seal(conn) {
        tracing::error!(error = ?e, "audit head not sealed");
    }
    match super::privacy::expire_ips(conn, now, config.ip_retention_months) {
        Ok(done) if done != Default::default() => {
            tracing::info!(?done, "connection logs past their retention: IPs blanked");
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = ?e, "IP retention job failed"),
    }
    let keyring = crate::keyring::Keyring::new(&config.master_key, &config.key_dir);
    match keyring.rotate(
        conn,
        now,
        config.key_rotation_days,
        config.backup_retention_days,
    ) {
        Ok(done) if done != Default::default() => {
            tracing::info!(?done, "wrapping keys rotated");
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = ?e, "wrapping key rotation failed"),
    }
}

/// Runs [`run_once`] every `every` on the server's runtime.
pub fn spawn(pool: db::Pool, config: Arc<Config>, every: Duration) {
    use tracing::Instrument;
    actix_web::rt::spawn(
        async move {
            let mut tick = actix_web::rt::time::interval(every);
            loop {
                tick.tick().await;
                let config = config.clone();
                let result = db::run(&pool, move |conn| {
                    run_once(conn, &config, db::now());
                    // Sealing, blanking and rotating free what they read: give it back.
                    crate::memory::give_back();
                    Ok(())
                })
                .await;
                if let Err(e) = result {
                    tracing::error!(error = ?e, "trust job failed");
                }
            }
        }
        .instrument(tracing::info_span!("job", name = "trust")),
    );
}
