//! Short-lived read caches, emptied by every write request of this process (see `lib.rs`).
//!
//! Reads of data that only changes through the API (is this session live? the first page of accounts)
//! are served from memory within a short window instead of asking the database again at each call.
//! In this process every write empties them once committed, so a change is visible at once; another
//! process of a multi-process deployment sees it within the TTL (`BOUSSOLE_READ_CACHE_TTL`, 2 s by
//! default; 0 turns caching off).

use std::time::Duration;

pub struct ReadCache<V: Clone + Send + Sync + 'static>(Option<moka::sync::Cache<String, V>>);

impl<V: Clone + Send + Sync + 'static> ReadCache<V> {
    pub fn new(ttl_secs: u64, capacity: u64) -> Self {
        ReadCache((ttl_secs > 0).then(|| {
            moka::sync::Cache::builder()
                .max_capacity(capacity)
                .time_to_live(Duration::from_secs(ttl_secs))
                .build()
        }))
    }

    pub fn get(&self, key: &str) -> Option<V> {
        self.0.as_ref().and_then(|c| c.get(key))
    }

    pub fn put(&self, key: String, value: V) {
        if let Some(cache) = &self.0 {
            cache.insert(key, value);
        }
    }

    pub fn clear(&self) {
        if let Some(cache) = &self.0 {
            cache.invalidate_all();
        }
    }
}
