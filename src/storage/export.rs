//! Rendering sessions to Markdown with tera. Built-in templates are embedded; files named
//! `<config>/templates/NAME.md.tera` add templates or replace a built-in one. Templates only
//! see each other (no file system access), and errors name the template, line and column.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};

use super::embedded;
use super::paths::{files_with_suffix, read_text};
use crate::domain::report::Report;

const SUFFIX: &str = ".md.tera";

pub struct Templates {
    tera: tera::Tera,
    /// `(name, source)` where source is `built-in` or a path.
    names: Vec<(String, String)>,
}

impl Templates {
    /// Built-ins plus the user's folder (which may be absent).
    pub fn load(user_dir: &Path) -> Result<Self> {
        let mut sources: Vec<(String, String, String)> = embedded::templates()
            .iter()
            .map(|(file, src)| (file.to_string(), src.to_string(), "built-in".to_string()))
            .collect();
        for path in files_with_suffix(user_dir, SUFFIX)? {
            let file = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            let src = read_text(&path)?;
            let origin = path.display().to_string();
            match sources.iter_mut().find(|(f, _, _)| *f == file) {
                Some(existing) => *existing = (file, src, origin),
                None => sources.push((file, src, origin)),
            }
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on(Vec::<&str>::new());
        for (file, src, origin) in &sources {
            tera.add_raw_template(file, src)
                .map_err(|e| anyhow!("template {origin}:\n{e}"))?;
        }
        let mut names: Vec<(String, String)> = sources
            .into_iter()
            .map(|(file, _, origin)| (file.trim_end_matches(SUFFIX).to_string(), origin))
            .collect();
        names.sort();
        Ok(Self { tera, names })
    }

    pub fn names(&self) -> &[(String, String)] {
        &self.names
    }

    /// Renders a report with the named template and tidies the Markdown: no trailing spaces,
    /// no runs of blank lines, one final newline.
    pub fn render(&self, name: &str, report: &Report) -> Result<String> {
        if !self.names.iter().any(|(n, _)| n == name) {
            let known: Vec<&str> = self.names.iter().map(|(n, _)| n.as_str()).collect();
            bail!(
                "no template named `{name}` (templates: {})",
                known.join(", ")
            );
        }
        let context = tera::Context::from_serialize(report).context("building template data")?;
        let raw = self
            .tera
            .render(&format!("{name}{SUFFIX}"), &context)
            .map_err(|e| anyhow!("rendering template {name}:\n{e}"))?;
        Ok(tidy_markdown(&raw))
    }
}

/// Collapses blank-line runs (outside code fences too: Mermaid does not care), strips trailing
/// spaces and ends with exactly one newline.
pub fn tidy_markdown(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank_run = 0;
    for line in raw.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    if out.is_empty() {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_collapses_blank_runs_and_trailing_space() {
        assert_eq!(tidy_markdown("\n\n# A  \n\n\n\ntext\n\n"), "# A\n\ntext\n");
    }

    #[test]
    fn user_templates_add_and_report_errors_with_position() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("short.md.tera"), "# {{ title }}\n").unwrap();
        let t = Templates::load(dir.path()).unwrap();
        assert!(t.names().iter().any(|(n, _)| n == "short"));
        assert!(
            t.names()
                .iter()
                .any(|(n, o)| n == "interview" && o == "built-in")
        );

        std::fs::write(dir.path().join("bad.md.tera"), "# ok\n\n{% for x in %}\n").unwrap();
        let err = format!("{:#}", Templates::load(dir.path()).err().unwrap());
        assert!(err.contains("bad.md.tera:3:"), "{err}");
    }

    #[test]
    fn templates_cannot_read_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("sneaky.md.tera"),
            "{% include \"/etc/passwd\" %}\n",
        )
        .unwrap();
        assert!(Templates::load(dir.path()).is_err());
    }
}
