//! Serves the built SPA (`crates/web/dist`) with an index.html fallback for client-side routes, so one
//! process is the whole platform. Unknown `/api/…` paths answer a 404 problem document instead.
//! The wasm, JS and CSS are sent precompressed when the build wrote a `.br` or `.gz` beside them
//! (scripts/build-web.sh) and the browser's `Accept-Encoding` takes it — brotli first, the smaller.
//! Trunk's hashed files never change under their name: browsers keep them a year (`immutable`);
//! index.html, which names them, is revalidated on every visit (`no-cache`).
use std::path::Path;

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{self, ContentEncoding, HeaderValue};
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
    // The README and people type it without the slash; Swagger UI lives under it.
    if req.path() == "/api/docs" {
        return Ok(HttpResponse::MovedPermanently()
            .insert_header((header::LOCATION, "/api/docs/"))
            .finish());
    }
    if is_api(&req) {
        return Ok(actix_web::ResponseError::error_response(
            &ApiError::NotFound,
        ));
    }
    let mut res = if index.is_file() {
        NamedFile::open_async(&index).await?.into_response(&req)
    } else {
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(PLACEHOLDER)
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(res)
}

/// The `q` of `coding` in the request's `Accept-Encoding` (0 when absent or refused; `*` counts).
fn quality(req: &HttpRequest, coding: &str) -> f32 {
    let mut star = 0.0;
    for item in req
        .headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
    {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let q = parts
            .find_map(|p| p.strip_prefix("q="))
            .map_or(1.0, |q| q.trim().parse::<f32>().unwrap_or(0.0));
        if name.eq_ignore_ascii_case(coding) {
            return q;
        }
        if name == "*" {
            star = q;
        }
    }
    star
}

/// Which precompressed copy to send, among those present: the highest `q`, brotli on a tie.
fn encoding_for(
    req: &HttpRequest,
    has_br: bool,
    has_gz: bool,
) -> Option<(&'static str, ContentEncoding)> {
    let br = if has_br { quality(req, "br") } else { 0.0 };
    let gz = if has_gz { quality(req, "gzip") } else { 0.0 };
    if br > 0.0 && br >= gz {
        Some(("br", ContentEncoding::Brotli))
    } else if gz > 0.0 {
        Some(("gz", ContentEncoding::Gzip))
    } else {
        None
    }
}

/// Whether Trunk named the file after its content (`app-<16+ hex>_bg.wasm`, `style-<hex>.css`).
pub fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

fn cache_control(name: &str) -> HeaderValue {
    if is_hashed(name) {
        HeaderValue::from_static("public, max-age=31536000, immutable")
    } else {
        HeaderValue::from_static("no-cache")
    }
}

/// A top-level file of the build (`name` has no `/`): its `.br` or `.gz` when there is one and the
/// browser takes it, else the file itself, else the SPA fallback.
async fn asset(
    req: HttpRequest,
    name: web::Path<String>,
    dir: web::Data<std::path::PathBuf>,
) -> actix_web::Result<HttpResponse> {
    // Only plain names of the build's top directory (never `..` or a hidden file).
    if name.starts_with('.') || name.contains(['/', '\\']) || name.as_str() == "index.html" {
        return fallback(req, dir.join("index.html")).await;
    }
    let file = dir.join(name.as_str());
    if !file.is_file() {
        return fallback(req, dir.join("index.html")).await;
    }
    let variant = |ext: &str| dir.join(format!("{name}.{ext}"));
    let chosen = encoding_for(&req, variant("br").is_file(), variant("gz").is_file());
    let mut res = match chosen {
        Some((ext, encoding)) => {
            let mime = actix_files::file_extension_to_mime(
                file.extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or_default(),
            );
            NamedFile::open_async(variant(ext))
                .await?
                .set_content_type(mime)
                .set_content_encoding(encoding)
                .into_response(&req)
        }
        None => NamedFile::open_async(&file).await?.into_response(&req),
    };
    let headers = res.headers_mut();
    if variant("br").is_file() || variant("gz").is_file() {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    headers.insert(header::CACHE_CONTROL, cache_control(&name));
    Ok(res)
}

pub fn serve(cfg: &mut web::ServiceConfig, static_dir: &Path) {
    let index = static_dir.join("index.html");
    // The first screen: index.html, revalidated on each visit (it names the hashed files).
    let for_root = index.clone();
    cfg.service(web::resource("/").to(move |req: HttpRequest| fallback(req, for_root.clone())));
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
