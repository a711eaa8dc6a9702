//! Factur-X (EN 16931 profile): the invoice as UN/CEFACT CII XML ([`cii_xml`]), embedded into its
//! PDF made PDF/A-3 ([`embed`]). Business customers receive it (DOMAIN.md §4.3); the XML is checked
//! against the official schema (and the EN 16931 business rules when the checker is available) by
//! an independent validator, the `factur-x` Python package, in the tests.

mod embed;
mod parties;
mod xml;

pub use embed::{FILE_NAME, embed};
pub use xml::{Context, cii_xml, cii_xml_with};

#[cfg(test)]
mod tests;
