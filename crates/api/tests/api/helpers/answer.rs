//! What a call answered. `Answer<T>` keeps the raw JSON (for problem documents and the checks of the
//! wire format: an absent field against `null`, a `Z` offset) and names the DTO the route returns, so
//! that a test reads `answer.ok(201).status` instead of `answer.body["status"]`: a renamed field then
//! fails to compile instead of comparing `Null`.

use std::marker::PhantomData;

use boussole_shared::field_rules::FieldRule;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub struct Answer<T = Value> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as sent (`Null` when empty, a string when it is not JSON).
    pub body: Value,
    /// `fn() -> T`: the answer does not own a `T`, so it stays `Send` and `Sync` whatever `T` is.
    body_type: PhantomData<fn() -> T>,
}

impl<T> Answer<T> {
    /// What a request sent by hand (`app.client`) answered: its JSON, or its text as a string.
    pub async fn read(res: reqwest::Response) -> Answer<T> {
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Answer::new(status, headers, body)
    }

    pub fn new(status: StatusCode, headers: HeaderMap, body: Value) -> Answer<T> {
        Answer {
            status,
            headers,
            body,
            body_type: PhantomData,
        }
    }

    /// Asserts the status, and that errors are problem documents with that status.
    #[track_caller]
    pub fn expect(self, status: u16) -> Answer<T> {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.body
        );
        if status >= 400 {
            let ct = self
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            assert_eq!(
                ct, "application/problem+json",
                "errors are problem documents"
            );
            assert_eq!(
                self.body["status"], status,
                "problem status matches: {}",
                self.body
            );
            assert!(self.body["type"].as_str().is_some_and(|t| !t.is_empty()));
            assert!(self.body["title"].as_str().is_some_and(|t| !t.is_empty()));
            if self.problem_type() == "urn:boussole:problem:validation" {
                check_rules(&self.body);
            }
        }
        self
    }

    /// The rules a 400 `validation` names for `field` (`rules`), in order.
    #[track_caller]
    pub fn rules(&self, field: &str) -> Vec<FieldRule> {
        check_rules(&self.body);
        let codes = self.body["rules"][field].as_array().cloned();
        codes
            .unwrap_or_else(|| panic!("no rules for {field}: {}", self.body))
            .iter()
            .map(|c| serde_json::from_value(c.clone()).expect("a FieldRule code"))
            .collect()
    }

    pub fn problem_type(&self) -> &str {
        self.body["type"].as_str().unwrap_or_default()
    }

    /// The same answer read as another type (e.g. a route that answers another DTO on some status).
    pub fn typed<U>(self) -> Answer<U> {
        Answer::new(self.status, self.headers, self.body)
    }
}

impl<T: DeserializeOwned> Answer<T> {
    /// The body as the DTO; panics, naming the type and showing the JSON, when it does not fit.
    #[track_caller]
    pub fn parse(&self) -> T {
        serde_json::from_value(self.body.clone()).unwrap_or_else(|e| {
            panic!(
                "a {} answer is not a {}: {e}\n{:#}",
                self.status,
                std::any::type_name::<T>(),
                self.body
            )
        })
    }

    /// The body as the DTO (see [`Answer::parse`]).
    #[track_caller]
    pub fn into_body(self) -> T {
        self.parse()
    }

    /// Asserts the status like [`Answer::expect`], then reads the body as the DTO.
    #[track_caller]
    pub fn ok(self, status: u16) -> T {
        self.expect(status).into_body()
    }
}

/// Every 400 `validation` names, for each field of `errors`, one known rule per message, in `rules`.
#[track_caller]
fn check_rules(body: &serde_json::Value) {
    let (Some(errors), Some(rules)) = (body["errors"].as_object(), body["rules"].as_object())
    else {
        panic!("a validation problem has errors and rules: {body}");
    };
    assert_eq!(
        errors.keys().collect::<Vec<_>>(),
        rules.keys().collect::<Vec<_>>(),
        "rules name the fields of errors: {body}"
    );
    for (field, messages) in errors {
        let codes = rules[field]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        assert_eq!(
            messages.as_array().map(Vec::len),
            Some(codes.len()),
            "one rule per message of {field}: {body}"
        );
        for code in codes {
            assert!(
                code.as_str().and_then(FieldRule::parse).is_some(),
                "{field}: {code} is no FieldRule"
            );
        }
    }
}
