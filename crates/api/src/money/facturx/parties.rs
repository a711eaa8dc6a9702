//! The parties of a Factur-X (seller BG-4, buyer BG-7, their addresses) and the invoice's notes
//! (BG-1) with the French mentions: registration, late-payment penalties, the €40 indemnity.

use std::fmt::Write;

use boussole_shared::documents::OrganisationIdentity;
use boussole_shared::money::Payer;

use super::xml::{Context, esc};

/// Notes with their UNTDID 4451 subject: registration (REG), payment terms (PMD, PMT).
pub(super) fn notes(org: &OrganisationIdentity, ctx: &Context) -> Vec<(&'static str, String)> {
    let mut notes = Vec::new();
    let mut reg: Vec<String> = Vec::new();
    if !org.legal_form.trim().is_empty() {
        reg.push(org.legal_form.trim().to_string());
    }
    if !org.share_capital.trim().is_empty() {
        reg.push(format!("au capital de {}", org.share_capital.trim()));
    }
    if !org.rcs_city.trim().is_empty() {
        reg.push(format!("RCS {} {}", org.rcs_city.trim(), siren(&org.siret)));
    }
    if !org.nda.trim().is_empty() {
        reg.push(format!(
            "déclaration d'activité n° {} ({})",
            org.nda.trim(),
            org.nda_region.trim()
        ));
    }
    if !reg.is_empty() {
        notes.push(("REG", reg.join(", ")));
    }
    if let Some(rate) = ctx
        .late_penalty_rate
        .as_deref()
        .filter(|r| !r.trim().is_empty())
    {
        notes.push(("PMD", format!("Pénalités de retard : {}.", rate.trim())));
    }
    notes.push((
        "PMT",
        "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €."
            .into(),
    ));
    notes.push(("AAB", "Pas d'escompte pour paiement anticipé.".into()));
    notes
}

pub(super) fn seller(x: &mut String, org: &OrganisationIdentity) {
    let _ = write!(
        x,
        "<ram:SellerTradeParty><ram:Name>{}</ram:Name>",
        esc(org.name.trim())
    );
    let siren = siren(&org.siret);
    if !siren.is_empty() {
        let _ = write!(
            x,
            "<ram:SpecifiedLegalOrganization><ram:ID schemeID=\"0002\">{siren}</ram:ID></ram:SpecifiedLegalOrganization>"
        );
    }
    address(x, &org.address, org.city.trim());
    let vat = org.vat_number.trim();
    if !vat.is_empty() {
        let _ = write!(
            x,
            "<ram:SpecifiedTaxRegistration><ram:ID schemeID=\"VA\">{}</ram:ID></ram:SpecifiedTaxRegistration>",
            esc(vat)
        );
    } else if !siren.is_empty() {
        // No VAT number (an exempt organisation need not have one): its SIREN is its tax
        // registration (BT-32), which BR-E-02 asks for on exempt lines.
        let _ = write!(
            x,
            "<ram:SpecifiedTaxRegistration><ram:ID schemeID=\"FC\">{siren}</ram:ID></ram:SpecifiedTaxRegistration>"
        );
    }
    x.push_str("</ram:SellerTradeParty>");
}

pub(super) fn buyer(x: &mut String, payer: &Payer) {
    let _ = write!(
        x,
        "<ram:BuyerTradeParty><ram:Name>{}</ram:Name>",
        esc(payer.name.trim())
    );
    let siren = siren(payer.siret.as_deref().unwrap_or_default());
    if !siren.is_empty() {
        let _ = write!(
            x,
            "<ram:SpecifiedLegalOrganization><ram:ID schemeID=\"0002\">{siren}</ram:ID></ram:SpecifiedLegalOrganization>"
        );
    }
    address(x, &payer.address, "");
    if !payer.email.trim().is_empty() {
        let _ = write!(
            x,
            "<ram:URIUniversalCommunication><ram:URIID schemeID=\"EM\">{}</ram:URIID></ram:URIUniversalCommunication>",
            esc(payer.email.trim())
        );
    }
    if let Some(vat) = payer
        .vat_number
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        let _ = write!(
            x,
            "<ram:SpecifiedTaxRegistration><ram:ID schemeID=\"VA\">{}</ram:ID></ram:SpecifiedTaxRegistration>",
            esc(vat)
        );
    }
    x.push_str("</ram:BuyerTradeParty>");
}

/// A French postal address from its printed lines: the last line `75001 Paris` gives the postcode
/// and the town, the others (three at most) the street lines.
fn address(x: &mut String, text: &str, default_city: &str) {
    let mut lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut postcode = None;
    let mut city = (!default_city.is_empty()).then(|| default_city.to_string());
    if let Some(last) = lines.last()
        && let Some((code, town)) = last.split_once(' ')
        && code.len() == 5
        && code.chars().all(|c| c.is_ascii_digit())
    {
        postcode = Some(code.to_string());
        city = Some(town.trim().to_string());
        lines.pop();
    }
    x.push_str("<ram:PostalTradeAddress>");
    if let Some(code) = postcode {
        let _ = write!(x, "<ram:PostcodeCode>{code}</ram:PostcodeCode>");
    }
    let (first, rest) = (lines.iter().take(2), lines.iter().skip(2));
    for (tag, line) in ["LineOne", "LineTwo"].iter().zip(first) {
        let _ = write!(x, "<ram:{tag}>{}</ram:{tag}>", esc(line));
    }
    let rest: Vec<&str> = rest.copied().collect();
    if !rest.is_empty() {
        let _ = write!(
            x,
            "<ram:LineThree>{}</ram:LineThree>",
            esc(&rest.join(", "))
        );
    }
    if let Some(city) = city.filter(|c| !c.is_empty()) {
        let _ = write!(x, "<ram:CityName>{}</ram:CityName>", esc(&city));
    }
    x.push_str("<ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>");
}

/// The first 9 digits of a SIRET, or nothing.
pub(super) fn siren(siret: &str) -> String {
    let digits: String = siret.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() >= 9 {
        digits[..9].to_string()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_siren_is_the_first_9_digits_of_a_siret() {
        assert_eq!(siren("123 456 789 00012"), "123456789");
        assert_eq!(siren("12"), "");
    }

    #[test]
    fn a_french_address_is_split_into_street_postcode_and_town() {
        let mut x = String::new();
        address(
            &mut x,
            "Bâtiment B\n12 rue de la Paix\nEscalier 3\n4e étage\n75002 Paris",
            "Lyon",
        );
        assert_eq!(
            x,
            "<ram:PostalTradeAddress><ram:PostcodeCode>75002</ram:PostcodeCode>\
             <ram:LineOne>Bâtiment B</ram:LineOne><ram:LineTwo>12 rue de la Paix</ram:LineTwo>\
             <ram:LineThree>Escalier 3, 4e étage</ram:LineThree><ram:CityName>Paris</ram:CityName>\
             <ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>"
        );
        let mut x = String::new();
        address(&mut x, "1 place Bellecour", "Lyon");
        assert!(x.contains(
            "<ram:LineOne>1 place Bellecour</ram:LineOne><ram:CityName>Lyon</ram:CityName>"
        ));
    }
}
