//! Embeds the built-in question bank, export templates, outlines, library and document
//! layouts: every `question-bank/*.toml`, `templates/*.md.tera`, `assets/*.toml`,
//! `assets/library/*.toml` and `assets/layouts/*.toml` becomes a `(file name, contents)` entry,
//! so adding a file needs no code change.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn list(dir: &str, suffix: &str) -> Vec<(String, String)> {
    println!("cargo::rerun-if-changed={dir}");
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join(dir);
    let mut files: Vec<(String, String)> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("reading {}: {e}", root.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_str().is_some_and(|s| s.ends_with(suffix)))
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            (name, p.display().to_string())
        })
        .collect();
    files.sort();
    files
}

fn table(out: &mut String, name: &str, files: &[(String, String)]) {
    let _ = writeln!(out, "pub static {name}: &[(&str, &str)] = &[");
    for (file, path) in files {
        let _ = writeln!(out, "    ({file:?}, include_str!({path:?})),");
    }
    let _ = writeln!(out, "];");
}

fn main() {
    let mut out = String::new();
    table(&mut out, "PROBLEMS", &list("question-bank", ".toml"));
    table(&mut out, "TEMPLATES", &list("templates", ".md.tera"));
    table(&mut out, "OUTLINES", &list("assets", ".toml"));
    table(&mut out, "LIBRARY", &list("assets/library", ".toml"));
    table(&mut out, "LAYOUTS", &list("assets/layouts", ".toml"));
    let dest = Path::new(&env::var("OUT_DIR").unwrap_or_default()).join("embedded_files.rs");
    fs::write(&dest, out).unwrap_or_else(|e| panic!("writing {}: {e}", dest.display()));
}
