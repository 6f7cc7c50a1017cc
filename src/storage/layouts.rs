//! The document layouts `sdcoach check` reads documents as: sdcoach's own spec outlines, the
//! built-in layouts (`assets/layouts/`) and the user's (`<config>/outlines/*.toml`, same
//! format; one with a built-in layout's id replaces it).

use std::path::Path;

use super::embedded::{self, parse_layout};
use super::paths::{files_with_suffix, read_text};
use crate::domain::checks::layout::Layout;
use crate::domain::outline::Outline;

/// Every layout, sdcoach's outlines first (they win a tie), with the problems that made a
/// user file be skipped.
pub fn load(user_dir: &Path, spec_outlines: &[&Outline]) -> (Vec<Layout>, Vec<String>) {
    let mut warnings = Vec::new();
    let mut layouts: Vec<Layout> = spec_outlines
        .iter()
        .map(|o| Layout::from_outline(o))
        .collect();
    match embedded::layouts() {
        Ok(built_in) => layouts.extend(built_in),
        Err(e) => warnings.push(format!("built-in layouts skipped: {e:#}")),
    }
    let files = match files_with_suffix(user_dir, ".toml") {
        Ok(f) => f,
        Err(e) => {
            warnings.push(format!("{e:#}"));
            Vec::new()
        }
    };
    for path in files {
        let shown = path.display().to_string();
        let parsed = read_text(&path).and_then(|source| parse_layout(&shown, &source));
        match parsed {
            Ok(layout) if spec_outlines.iter().any(|o| o.id == layout.id) => {
                warnings.push(format!(
                    "{shown}: skipped: `{}` is an sdcoach outline's id",
                    layout.id
                ))
            }
            Ok(layout) => {
                layouts.retain(|l| l.id != layout.id);
                layouts.push(layout);
            }
            Err(e) => warnings.push(format!(
                "skipped {}",
                format!("{e:#}").lines().next().unwrap_or_default()
            )),
        }
    }
    (layouts, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_layout_is_added_replaces_a_built_in_one_and_a_broken_one_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write(
            "incident.toml",
            "id = \"incident\"\ntitle = \"Incident review\"\n\n[[sections]]\nheading = \"Impact\"\n\
             role = \"context\"\n\n[[sections]]\nheading = \"Follow-ups\"\nrole = \"rollout\"\n",
        );
        write(
            "adr.toml",
            "id = \"adr\"\ntitle = \"Our ADR\"\n\n[[sections]]\nheading = \"Decision\"\n",
        );
        write(
            "broken.toml",
            "id = \"x\"\ntitle = \"X\"\n[[sections]]\nheadng = \"A\"\n",
        );
        let (layouts, warnings) = load(dir.path(), &[]);
        let ids: Vec<&str> = layouts.iter().map(|l| l.id.as_str()).collect();
        assert!(ids.contains(&"incident") && ids.contains(&"kep"), "{ids:?}");
        let adr: Vec<&Layout> = layouts.iter().filter(|l| l.id == "adr").collect();
        assert_eq!(adr.len(), 1);
        assert_eq!(adr[0].title, "Our ADR");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("broken.toml:4:1"), "{warnings:?}");
    }
}
