//! English as data: the app compiles French only, and fetches `/en.json` (built from `en.rs` and the
//! other `*_EN` tables, which stay Rust constants checked at compile time on the host) the first time
//! someone switches to English. Every table is a `#[repr(C)]` struct of `&'static str` (or arrays of
//! them), so its memory is a plain list of strings: the file holds each table's strings in field order,
//! and the fetched lists are viewed as the tables without copying. The accessibility statement
//! (`HelpStrings`, with its sections of variable length) stays compiled in both languages.
//!
//! `en.json` (`crates/web/en.json`, copied into the build by Trunk) is checked by the unit test
//! `english_file_is_current`; regenerate it with
//! `BOUSSOLE_WRITE_EN=1 cargo test -p boussole-web english_file_is_current`.

use super::*;

/// A table of strings that can be viewed as a list of them.
///
/// # Safety
/// Implement only for a `#[repr(C)]` struct whose every field is a `&'static str` or an array of
/// `&'static str`: its memory is then exactly a `[&'static str; len::<Self>()]`.
pub unsafe trait Table: Sized + Sync + 'static {}

fn len<T: Table>() -> usize {
    size_of::<T>() / size_of::<&'static str>()
}

/// The table made of `list`, when it has exactly as many strings.
fn view<T: Table>(list: &'static [&'static str]) -> Option<&'static T> {
    // SAFETY: `Table`'s contract: `T` is laid out as `len::<T>()` consecutive `&'static str`, with
    // their alignment, which is what `list` points to; the strings live for the program's life.
    (list.len() == len::<T>()).then(|| unsafe { &*list.as_ptr().cast::<T>() })
}

/// The strings of a table, in field order (to write `en.json`).
#[cfg(not(target_arch = "wasm32"))]
fn strs<T: Table>(table: &T) -> &[&'static str] {
    // SAFETY: as in `view`, the other way round.
    unsafe { std::slice::from_raw_parts((table as *const T).cast::<&'static str>(), len::<T>()) }
}

macro_rules! tables {
    ($($field:ident: $ty:ty,)*) => {
        $(unsafe impl Table for $ty {})*

        /// English from the fetched lists, one per table in this order; `None` when they do not match
        /// the app (a stale file).
        fn english(mut lists: impl Iterator<Item = &'static [&'static str]>) -> Option<Strings> {
            Some(Strings {
                $($field: view(lists.next()?)?,)*
                help: &help::HELP_EN,
            })
        }

        /// Every table's strings, in the order `english` reads them.
        #[cfg(not(target_arch = "wasm32"))]
        pub fn lists(s: &Strings) -> Vec<&[&'static str]> {
            vec![$(strs(s.$field),)*]
        }
    };
}

tables! {
    common: Common,
    apt: AptStrings,
    access: AccessStrings,
    assess: AssessStrings,
    proj: ProjectionStrings,
    builder: BuilderStrings,
    msg: MessagesStrings,
    docs: DocStrings,
    cpf: CpfStrings,
    money: MoneyStrings,
    quotes: QuoteStrings,
    integ: IntegStrings,
    notif: NotifStrings,
    lib: LibraryStrings,
    sign: SignStrings,
    legal: LegalStrings,
}

static ENGLISH: std::sync::OnceLock<Strings> = std::sync::OnceLock::new();

/// English, once fetched.
#[cfg(target_arch = "wasm32")]
pub fn loaded() -> Option<&'static Strings> {
    ENGLISH.get()
}

/// Fetches and keeps English; false when it could not (offline, or a file that does not match).
pub async fn load() -> bool {
    if ENGLISH.get().is_some() {
        return true;
    }
    let text = match gloo_net::http::Request::get("/en.json").send().await {
        Ok(res) if res.ok() => res.text().await.ok(),
        _ => None,
    };
    let Some(serde_json::Value::Array(tables)) =
        text.and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
    else {
        return false;
    };
    // Leaked once: the strings live as long as the page, like the compiled French ones.
    let lists = tables.into_iter().map(|table| -> &'static [&'static str] {
        let strings = match table {
            serde_json::Value::Array(list) => list
                .into_iter()
                .map(|s| match s {
                    serde_json::Value::String(s) => &*s.leak(),
                    _ => "",
                })
                .collect(),
            _ => Vec::new(),
        };
        strings.leak()
    });
    match english(lists) {
        Some(strings) => ENGLISH.get_or_init(|| strings),
        None => return false,
    };
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json() -> String {
        let mut out = serde_json::to_string_pretty(&lists(&EN)).unwrap_or_default();
        out.push('\n');
        out
    }

    #[test]
    fn english_file_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/en.json");
        let want = json();
        if std::env::var_os("BOUSSOLE_WRITE_EN").is_some() {
            assert!(std::fs::write(path, &want).is_ok());
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "crates/web/en.json is not the English of en.rs and the *_EN tables: run \
             BOUSSOLE_WRITE_EN=1 cargo test -p boussole-web english_file_is_current"
        );
    }

    #[test]
    fn the_english_lists_read_back_as_the_tables() {
        let lists: Vec<&'static [&'static str]> = lists(&EN);
        let en = english(lists.into_iter());
        assert!(en.is_some());
        if let Some(en) = en {
            assert_eq!(en.nav_home, EN.nav_home);
            assert_eq!(en.sign.submit, EN.sign.submit);
            assert_eq!(en.apt.months[11], EN.apt.months[11]);
            assert_eq!(en.notif.kinds, EN.notif.kinds);
            assert_eq!(en.docs.download, EN.docs.download);
        }
        // A list of the wrong length (a stale file) is refused.
        let short: Vec<&'static [&'static str]> = vec![&["x"]];
        assert!(english(short.into_iter()).is_none());
    }
}
