//! Where files go: a local folder by default (`$BOUSSOLE_DATA_DIR/files`), or S3-compatible object
//! storage when `BOUSSOLE_S3_BUCKET` is set, both through `object_store`. Everything stored here is already encrypted
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
        if let Some(s3) = &config.s3 {
            let mut builder = object_store::aws::AmazonS3Builder::new()
                .with_bucket_name(&s3.bucket)
                .with_region(&s3.region)
                .with_access_key_id(&s3.access_key_id)
                .with_secret_access_key(&s3.secret_access_key);
            if let Some(endpoint) = &s3.endpoint {
                // S3-compatible services are addressed by path; plain http only for a local endpoint.
                builder = builder
                    .with_endpoint(endpoint)
                    .with_virtual_hosted_style_request(false)
                    .with_allow_http(endpoint.starts_with("http://"));
            }
            let store = builder
                .build()
                .map_err(|e| anyhow::anyhow!("BOUSSOLE_S3_*: {e}"))?;
            return Ok(Storage(Arc::new(store)));
        }
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

    /// Deletes one object (an issued document whose row could not be written); absent is fine.
    pub async fn delete(&self, key: &str) -> Result<(), ApiError> {
        match self.0.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(ApiError::internal(e)),
        }
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
