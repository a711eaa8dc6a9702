//! Data shared by the API and the SPA: DTOs, enums, validation rules and the problem document.
//!
//! Inputs are `NewX` / `XPatch` / `XRequest`, outputs `X`. Every field carries a doc comment: with the
//! `openapi` feature these comments become the OpenAPI descriptions.

pub mod audit;
pub mod auth;
pub mod bilans;
pub mod page;
pub mod problem;
pub mod users;

pub use page::{Page, PageQuery};
pub use problem::Problem;
