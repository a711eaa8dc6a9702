//! The monotonic clock the read caches measure their time-to-live with, and the wall clock the
//! brute-force throttles count their windows on. The server uses the system's; a test holds a handle
//! on the same clock and moves it forward instead of sleeping past a TTL or a lockout.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// `Instant::now()` plus an offset that only [`Clock::advance`] changes (always zero in production).
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicU64>,
}

impl Clock {
    pub fn now(&self) -> Instant {
        Instant::now() + Duration::from_millis(self.offset_ms.load(Ordering::Relaxed))
    }

    /// UTC "now" as stored (see `db::now`), moved by the same offset.
    pub fn utc_now(&self) -> chrono::NaiveDateTime {
        let now = crate::db::now();
        let offset = i64::try_from(self.offset_ms.load(Ordering::Relaxed)).unwrap_or(i64::MAX);
        chrono::Duration::try_milliseconds(offset)
            .and_then(|d| now.checked_add_signed(d))
            .unwrap_or(now)
    }

    /// Moves this clock, and every clone of it, forward.
    pub fn advance(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_clone() {
        let clock = Clock::default();
        let seen_by_cache = clock.clone();
        let before = seen_by_cache.now();
        clock.advance(Duration::from_secs(3600));
        assert!(seen_by_cache.now() >= before + Duration::from_secs(3600));
        assert!(seen_by_cache.utc_now() >= crate::db::now() + chrono::Duration::minutes(59));
    }
}
