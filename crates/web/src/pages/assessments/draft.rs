//! The questionnaire editor's state as plain data (pure, tested): one `Draft` that the form edits
//! through one signal, built into the API's `Instrument` on save, with the checks the API would make
//! said in the interface's words before sending.
//!
//! Every section, item, scale and band has an editor-local `uid` (stable while the draft is edited,
//! so that the form's rows keep their focus and DOM when reordered); the ids the API sees are kept
//! from a loaded instrument or generated (`q3`, `s2`, …). Options are typed one per line
//! ("Souvent = 3": the value a scale counts).

use crate::components::charts::plain;
use std::collections::{BTreeMap, HashSet};

use boussole_shared::{
    assessments::{
        Band, ChoiceOption, Instrument, InstrumentKind, Item, ItemKind, KeyedItem, LocalText,
        Scale, ScoringRule, Section,
    },
    users::Locale,
};

use super::state::{lt, parse_number};

/// How an item is answered (the editor's choice; its settings live beside it in `DItem`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindTag {
    Likert,
    Single,
    Multiple,
    Ranking,
    Text,
    Number,
}

impl KindTag {
    pub const ALL: [KindTag; 6] = [
        KindTag::Likert,
        KindTag::Single,
        KindTag::Multiple,
        KindTag::Ranking,
        KindTag::Text,
        KindTag::Number,
    ];

    pub fn key(self) -> &'static str {
        match self {
            KindTag::Likert => "likert",
            KindTag::Single => "single_choice",
            KindTag::Multiple => "multiple_choice",
            KindTag::Ranking => "ranking",
            KindTag::Text => "text",
            KindTag::Number => "number",
        }
    }

    pub fn parse(s: &str) -> KindTag {
        KindTag::ALL
            .into_iter()
            .find(|k| k.key() == s)
            .unwrap_or(KindTag::Likert)
    }
}

/// An item being edited; only the settings of its `kind` are used when it is built.
#[derive(Clone, Debug, PartialEq)]
pub struct DItem {
    pub uid: u32,
    pub id: String,
    pub text: String,
    pub kind: KindTag,
    pub required: bool,
    pub likert_min: i32,
    pub points: i32,
    /// Likert labels, one per line (blank: the point's number is shown).
    pub labels: String,
    /// Choice and ranking options, one per line, "label" or "label = value".
    pub options: String,
    pub num_min: String,
    pub num_max: String,
    pub integer: bool,
    pub max_length: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DSection {
    pub uid: u32,
    pub id: String,
    pub title: String,
    pub items: Vec<DItem>,
}

/// An item counted by a scale (by its uid), reverse-keyed or not.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DKey {
    pub item: u32,
    pub reverse: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DBand {
    pub uid: u32,
    pub min: String,
    pub max: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DScale {
    pub uid: u32,
    pub id: String,
    pub name: String,
    pub rule: ScoringRule,
    pub keys: Vec<DKey>,
    pub bands: Vec<DBand>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub id: String,
    /// Editing an existing custom instrument: its id is fixed and saving makes its next version.
    pub id_locked: bool,
    /// The id was typed by hand (else it follows the title).
    pub id_touched: bool,
    /// The version loaded (0 for a new questionnaire).
    pub version: i32,
    /// The language the texts are written in.
    pub lang: Locale,
    pub title: String,
    pub description: String,
    pub instructions: String,
    pub source: String,
    pub licence: String,
    pub attribution: String,
    pub sections: Vec<DSection>,
    pub scales: Vec<DScale>,
    pub next_uid: u32,
}

/// The five usual agreement labels, in the questionnaire's language.
pub fn agreement_labels(lang: Locale) -> &'static str {
    match lang {
        Locale::Fr => {
            "Pas du tout d’accord\nPlutôt pas d’accord\nNi d’accord ni pas d’accord\nPlutôt d’accord\nTout à fait d’accord"
        }
        Locale::En => {
            "Strongly disagree\nDisagree\nNeither agree nor disagree\nAgree\nStrongly agree"
        }
    }
}

/// An instrument id from a title: lowercase ASCII letters and digits, dashes between words.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut s: String = out.trim_end_matches('-').chars().take(60).collect();
    while s.ends_with('-') {
        s.pop();
    }
    s
}

