//! How an [`Item`] is read: flat, as it is written.
//!
//! An item is written as its common fields plus its internally tagged `kind`, `#[serde(flatten)]`ed
//! into one object. Reading that, serde buffers the object into its generic `Content` tree and reads
//! each part again from it: in the wasm, a second copy of the reader of every type an item holds
//! (the same cost `projection::wire` removed for the grid's records). An item is read here through one
//! struct holding every kind's fields, then checked and put together; writing it and its OpenAPI schema
//! still go through [`ItemKind`]. A field added to a kind fails to compile in `TryFrom` below until it
//! is read here too. The refusals keep serde's words ("missing field `min`", "unknown variant `…`"),
//! which the API's problem details and the instrument files' errors show.

use serde::Deserialize;

use super::{ChoiceOption, Item, ItemKind, LocalText};

/// The kinds, by the name `kind` carries (an unknown one is refused by serde, naming the known ones).
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Likert,
    SingleChoice,
    MultipleChoice,
    Ranking,
    Text,
    Number,
}

/// Every kind's fields; which ones are required depends on `kind`. `min` and `max` are integers for
/// a Likert item and any number for a Number item, so they are read as numbers and checked after.
#[derive(Deserialize)]
pub(super) struct ItemWire {
    id: String,
    text: LocalText,
    kind: Kind,
    #[serde(default = "super::yes")]
    required: bool,
    #[serde(default)]
    comment_prompt: Option<LocalText>,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
    #[serde(default)]
    labels: Option<Vec<LocalText>>,
    #[serde(default)]
    options: Option<Vec<ChoiceOption>>,
    #[serde(default)]
    min_choices: Option<u32>,
    #[serde(default)]
    max_choices: Option<u32>,
    #[serde(default)]
    max_length: Option<u32>,
    #[serde(default)]
    integer: bool,
}

/// `field` as serde says it when the kind requires it.
fn required<T>(value: Option<T>, field: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{field}`"))
}

/// A Likert bound: a whole number within `i32`, as serde says it otherwise.
fn whole(value: Option<f64>, field: &str) -> Result<i32, String> {
    let v = required(value, field)?;
    if v.fract() == 0.0 && v >= f64::from(i32::MIN) && v <= f64::from(i32::MAX) {
        Ok(v as i32)
    } else {
        Err(format!("invalid value: `{v}` for `{field}`, expected i32"))
    }
}

impl TryFrom<ItemWire> for Item {
    type Error = String;

    fn try_from(w: ItemWire) -> Result<Self, Self::Error> {
        let kind = match w.kind {
            Kind::Likert => ItemKind::Likert {
                min: whole(w.min, "min")?,
                max: whole(w.max, "max")?,
                labels: required(w.labels, "labels")?,
            },
            Kind::SingleChoice => ItemKind::SingleChoice {
                options: required(w.options, "options")?,
            },
            Kind::MultipleChoice => ItemKind::MultipleChoice {
                options: required(w.options, "options")?,
                min_choices: w.min_choices,
                max_choices: w.max_choices,
            },
            Kind::Ranking => ItemKind::Ranking {
                options: required(w.options, "options")?,
            },
            Kind::Text => ItemKind::Text {
                max_length: required(w.max_length, "max_length")?,
            },
            Kind::Number => ItemKind::Number {
                min: w.min,
                max: w.max,
                integer: w.integer,
            },
        };
        Ok(Item {
            id: w.id,
            text: w.text,
            kind,
            required: w.required,
            comment_prompt: w.comment_prompt,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::{ChoiceOption, Item, ItemKind, LocalText};

    fn text(fr: &str) -> LocalText {
        LocalText {
            fr: fr.into(),
            en: Some(format!("{fr} (en)")),
        }
    }

    fn option(id: &str, value: Option<f64>) -> ChoiceOption {
        ChoiceOption {
            id: id.into(),
            label: text(id),
            value,
        }
    }

    /// One item of each kind, every optional field set (so a field the reader drops is seen).
    fn every_kind() -> Vec<Item> {
        let kinds = vec![
            ItemKind::Likert {
                min: -2,
                max: 2,
                labels: ["a", "b", "c", "d", "e"].map(text).to_vec(),
            },
            ItemKind::SingleChoice {
                options: vec![option("x", Some(1.5)), option("y", None)],
            },
            ItemKind::MultipleChoice {
                options: vec![option("x", Some(2.0))],
                min_choices: Some(1),
                max_choices: Some(3),
            },
            ItemKind::Ranking {
                options: vec![option("p", None), option("q", None)],
            },
            ItemKind::Text { max_length: 280 },
            ItemKind::Number {
                min: Some(0.5),
                max: Some(99.25),
                integer: true,
            },
        ];
        kinds
            .into_iter()
            .enumerate()
            .map(|(i, kind)| Item {
                id: format!("q{i}"),
                text: text("Question"),
                kind,
                required: i % 2 == 0,
                comment_prompt: (i % 3 == 0).then(|| text("Un exemple ?")),
            })
            .collect()
    }

    #[test]
    fn reads_back_what_an_item_writes() {
        for item in every_kind() {
            let written = serde_json::to_string(&item).unwrap();
            let read: Item = serde_json::from_str(&written).unwrap();
            assert_eq!(read, item, "{written}");
        }
    }

    #[test]
    fn accepts_the_omissions_the_kinds_accept() {
        let read = |v: Value| serde_json::from_value::<Item>(v).unwrap();
        let item = read(json!({ "id": "n", "text": { "fr": "N" }, "kind": "number" }));
        assert!(item.required, "required defaults to true");
        assert_eq!(item.comment_prompt, None);
        assert_eq!(
            item.kind,
            ItemKind::Number {
                min: None,
                max: None,
                integer: false
            }
        );
        let item = read(
            json!({ "id": "m", "text": { "fr": "M" }, "kind": "multiple_choice",
            "options": [{ "id": "o", "label": { "fr": "O" } }] }),
        );
        assert_eq!(
            item.kind,
            ItemKind::MultipleChoice {
                options: vec![ChoiceOption {
                    id: "o".into(),
                    label: LocalText {
                        fr: "O".into(),
                        en: None
                    },
                    value: None
                }],
                min_choices: None,
                max_choices: None
            }
        );
    }

    #[test]
    fn refuses_what_the_kinds_refuse_in_serde_words() {
        let error = |v: Value| serde_json::from_value::<Item>(v).unwrap_err().to_string();
        let base = |kind: &str| json!({ "id": "i", "text": { "fr": "I" }, "kind": kind });
        let e = error(base("median"));
        assert!(
            e.contains("unknown variant `median`") && e.contains("`likert`"),
            "{e}"
        );
        assert!(error(base("likert")).contains("missing field `min`"));
        let mut half = base("likert");
        half["min"] = json!(1.5);
        half["max"] = json!(5);
        half["labels"] = json!([]);
        assert!(error(half).contains("expected i32"));
        assert!(error(base("single_choice")).contains("missing field `options`"));
        assert!(error(base("text")).contains("missing field `max_length`"));
        let mut nameless = base("text");
        nameless.as_object_mut().unwrap().remove("kind");
        assert!(error(nameless).contains("missing field `kind`"));
    }
}
