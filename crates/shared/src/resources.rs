//! The shared resources library (issue 14, item 5; Qualiopi indicator 19): occupation sheets, training
//! offers, articles that staff curate and make available to every beneficiary or to those they share
//! them with. Each time a beneficiary opens one, an access is logged: the organisation shows with it
//! which resources each beneficiary used.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

use crate::bilans::PersonRef;

/// The largest file a resource may hold, in bytes (10 MiB, like bilan files: `bilans::MAX_FILE_BYTES`).
pub const MAX_RESOURCE_FILE_BYTES: usize = 10 * 1024 * 1024;
/// The longest link, in characters.
pub const MAX_RESOURCE_URL_CHARS: usize = 2000;
/// How many tags a resource may carry, and the length of each.
pub const MAX_RESOURCE_TAGS: usize = 10;
pub const MAX_RESOURCE_TAG_CHARS: usize = 40;
/// How many beneficiaries one share request may name.
pub const MAX_SHARES_PER_REQUEST: u64 = 100;

str_enum!(
    /// What a resource is: a link to a page elsewhere, or a file kept (encrypted) by Boussole.
    ResourceKind {
        Link = "link",
        File = "file",
    }
);

str_enum!(
    /// Who among the beneficiaries sees it: every one, or only those it is shared with.
    ResourceAudience {
        All = "all",
        Shared = "shared",
    }
);

/// One resource of the library.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Resource {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub kind: ResourceKind,
    pub audience: ResourceAudience,
    /// The address of a link resource (`null` for a file).
    pub url: Option<String>,
    /// The file of a file resource, once uploaded (`null` before, and for a link).
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    /// Its size in bytes.
    pub size: Option<i64>,
    /// Free labels to find it again ("métiers", "formation", "CPF").
    pub tags: Vec<String>,
    pub created_by: PersonRef,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set once archived: beneficiaries no longer see it; the access log keeps it.
    pub archived_at: Option<DateTime<Utc>>,
    /// Staff only (`null` for beneficiaries): how many beneficiaries it is shared with.
    pub shared_count: Option<i64>,
    /// Staff only (`null` for beneficiaries): how many times beneficiaries opened it.
    pub open_count: Option<i64>,
}

/// `POST /api/v1/resources` (admins and consultants).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewResource {
    /// 1 to 200 characters.
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::users::printable")
    )]
    pub title: String,
    /// Up to 2 000 characters.
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    pub kind: ResourceKind,
    /// Required for a link (an http or https URL, up to 2 000 characters); refused for a file.
    #[validate(custom(function = "resource_url"))]
    pub url: Option<String>,
    /// Up to 10 tags of 1 to 40 characters.
    #[serde(default)]
    #[validate(custom(function = "resource_tags"))]
    pub tags: Vec<String>,
    pub audience: ResourceAudience,
}

/// `PATCH /api/v1/resources/{id}`: the fields to change (the kind never changes).
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateResource {
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::users::printable")
    )]
    pub title: Option<String>,
    /// A new description; an empty string removes it.
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    /// A new address (link resources only).
    #[validate(custom(function = "resource_url"))]
    pub url: Option<String>,
    #[validate(custom(function = "resource_tags"))]
    pub tags: Option<Vec<String>>,
    pub audience: Option<ResourceAudience>,
}

/// `POST /api/v1/resources/{id}/shares`: the beneficiaries to share it with (1 to 100).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourceShares {
    #[validate(length(min = 1, max = 100))]
    pub beneficiary_ids: Vec<Uuid>,
}

/// One beneficiary a resource is shared with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourceShare {
    pub beneficiary: PersonRef,
    pub shared_by: PersonRef,
    pub shared_at: DateTime<Utc>,
}

/// What `POST /api/v1/resources/{id}/open` answers: the address to open (`null` for a file: download
/// it from `GET …/file`, which logs the access itself).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourceOpened {
    pub url: Option<String>,
}

