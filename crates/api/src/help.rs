//! The users' guides, served under `/aide` (French) and `/aide/en` (English): one per role, written in
//! `docs/guide/` as Markdown and compiled into the binary, so the guide always matches the version
//! that runs. Their screenshots are the e2e run's (`BOUSSOLE_GUIDE_SCREENSHOTS`): each run takes them
//! again, so they never show an old screen. A screenshot that is missing (no e2e run on this machine)
//! leaves its description in place of the picture.

use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::{HttpRequest, HttpResponse, http::header, web};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// A guide: its address under `/aide`, and its Markdown in each language.
struct Guide {
    slug: &'static str,
    fr: &'static str,
    en: &'static str,
}

const GUIDES: [Guide; 3] = [
    Guide {
        slug: "beneficiaire",
        fr: include_str!("../../../docs/guide/fr/beneficiaire.md"),
        en: include_str!("../../../docs/guide/en/beneficiaire.md"),
    },
    Guide {
        slug: "consultant",
        fr: include_str!("../../../docs/guide/fr/consultant.md"),
        en: include_str!("../../../docs/guide/en/consultant.md"),
    },
    Guide {
        slug: "admin",
        fr: include_str!("../../../docs/guide/fr/admin.md"),
        en: include_str!("../../../docs/guide/en/admin.md"),
    },
];

#[derive(Clone, Copy, PartialEq)]
enum Lang {
    Fr,
    En,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
    fn base(self) -> &'static str {
        match self {
            Lang::Fr => "/aide",
            Lang::En => "/aide/en",
        }
    }
}

/// The guide's first heading (its title) and its body as HTML. Images name a screenshot of the e2e run
/// (`![what it shows](connexion)`): they become the 1280-pixel capture when it exists, else a note.
fn render(markdown: &str, shots: &Path) -> (String, String) {
    let mut title = String::new();
    let mut in_title = false;
    let mut image: Option<String> = None;
    let mut alt = String::new();
    let mut events = Vec::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_HEADING_ATTRIBUTES) {
        match event {
            Event::Start(Tag::Heading { level, .. }) if title.is_empty() && level as u8 == 1 => {
                in_title = true;
                events.push(event);
            }
            Event::End(TagEnd::Heading(_)) if in_title => {
                in_title = false;
                events.push(event);
            }
            Event::Text(ref t) if in_title => {
                title.push_str(t);
                events.push(event);
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some(dest_url.to_string());
                alt.clear();
            }
            Event::Text(t) if image.is_some() => alt.push_str(&t),
            Event::End(TagEnd::Image) => {
                let name = image.take().unwrap_or_default();
                events.push(Event::Html(CowStr::from(figure(&name, &alt, shots))));
            }
            other => events.push(other),
        }
    }
    let mut body = String::new();
    html::push_html(&mut body, events.into_iter());
    (title, body)
}

fn figure(name: &str, alt: &str, shots: &Path) -> String {
    let alt = escape(alt);
    if shot_file(shots, &format!("{name}-1280.png")).is_some() {
        format!(
            "<figure><img src=\"/aide/captures/{name}-1280.png\" alt=\"{alt}\" loading=\"lazy\" width=\"1280\"><figcaption>{alt}</figcaption></figure>"
        )
    } else {
        format!("<p class=\"no-shot\">[{alt}]</p>")
    }
}

/// A screenshot by name: only `[a-z0-9-]+.png` at the top of the folder.
fn shot_file(shots: &Path, name: &str) -> Option<PathBuf> {
    let stem = name.strip_suffix(".png")?;
    let plain = !stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let path = shots.join(name);
    (plain && path.is_file()).then_some(path)
}

fn escape(text: &str) -> String {
    let mut out = String::new();
    pulldown_cmark_escape::escape_html(&mut out, text).ok();
    out
}

const STYLE: &str = "body{font:1rem/1.5 system-ui,sans-serif;max-width:48rem;margin:0 auto;padding:1rem;color:#1b1b1b}\
a{color:#000091}img{max-width:100%;height:auto;border:1px solid #ddd}\
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}\
nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;padding:0}.no-shot{color:#555;font-style:italic}";

fn page(lang: Lang, title: &str, body: &str) -> HttpResponse {
    let (other, other_name, back, nav_label, guides_label) = match lang {
        Lang::Fr => (
            Lang::En,
            "English",
            "Revenir à Boussole",
            "Guides",
            "Guides",
        ),
        Lang::En => (Lang::Fr, "Français", "Back to Boussole", "Guides", "Guides"),
    };
    let names = match lang {
        Lang::Fr => ["Bénéficiaire", "Consultant", "Administrateur"],
        Lang::En => ["Beneficiary", "Consultant", "Administrator"],
    };
    let links: String = GUIDES
        .iter()
        .zip(names)
        .map(|(g, n)| format!("<li><a href=\"{}/{}\">{n}</a></li>", lang.base(), g.slug))
        .collect();
    let skip = if lang == Lang::Fr {
        "Aller au contenu"
    } else {
        "Skip to content"
    };
    let html = format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{title} — Boussole</title>\
<style>{STYLE}</style></head><body><a class=\"skip\" href=\"#contenu\">{skip}</a>\
<nav aria-label=\"{nav_label}\"><ul><li><a href=\"/\">{back}</a></li>{links}\
<li><a href=\"{other_base}\" lang=\"{other_code}\">{other_name}</a></li></ul></nav>\
<main id=\"contenu\" aria-label=\"{guides_label}\">{body}</main></body></html>",
        code = lang.code(),
        title = escape(title),
        other_base = other.base(),
        other_code = other.code(),
    );
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(html)
}

