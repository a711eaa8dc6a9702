//! Files sent to the API with their progress: `fetch` cannot report how much of a body is sent, so an
//! upload goes through `XMLHttpRequest`, whose `upload.onprogress` can. One function for every upload
//! (a bilan's files, a library resource's file), answering the JSON as a `Value` that the typed
//! callers read like `Api::call` does.

use boussole_shared::Problem;
use leptos::prelude::*;
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use web_sys::{File, ProgressEvent, XmlHttpRequest};

use boussole_shared::bilans::UploadQuery;
use serde::de::DeserializeOwned;

use super::{Api, ApiError, ApiResult, Req, from_value, value_de};

/// How far an upload is, in percent (`None`: no upload running).
pub type Progress = RwSignal<Option<u8>>;

impl Api {
    /// Sends `file` as the raw body of `req` with `?name=` its name, reporting progress into
    /// `progress`, and reads the answer as a `T`.
    pub(super) async fn upload<T: DeserializeOwned>(
        self,
        req: Req,
        file: &File,
        progress: Progress,
    ) -> ApiResult<T> {
        let req = req.query(&UploadQuery { name: file.name() });
        let value = self.upload_value(req, file, progress).await?;
        from_value(value).ok_or(ApiError::Unexpected(200))
    }

    /// The upload itself, once for every answer type; refreshes the session once on a 401.
    async fn upload_value(
        self,
        req: Req,
        file: &File,
        progress: Progress,
    ) -> ApiResult<serde_json::Value> {
        let (method, url) = (req.method.as_str().to_string(), req.url());
        let mut refreshed = false;
        let out = loop {
            progress.set(Some(0));
            let sent = send(&method, &url, self.token(), file, progress).await;
            match sent {
                Ok((401, _)) if !refreshed => {
                    refreshed = true;
                    if let Err(e) = self.refresh().await {
                        break Err(e);
                    }
                }
                Ok((status, text)) => break answer(status, &text),
                Err(_) => break Err(ApiError::Network),
            }
        };
        progress.set(None);
        out
    }
}

/// The JSON of a 2xx, else its problem document.
fn answer(status: u16, text: &str) -> ApiResult<serde_json::Value> {
    let value: Option<serde_json::Value> = serde_json::from_str(text).ok();
    if (200..300).contains(&status) {
        return value.ok_or(ApiError::Unexpected(status));
    }
    Err(value
        .and_then(|v| Problem::deserialize(value_de::ValueDe(v)).ok())
        .map_or(ApiError::Unexpected(status), ApiError::Problem))
}

async fn send(
    method: &str,
    url: &str,
    token: Option<String>,
    file: &File,
    progress: Progress,
) -> Result<(u16, String), JsValue> {
    let xhr = XmlHttpRequest::new()?;
    xhr.open_with_async(method, url, true)?;
    if let Some(t) = token {
        xhr.set_request_header("Authorization", &format!("Bearer {t}"))?;
    }
    xhr.set_request_header("Content-Type", "application/octet-stream")?;
    let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            progress.set(Some((e.loaded() * 100.0 / e.total()).min(100.0) as u8));
        }
    });
    xhr.upload()?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
        xhr.set_onabort(Some(&reject));
    });
    xhr.send_with_opt_blob(Some(&**file))?;
    wasm_bindgen_futures::JsFuture::from(done).await?;
    drop(on_progress);
    Ok((xhr.status()?, xhr.response_text()?.unwrap_or_default()))
}
