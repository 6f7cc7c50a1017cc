//! What ships inside the binary: the framework outline, the built-in problems and templates.

use anyhow::{Result, anyhow};

use super::bank::parse_problem;
use super::located::Located;
use crate::domain::checks::layout::Layout;
use crate::domain::outline::Outline;
use crate::domain::problem::Problem;

mod files {
    include!(concat!(env!("OUT_DIR"), "/embedded_files.rs"));
}

/// A TOML file read as `T`, then checked by `validate`; errors name the file (and, for TOML
/// errors, the line and column).
fn parse_checked<T: serde::de::DeserializeOwned>(
    path: &str,
    source: &str,
    validate: fn(&T) -> Result<(), String>,
) -> Result<T> {
    let value: T =
        toml::from_str(source).map_err(|e| anyhow!(Located::from_toml(path, source, &e)))?;
    validate(&value).map_err(|m| anyhow!("{path}: {m}"))?;
    Ok(value)
}

pub fn parse_outline(path: &str, source: &str) -> Result<Outline> {
    parse_checked(path, source, Outline::validate)
}

pub use crate::domain::outline::INTERVIEW;

/// Every built-in outline (`assets/*.toml`): the interview framework and the spec outlines.
pub fn outlines() -> Result<Vec<Outline>> {
    files::OUTLINES
        .iter()
        .map(|(name, source)| parse_outline(&format!("assets/{name}"), source))
        .collect()
}

/// The interview framework.
pub fn framework() -> Result<Outline> {
    outlines()?
        .into_iter()
        .find(|o| o.id == INTERVIEW)
        .ok_or_else(|| anyhow!("assets/framework.toml with id = \"{INTERVIEW}\" is missing"))
}

/// One built-in problem by id, for tests.
#[cfg(test)]
pub fn problem(id: &str) -> Problem {
    problems()
        .into_iter()
        .map(|(name, p)| p.unwrap_or_else(|e| panic!("{name}: {e}")))
        .find(|p| p.id() == id)
        .expect("a built-in problem with this id")
}

/// Every built-in problem, parsed and validated, with its file name.
pub fn problems() -> Vec<(&'static str, Result<Problem, Located>)> {
    let framework = framework();
    files::PROBLEMS
        .iter()
        .map(|(name, source)| {
            let path = format!("question-bank/{name}");
            let parsed = match &framework {
                Ok(f) => parse_problem(&path, source, f),
                Err(e) => Err(Located::at(&path, source, None, &e.to_string())),
            };
            (*name, parsed)
        })
        .collect()
}

/// The reference library's cards, sorted by title.
pub fn library() -> Result<Vec<crate::domain::library::Card>> {
    let mut cards = files::LIBRARY
        .iter()
        .map(|(name, source)| parse_checked(&format!("assets/library/{name}"), source, |_| Ok(())))
        .collect::<Result<Vec<crate::domain::library::Card>>>()?;
    cards.sort_by(|a, b| a.title.cmp(&b.title));
    Ok(cards)
}

/// A document layout file (`assets/layouts/*.toml` or a user's), parsed and validated.
pub fn parse_layout(path: &str, source: &str) -> Result<Layout> {
    parse_checked(path, source, Layout::validate)
}

/// The built-in document layouts (KEP, RFCs, ADR, MADR, spec-kit, …), in file-name order.
pub fn layouts() -> Result<Vec<Layout>> {
    files::LAYOUTS
        .iter()
        .map(|(name, source)| parse_layout(&format!("assets/layouts/{name}"), source))
        .collect()
}

/// Built-in export templates as `(file name, source)`.
pub fn templates() -> &'static [(&'static str, &'static str)] {
    files::TEMPLATES
}

/// The source of a built-in problem file, by file name (tests edit copies of it).
pub fn problem_source(name: &str) -> Option<&'static str> {
    files::PROBLEMS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_layout_is_valid_and_named_as_its_file() {
        let layouts = layouts().unwrap();
        assert_eq!(layouts.len(), files::LAYOUTS.len());
        for (l, (name, _)) in layouts.iter().zip(files::LAYOUTS) {
            assert_eq!(format!("{}.toml", l.id), *name);
            assert!(
                l.sections.iter().any(|s| !s.optional),
                "{name}: nothing required"
            );
        }
    }

    #[test]
    fn every_library_card_is_complete_and_every_link_resolves() {
        let cards = library().unwrap();
        assert!(cards.len() >= 25, "{} cards", cards.len());
        let framework = framework().unwrap();
        let steps: Vec<&str> = framework.sections.iter().map(|s| s.id.as_str()).collect();
        for (name, _) in files::LIBRARY {
            let card = cards.iter().find(|c| format!("{}.toml", c.id) == *name);
            assert!(card.is_some(), "{name}: id does not match the file name");
        }
        let problems: Vec<String> = cards
            .iter()
            .flat_map(|c| c.problems(&cards, &steps))
            .collect();
        assert!(problems.is_empty(), "{problems:#?}");
        for needed in [
            "latency-numbers",
            "powers-of-two",
            "caching-patterns",
            "slos-burn-rate",
        ] {
            assert!(cards.iter().any(|c| c.id == needed), "missing {needed}");
        }
    }
}