fn index(lang: Lang) -> HttpResponse {
    let (title, intro) = match lang {
        Lang::Fr => (
            "Aide",
            "Choisissez le guide de votre rôle. Chaque tâche y est décrite pas à pas.",
        ),
        Lang::En => (
            "Help",
            "Choose the guide for your role. Each task is described step by step.",
        ),
    };
    page(lang, title, &format!("<h1>{title}</h1><p>{intro}</p>"))
}

fn guide(lang: Lang, slug: &str, shots: &Path) -> HttpResponse {
    let Some(guide) = GUIDES.iter().find(|g| g.slug == slug) else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("Guide introuvable / guide not found");
    };
    let markdown = if lang == Lang::Fr { guide.fr } else { guide.en };
    let (title, body) = render(markdown, shots);
    page(lang, &title, &body)
}

async fn capture(
    name: web::Path<String>,
    shots: web::Data<GuideShots>,
    req: HttpRequest,
) -> HttpResponse {
    match shot_file(&shots.0, &name) {
        Some(path) => match NamedFile::open_async(path).await {
            Ok(file) => file.into_response(&req),
            Err(_) => HttpResponse::NotFound().finish(),
        },
        None => HttpResponse::NotFound().finish(),
    }
}

/// The folder of the e2e run's screenshots.
#[derive(Clone)]
struct GuideShots(PathBuf);

/// Registered before the web app's catch-all, so `/aide…` is never the SPA.
pub fn serve(cfg: &mut web::ServiceConfig, shots: &Path) {
    let data = web::Data::new(GuideShots(shots.to_path_buf()));
    cfg.app_data(data)
        .route("/aide", web::get().to(|| async { index(Lang::Fr) }))
        .route("/aide/", web::get().to(|| async { index(Lang::Fr) }))
        .route("/aide/en", web::get().to(|| async { index(Lang::En) }))
        .route("/aide/captures/{name}", web::get().to(capture))
        .route(
            "/aide/en/{slug}",
            web::get().to(
                |slug: web::Path<String>, s: web::Data<GuideShots>| async move {
                    guide(Lang::En, &slug, &s.0)
                },
            ),
        )
        .route(
            "/aide/{slug}",
            web::get().to(
                |slug: web::Path<String>, s: web::Data<GuideShots>| async move {
                    guide(Lang::Fr, &slug, &s.0)
                },
            ),
        );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_guide_has_a_title_and_sections_with_anchors_in_both_languages() {
        let none = Path::new("/nonexistent");
        for g in &GUIDES {
            for md in [g.fr, g.en] {
                let (title, body) = render(md, none);
                assert!(!title.is_empty(), "{}: no title", g.slug);
                assert!(
                    body.contains("<h2 id=\"se-connecter\">"),
                    "{}: no login section",
                    g.slug
                );
            }
            // The same anchors in both languages, so a screen's "?" link works in either.
            let ids = |md: &str| -> Vec<String> {
                md.lines()
                    .filter_map(|l| l.split("{#").nth(1))
                    .map(|s| s.trim_end_matches('}').to_string())
                    .collect()
            };
            assert_eq!(ids(g.fr), ids(g.en), "{}: anchors differ", g.slug);
        }
    }

    #[test]
    fn a_missing_screenshot_leaves_its_description_and_a_present_one_is_shown() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("connexion-1280.png"), b"png").expect("write");
        let (_, body) = render(
            "# T\n\n![La page](connexion)\n\n![Absente](inscription)\n",
            dir.path(),
        );
        assert!(body.contains("src=\"/aide/captures/connexion-1280.png\" alt=\"La page\""));
        assert!(body.contains("<p class=\"no-shot\">[Absente]</p>"));
        assert!(!body.contains("inscription-1280"));
    }

    #[test]
    fn only_plain_png_names_are_served() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a-1.png"), b"png").expect("write");
        assert!(shot_file(dir.path(), "a-1.png").is_some());
        for bad in [
            "../a-1.png",
            "A-1.png",
            ".png",
            "a-1.PNG",
            "a-1.png/..",
            "a 1.png",
        ] {
            assert!(shot_file(dir.path(), bad).is_none(), "{bad}");
        }
    }
}
