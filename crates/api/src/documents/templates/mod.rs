//! Document templates (`/api/v1/templates`, admins only): the editable paragraphs of each kind of
//! document, versioned. Every save makes the next version (rows are never updated); version 0 is the
//! built-in wording ([`text`]). A document is rendered with the current version when it is issued,
//! and the version used is journaled with the issue. The legally required mentions are not in
//! templates: they stay fixed in the renderers.

pub mod text;

use boussole_shared::Slug;
use boussole_shared::field_rules::FieldRule;
use std::collections::HashMap;

use actix_web::{get, put, web};
use boussole_shared::documents::DocumentKind;
use boussole_shared::templates::{
    DocumentTemplate, TemplateSection, TemplateSectionText, TemplateUpdate,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::AppState;
use crate::auth::caller::Admin;
use crate::db::{self, Conn, uuid_of};
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::schema::document_templates as t;

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct TemplatePath {
    /// The kind of document (`pre_contract_info`, `tripartite_convention`, `individual_contract`,
    /// `funder_convention`).
    pub kind: String,
}

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_templates)
        .service(template_versions)
        .service(get_template)
        .service(put_template);
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::schema::document_templates)]
struct TemplateRow {
    id: String,
    kind: String,
    version: i64,
    sections: String,
    updated_by: String,
    updated_at: NaiveDateTime,
}

/// A saved version: its texts by key (sections saved before a key existed fall back to the default).
pub struct Saved {
    pub version: i64,
    pub texts: HashMap<String, String>,
    updated_by: Option<String>,
    updated_at: Option<NaiveDateTime>,
}

fn saved(row: TemplateRow) -> Result<Saved, ApiError> {
    let sections: Vec<TemplateSectionText> = serde_json::from_str(&row.sections).map_err(|e| {
        ApiError::internal(format!("document_templates.sections does not parse: {e}"))
    })?;
    Ok(Saved {
        version: row.version,
        texts: sections.into_iter().map(|s| (s.key, s.text)).collect(),
        updated_by: Some(row.updated_by),
        updated_at: Some(row.updated_at),
    })
}

fn builtin() -> Saved {
    Saved {
        version: 0,
        texts: HashMap::new(),
        updated_by: None,
        updated_at: None,
    }
}

/// The current version of `kind`'s template (the built-in one while none was saved).
pub fn current(conn: &mut Conn, kind: DocumentKind) -> Result<Saved, ApiError> {
    let row: Option<TemplateRow> = t::table
        .filter(t::kind.eq(kind.as_str()))
        .order(t::version.desc())
        .select(TemplateRow::as_select())
        .first(conn)
        .optional()?;
    row.map_or_else(|| Ok(builtin()), saved)
}

fn dto(kind: DocumentKind, s: &Saved) -> Result<DocumentTemplate, ApiError> {
    Ok(DocumentTemplate {
        kind,
        version: s.version,
        sections: text::sections(kind)
            .iter()
            .map(|sec| TemplateSection {
                key: sec.key.into(),
                label: sec.label.into(),
                text: s
                    .texts
                    .get(sec.key)
                    .cloned()
                    .unwrap_or_else(|| sec.default.into()),
            })
            .collect(),
        merge_fields: text::merge_fields(),
        updated_by: s.updated_by.as_deref().map(uuid_of).transpose()?,
        updated_at: s.updated_at.map(|t| t.and_utc()),
    })
}

/// A kind with a template, or 404.
fn templated(kind: &str) -> Result<DocumentKind, ApiError> {
    DocumentKind::parse(kind)
        .filter(|k| !text::sections(*k).is_empty())
        .ok_or(ApiError::NotFound)
}

