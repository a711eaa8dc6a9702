//! Serves the built SPA (`crates/web/dist`) with an index.html fallback for client-side routes, so one
//! process is the whole platform. Unknown `/api/…` paths answer a 404 problem document instead.

use std::path::Path;

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
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

pub fn serve(cfg: &mut web::ServiceConfig, static_dir: &Path) {
    let index = static_dir.join("index.html");
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
