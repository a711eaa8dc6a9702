//! Short-lived read caches, emptied by every write request of this process (see `lib.rs`).
//!
//! Reads of data that only changes through the API (is this session live? the first page of accounts)
//! are served from memory within a short window instead of asking the database again at each call.
//! In this process every write empties them once committed, so a change is visible at once; another
//! process of a multi-process deployment sees it within the TTL (`BOUSSOLE_READ_CACHE_TTL`, 2 s by
//! default; 0 turns caching off). When an entry expires under load, the concurrent requests for it
//! wait for one database read instead of all running it.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::clock::Clock;
use crate::error::ApiError;

/// Each value is kept with the time it was loaded, read on [`Clock`]: expiry is decided against that
/// clock (which a test can move), moka's own time-to-live only frees the memory of old entries.
pub struct ReadCache<V: Clone + Send + Sync + 'static> {
    inner: Option<moka::future::Cache<String, (V, Instant)>>,
    ttl: Duration,
    clock: Clock,
}

impl<V: Clone + Send + Sync + 'static> ReadCache<V> {
    pub fn new(ttl_secs: u64, capacity: u64, clock: Clock) -> Self {
        let ttl = Duration::from_secs(ttl_secs);
        ReadCache {
            inner: (ttl_secs > 0).then(|| {
                moka::future::Cache::builder()
                    .max_capacity(capacity)
                    .time_to_live(ttl)
                    .build()
            }),
            ttl,
            clock,
        }
    }

    /// The cached value, or the result of `load` (cached only when it succeeds).
    pub async fn get_or_load<F>(&self, key: String, load: F) -> Result<V, ApiError>
    where
        F: Future<Output = Result<V, ApiError>>,
    {
        let Some(cache) = &self.inner else {
            return load.await;
        };
        if let Some((_, loaded_at)) = cache.get(&key).await
            && self.clock.now().saturating_duration_since(loaded_at) >= self.ttl
        {
            cache.invalidate(&key).await;
        }
        let clock = self.clock.clone();
        cache
            .try_get_with(key, async move { load.await.map(|v| (v, clock.now())) })
            .await
            .map(|(v, _)| v)
            .map_err(ApiError::from_shared)
    }

    pub fn clear(&self) {
        if let Some(cache) = &self.inner {
            cache.invalidate_all();
        }
    }
}

impl ApiError {
    /// The error of a load that several waiting requests shared.
    pub fn from_shared(shared: Arc<ApiError>) -> ApiError {
        Arc::try_unwrap(shared).unwrap_or_else(|e| match &*e {
            ApiError::BadRequest(d) => ApiError::BadRequest(d.clone()),
            ApiError::Validation(v) => ApiError::Validation(v.clone()),
            ApiError::Unauthorized { slug, detail } => ApiError::Unauthorized {
                slug: *slug,
                detail: detail.clone(),
            },
            ApiError::Forbidden { slug, detail } => ApiError::Forbidden {
                slug: *slug,
                detail: detail.clone(),
            },
            ApiError::NotFound => ApiError::NotFound,
            ApiError::Conflict { slug, detail } => ApiError::Conflict {
                slug: *slug,
                detail: detail.clone(),
            },
            ApiError::AlreadyExists {
                detail,
                existing_id,
            } => ApiError::AlreadyExists {
                detail: detail.clone(),
                existing_id: existing_id.clone(),
            },
            ApiError::PayloadTooLarge => ApiError::PayloadTooLarge,
            ApiError::UnsupportedMediaType => ApiError::UnsupportedMediaType,
            ApiError::Rule {
                slug,
                detail,
                missing,
            } => ApiError::Rule {
                slug: *slug,
                detail: detail.clone(),
                missing: missing.clone(),
            },
            ApiError::ImportInvalid(errors) => ApiError::ImportInvalid(errors.clone()),
            ApiError::Gone { slug, detail } => ApiError::Gone {
                slug: *slug,
                detail: detail.clone(),
            },
            ApiError::TooManyRequests { retry_after_secs } => ApiError::TooManyRequests {
                retry_after_secs: *retry_after_secs,
            },
            ApiError::Unavailable(d) => ApiError::Unavailable(d.clone()),
            ApiError::Database(_) | ApiError::Internal(_) => ApiError::internal(&e),
        })
    }
}
