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

/// A closed set of codes the API sends in kebab-case, each with a text said by `$text_fn` (the
/// conditions in French, the field rules in English): `ALL`, `as_str`, `parse`, the text, `TABLE` (each
/// code with its text, which the SPA's language tables hold as data) and `Display`.
macro_rules! coded_enum {
    (
        $(#[$doc:meta])* $name:ident, $(#[$text_doc:meta])* fn $text_fn:ident;
        $($(#[$vdoc:meta])* $variant:ident = $code:literal, $text:literal;)*
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "kebab-case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// Every code, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// Each code with its text, in `ALL`'s order.
            pub const TABLE: [[&'static str; 2]; Self::ALL.len()] = [$([$code, $text],)*];

            /// The code the API sends.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)*
                }
            }

            $(#[$text_doc])*
            pub const fn $text_fn(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            /// The value sent as `code`, if any.
            pub fn parse(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|c| c.as_str() == code)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
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
pub mod field_rules;
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

#[cfg(test)]
mod tests {
    /// The codes of a `coded_enum!`: unique, kebab-case, parsed back, and serialised as sent (serde's
    /// names are the OpenAPI schema's, `as_str` is what the API sends).
    pub fn check_codes<T>(all: &[T], code: fn(T) -> &'static str, parse: fn(&str) -> Option<T>)
    where
        T: Copy + PartialEq + std::fmt::Debug + serde::Serialize,
    {
        let mut seen = std::collections::HashSet::new();
        for value in all {
            let text = code(*value);
            assert!(seen.insert(text), "{text} twice");
            assert!(
                text.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{text}"
            );
            assert_eq!(parse(text), Some(*value));
            assert_eq!(serde_json::to_value(value).ok(), Some(text.into()));
        }
    }
}
