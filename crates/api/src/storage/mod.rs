//! Where files go: a local folder by default (`$BOUSSOLE_DATA_DIR/files`), through `object_store`
//! so that S3-compatible storage can take its place. Everything stored here is already encrypted
//! under its bilan's key by the caller.

use std::sync::Arc;

use futures_util::StreamExt;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

use crate::config::Config;
use crate::error::ApiError;

#[derive(Clone)]
pub struct Storage(Arc<dyn ObjectStore>);

impl Storage {
    pub fn from_config(config: &Config) -> anyhow::Result<Storage> {
        let dir = config.data_dir.join("files");
        std::fs::create_dir_all(&dir)?;
        Ok(Storage(Arc::new(LocalFileSystem::new_with_prefix(dir)?)))
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), ApiError> {
        self.0
            .put(&Path::from(key), PutPayload::from(bytes))
            .await
            .map_err(ApiError::internal)?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>, ApiError> {
        let found = self.0.get(&Path::from(key)).await.map_err(|e| match e {
            object_store::Error::NotFound { .. } => ApiError::NotFound,
            other => ApiError::internal(other),
        })?;
        Ok(found.bytes().await.map_err(ApiError::internal)?.to_vec())
    }

    /// Deletes every object under `prefix` (a destroyed bilan's files).
    pub async fn delete_prefix(&self, prefix: &str) -> Result<usize, ApiError> {
        let prefix = Path::from(prefix);
        let mut listed = self.0.list(Some(&prefix));
        let mut deleted = 0;
        while let Some(meta) = listed.next().await {
            let meta = meta.map_err(ApiError::internal)?;
            self.0
                .delete(&meta.location)
                .await
                .map_err(ApiError::internal)?;
            deleted += 1;
        }
        Ok(deleted)
    }
}
