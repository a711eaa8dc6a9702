//! The language of the field messages a person reads. The API writes them in French, which may name a
//! limit or a date ("500 caractères au plus"); each comes with the rule it breaks (`rules`, a CSV import
//! line's `rule`). When the request's `Accept-Language` prefers English, the answer says each rule in
//! English (`FieldRule::english`) instead, so that the English interface, or a CRM that asks for
//! English, never shows French under a field. The codes stay as they are; `detail` stays French (the
//! SPA has its own words for each problem's slug).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use boussole_shared::field_rules::FieldRule;
use serde_json::Value;

/// True when `Accept-Language` ranks English above French (weights, then order; a language absent
/// from it ranks below both, so no header, or neither language, means French).
pub fn prefers_english(header: Option<&HeaderValue>) -> bool {
    let Some(text) = header.and_then(|h| h.to_str().ok()) else {
        return false;
    };
    // (weight, position) of the first range of each language; the higher weight wins, then the
    // earlier range.
    let mut best: [Option<(u16, usize)>; 2] = [None, None];
    for (at, range) in text.split(',').enumerate() {
        let mut parts = range.split(';');
        let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let weight = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .map_or(1000, |q| (q.clamp(0.0, 1.0) * 1000.0) as u16);
        let language = tag.split('-').next().unwrap_or_default();
        let slot = match language {
            "fr" => 0,
            "en" => 1,
            _ => continue,
        };
        if weight > 0 && best[slot].is_none() {
            best[slot] = Some((weight, at));
        }
    }
    match best {
        [_, None] => false,
        [None, Some(_)] => true,
        [Some((wf, af)), Some((we, ae))] => we > wf || (we == wf && ae < af),
    }
}

/// Rewrites the field messages of a problem document, or the reasons of an import's lines, in English
/// when the caller asks for it, and marks those answers `Vary: Accept-Language`. Other answers pass
/// through untouched (not even read).
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let english = prefers_english(req.headers().get(header::ACCEPT_LANGUAGE));
    let import = req.path().starts_with("/api/v1/imports/");
    let mut res = next.call(req).await?.map_into_boxed_body();
    let problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v == "application/problem+json");
    if !(problem || import) {
        return Ok(res);
    }
    // The words depend on the header, in French too: a cache must not give one caller's to another.
    res.headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept-language"));
    if !english {
        return Ok(res);
    }
    let (req, res) = res.into_parts();
    let (res, body) = res.into_parts();
    let body = match body.try_into_bytes() {
        Ok(bytes) => {
            let rewritten = serde_json::from_slice::<Value>(&bytes)
                .ok()
                .and_then(|mut v| in_english(&mut v).then(|| v.to_string()));
            match rewritten {
                Some(text) => BoxBody::new(text),
                None => BoxBody::new(bytes),
            }
        }
        // A streamed body is never one of ours to rewrite.
        Err(body) => body,
    };
    Ok(ServiceResponse::new(req, res.set_body(body)))
}

/// The English of a rule's code, if it names one.
fn english_of(code: &Value) -> Option<&'static str> {
    code.as_str()
        .and_then(FieldRule::parse)
        .map(FieldRule::english)
}

/// Puts each message that has a rule in English: a problem's `errors` by its `rules`, an import's
/// lines (`errors` as a list) by their `rule`. True when something changed.
fn in_english(doc: &mut Value) -> bool {
    let mut changed = false;
    let rules = doc.get("rules").cloned();
    match (doc.get_mut("errors"), rules) {
        (Some(Value::Object(errors)), Some(Value::Object(rules))) => {
            for (field, messages) in errors.iter_mut() {
                let (Some(messages), Some(codes)) = (
                    messages.as_array_mut(),
                    rules.get(field).and_then(Value::as_array),
                ) else {
                    continue;
                };
                for (message, code) in messages.iter_mut().zip(codes) {
                    if let Some(text) = english_of(code) {
                        *message = Value::from(text);
                        changed = true;
                    }
                }
            }
        }
        (Some(Value::Array(lines)), _) => {
            for line in lines.iter_mut() {
                if let Some(text) = line.get("rule").and_then(english_of) {
                    line["reason"] = Value::from(text);
                    changed = true;
                }
            }
        }
        _ => {}
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english(header: &str) -> bool {
        prefers_english(Some(&HeaderValue::from_str(header).unwrap()))
    }

    #[test]
    fn english_only_when_it_outranks_french() {
        assert!(!prefers_english(None));
        assert!(english("en"));
        assert!(english("en-GB,en;q=0.9"));
        assert!(!english("fr"));
        assert!(!english("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"));
        // A browser set to English first, French second.
        assert!(english("en-US,en;q=0.9,fr;q=0.8"));
        assert!(english("fr;q=0.5, en;q=0.8"));
        // Same weight: the first listed wins; a zero weight refuses the language.
        assert!(!english("fr, en"));
        assert!(english("en, fr"));
        assert!(!english("en;q=0, fr;q=0.1"));
        // Neither language: French, the API's own.
        assert!(!english("de-DE,de;q=0.9"));
        assert!(!english("*"));
    }

    #[test]
    fn messages_with_a_rule_are_said_in_english_and_the_others_kept() {
        let mut problem = serde_json::json!({
            "errors": { "reason": ["500 caractères au plus"], "x": ["a", "b"] },
            "rules": { "reason": ["too-long"], "x": ["some-new-rule", "required"] },
        });
        assert!(in_english(&mut problem));
        assert_eq!(problem["errors"]["reason"][0], "Too long.");
        assert_eq!(
            problem["errors"]["x"],
            serde_json::json!(["a", "Required."])
        );
        let mut report = serde_json::json!({
            "errors": [
                { "line": 2, "reason": "SIRET invalide", "rule": "siret" },
                { "line": 3, "reason": "3 champs au lieu de 4" },
            ],
        });
        assert!(in_english(&mut report));
        assert_eq!(report["errors"][0]["reason"], FieldRule::Siret.english());
        assert_eq!(report["errors"][1]["reason"], "3 champs au lieu de 4");
        let mut other = serde_json::json!({ "detail": "Introuvable" });
        assert!(!in_english(&mut other));
    }
}
