//! Direct threads between two staff members (admins and consultants): one per pair, started by either
//! with `POST /conversations`, listed with their bilan threads. Not bilan content: no bilan, no bilan
//! key, no access journal; their texts are sealed under a key derived from the master key and the
//! thread's id, and only their two members read them (anyone else: 404). Attachments are bilan files,
//! so a direct thread takes none.

use actix_web::{HttpResponse, get, post, web};
use boussole_shared::Slug;
use boussole_shared::bilans::PersonRef;
use boussole_shared::messages::{ConversationSummary, NewDirectConversation};
use boussole_shared::users::Role;
use diesel::prelude::*;

use super::store;
use crate::AppState;
use crate::auth::caller::Staff;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::schema::{conversation_members as cm, conversations as c, users};

/// Whether `user` is one of the two members of the direct thread.
pub fn is_member(conn: &mut Conn, conversation_id: &str, user: &str) -> QueryResult<bool> {
    let n: i64 = cm::table
        .filter(cm::conversation_id.eq(conversation_id))
        .filter(cm::user_id.eq(user))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The two members of a direct thread.
pub fn members(conn: &mut Conn, conversation_id: &str) -> QueryResult<Vec<String>> {
    cm::table
        .filter(cm::conversation_id.eq(conversation_id))
        .order(cm::user_id.asc())
        .select(cm::user_id)
        .load(conn)
}

/// The direct threads `user` is a member of.
pub fn threads_of(conn: &mut Conn, user: &str) -> QueryResult<Vec<String>> {
    cm::table
        .filter(cm::user_id.eq(user))
        .select(cm::conversation_id)
        .load(conn)
}

/// The active admins and consultants but `me` (only `only` when given): id, first and last name.
fn colleagues(
    conn: &mut Conn,
    me: &str,
    only: Option<&str>,
) -> QueryResult<Vec<(String, String, String)>> {
    let mut query = users::table
        .filter(users::role.eq_any([Role::Admin.as_str(), Role::Consultant.as_str()]))
        .filter(users::is_active.eq(true))
        .filter(users::id.ne(me))
        .into_boxed();
    if let Some(only) = only {
        query = query.filter(users::id.eq(only));
    }
    query
        .order((
            users::last_name.asc(),
            users::first_name.asc(),
            users::id.asc(),
        ))
        .select((users::id, users::first_name, users::last_name))
        .load(conn)
}

/// The staff members one may write to: active admins and consultants, but oneself, by name.
pub fn contacts(conn: &mut Conn, me: &str) -> Result<Vec<PersonRef>, ApiError> {
    colleagues(conn, me, None)?
        .into_iter()
        .map(|(id, first_name, last_name)| {
            Ok(PersonRef {
                id: db::uuid_of(&id)?,
                first_name,
                last_name,
            })
        })
        .collect()
}

/// The pair's thread and whether this call created it. The unique `pair_key` decides between two
/// first calls at once: the second inserts nothing and reads the first one's thread.
pub fn ensure_pair(conn: &mut Conn, me: &str, other: &str) -> Result<(String, bool), ApiError> {
    if colleagues(conn, me, Some(other))?.is_empty() {
        return Err(ApiError::Rule {
            slug: Slug::NOT_A_COLLEAGUE,
            detail: "Un fil direct se tient avec un autre membre actif de l'équipe (admin ou consultant).".into(),
            missing: vec!["with".into()],
        });
    }
    let pair = if me < other {
        format!("{me}:{other}")
    } else {
        format!("{other}:{me}")
    };
    let find = |conn: &mut Conn| -> QueryResult<Option<String>> {
        c::table
            .filter(c::pair_key.eq(&pair))
            .select(c::id)
            .first(conn)
            .optional()
    };
    if let Some(id) = find(conn)? {
        return Ok((id, false));
    }
    let (id, now) = (db::new_id(), db::now());
    let inserted = crate::on_backend!(conn, |co| {
        diesel::insert_into(c::table)
            .values((
                c::id.eq(&id),
                c::kind.eq("direct"),
                c::pair_key.eq(&pair),
                c::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(co)
    })?;
    if inserted == 0 {
        return find(conn)?.map(|id| (id, false)).ok_or(ApiError::NotFound);
    }
    for user in [me, other] {
        diesel::insert_into(cm::table)
            .values((cm::conversation_id.eq(&id), cm::user_id.eq(user)))
            .execute(conn)?;
    }
    Ok((id, true))
}

/// Opens the direct thread with another admin or consultant: 201 the first time, 200 with the same
/// thread afterwards (whichever of the two asks). With a beneficiary, oneself or an inactive account:
/// 422 naming `with`.
#[utoipa::path(tag = "messages", request_body = NewDirectConversation,
    responses((status = 201, description = "Created", body = ConversationSummary),
        (status = 200, description = "The pair's thread, already there", body = ConversationSummary),
        crate::problems::Write, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/conversations")]
async fn create_conversation(
    Staff { viewer, .. }: Staff,
    state: web::Data<AppState>,
    body: JsonBody<NewDirectConversation>,
) -> Result<HttpResponse, ApiError> {
    let new = body.validated()?;
    let (summary, created) = db::tx(&state.pool, move |conn| {
        let (id, created) = ensure_pair(conn, viewer.id(), &new.with.to_string())?;
        let summary = store::summaries(conn, &viewer)?
            .into_iter()
            .find(|s| s.id.to_string() == id)
            .ok_or(ApiError::NotFound)?;
        Ok((summary, created))
    })
    .await?;
    Ok(if created {
        HttpResponse::Created().json(summary)
    } else {
        HttpResponse::Ok().json(summary)
    })
}

/// The colleagues one may start a direct thread with: the active admins and consultants but oneself.
#[utoipa::path(tag = "messages",
    responses((status = 200, description = "OK", body = Vec<PersonRef>), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/conversations/contacts")]
async fn list_contacts(
    Staff { viewer, .. }: Staff,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<PersonRef>>, ApiError> {
    let people = db::run(&state.pool, move |conn| contacts(conn, viewer.id())).await?;
    Ok(web::Json(people))
}
