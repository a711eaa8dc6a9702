//! What the API would refuse in a draft, found before sending and said in the interface's words,
//! under the API's own field names (so that one display shows both).

use std::collections::HashSet;

use super::{Draft, KindTag, parse_options};
use crate::{i18n::BuilderStrings, pages::assessments::state::parse_number};

impl Draft {
    /// What the API would refuse, found before sending, as (field, message) with the API's field
    /// names, so that the form shows both the same way. `taken`: ids already used (a new
    /// questionnaire must not silently become another one's next version).
    pub fn check(&self, t: &BuilderStrings, taken: &[String]) -> Vec<(String, String)> {
        let mut e = Vec::new();
        let mut err = |f: String, m: &str| e.push((f, m.to_string()));
        let id = self.id.trim();
        let slug = !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !slug {
            err("id".into(), t.err_id);
        } else if !self.id_locked && taken.iter().any(|x| x == id) {
            err("id".into(), t.err_id_taken);
        }
        if self.title.trim().is_empty() {
            err("title.fr".into(), t.err_required);
        }
        if self.instructions.trim().is_empty() {
            err("instructions.fr".into(), t.err_required);
        }
        if self.sections.is_empty() {
            err("sections".into(), t.err_no_items);
        }
        for (s, sec) in self.sections.iter().enumerate() {
            if sec.title.trim().is_empty() {
                err(format!("sections[{s}].title.fr"), t.err_required);
            }
            if sec.items.is_empty() {
                err(format!("sections[{s}].items"), t.err_no_items);
            }
        }
        for (_, (s, i), it) in self.numbered() {
            let at = format!("sections[{s}].items[{i}]");
            if it.text.trim().is_empty() {
                err(format!("{at}.text.fr"), t.err_required);
            }
            let options = it.options.lines().filter(|l| !l.trim().is_empty()).count();
            match it.kind {
                KindTag::Likert => {
                    let labels = it.labels.lines().filter(|l| !l.trim().is_empty()).count();
                    if labels != 0 && labels != it.points as usize {
                        err(format!("{at}.labels"), t.err_labels);
                    }
                }
                KindTag::Single | KindTag::Multiple | KindTag::Ranking if options < 2 => {
                    err(format!("{at}.options"), t.err_options)
                }
                KindTag::Number => {
                    let (lo, hi) = (parse_number(&it.num_min), parse_number(&it.num_max));
                    let bad = matches!((lo, hi), (Ok(Some(a)), Ok(Some(b))) if a > b);
                    if lo.is_err() || hi.is_err() || bad {
                        err(at.clone(), t.err_bounds);
                    }
                }
                KindTag::Text if !matches!(it.max_length.trim().parse::<u32>(), Ok(1..=20_000)) => {
                    err(format!("{at}.max_length"), t.err_max_length);
                }
                _ => {}
            }
        }
        let mut keyed = HashSet::new();
        for (k, sc) in self.scales.iter().enumerate() {
            let at = format!("scales[{k}]");
            if sc.name.trim().is_empty() {
                err(format!("{at}.name.fr"), t.err_required);
            }
            if sc.keys.is_empty() {
                err(format!("{at}.items"), t.err_scale_empty);
            }
            for key in &sc.keys {
                keyed.insert(key.item);
                let Some(it) = self.item(key.item) else {
                    continue;
                };
                let unscored = match it.kind {
                    KindTag::Single | KindTag::Multiple => parse_options(&it.options, self.lang)
                        .iter()
                        .any(|o| o.value.is_none()),
                    KindTag::Number => !matches!(
                        (parse_number(&it.num_min), parse_number(&it.num_max)),
                        (Ok(Some(_)), Ok(Some(_)))
                    ),
                    _ => false,
                };
                if unscored {
                    err(format!("{at}.items"), t.err_unscored);
                }
            }
            let bad_band =
                sc.bands
                    .iter()
                    .any(|b| match (parse_number(&b.min), parse_number(&b.max)) {
                        (Ok(Some(a)), Ok(Some(z))) => a > z || b.text.trim().is_empty(),
                        _ => true,
                    });
            if bad_band {
                err(format!("{at}.bands"), t.err_band);
            }
        }
        if !self.scales.is_empty() {
            for (n, _, it) in self.numbered() {
                if it.kind != KindTag::Text && !keyed.contains(&it.uid) {
                    err(
                        "items".into(),
                        &t.err_no_scale.replace("{n}", &n.to_string()),
                    );
                }
            }
        }
        e.dedup();
        e
    }
}
