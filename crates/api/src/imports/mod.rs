//! CSV imports (issue 15, item 6): a dry run reports every bad line with its number and why, then
//! an all-or-nothing import in one transaction. Beneficiaries (admins, or an API key with
//! `beneficiaries:write`), each invited as `POST /api/v1/beneficiaries` does; companies as payers
//! (admins).

mod beneficiaries;
mod companies;
mod file;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use boussole_shared::imports::{ImportKind, ImportLineError, ImportQuery, ImportReport};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::AppState;
use crate::auth::caller::{Admin, ApiCaller, BeneficiariesWrite};
use crate::db::{self, Conn};
use crate::error::ApiError;
use file::Line;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(import_beneficiaries)
        .service(import_companies)
        .service(template);
}

#[derive(Debug, serde::Deserialize, IntoParams)]
struct KindPath {
    /// `beneficiaries` or `companies`.
    kind: ImportKind,
}

/// The report of a checked file; `valid` counts the good lines.
fn report_of(
    dry_run: bool,
    lines: usize,
    valid: usize,
    mut errors: Vec<ImportLineError>,
) -> ImportReport {
    errors.sort_by_key(|e| e.line);
    ImportReport {
        dry_run,
        lines: lines as u32,
        valid: valid as u32,
        errors,
        created: vec![],
    }
}

/// Imports beneficiaries from a CSV file (admins, or an API key with `beneficiaries:write`).
///
/// Body: `text/csv`, UTF-8, `;` or `,` separated, a header row then one beneficiary a line; 2 MB and
/// 5,000 lines at most. Columns (header names, any order): `email`, `first_name`, `last_name`
/// (required), `civility` (`mme`, `m`), `phone`, `locale` (`fr`, `en`), `date_of_birth`
/// (`AAAA-MM-JJ` or `JJ/MM/AAAA`), `situation` (`employee_cdi`, `employee_cdd`, `employee_interim`,
/// `public_sector`, `job_seeker`, `self_employed`, `other`), `current_job`, `education_level`,
/// `employer_name`, `employer_siret` (Luhn key checked), `employer_contact`, `cep_adviser`,
/// `external_ref`. `GET /api/v1/imports/beneficiaries/template` gives the header and an example.
///
/// `?dry_run=true` (the default) checks every line and creates nothing: the report lists each bad
/// line (1 is the header, the first data line 2) and why — a bad or duplicate address (in the file
/// or already an account), a missing name, an unknown situation, a bad SIRET, a duplicate
/// `external_ref`. `?dry_run=false` imports all the lines in one transaction, each beneficiary
/// invited to choose a password; any bad line answers 422 `import-invalid` with the same `errors`,
/// and nothing is created.
#[utoipa::path(tag = "imports", params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The CSV file, header row first"),
    responses((status = 200, description = "Checked (dry run) or imported", body = ImportReport),
        crate::problems::Write, crate::problems::ImportInvalid),
    security(("bearer" = []), ("api_key" = [])))]
#[post("/imports/beneficiaries")]
async fn import_beneficiaries(
    caller: ApiCaller<BeneficiariesWrite>,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<web::Json<ImportReport>, ApiError> {
    let file = (beneficiaries::COLUMNS, beneficiaries::REQUIRED);
    let st = state.clone();
    let report = run(
        &state,
        &req,
        payload,
        file,
        beneficiaries::check,
        move |conn, good| {
            let inviter = crate::beneficiaries::inviter(conn, &caller)?;
            let actor = caller.actor();
            let mut created = Vec::with_capacity(good.len());
            for new in good {
                let profile = crate::beneficiaries::insert(conn, &st, &actor, &inviter, new)?;
                created.push(profile.person.id);
            }
            journal(conn, &actor, ImportKind::Beneficiaries, created.len())?;
            Ok(created)
        },
    )
    .await?;
    Ok(web::Json(report))
}

/// Imports companies as payers from a CSV file (admins).
///
/// Body: `text/csv` as for beneficiaries. Columns: `name`, `siret` (14 digits, Luhn key checked),
/// `address` (required), `vat_number`, `contact_name`, `email`, `external_ref`.
/// `GET /api/v1/imports/companies/template` gives the header and an example. `?dry_run=true` (the
/// default) reports every bad line (a bad SIRET, a SIRET twice in the file, an `external_ref` in
/// the file twice or already recorded…); `?dry_run=false` imports all or nothing (422
/// `import-invalid`).
#[utoipa::path(tag = "imports", params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The CSV file, header row first"),
    responses((status = 200, description = "Checked (dry run) or imported", body = ImportReport),
        crate::problems::Write, crate::problems::ImportInvalid),
    security(("bearer" = [])))]
