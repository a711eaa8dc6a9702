//! Data shared by the API and the SPA: DTOs, enums, validation rules and the problem document.
//!
//! Inputs are `NewX` / `XPatch` / `XRequest`, outputs `X`. Every field carries a doc comment: with the
//! `openapi` feature these comments become the OpenAPI descriptions.

/// A closed set of values serialised as snake_case strings, with `ALL`, `as_str` and `parse` (the
/// database stores the same strings).
macro_rules! str_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        // utoipa does not see a `rename` whose string comes through a macro variable, and documented
        // the Rust names; every text is its variant's snake_case, which `rename_all` tells it (the
        // API's openapi test checks the two agree).
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* #[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text),+ } }
            pub fn parse(s: &str) -> Option<$name> { match s { $($text => Some($name::$variant),)+ _ => None } }
        }
    };
}

pub mod access;
pub mod appointments;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod bilans;
pub mod conditions;
pub mod cpf;
pub mod documents;
pub mod imports;
pub mod integrations;
pub mod messages;
pub mod money;
pub mod notifications;
pub mod page;
pub mod problem;
pub mod projection;
pub mod resources;
pub mod retention;
pub mod rules;
pub mod signatures;
pub mod synthesis;
pub mod templates;
pub mod time;
pub mod users;

pub use page::{Page, PageQuery};
pub use problem::{Problem, Slug};
