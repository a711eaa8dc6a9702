//! Checks of an instrument (a file at start-up, or a custom one posted) and of answers against it.
//!
//! In our format a scale lists its items (an item does not name its scale), so the "unknown scale" of
//! other formats shows here as an unknown item in a scale, or an item in no scale.

use std::collections::{HashMap, HashSet};

use boussole_shared::assessments::{AnswerValue, Instrument, Item, ItemKind};

use super::engine::{self, HEXAGON};

/// The longest comment on an item.
pub const MAX_COMMENT: usize = 4000;

fn slug_ok(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn item_ok(item: &Item, at: &str) -> Result<(), String> {
    if item.id.trim().is_empty() {
        return Err(format!("{at}.id: empty"));
    }
    if item.text.fr.trim().is_empty() {
        return Err(format!("{at}.text.fr: empty"));
    }
    let options = match &item.kind {
        ItemKind::Likert { min, max, labels } => {
            if min >= max || max - min > 10 {
                return Err(format!(
                    "{at}: bad Likert range {min}..{max} (2 to 11 points)"
                ));
            }
            if labels.len() as i64 != i64::from(*max) - i64::from(*min) + 1 {
                return Err(format!(
                    "{at}.labels: {} labels for a {min}..{max} Likert scale (one per point)",
                    labels.len()
                ));
            }
            return Ok(());
        }
        ItemKind::Text { max_length } => {
            if *max_length == 0 || *max_length > 20_000 {
                return Err(format!("{at}.max_length: 1 to 20000"));
            }
            return Ok(());
        }
        ItemKind::Number { min, max, .. } => {
            let finite = min.is_none_or(f64::is_finite) && max.is_none_or(f64::is_finite);
            if !finite || matches!((min, max), (Some(a), Some(b)) if a > b) {
                return Err(format!("{at}: bad number bounds"));
            }
            return Ok(());
        }
        ItemKind::SingleChoice { options } | ItemKind::Ranking { options } => options,
        ItemKind::MultipleChoice {
            options,
            min_choices,
            max_choices,
        } => {
            let (lo, hi) = (min_choices.unwrap_or(0), max_choices.unwrap_or(u32::MAX));
            if lo > hi || lo as usize > options.len() {
                return Err(format!("{at}: bad min_choices/max_choices"));
            }
            options
        }
    };
    if options.len() < 2 {
        return Err(format!("{at}.options: at least two"));
    }
    let mut seen = HashSet::new();
    for o in options {
        if !seen.insert(o.id.as_str()) || o.id.is_empty() {
            return Err(format!(
                "{at}.options: duplicate or empty option id `{}`",
                o.id
            ));
        }
        if o.value.is_some_and(|v| !v.is_finite()) {
            return Err(format!("{at}.options.{}: value not finite", o.id));
        }
    }
    Ok(())
}

/// The first thing wrong with the instrument, as `field: message`.
pub fn instrument(inst: &Instrument) -> Result<(), String> {
    if !slug_ok(&inst.id) {
        return Err(format!(
            "id: `{}` is not a slug (a-z, 0-9, -, 64 at most)",
            inst.id
        ));
    }
    if inst.version < 1 {
        return Err("version: 1 or more".into());
    }
    if inst.title.fr.trim().is_empty() {
        return Err("title.fr: empty".into());
    }
    if inst.sections.is_empty() {
        return Err("sections: none".into());
    }
    let mut sections = HashSet::new();
    let mut ids: HashMap<&str, &Item> = HashMap::new();
    for (s, section) in inst.sections.iter().enumerate() {
        if !sections.insert(section.id.as_str()) {
            return Err(format!(
                "sections[{s}].id: duplicate section id `{}`",
                section.id
            ));
        }
        if section.items.is_empty() {
            return Err(format!("sections[{s}].items: none"));
        }
        for (i, item) in section.items.iter().enumerate() {
            let at = format!("sections[{s}].items[{i}]");
            item_ok(item, &at)?;
            if ids.insert(item.id.as_str(), item).is_some() {
                return Err(format!("{at}.id: duplicate item id `{}`", item.id));
            }
        }
    }
    let mut scale_ids = HashSet::new();
    let mut letters = HashSet::new();
    let mut keyed = HashSet::new();
    for (k, scale) in inst.scales.iter().enumerate() {
        let at = format!("scales[{k}]");
        if scale.id.is_empty() || !scale_ids.insert(scale.id.as_str()) {
            return Err(format!(
                "{at}.id: duplicate or empty scale id `{}`",
                scale.id
            ));
        }
        if scale.items.is_empty() {
            return Err(format!("{at}.items: none"));
        }
        let mut in_scale = HashSet::new();
        let (mut lo, mut hi) = (0.0, 0.0);
        for key in &scale.items {
            let item = ids.get(key.item.as_str()).ok_or_else(|| {
                format!(
                    "{at}.items: unknown item `{}` in scale `{}`",
                    key.item, scale.id
                )
            })?;
            if !in_scale.insert((key.item.as_str(), key.option.as_deref())) {
                return Err(format!("{at}.items: item `{}` twice", key.item));
            }
            let (ilo, ihi) = engine::bounds(item, key).ok_or_else(|| {
                format!(
                    "{at}.items: item `{}` cannot be scored here (text; choice without values; \
                     number without bounds; ranking without an existing option)",
                    key.item
                )
            })?;
            lo += ilo;
            hi += ihi;
            keyed.insert(key.item.as_str());
        }
        if hi <= lo {
            return Err(format!("{at}: scale `{}` has no range", scale.id));
        }
        if let Some(n) = &scale.norms
            && (!n.sd.is_finite() || n.sd <= 0.0 || !n.mean.is_finite())
        {
            return Err(format!("{at}.norms: sd must be > 0"));
        }
        if scale
            .bands
            .iter()
            .any(|b| b.min.is_nan() || b.max.is_nan() || b.min > b.max)
        {
            return Err(format!("{at}.bands: a band with min > max"));
        }
        if let Some(letter) = &scale.holland
            && (!HEXAGON.contains(&letter.as_str()) || !letters.insert(letter.as_str()))
        {
            return Err(format!(
                "{at}.holland: `{letter}` is not one of R, I, A, S, E, C, or is used twice"
            ));
        }
    }
    if !inst.scales.is_empty() {
        for (id, item) in &ids {
            if !matches!(item.kind, ItemKind::Text { .. }) && !keyed.contains(id) {
                return Err(format!("items: item `{id}` is in no scale"));
            }
        }
    }
    Ok(())
}

/// Whether an answer fits its item: the reason when it does not.
pub fn answer(item: &Item, value: &AnswerValue) -> Result<(), String> {
    let option = |options: &[boussole_shared::assessments::ChoiceOption], id: &str| {
        options
            .iter()
            .any(|o| o.id == id)
            .then_some(())
            .ok_or_else(|| format!("no option `{id}`"))
    };
    match (&item.kind, value) {
        (ItemKind::Likert { min, max, .. }, AnswerValue::Likert(v)) => (min <= v && v <= max)
            .then_some(())
            .ok_or_else(|| format!("{v} is outside {min}..{max}")),
        (ItemKind::SingleChoice { options }, AnswerValue::Choice(id)) => option(options, id),
        (
            ItemKind::MultipleChoice {
                options,
                min_choices,
                max_choices,
            },
            AnswerValue::Choices(ids),
        ) => {
            for id in ids {
                option(options, id)?;
            }
            let distinct: HashSet<&String> = ids.iter().collect();
            if distinct.len() != ids.len() {
                return Err("an option chosen twice".into());
            }
            let n = ids.len() as u32;
            if n < min_choices.unwrap_or(0) || n > max_choices.unwrap_or(u32::MAX) {
                return Err(format!("{n} options chosen, outside the allowed number"));
            }
            Ok(())
        }
        (ItemKind::Ranking { options }, AnswerValue::Ranking(order)) => {
            let given: HashSet<&str> = order.iter().map(String::as_str).collect();
            let all: HashSet<&str> = options.iter().map(|o| o.id.as_str()).collect();
            (given == all && order.len() == options.len())
                .then_some(())
                .ok_or_else(|| "a ranking orders every option exactly once".to_string())
        }
        (ItemKind::Text { max_length }, AnswerValue::Text(text)) => (text.chars().count()
            <= *max_length as usize)
            .then_some(())
            .ok_or_else(|| format!("longer than {max_length} characters")),
        (ItemKind::Number { min, max, integer }, AnswerValue::Number(x)) => {
            let fits = x.is_finite()
                && min.is_none_or(|m| *x >= m)
                && max.is_none_or(|m| *x <= m)
                && (!integer || x.fract() == 0.0);
            fits.then_some(())
                .ok_or_else(|| format!("{x} is not an allowed number"))
        }
        _ => Err("this kind of answer does not fit the item".into()),
    }
}
