//! Every 409 and 422 names its own problem (`urn:boussole:problem:<slug>`, one of `Slug::ALL`), so that
//! a client tells them apart without reading the French `detail`, which still says what happened.

use boussole_shared::Slug;
use serde_json::{Value, json};

use crate::helpers::*;

on_both_backends!(
    conflicts_and_rules_of_accounts_and_bilans_answer_their_own_slug,
    invoicing_a_quote_twice_answers_quote_already_invoiced,
);

/// `answer` is the problem `slug` with `status`, and its French `detail`.
fn refused(answer: Answer, status: u16, slug: Slug, detail: &str) -> Value {
    let answer = answer.expect(status);
    assert_eq!(answer.problem_type(), slug.uri(), "{}", answer.body);
    assert_eq!(answer.body["detail"], detail, "{}", answer.body);
    answer.body
}

fn user_id(app: &TestApp, email: &str) -> String {
    boussole_api::accounts::find_by_email(&mut app.conn(), email)
        .unwrap()
        .unwrap()
        .id
}

async fn open_bilan(app: &TestApp, admin: &str, funding: &str) -> String {
    let body = json!({
        "beneficiary_id": user_id(app, BENEFICIARY), "consultant_id": user_id(app, CONSULTANT),
        "funding": funding, "format": "mixed", "planned_hours": 20,
    });
    let created = app
        .post("/api/v1/bilans", Some(admin), body)
        .await
        .expect(201);
    created.body["id"].as_str().unwrap().to_string()
}

async fn conflicts_and_rules_of_accounts_and_bilans_answer_their_own_slug(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;

    let invite =
        json!({ "email": CONSULTANT, "role": "consultant", "first_name": "A", "last_name": "B" });
    refused(
        app.post("/api/v1/invitations", Some(&admin), invite).await,
        409,
        Slug::EMAIL_TAKEN,
        "Un compte existe déjà avec cette adresse.",
    );

    let own = format!("/api/v1/users/{}", user_id(&app, ADMIN));
    refused(
        app.patch(&own, &admin, json!({ "is_active": false })).await,
        422,
        Slug::CANNOT_DISABLE_SELF,
        "Vous ne pouvez pas désactiver votre propre compte.",
    );

    let disable = json!({ "password": DEMO_PASSWORD, "code": "123456" });
    refused(
        app.post("/api/v1/me/totp/disable", Some(&consultant), disable)
            .await,
        409,
        Slug::TOTP_NOT_ENABLED,
        "La double authentification n'est pas active.",
    );

    let bilan = open_bilan(&app, &admin, "employer").await;
    let transitions = format!("/api/v1/bilans/{bilan}/transitions");
    refused(
        app.post(
            &transitions,
            Some(&consultant),
            json!({ "to": "investigation" }),
        )
        .await,
        409,
        Slug::BILAN_TRANSITION_NOT_ALLOWED,
        "Impossible de passer de « request » à « investigation ».",
    );
    // A gate keeps its list of what is missing.
    let gate = refused(
        app.post(
            &transitions,
            Some(&consultant),
            json!({ "to": "preliminary" }),
        )
        .await,
        422,
        Slug::BILAN_CONDITIONS_MISSING,
        "Conditions manquantes pour cette étape.",
    );
    assert!(
        gate["missing"].as_array().is_some_and(|m| !m.is_empty()),
        "{gate}"
    );
}

async fn invoicing_a_quote_twice_answers_quote_already_invoiced(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let identity = serde_json::to_value(boussole_api::documents::demo::identity()).unwrap();
    app.call(
        reqwest::Method::PUT,
        "/api/v1/settings/organisation",
        Some(&admin),
        Some(identity),
    )
    .await
    .expect(200);
    let bilan = open_bilan(&app, &admin, "employer").await;
    let payer = app
        .post(
            "/api/v1/payers",
            Some(&admin),
            json!({ "kind": "opco", "name": "OPCO Horizon Compétences", "siret": "85120364700017",
                    "address": "3 place Bellecour\n69002 Lyon" }),
        )
        .await
        .expect(201)
        .body;
    let agreed_on = (chrono::Utc::now().date_naive() - chrono::Days::new(3)).to_string();
    let funding = app
        .post(
            &format!("/api/v1/bilans/{bilan}/fundings"),
            Some(&admin),
            json!({ "payer_id": payer["id"], "amount_cents": 300_000, "agreement_number": "ACC-1",
                    "agreement_date": agreed_on, "status": "agreed", "subrogation": true }),
        )
        .await
        .expect(201)
        .body;
    let lines = json!([{ "description": "Bilan de compétences", "quantity": 1, "unit_price_cents": 180_000 }]);
    let quote = app
        .post(
            "/api/v1/quotes",
            Some(&admin),
            json!({ "bilan_id": bilan, "funding_id": funding["id"], "lines": lines }),
        )
        .await
        .expect(201)
        .body;
    let id = quote["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/quotes/{id}/acceptance"),
        Some(&admin),
        json!({ "signer_name": "Claire Martin", "signed_on": quote["issue_date"], "agreed": true }),
    )
    .await
    .expect(200);
    let invoice = format!("/api/v1/quotes/{id}/invoice");
    app.post(&invoice, Some(&admin), json!({}))
        .await
        .expect(201);
    refused(
        app.post(&invoice, Some(&admin), json!({})).await,
        409,
        Slug::QUOTE_ALREADY_INVOICED,
        "Ce devis est déjà facturé.",
    );
}

/// The OpenAPI document names every slug on the problem's `type`.
#[test]
fn the_problem_type_lists_every_slug() {
    let doc = serde_json::to_value(boussole_api::openapi::document()).unwrap();
    let described = doc["components"]["schemas"]["Problem"]["properties"]["type"]["description"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        described.contains("urn:boussole:problem:<slug>"),
        "{described}"
    );
    for slug in Slug::ALL {
        assert!(
            described.contains(&format!("`{slug}`")),
            "{slug} not listed"
        );
    }
}
