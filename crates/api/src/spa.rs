//! Serves the built SPA (`crates/web/dist`) with an index.html fallback for client-side routes, so one
//! process is the whole platform. Unknown `/api/…` paths answer a 404 problem document instead.
//! The wasm, JS and CSS are sent gzipped when the browser accepts it and the build wrote a `.gz` beside
//! them (scripts/build-web.sh): the wasm is the first screen's weight, a third of it compressed.

use std::path::Path;

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{self, ContentEncoding};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::ApiError;

const PLACEHOLDER: &str = r#"<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Boussole</title></head>
<body><main><h1>Boussole</h1>
<p>L'API fonctionne, mais l'application web n'a pas été construite (<code>just build</code>).</p>
<p><a href="/api/docs/">Documentation de l'API</a></p></main></body></html>"#;

fn is_api(req: &HttpRequest) -> bool {
    let path = req.path();
    path == "/api" || path.starts_with("/api/") || path == "/metrics"
}

/// Unknown API paths answer a problem document; anything else is a client route of the SPA.
async fn fallback(req: HttpRequest, index: std::path::PathBuf) -> actix_web::Result<HttpResponse> {
    if is_api(&req) {
        return Ok(actix_web::ResponseError::error_response(
            &ApiError::NotFound,
        ));
    }
    if index.is_file() {
        return Ok(NamedFile::open_async(&index).await?.into_response(&req));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(PLACEHOLDER))
}

/// Whether the request's `Accept-Encoding` lists gzip (without `q=0`).
fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| {
            let mut parts = e.split(';').map(str::trim);
            parts.next() == Some("gzip") && !parts.any(|p| p == "q=0")
        })
}

/// A top-level file of the build (`name` has no `/`): its `.gz` when there is one and the browser takes
/// gzip, else the file itself, else the SPA fallback.
async fn asset(
    req: HttpRequest,
    name: web::Path<String>,
    dir: web::Data<std::path::PathBuf>,
) -> actix_web::Result<HttpResponse> {
    // Only plain names of the build's top directory (never `..` or a hidden file).
    if name.starts_with('.') || name.contains(['/', '\\']) {
        return fallback(req, dir.join("index.html")).await;
    }
    let file = dir.join(name.as_str());
    let gz = dir.join(format!("{name}.gz"));
    if accepts_gzip(&req) && file.is_file() && gz.is_file() {
        let mime = actix_files::file_extension_to_mime(
            file.extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default(),
        );
        let mut res = NamedFile::open_async(&gz)
            .await?
            .set_content_type(mime)
            .set_content_encoding(ContentEncoding::Gzip)
            .into_response(&req);
        res.headers_mut().insert(
            header::VARY,
            header::HeaderValue::from_static("accept-encoding"),
        );
        return Ok(res);
    }
    if file.is_file() {
        return Ok(NamedFile::open_async(&file).await?.into_response(&req));
    }
    fallback(req, dir.join("index.html")).await
}

pub fn serve(cfg: &mut web::ServiceConfig, static_dir: &Path) {
    let index = static_dir.join("index.html");
    // Every top-level path: a plain `{name}` pattern (a regex one makes the metrics middleware warn on
    // each request); names without a built file get the SPA fallback, as from `Files` below.
    cfg.service(
        web::resource("/{name}")
            .app_data(web::Data::new(static_dir.to_path_buf()))
            .route(web::get().to(asset))
            .route(web::head().to(asset)),
    );
    let for_default = index.clone();
    cfg.default_service(web::to(move |req: HttpRequest| {
        fallback(req, for_default.clone())
    }));
    if index.is_file() {
        cfg.service(
            Files::new("/", static_dir)
                .index_file("index.html")
                .default_handler(fn_service(move |req: ServiceRequest| {
                    let index = index.clone();
                    async move {
                        let (req, _) = req.into_parts();
                        let res = fallback(req.clone(), index).await?;
                        Ok(ServiceResponse::new(req, res))
                    }
                })),
        );
    }
}