/// Options typed one per line, "label" or "label = value" (a comma or a point in the value).
pub fn parse_options(text: &str, lang: Locale) -> Vec<ChoiceOption> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(n, line)| {
            let (label, value) = match line.rsplit_once('=') {
                Some((l, v)) if matches!(parse_number(v), Ok(Some(_))) => {
                    (l.trim(), parse_number(v).ok().flatten())
                }
                _ => (line, None),
            };
            ChoiceOption {
                id: format!("o{}", n + 1),
                label: local(label, lang),
                value,
            }
        })
        .collect()
}

/// The options back as lines.
pub fn options_text(options: &[ChoiceOption], lang: Locale) -> String {
    options
        .iter()
        .map(|o| match o.value {
            Some(v) => format!("{} = {v}", lt(&o.label, lang)),
            None => lt(&o.label, lang).to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A text in the questionnaire's language; French is always filled (the API requires it, and an
/// English questionnaire then reads the same in both interfaces).
fn local(text: &str, lang: Locale) -> LocalText {
    let text = text.trim().to_string();
    match lang {
        Locale::Fr => LocalText { fr: text, en: None },
        Locale::En => LocalText {
            fr: text.clone(),
            en: Some(text),
        },
    }
}

fn opt_local(text: &str, lang: Locale) -> Option<LocalText> {
    (!text.trim().is_empty()).then(|| local(text, lang))
}

fn fresh(prefix: &str, used: &HashSet<String>) -> String {
    (1..)
        .map(|n| format!("{prefix}{n}"))
        .find(|id| !used.contains(id))
        .unwrap_or_default()
}

impl Draft {
    /// A new questionnaire: one section with one agreement question.
    pub fn new(lang: Locale, author: &str) -> Draft {
        let mut d = Draft {
            id: String::new(),
            id_locked: false,
            id_touched: false,
            version: 0,
            lang,
            title: String::new(),
            description: String::new(),
            instructions: String::new(),
            source: format!("Questionnaire créé dans Boussole par {author}."),
            licence: "Usage interne à l’organisme".into(),
            attribution: author.to_string(),
            sections: Vec::new(),
            scales: Vec::new(),
            next_uid: 1,
        };
        d.add_section();
        let s = d.sections[0].uid;
        d.add_item(s);
        d
    }

    /// An instrument loaded into the editor: its next version (`copy` false, a custom one), or a
    /// new questionnaire starting from it (`copy` true: new id, its source and licence kept and the
    /// adaptation credited). Ranking options counted by a scale cannot be edited here: those keys
    /// are dropped, and a scale left empty with them.
    pub fn from_instrument(inst: &Instrument, copy: bool, author: &str, lang: Locale) -> Draft {
        let mut d = Draft::new(lang, author);
        d.sections.clear();
        d.id_locked = !copy;
        d.version = if copy { 0 } else { inst.version };
        d.title = lt(&inst.title, lang).to_string();
        if copy {
            d.title = format!("{} (copie)", d.title);
            d.id = slugify(&d.title);
            d.source = inst.source.clone();
            d.licence = inst.licence.clone();
            d.attribution = format!("{} Adapté par {author}.", inst.attribution);
        } else {
            d.id = inst.id.clone();
            d.source = inst.source.clone();
            d.licence = inst.licence.clone();
            d.attribution = inst.attribution.clone();
        }
        d.description = inst
            .description
            .as_ref()
            .map(|t| lt(t, lang).to_string())
            .unwrap_or_default();
        d.instructions = lt(&inst.instructions, lang).to_string();
        let mut uids = BTreeMap::new();
        for s in &inst.sections {
            let su = d.uid();
            let mut items = Vec::new();
            for it in &s.items {
                let uid = d.uid();
                uids.insert(it.id.clone(), uid);
                items.push(d.item_from(uid, it));
            }
            d.sections.push(DSection {
                uid: su,
                id: s.id.clone(),
                title: lt(&s.title, lang).to_string(),
                items,
            });
        }
        for sc in &inst.scales {
            let keys: Vec<DKey> = sc
                .items
                .iter()
                .filter(|k| k.option.is_none())
                .filter_map(|k| {
                    uids.get(&k.item).map(|&item| DKey {
                        item,
                        reverse: k.reverse,
                    })
                })
                .collect();
            if keys.is_empty() {
                continue;
            }
            let uid = d.uid();
            let bands = sc
                .bands
                .iter()
                .map(|b| DBand {
                    uid: d.uid(),
                    min: plain(b.min),
                    max: plain(b.max),
                    text: lt(&b.text, lang).to_string(),
                })
                .collect();
            d.scales.push(DScale {
                uid,
                id: sc.id.clone(),
                name: lt(&sc.name, lang).to_string(),
                rule: sc.rule,
                keys,
                bands,
            });
        }
        d
    }

    fn item_from(&self, uid: u32, it: &Item) -> DItem {
        let lang = self.lang;
        let mut x = self.blank_item(uid, it.id.clone());
        x.text = lt(&it.text, lang).to_string();
        x.required = it.required;
        match &it.kind {
            ItemKind::Likert { min, max, labels } => {
                x.likert_min = *min;
                x.points = max - min + 1;
                x.labels = labels
                    .iter()
                    .map(|l| lt(l, lang))
                    .collect::<Vec<_>>()
                    .join("\n");
            }
            ItemKind::SingleChoice { options } => {
                x.kind = KindTag::Single;
                x.options = options_text(options, lang);
            }
            ItemKind::MultipleChoice { options, .. } => {
                x.kind = KindTag::Multiple;
                x.options = options_text(options, lang);
            }
            ItemKind::Ranking { options } => {
                x.kind = KindTag::Ranking;
                x.options = options_text(options, lang);
            }
            ItemKind::Text { max_length } => {
                x.kind = KindTag::Text;
                x.max_length = max_length.to_string();
            }
            ItemKind::Number { min, max, integer } => {
                x.kind = KindTag::Number;
                x.num_min = min.map(plain).unwrap_or_default();
                x.num_max = max.map(plain).unwrap_or_default();
                x.integer = *integer;
            }
        }
        x
    }

    fn uid(&mut self) -> u32 {
        self.next_uid += 1;
        self.next_uid
    }

    fn blank_item(&self, uid: u32, id: String) -> DItem {
        DItem {
            uid,
            id,
            text: String::new(),
            kind: KindTag::Likert,
            required: true,
            likert_min: 1,
            points: 5,
            labels: agreement_labels(self.lang).to_string(),
            options: String::new(),
            num_min: String::new(),
            num_max: String::new(),
            integer: false,
            max_length: "1000".into(),
        }
    }

    fn item_ids(&self) -> HashSet<String> {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter().map(|i| i.id.clone()))
            .collect()
    }

    pub fn add_section(&mut self) -> u32 {
        let used = self.sections.iter().map(|s| s.id.clone()).collect();
        let uid = self.uid();
        self.sections.push(DSection {
            uid,
            id: fresh("s", &used),
            title: String::new(),
            items: Vec::new(),
        });
        uid
    }

    /// A new agreement question at the end of the section; its uid.
    pub fn add_item(&mut self, section: u32) -> Option<u32> {
        let id = fresh("q", &self.item_ids());
        let uid = self.uid();
        let item = self.blank_item(uid, id);
        let s = self.sections.iter_mut().find(|s| s.uid == section)?;
        s.items.push(item);
        Some(uid)
    }

    pub fn add_scale(&mut self) -> u32 {
        let used = self.scales.iter().map(|s| s.id.clone()).collect();
        let uid = self.uid();
        self.scales.push(DScale {
            uid,
            id: fresh("scale", &used),
            name: String::new(),
            rule: ScoringRule::Sum,
            keys: Vec::new(),
            bands: Vec::new(),
        });
        uid
    }

    pub fn add_band(&mut self, scale: u32) {
        let uid = self.uid();
        if let Some(s) = self.scale_mut(scale) {
            s.bands.push(DBand {
                uid,
                min: String::new(),
                max: String::new(),
                text: String::new(),
            });
        }
    }

    pub fn item(&self, uid: u32) -> Option<&DItem> {
        self.sections
            .iter()
            .flat_map(|s| &s.items)
            .find(|i| i.uid == uid)
    }

    pub fn item_mut(&mut self, uid: u32) -> Option<&mut DItem> {
        self.sections
            .iter_mut()
            .flat_map(|s| &mut s.items)
            .find(|i| i.uid == uid)
    }

    pub fn section_mut(&mut self, uid: u32) -> Option<&mut DSection> {
        self.sections.iter_mut().find(|s| s.uid == uid)
    }

    pub fn scale_mut(&mut self, uid: u32) -> Option<&mut DScale> {
        self.scales.iter_mut().find(|s| s.uid == uid)
    }

    pub fn band_mut(&mut self, uid: u32) -> Option<&mut DBand> {
        self.scales
            .iter_mut()
            .flat_map(|s| &mut s.bands)
            .find(|b| b.uid == uid)
    }

    /// Removes a section, an item, a scale or a band (whichever has this uid), and the scales' keys
    /// of the items removed.
    pub fn remove(&mut self, uid: u32) {
        self.sections.retain(|s| s.uid != uid);
        for s in &mut self.sections {
            s.items.retain(|i| i.uid != uid);
        }
        self.scales.retain(|s| s.uid != uid);
        let alive: HashSet<u32> = self
            .sections
            .iter()
            .flat_map(|s| s.items.iter().map(|i| i.uid))
            .collect();
        for s in &mut self.scales {
            s.bands.retain(|b| b.uid != uid);
            s.keys.retain(|k| alive.contains(&k.item));
        }
    }

    /// Moves a section, or an item within its section, by `delta` places (kept within bounds).
    pub fn shift(&mut self, uid: u32, delta: isize) {
        fn shift_in<T>(v: &mut [T], pos: Option<usize>, delta: isize) {
            if let Some(p) = pos {
                let to = (p as isize + delta).clamp(0, v.len() as isize - 1) as usize;
                v.swap(p, to);
            }
        }
        let pos = self.sections.iter().position(|s| s.uid == uid);
        shift_in(&mut self.sections, pos, delta);
        for s in &mut self.sections {
            let pos = s.items.iter().position(|i| i.uid == uid);
            shift_in(&mut s.items, pos, delta);
        }
    }

    /// Whether a scale counts an item, and reverse-keyed or not.
    pub fn key(&self, scale: u32, item: u32) -> Option<DKey> {
        self.scales
            .iter()
            .find(|s| s.uid == scale)?
            .keys
            .iter()
            .find(|k| k.item == item)
            .copied()
    }

    pub fn set_key(&mut self, scale: u32, item: u32, key: Option<bool>) {
        if let Some(s) = self.scale_mut(scale) {
            s.keys.retain(|k| k.item != item);
            if let Some(reverse) = key {
                s.keys.push(DKey { item, reverse });
            }
        }
    }

    /// The items a scale can count, in order: (uid, number in the questionnaire, text, is Likert).
    pub fn scorable(&self) -> Vec<(u32, usize, String, bool)> {
        self.numbered()
            .filter(|(_, _, i)| !matches!(i.kind, KindTag::Text | KindTag::Ranking))
            .map(|(n, _, i)| (i.uid, n, i.text.clone(), i.kind == KindTag::Likert))
            .collect()
    }

    /// Every item with its number from 1 and its (section, index) place.
    fn numbered(&self) -> impl Iterator<Item = (usize, (usize, usize), &DItem)> {
        self.sections
            .iter()
            .enumerate()
            .flat_map(|(s, sec)| {
                sec.items
                    .iter()
                    .enumerate()
                    .map(move |(i, it)| ((s, i), it))
            })
            .enumerate()
            .map(|(n, (at, it))| (n + 1, at, it))
    }

    /// Where an item stands: (section index, item index, number from 1).
    pub fn place(&self, uid: u32) -> Option<(usize, usize, usize)> {
        self.numbered()
            .find(|(_, _, i)| i.uid == uid)
            .map(|(n, (s, i), _)| (s, i, n))
    }

    /// The instrument the API receives (its version is the API's to set).
    pub fn to_instrument(&self) -> Instrument {
        let lang = self.lang;
        let ids: BTreeMap<u32, String> = self
            .sections
            .iter()
            .flat_map(|s| s.items.iter().map(|i| (i.uid, i.id.clone())))
            .collect();
        let sections = self
            .sections
            .iter()
            .map(|s| Section {
                id: s.id.clone(),
                title: local(&s.title, lang),
                intro: None,
                items: s.items.iter().map(|i| build_item(i, lang)).collect(),
            })
            .collect();
        let scales = self
            .scales
            .iter()
            .map(|s| Scale {
                id: s.id.clone(),
                name: local(&s.name, lang),
                description: None,
                items: s
                    .keys
                    .iter()
                    .filter_map(|k| {
                        ids.get(&k.item).map(|id| KeyedItem {
                            item: id.clone(),
                            reverse: k.reverse,
                            option: None,
                        })
                    })
                    .collect(),
                rule: s.rule,
                norms: None,
                bands: s
                    .bands
                    .iter()
                    .map(|b| Band {
                        min: parse_number(&b.min).ok().flatten().unwrap_or(f64::NAN),
                        max: parse_number(&b.max).ok().flatten().unwrap_or(f64::NAN),
                        text: local(&b.text, lang),
                    })
                    .collect(),
                holland: None,
            })
            .collect();
        Instrument {
            id: self.id.trim().to_string(),
            version: self.version + 1,
            kind: InstrumentKind::Custom,
            title: local(&self.title, lang),
            description: opt_local(&self.description, lang),
            instructions: local(&self.instructions, lang),
            source: self.source.clone(),
            licence: self.licence.clone(),
            attribution: self.attribution.clone(),
            translation_note: None,
            exploratory: true,
            sections,
            scales,
        }
    }
}

fn build_item(i: &DItem, lang: Locale) -> Item {
    let options = parse_options(&i.options, lang);
    let kind = match i.kind {
        KindTag::Likert => {
            let mut labels: Vec<LocalText> = i
                .labels
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| local(l, lang))
                .collect();
            if labels.is_empty() {
                labels = vec![LocalText::default(); i.points.max(0) as usize];
            }
            ItemKind::Likert {
                min: i.likert_min,
                max: i.likert_min + i.points - 1,
                labels,
            }
        }
        KindTag::Single => ItemKind::SingleChoice { options },
        KindTag::Multiple => ItemKind::MultipleChoice {
            options,
            min_choices: None,
            max_choices: None,
        },
        KindTag::Ranking => ItemKind::Ranking { options },
        KindTag::Text => ItemKind::Text {
            max_length: i.max_length.trim().parse().unwrap_or(1000),
        },
        KindTag::Number => ItemKind::Number {
            min: parse_number(&i.num_min).ok().flatten(),
            max: parse_number(&i.num_max).ok().flatten(),
            integer: i.integer,
        },
    };
    Item {
        id: i.id.clone(),
        text: local(&i.text, lang),
        kind,
        required: i.required,
        comment_prompt: None,
    }
}

/// The messages of the fields under `prefix` (itself, or `prefix.x` / `prefix[n]…`), joined: an
/// item's or a scale's errors shown beside it.
pub fn errors_under(errors: &BTreeMap<String, Vec<String>>, prefix: &str) -> Option<String> {
    let msgs: Vec<&str> = errors
        .iter()
        .filter(|(k, _)| {
            k.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        })
        .flat_map(|(_, v)| v.iter().map(String::as_str))
        .collect();
    (!msgs.is_empty()).then(|| msgs.join(" "))
}

/// Local findings as the API's problem document, so that one display serves both.
pub fn as_problem(found: Vec<(String, String)>, title: &str) -> boussole_shared::Problem {
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (f, m) in found {
        errors.entry(f).or_default().push(m);
    }
    boussole_shared::Problem {
        kind: "urn:boussole:problem:validation".into(),
        title: title.into(),
        status: 400,
        detail: None,
        errors: Some(errors),
        rules: None,
        missing: None,
    }
}

/// The checks made before sending.
#[path = "draft_check.rs"]
mod check;

#[cfg(test)]
#[path = "draft_tests.rs"]
mod tests;