/// The current template of every kind that has one.
#[utoipa::path(tag = "templates",
    responses((status = 200, description = "OK", body = Vec<DocumentTemplate>), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/templates")]
async fn list_templates(
    _admin: Admin,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<DocumentTemplate>>, ApiError> {
    let out = db::run(&state.pool, |conn| {
        text::kinds()
            .map(|kind| dto(kind, &current(conn, kind)?))
            .collect::<Result<Vec<_>, _>>()
    })
    .await?;
    Ok(web::Json(out))
}

/// The current template of a kind (404 for a kind without one).
#[utoipa::path(tag = "templates", params(TemplatePath),
    responses((status = 200, description = "OK", body = DocumentTemplate), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/templates/{kind}")]
async fn get_template(
    _admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<TemplatePath>,
) -> Result<web::Json<DocumentTemplate>, ApiError> {
    let kind = templated(&path.kind)?;
    let out = db::run(&state.pool, move |conn| dto(kind, &current(conn, kind)?)).await?;
    Ok(web::Json(out))
}

/// Every version of a kind's template, the newest first, down to the built-in version 0.
#[utoipa::path(tag = "templates", params(TemplatePath),
    responses((status = 200, description = "OK", body = Vec<DocumentTemplate>), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/templates/{kind}/versions")]
async fn template_versions(
    _admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<TemplatePath>,
) -> Result<web::Json<Vec<DocumentTemplate>>, ApiError> {
    let kind = templated(&path.kind)?;
    let out = db::run(&state.pool, move |conn| {
        let rows: Vec<TemplateRow> = t::table
            .filter(t::kind.eq(kind.as_str()))
            .order(t::version.desc())
            .select(TemplateRow::as_select())
            .load(conn)?;
        let mut out = rows
            .into_iter()
            .map(|r| dto(kind, &saved(r)?))
            .collect::<Result<Vec<_>, ApiError>>()?;
        out.push(dto(kind, &builtin())?);
        Ok(out)
    })
    .await?;
    Ok(web::Json(out))
}

/// The sections of `kind` after `update`, or why not: 400 for an empty or overlong text or a key
/// given twice, 422 `template-invalid` naming each unknown section and each bad merge field.
fn apply(
    kind: DocumentKind,
    current: &Saved,
    update: &TemplateUpdate,
) -> Result<Vec<TemplateSectionText>, ApiError> {
    let known = text::sections(kind);
    let mut fields = crate::error::Fields::default();
    let mut wrong = Vec::new();
    let mut texts: HashMap<&str, &str> = HashMap::new();
    for (n, s) in update.sections.iter().enumerate() {
        let len = s.text.trim().chars().count();
        if len == 0 || s.text.chars().count() > text::MAX_SECTION_CHARS {
            let rule = if len == 0 {
                FieldRule::Required
            } else {
                FieldRule::TooLong
            };
            let message = format!("de 1 à {} caractères", text::MAX_SECTION_CHARS);
            fields.add(&format!("sections[{n}].text"), rule, message);
        }
        if texts.insert(s.key.as_str(), s.text.as_str()).is_some() {
            let field = format!("sections[{n}].key");
            fields.add(&field, FieldRule::Duplicate, "section donnée deux fois");
        }
        if !known.iter().any(|k| k.key == s.key) {
            wrong.push(format!("sections.{}: section inconnue", s.key));
            continue;
        }
        for p in text::problems(&s.text) {
            wrong.push(format!("sections.{}: {p}", s.key));
        }
    }
    fields.done()?;
    if !wrong.is_empty() {
        return Err(ApiError::Rule {
            slug: Slug::TEMPLATE_INVALID,
            detail: "Le modèle n'est pas enregistré : des sections ou des champs de fusion sont \
                     inconnus, ou des accolades sont mal fermées."
                .into(),
            missing: wrong,
        });
    }
    Ok(known
        .iter()
        .map(|k| TemplateSectionText {
            key: k.key.into(),
            text: texts
                .get(k.key)
                .map(|t| t.to_string())
                .or_else(|| current.texts.get(k.key).cloned())
                .unwrap_or_else(|| k.default.into()),
        })
        .collect())
}

/// Saves the next version of a kind's template: `version` must be the current one (409 otherwise,
/// nothing saved); sections left out keep their wording. Documents issued afterwards use it.
#[utoipa::path(tag = "templates", params(TemplatePath), request_body = TemplateUpdate,
    responses((status = 200, description = "The new version", body = DocumentTemplate),
        crate::problems::Write, crate::problems::NotFound, crate::problems::Conflict,
        crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[put("/templates/{kind}")]
async fn put_template(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<TemplatePath>,
    body: JsonBody<TemplateUpdate>,
) -> Result<web::Json<DocumentTemplate>, ApiError> {
    let kind = templated(&path.kind)?;
    let update = body.parse()?;
    let actor = admin.actor();
    let out = db::tx(&state.pool, move |conn| {
        save(conn, kind, &update, &admin.user.id, &actor)
    })
    .await?;
    Ok(web::Json(out))
}

/// Saves `update` as the next version of `kind`'s template, by `user_id` (the route, the demo).
pub fn save(
    conn: &mut Conn,
    kind: DocumentKind,
    update: &TemplateUpdate,
    user_id: &str,
    actor: &crate::journal::Actor,
) -> Result<DocumentTemplate, ApiError> {
    {
        let now = current(conn, kind)?;
        if update.version != now.version {
            return Err(ApiError::conflict(
                Slug::TEMPLATE_CHANGED,
                format!(
                    "Le modèle a changé entre-temps : la version courante est la {}.",
                    now.version
                ),
            ));
        }
        let sections = apply(kind, &now, update)?;
        let row = TemplateRow {
            id: db::new_id(),
            kind: kind.as_str().into(),
            version: now.version + 1,
            sections: serde_json::to_string(&sections).map_err(ApiError::internal)?,
            updated_by: user_id.to_string(),
            updated_at: db::now(),
        };
        diesel::insert_into(t::table).values(&row).execute(conn)?;
        crate::journal::record(
            conn,
            actor,
            "template.update",
            "document_template",
            Some(&row.id),
            serde_json::json!({ "kind": row.kind, "version": row.version }),
        )?;
        dto(kind, &saved(row)?)
    }
}