/// One time a beneficiary opened a resource (the evidence of Qualiopi indicator 19).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourceAccess {
    pub resource_id: Uuid,
    pub resource_title: String,
    pub person: PersonRef,
    pub at: DateTime<Utc>,
}

/// Filters of `GET /api/v1/resources`.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ResourceFilter {
    /// Page number, from 1 (default 1).
    pub page: Option<i64>,
    /// Items per page, 1 to 100 (default 20).
    pub per_page: Option<i64>,
    /// Words found in the title or the description (case-insensitive).
    pub q: Option<String>,
    /// Only resources carrying this tag (exact).
    pub tag: Option<String>,
    /// Staff: archived resources too (default: not). Ignored for beneficiaries.
    pub include_archived: Option<bool>,
}

/// Filters of `GET /api/v1/resources/accesses`.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ResourceAccessFilter {
    /// Page number, from 1 (default 1).
    pub page: Option<i64>,
    /// Items per page, 1 to 100 (default 20).
    pub per_page: Option<i64>,
    /// Only this beneficiary's accesses.
    pub beneficiary_id: Option<Uuid>,
    /// Only the accesses to this resource.
    pub resource_id: Option<Uuid>,
}

fn fail(code: &'static str, message: &'static str) -> Result<(), validator::ValidationError> {
    Err(validator::ValidationError::new(code).with_message(message.into()))
}

/// An http(s) address with a host, without spaces or control characters, up to 2 000 characters.
pub fn resource_url(url: &str) -> Result<(), validator::ValidationError> {
    if url.chars().count() > MAX_RESOURCE_URL_CHARS {
        return fail("length", "doit contenir au plus 2000 caractères");
    }
    // The scheme is case-insensitive ("HTTPS://…" is a valid address); both prefixes are ASCII.
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        url.get(8..)
    } else if lower.starts_with("http://") {
        url.get(7..)
    } else {
        None
    };
    let Some(rest) = rest else {
        return fail("url", "doit être une adresse http ou https");
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let bad = |c: char| c.is_whitespace() || c.is_control();
    if host.is_empty() || host.starts_with(['.', ':', '@']) || url.chars().any(bad) {
        return fail("url", "doit être une adresse http ou https");
    }
    Ok(())
}

/// Up to 10 tags, each 1 to 40 printable characters without surrounding spaces.
pub fn resource_tags(tags: &[String]) -> Result<(), validator::ValidationError> {
    if tags.len() > MAX_RESOURCE_TAGS {
        return fail("count", "au plus 10 étiquettes");
    }
    for tag in tags {
        let n = tag.chars().count();
        if n == 0 || n > MAX_RESOURCE_TAG_CHARS || tag.trim() != tag {
            return fail(
                "tag",
                "chaque étiquette contient de 1 à 40 caractères, sans espace autour",
            );
        }
        crate::users::printable(tag)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{resource_tags, resource_url};

    #[test]
    fn urls_must_be_http_with_a_host() {
        for ok in [
            "https://www.francetravail.fr/",
            "http://a.fr",
            "HTTPS://Example.org/x?y#z",
        ] {
            assert!(resource_url(ok).is_ok(), "{ok}");
        }
        let long = format!("https://a.fr/{}", "x".repeat(2000));
        for bad in [
            "javascript:alert(1)",
            "ftp://a.fr",
            "https://",
            "https:///x",
            "https://a .fr",
            "a.fr",
            &long,
        ] {
            assert!(resource_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tags_are_few_and_short() {
        assert!(resource_tags(&["métiers".into(), "CPF".into()]).is_ok());
        assert!(resource_tags(&["".into()]).is_err());
        assert!(resource_tags(&[" a".into()]).is_err());
        assert!(resource_tags(&["x".repeat(41)]).is_err());
        assert!(resource_tags(&vec!["a".to_string(); 11]).is_err());
    }
}
