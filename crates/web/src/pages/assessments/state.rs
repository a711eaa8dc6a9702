//! The pure logic of taking a questionnaire: which items a part shows, what counts as answered,
//! progress, where to resume, and the queue of answers waiting to be saved.

use std::collections::{BTreeMap, HashMap};

use boussole_shared::{
    assessments::{Answer, AnswerValue, Instrument, Item, LocalText},
    users::Locale,
};

/// Items shown at once: few enough to fit a phone screen or two.
pub const PART_SIZE: usize = 8;

/// The text in the interface's language, French when there is no translation.
pub fn lt(t: &LocalText, locale: Locale) -> &str {
    match (locale, &t.en) {
        (Locale::En, Some(en)) if !en.trim().is_empty() => en,
        _ => &t.fr,
    }
}

/// A part of the questionnaire: the items `start..end` of section `section`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Part {
    pub section: usize,
    pub start: usize,
    pub end: usize,
}

/// The parts, in order: each section cut into runs of at most `PART_SIZE` items.
pub fn parts(inst: &Instrument) -> Vec<Part> {
    let mut v = Vec::new();
    for (section, s) in inst.sections.iter().enumerate() {
        let mut start = 0;
        while start < s.items.len() {
            let end = (start + PART_SIZE).min(s.items.len());
            v.push(Part {
                section,
                start,
                end,
            });
            start = end;
        }
    }
    v
}

pub fn part_items<'a>(inst: &'a Instrument, p: &Part) -> &'a [Item] {
    inst.sections
        .get(p.section)
        .and_then(|s| s.items.get(p.start..p.end))
        .unwrap_or(&[])
}

/// Whether an answer says something: an empty text, an empty choice list or a cleared value do not.
pub fn is_answered(a: Option<&Answer>) -> bool {
    match a.and_then(|a| a.value.as_ref()) {
        None => false,
        Some(AnswerValue::Text(s)) | Some(AnswerValue::Choice(s)) => !s.trim().is_empty(),
        Some(AnswerValue::Choices(v)) | Some(AnswerValue::Ranking(v)) => !v.is_empty(),
        Some(AnswerValue::Likert(_)) | Some(AnswerValue::Number(_)) => true,
    }
}

pub type AnswerMap = HashMap<String, Answer>;

pub fn answer_map(answers: Vec<Answer>) -> AnswerMap {
    answers
        .into_iter()
        .map(|a| (a.item_id.clone(), a))
        .collect()
}

/// How far the beneficiary is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    pub answered: usize,
    pub total: usize,
    pub required_missing: usize,
}

pub fn progress(inst: &Instrument, answers: &AnswerMap) -> Progress {
    let items = || inst.sections.iter().flat_map(|s| s.items.iter());
    let done = |it: &Item| is_answered(answers.get(&it.id));
    Progress {
        answered: items().filter(|it| done(it)).count(),
        total: items().count(),
        required_missing: items().filter(|it| it.required && !done(it)).count(),
    }
}

/// The part holding the first item without an answer (required ones first), with that item's
/// id; `None` when every item has one.
pub fn first_open(inst: &Instrument, answers: &AnswerMap) -> Option<(usize, String)> {
    let all = parts(inst);
    let find = |required_only: bool| {
        all.iter().enumerate().find_map(|(n, p)| {
            part_items(inst, p)
                .iter()
                .find(|it| (it.required || !required_only) && !is_answered(answers.get(&it.id)))
                .map(|it| (n, it.id.clone()))
        })
    };
    find(true).or_else(|| find(false))
}

/// Where to resume: the first part with an open question, else the last part (where the
/// "send" button is).
pub fn resume_part(inst: &Instrument, answers: &AnswerMap) -> usize {
    first_open(inst, answers)
        .map(|(n, _)| n)
        .unwrap_or_else(|| parts(inst).len().saturating_sub(1))
}

/// Answers changed since the last successful save, one per item (the latest wins).
#[derive(Clone, Debug, Default)]
pub struct Pending(BTreeMap<String, Answer>);

impl Pending {
    pub fn put(&mut self, a: Answer) {
        self.0.insert(a.item_id.clone(), a);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Everything to send now; the queue is then empty.
    pub fn take(&mut self) -> Vec<Answer> {
        std::mem::take(&mut self.0).into_values().collect()
    }

    /// A failed save's answers go back in the queue, unless the item changed again meanwhile.
    pub fn restore(&mut self, failed: Vec<Answer>) {
        for a in failed {
            self.0.entry(a.item_id.clone()).or_insert(a);
        }
    }
}

/// What the "saved" indicator says.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SaveState {
    /// Nothing waits (everything answered so far is on the server).
    Saved,
    /// A change waits for the pause before it is sent.
    Pending,
    Saving,
    /// The last save failed; the answers stay queued.
    Failed,
}

/// The ranking's order to show: the saved one, else the options as the instrument lists them.
pub fn ranking_order(options: &[String], saved: Option<&Answer>) -> Vec<String> {
    match saved.and_then(|a| a.value.as_ref()) {
        Some(AnswerValue::Ranking(v)) if !v.is_empty() => v.clone(),
        _ => options.to_vec(),
    }
}

/// A multiple-choice answer after ticking (`on`) or unticking `option`, in the options' order.
pub fn toggle_choice(
    options: &[String],
    current: &[String],
    option: &str,
    on: bool,
) -> Vec<String> {
    options
        .iter()
        .filter(|o| {
            if o.as_str() == option {
                on
            } else {
                current.contains(o)
            }
        })
        .cloned()
        .collect()
}

/// A typed number as an answer: empty clears it; text that is not a number is not an answer
/// (the field keeps what was typed and nothing is saved).
pub fn parse_number(s: &str) -> Result<Option<f64>, ()> {
    let s = s.trim().replace(',', ".");
    if s.is_empty() {
        return Ok(None);
    }
    decimal(&s).map(Some).ok_or(())
}

/// A plain decimal ("-12", "3.25", ".5"), read from integers: nothing in the app then parses a
/// float, which keeps Rust's float parser and its tables (~12 KB) out of the wasm. No exponent, at
/// most 15 digits (more is not a score anyone types).
fn decimal(s: &str) -> Option<f64> {
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = || int.bytes().chain(frac.bytes());
    if digits().count() == 0 || digits().count() > 15 || !digits().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole = digits().fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
    let value = whole as f64 / 10f64.powi(frac.len() as i32);
    Some(if negative { -value } else { value })
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