#[post("/imports/companies")]
async fn import_companies(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<web::Json<ImportReport>, ApiError> {
    let file = (companies::COLUMNS, companies::REQUIRED);
    let actor = admin.actor();
    let report = run(
        &state,
        &req,
        payload,
        file,
        companies::check,
        move |conn, good| {
            let mut created = Vec::with_capacity(good.len());
            for new in good {
                let row = crate::money::payers::create(conn, &actor, new.clone())?;
                created.push(db::uuid_of(&row.id)?);
            }
            journal(conn, &actor, ImportKind::Companies, created.len())?;
            Ok(created)
        },
    )
    .await?;
    Ok(web::Json(report))
}

/// The lines of a file, checked: the good ones and the errors of the others.
type Checked<T> = Result<(Vec<T>, Vec<ImportLineError>), ApiError>;

/// The frame both imports share: read the file (after the caller was authorised), check every line,
/// answer the report on a dry run; otherwise create the good lines with `create` in the same
/// transaction as the checks, or nothing when any line is bad (422 `import-invalid`).
async fn run<T, C>(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    payload: web::Payload,
    (columns, required): (&'static [&'static str], &'static [&'static str]),
    check: fn(&mut Conn, &[Line]) -> Checked<T>,
    mut create: C,
) -> Result<ImportReport, ApiError>
where
    T: Send + 'static,
    C: FnMut(&mut Conn, &[T]) -> Result<Vec<Uuid>, ApiError> + Send + 'static,
{
    let dry_run = crate::json::query::<ImportQuery>(req)?
        .dry_run
        .unwrap_or(true);
    let text = file::read(req, payload).await?;
    let (lines, errors) = file::parse(&text, columns, required)?;
    db::tx(&state.pool, move |conn| {
        let (good, mut errs) = check(conn, &lines)?;
        errs.extend(errors.clone());
        let mut report = report_of(dry_run, lines.len(), good.len(), errs);
        if dry_run {
            return Ok(report);
        }
        if !report.errors.is_empty() {
            return Err(ApiError::ImportInvalid(report.errors));
        }
        report.created = create(conn, &good)?;
        Ok(report)
    })
    .await
}

/// One journal entry per import, with how many records it created.
fn journal(
    conn: &mut Conn,
    actor: &crate::journal::Actor,
    kind: ImportKind,
    created: usize,
) -> Result<(), ApiError> {
    let details = serde_json::json!({ "kind": kind.as_str(), "created": created });
    let action = format!("import.{}", kind.as_str());
    crate::journal::record(conn, actor, &action, "import", None, details)?;
    Ok(())
}

/// An import's template: the header row and one example line (admins, or an API key with
/// `beneficiaries:write`).
#[utoipa::path(tag = "imports", params(KindPath),
    responses((status = 200, description = "The template", body = String, content_type = "text/csv"),
        crate::problems::Read, crate::problems::BadRequest),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/imports/{kind}/template")]
async fn template(
    _caller: ApiCaller<BeneficiariesWrite>,
    path: web::Path<KindPath>,
) -> HttpResponse {
    let (name, body) = match path.kind {
        ImportKind::Beneficiaries => ("beneficiaires", beneficiaries::TEMPLATE),
        ImportKind::Companies => ("entreprises", companies::TEMPLATE),
    };
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"modele-{name}.csv\""),
        ))
        .body(body)
}
