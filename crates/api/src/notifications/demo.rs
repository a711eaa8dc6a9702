//! The demo's notification centres, made from what the demo story holds: each message of a thread
//! for the others of it, each assignment for the consultant and the beneficiary, each questionnaire
//! still to fill; the appointments and documents the story booked and issued were notified as they
//! happened (dated here at their booking). What is older than two days is read, as is every message
//! its reader has read, so each account opens on a few unread ones. The admins, and a consultant the
//! story gives no bilan, have a colleague's messages (direct staff threads); a beneficiary without a
//! bilan yet, a resource shared with them. Each library resource shared with a beneficiary told them so.

use boussole_shared::assessments::AssessmentStatus;
use boussole_shared::notifications::NotificationKind;
use boussole_shared::users::Role;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::store::{self, Entry};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::{
    appointments, assessments, bilan_consultants, bilans, conversation_messages as m,
    conversation_reads as r, conversations as c, notifications as n, resource_shares as rs,
    resources, users,
};

type Person = (String, String, String, String);

fn people(conn: &mut Conn) -> QueryResult<Vec<Person>> {
    users::table
        .filter(users::is_active.eq(true))
        .select((users::id, users::role, users::first_name, users::last_name))
        .load(conn)
}

fn name(people: &[Person], id: &str) -> Option<String> {
    people
        .iter()
        .find(|p| p.0 == id)
        .map(|p| format!("{} {}", p.2, p.3))
}

fn add(conn: &mut Conn, e: Entry<'_>, read: bool) -> QueryResult<()> {
    let id = store::insert(conn, e)?;
    if read {
        diesel::update(n::table.find(&id))
            .set(n::read_at.eq(e.at + Duration::hours(2)))
            .execute(conn)?;
    }
    Ok(())
}

/// Who takes part in a bilan's thread now (`messages::store::participants`, passed by the caller:
/// messages publishes notifications, so notifications does not import it).
pub type Participants = fn(&mut Conn, &str) -> QueryResult<Vec<String>>;

/// Each message, for the others of its thread (its bilan's beneficiary and consultants now).
fn messages(
    conn: &mut Conn,
    people: &[Person],
    participants: Participants,
) -> Result<(), ApiError> {
    let rows: Vec<(String, String, String, NaiveDateTime)> = m::table
        .inner_join(c::table)
        .filter(c::bilan_id.is_not_null())
        .filter(m::withdrawn_at.is_null())
        .select((m::conversation_id, m::author_id, m::id, m::created_at))
        .order(m::created_at.asc())
        .load(conn)?;
    for (conversation, author, _, at) in rows {
        let bilan: Option<String> = c::table
            .find(&conversation)
            .select(c::bilan_id)
            .first(conn)?;
        let Some(bilan) = bilan else { continue };
        let link = format!("/messages/{conversation}");
        let author_name = name(people, &author);
        for user in participants(conn, &bilan)? {
            if user == author {
                continue;
            }
            let beneficiary = people.iter().any(|p| p.0 == user && p.1 == "beneficiary");
            let title = if beneficiary {
                "Nouveau message de votre consultant"
            } else {
                "Nouveau message d'un bénéficiaire que vous accompagnez"
            };
            let read_up_to: Option<NaiveDateTime> = r::table
                .find((&conversation, &user))
                .select(r::read_up_to)
                .first(conn)
                .optional()?
                .flatten();
            let read = read_up_to.is_some_and(|t| t >= at);
            let entry = Entry {
                user: &user,
                kind: NotificationKind::MessageReceived,
                title,
                subject: author_name.as_deref(),
                link: &link,
                at,
            };
            add(conn, entry, read)?;
        }
    }
    Ok(())
}

/// Each current assignment, for its consultant and its beneficiary.
fn assignments(conn: &mut Conn, people: &[Person], recent: NaiveDateTime) -> QueryResult<()> {
    let rows: Vec<(String, String, String, NaiveDateTime)> = bilan_consultants::table
        .inner_join(bilans::table)
        .filter(bilan_consultants::unassigned_at.is_null())
        .filter(bilans::content_destroyed_at.is_null())
        .select((
            bilans::id,
            bilans::beneficiary_id,
            bilan_consultants::consultant_id,
            bilan_consultants::assigned_at,
        ))
        .load(conn)?;
    for (bilan, beneficiary, consultant, at) in rows {
        let (Some(b), Some(k)) = (name(people, &beneficiary), name(people, &consultant)) else {
            continue;
        };
        let read = at < recent;
        let title = format!("Votre bilan est désormais suivi par {k}");
        let entry = Entry {
            user: &beneficiary,
            kind: NotificationKind::ConsultantAssigned,
            title: &title,
            subject: Some(&k),
            link: "/beneficiaire",
            at,
        };
        add(conn, entry, read)?;
        let (title, link) = (
            format!("Le bilan de {b} vous est confié"),
            format!("/bilans/{bilan}"),
        );
        let entry = Entry {
            user: &consultant,
            kind: NotificationKind::ConsultantAssigned,
            title: &title,
            subject: Some(&b),
            link: &link,
            at,
        };
        add(conn, entry, read)?;
    }
    Ok(())
}

