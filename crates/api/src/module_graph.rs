//! Issue 9: no two top-level modules of the API import each other. A module is a folder or a `.rs`
//! file directly under `src` (not `lib.rs`, `main.rs`); it imports another when one of its files
//! names `crate::other` (also as the head of an item of a `use crate::{…}` group), comments left
//! out. When this fails, move the piece both sides need down (into the lower module or a small
//! module of its own, with no HTTP), or invert the call (the higher module, a handler or the job
//! runner passes what the lower one needs): never duplicate the code or hide the import.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Module → the modules it names → the files (relative to `src`) that name them.
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// The text without its `//` comments (doc comments included: they may name any module).
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.find("//").map_or(line, |at| &line[..at]))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The first segment of a path (`a::b` → `a`).
fn head(path: &str) -> String {
    path.trim().chars().take_while(|c| is_ident(*c)).collect()
}

/// The heads of the items of a `{…}` group that starts at `group` (just after its `{`).
fn group_heads(group: &str, out: &mut BTreeSet<String>) {
    let (mut depth, mut item) = (0usize, String::new());
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.insert(head(&item));
                item.clear();
            }
            _ if depth == 0 => item.push(c),
            _ => {}
        }
    }
    out.insert(head(&item));
}

/// The top-level names a file's text takes from `crate::`, comments left out.
fn named(text: &str) -> BTreeSet<String> {
    let text = without_comments(text);
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        if text[..at].chars().next_back().is_some_and(is_ident) {
            continue;
        }
        let rest = &text[at + "crate::".len()..];
        match rest.strip_prefix('{') {
            Some(group) => group_heads(group, &mut out),
            None => {
                out.insert(head(rest));
            }
        }
    }
    out.remove("");
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("a readable folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each top-level module of `src` with the files that make it up.
fn modules(src: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut modules: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in fs::read_dir(src).expect("crates/api/src") {
        let path = entry.expect("a folder entry").path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let files = modules.entry(name.to_string()).or_default();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path.clone());
        }
    }
    modules.remove("lib");
    modules.remove("main");
    modules.retain(|_, files| !files.is_empty());
    modules
}

fn graph(src: &Path) -> Graph {
    let modules = modules(src);
    let mut graph = Graph::new();
    for (module, files) in &modules {
        for file in files {
            let text = fs::read_to_string(file).expect("a readable source file");
            let shown = file.strip_prefix(src).unwrap_or(file).display().to_string();
            for other in named(&text) {
                if other != *module && modules.contains_key(&other) {
                    graph
                        .entry(module.clone())
                        .or_default()
                        .entry(other)
                        .or_default()
                        .insert(shown.clone());
                }
            }
        }
    }
    graph
}

#[test]
fn no_two_modules_import_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = graph(&src);
    let mut pairs = Vec::new();
    for (a, uses) in &graph {
        for (b, files) in uses.iter().filter(|(b, _)| a < *b) {
            if let Some(back) = graph.get(b).and_then(|u| u.get(a)) {
                pairs.push(format!("{a} <-> {b}: {a} in {files:?}; {b} in {back:?}"));
            }
        }
    }
    assert!(
        pairs.is_empty(),
        "top-level modules that import each other (move the shared piece down, or invert the call):\n{}",
        pairs.join("\n")
    );
}

#[test]
fn the_parser_reads_groups_and_leaves_comments_out() {
    let text = "use crate::{a::x, b::{y, z}, c};\n\
                // use crate::d;\n\
                let v = crate::e::f(); /// crate::g\n\
                use crate::{\n    h,\n    i::j as k,\n};\n\
                use boussole_shared::crate_like::l;\n\
                use mycrate::m;";
    let want: BTreeSet<String> = ["a", "b", "c", "e", "h", "i"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(named(text), want);
}
