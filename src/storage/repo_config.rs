//! A repository's settings for `sdcoach check`: `.sdcoach.toml`, found by walking up from the
//! checked file's folder, so a monorepo can keep one per project.
//!
//! ```toml
//! [check]
//! outline = "kep"                    # read documents here as this outline or layout
//! [check.rules]
//! risk-unmitigated = "off"           # or "warning", "error"
//! [[check.overrides]]
//! files = ["adr/*.md"]               # globs, relative to this file's folder
//! outline = "adr"
//! rules = { leftover-marker = "error" }
//! ```
//!
//! Rule ids are checked against the rules that exist; outline ids are checked by the caller,
//! which knows the outlines (a user may add their own). Errors name the file, line and column.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use glob::Pattern;
use serde::Deserialize;
use toml::Spanned;

use super::located::Located;
use super::paths::read_text;
use super::walk::MATCH;
use crate::domain::checks::rules::{self, Level};

pub const FILE_NAME: &str = ".sdcoach.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Root {
    #[serde(default)]
    check: Check,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Check {
    outline: Option<Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Level>,
    #[serde(default)]
    overrides: Vec<Override>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Override {
    files: Vec<Spanned<String>>,
    outline: Option<Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Level>,
}

/// A loaded `.sdcoach.toml`.
#[derive(Debug)]
pub struct RepoConfig {
    pub path: PathBuf,
    source: String,
    check: Check,
    /// Each override's patterns, compiled, relative to the config's folder.
    patterns: Vec<Vec<Pattern>>,
}

/// What applies to one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The outline id to read it with, and where the config sets it (for errors).
    pub outline: Option<(String, Range<usize>)>,
    pub rules: BTreeMap<String, Level>,
}

impl RepoConfig {
    /// The nearest `.sdcoach.toml` at or above `file`'s folder, if any.
    pub fn find(file: &Path) -> Result<Option<PathBuf>> {
        let absolute = std::path::absolute(file)?;
        for dir in absolute.ancestors().skip(1) {
            let candidate = dir.join(FILE_NAME);
            // A name that exists but is a folder or a pipe is a mistake worth stopping for.
            if std::fs::symlink_metadata(&candidate).is_ok() {
                if !candidate.is_file() {
                    bail!("{}: not a readable regular file", candidate.display());
                }
                return Ok(Some(candidate));
            }
        }
        Ok(None)
    }

    pub fn load(path: &Path) -> Result<Self> {
        let shown = path.display().to_string();
        let source = read_text(path)?;
        let check = toml::from_str::<Root>(&source)
            .map_err(|e| anyhow!(Located::from_toml(&shown, &source, &e)))?
            .check;
        let located = |span: Range<usize>, message: String| {
            anyhow!(Located::at(&shown, &source, Some(span), &message))
        };
        let rule_tables =
            std::iter::once(&check.rules).chain(check.overrides.iter().map(|o| &o.rules));
        for table in rule_tables {
            if let Some(bad) = table.keys().find(|k| rules::get(k.get_ref()).is_none()) {
                return Err(located(
                    bad.span(),
                    format!("unknown rule `{}` (rules: {})", bad.get_ref(), rules::ids()),
                ));
            }
        }
        let mut patterns = Vec::new();
        for o in &check.overrides {
            let mut compiled = Vec::new();
            for f in &o.files {
                compiled.push(
                    Pattern::new(f.get_ref())
                        .map_err(|e| located(f.span(), format!("bad pattern: {e}")))?,
                );
            }
            patterns.push(compiled);
        }
        Ok(Self {
            path: path.to_path_buf(),
            source,
            check,
            patterns,
        })
    }

    /// The settings for `file`: the top level, then each override whose patterns match the
    /// file's path relative to the config's folder, later ones winning.
    pub fn settings(&self, file: &Path) -> Settings {
        let spanned = |s: &Spanned<String>| (s.get_ref().clone(), s.span());
        let mut out = Settings {
            outline: self.check.outline.as_ref().map(spanned),
            rules: names(&self.check.rules),
        };
        let dir = self.path.parent().unwrap_or(Path::new(""));
        let Ok(absolute) = std::path::absolute(file) else {
            return out;
        };
        let relative = absolute.strip_prefix(dir).unwrap_or(&absolute);
        for (o, patterns) in self.check.overrides.iter().zip(&self.patterns) {
            if patterns
                .iter()
                .any(|p| p.matches_path_with(relative, MATCH))
            {
                if let Some(outline) = &o.outline {
                    out.outline = Some(spanned(outline));
                }
                out.rules.extend(names(&o.rules));
            }
        }
        out
    }

    /// An error about a span of the config (an outline id the caller does not know).
    pub fn error_at(&self, span: Range<usize>, message: &str) -> anyhow::Error {
        anyhow!(Located::at(
            &self.path.display().to_string(),
            &self.source,
            Some(span),
            message
        ))
    }
}

fn names(table: &BTreeMap<Spanned<String>, Level>) -> BTreeMap<String, Level> {
    table
        .iter()
        .map(|(k, v)| (k.get_ref().clone(), *v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(dir: &Path, text: &str) -> Result<RepoConfig> {
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        RepoConfig::load(&path)
    }

    #[test]
    fn overrides_apply_by_pattern_and_later_ones_win() {
        let dir = tempfile::tempdir().unwrap();
        let c = config(
            dir.path(),
            "[check]\noutline = \"kep\"\n[check.rules]\nrisk-unmitigated = \"off\"\n\n\
             [[check.overrides]]\nfiles = [\"adr/*.md\"]\noutline = \"adr\"\n\
             rules = { leftover-marker = \"error\", risk-unmitigated = \"warning\" }\n",
        )
        .unwrap();
        let adr = c.settings(&dir.path().join("adr/0001-queue.md"));
        assert_eq!(adr.outline.map(|o| o.0).as_deref(), Some("adr"));
        assert_eq!(adr.rules["leftover-marker"], Level::Error);
        assert_eq!(adr.rules["risk-unmitigated"], Level::Warning);
        let other = c.settings(&dir.path().join("keps/purge.md"));
        assert_eq!(other.outline.map(|o| o.0).as_deref(), Some("kep"));
        assert_eq!(other.rules["risk-unmitigated"], Level::Off);
        // `*` stays inside one folder.
        let deep = c.settings(&dir.path().join("adr/old/0001.md"));
        assert_eq!(deep.outline.map(|o| o.0).as_deref(), Some("kep"));
    }

    #[test]
    fn mistakes_are_reported_with_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let e = config(dir.path(), "[check.rules]\nrisk-unmitigatd = \"off\"\n").unwrap_err();
        let text = format!("{e:#}");
        assert!(
            text.contains(":2:1: unknown rule `risk-unmitigatd`"),
            "{text}"
        );
        let e = config(dir.path(), "[check.rules]\nno-rollback = \"loud\"\n").unwrap_err();
        assert!(format!("{e:#}").contains(":2:15:"), "{e:#}");
        let e = config(dir.path(), "[check]\nrule = 1\n").unwrap_err();
        assert!(format!("{e:#}").contains(":2:1:"), "{e:#}");
    }

    #[test]
    fn the_nearest_config_above_a_file_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        let found = RepoConfig::find(&nested.join("doc.md")).unwrap();
        assert_eq!(found, Some(dir.path().join(FILE_NAME)));
        std::fs::create_dir(nested.join(FILE_NAME)).unwrap();
        assert!(RepoConfig::find(&nested.join("doc.md")).is_err());
    }
}