/// Each questionnaire still to fill, for the beneficiary.
fn questionnaires(conn: &mut Conn, people: &[Person], recent: NaiveDateTime) -> QueryResult<()> {
    let rows: Vec<(String, String, String, NaiveDateTime)> = assessments::table
        .inner_join(bilans::table.on(bilans::id.eq(assessments::bilan_id)))
        .filter(assessments::status.ne(AssessmentStatus::Submitted.as_str()))
        .select((
            assessments::id,
            bilans::beneficiary_id,
            assessments::assigned_by,
            assessments::assigned_at,
        ))
        .load(conn)?;
    for (id, beneficiary, by, at) in rows {
        let link = format!("/beneficiaire/questionnaires/{id}");
        let who = name(people, &by);
        let entry = Entry {
            user: &beneficiary,
            kind: NotificationKind::QuestionnaireAssigned,
            title: "Un questionnaire vous attend",
            subject: who.as_deref(),
            link: &link,
            at,
        };
        add(conn, entry, at < recent)?;
    }
    Ok(())
}

/// Each resource shared with a beneficiary (the library's demo shares, made before), at its share.
fn shares(conn: &mut Conn, recent: NaiveDateTime) -> QueryResult<()> {
    let rows: Vec<(String, String, NaiveDateTime)> = rs::table
        .inner_join(resources::table)
        .select((rs::beneficiary_id, resources::title, rs::shared_at))
        .load(conn)?;
    for (beneficiary, title, at) in rows {
        let heading = format!("Une ressource a été partagée avec vous : « {title} »");
        let entry = Entry {
            user: &beneficiary,
            kind: NotificationKind::ResourceShared,
            title: &heading,
            subject: Some(&title),
            link: "/ressources",
            at,
        };
        add(conn, entry, at < recent)?;
    }
    Ok(())
}

/// The appointments' notifications, written when the story booked them, dated at their booking.
fn date_appointments(conn: &mut Conn) -> QueryResult<()> {
    let rows: Vec<(String, String)> = n::table
        .filter(n::link.like("/rendez-vous/%"))
        .select((n::id, n::link))
        .load(conn)?;
    for (id, link) in rows {
        let appointment = link.trim_start_matches("/rendez-vous/");
        let booked: Option<NaiveDateTime> = appointments::table
            .find(appointment)
            .select(appointments::updated_at)
            .first(conn)
            .optional()?;
        if let Some(at) = booked {
            diesel::update(n::table.find(&id))
                .set(n::created_at.eq(at))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// What is older than `recent` is read; each person keeps at least their newest unread.
fn settle(conn: &mut Conn, people: &[Person], recent: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        n::table
            .filter(n::created_at.lt(recent))
            .filter(n::read_at.is_null())
            .filter(n::kind.ne(NotificationKind::MessageReceived.as_str())),
    )
    .set(n::read_at.eq(recent))
    .execute(conn)?;
    for (user, ..) in people {
        if store::unread(conn, user)? > 0 {
            continue;
        }
        let newest: Option<String> = n::table
            .filter(n::user_id.eq(user))
            .order((n::created_at.desc(), n::id.desc()))
            .select(n::id)
            .first(conn)
            .optional()?;
        if let Some(id) = newest {
            diesel::update(n::table.find(&id))
                .set(n::read_at.eq(None::<NaiveDateTime>))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// How many notifications `user` has so far.
fn told(conn: &mut Conn, user: &str) -> QueryResult<i64> {
    n::table
        .filter(n::user_id.eq(user))
        .count()
        .get_result(conn)
}

/// The admins, and staff the story left without any, hear from a colleague (direct staff threads).
fn colleagues(conn: &mut Conn, people: &[Person], now: NaiveDateTime) -> QueryResult<()> {
    let staff = |p: &&Person| p.1 != Role::Beneficiary.as_str();
    for (id, role, ..) in people.iter().filter(staff) {
        if told(conn, id)? > 0 && role != Role::Admin.as_str() {
            continue;
        }
        let colleague = people
            .iter()
            .filter(staff)
            .find(|p| p.0 != *id && p.1 == Role::Consultant.as_str())
            .map(|p| format!("{} {}", p.2, p.3));
        for (hours, read) in [(30, true), (3, false)] {
            let entry = Entry {
                user: id,
                kind: NotificationKind::MessageReceived,
                title: "Nouveau message d'un collègue",
                subject: colleague.as_deref(),
                link: "/messages",
                at: now - Duration::hours(hours),
            };
            add(conn, entry, read)?;
        }
    }
    Ok(())
}

/// Beneficiaries the story gives no bilan yet (accounts waiting for their request): a consultant
/// shared the library's resources with them.
fn resources(conn: &mut Conn, people: &[Person], now: NaiveDateTime) -> QueryResult<()> {
    let consultant = people
        .iter()
        .find(|p| p.1 == Role::Consultant.as_str())
        .map(|p| format!("{} {}", p.2, p.3));
    for (id, ..) in people.iter().filter(|p| p.1 == Role::Beneficiary.as_str()) {
        if told(conn, id)? > 0 {
            continue;
        }
        let entry = Entry {
            user: id,
            kind: NotificationKind::ResourceShared,
            title: "Une ressource a été partagée avec vous",
            subject: consultant.as_deref(),
            link: "/ressources",
            at: now - Duration::hours(20),
        };
        add(conn, entry, false)?;
    }
    Ok(())
}

/// Seeds every demo account's notifications (after the story, its messages and its documents).
pub fn seed(conn: &mut Conn, participants: Participants) -> anyhow::Result<()> {
    let go = |conn: &mut Conn| -> Result<(), ApiError> {
        let now = db::now();
        let recent = now - Duration::days(2);
        let people = people(conn)?;
        date_appointments(conn)?;
        messages(conn, &people, participants)?;
        assignments(conn, &people, recent)?;
        questionnaires(conn, &people, recent)?;
        shares(conn, recent)?;
        colleagues(conn, &people, now)?;
        resources(conn, &people, now)?;
        settle(conn, &people, recent)?;
        Ok(())
    };
    db::transaction(conn, go).map_err(|e| anyhow::anyhow!("demo notifications: {e}"))
}
