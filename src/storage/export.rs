//! Rendering sessions to Markdown with tera. Built-in templates are embedded; files named
//! `<config>/templates/NAME.md.tera` add templates or replace a built-in one. Templates only
//! see each other (no file system access), and errors name the template, line and column.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};

use super::embedded;
use super::paths::{files_with_suffix, read_text};
use crate::domain::report::{Report, fence_closes, fence_open};

const SUFFIX: &str = ".md.tera";

pub struct Templates {
    tera: tera::Tera,
    /// `(name, source)` where source is `built-in` or a path.
    names: Vec<(String, String)>,
    /// User templates that failed to load, by name, with the error (template, line, column).
    broken: Vec<(String, String)>,
}

impl Templates {
    /// Built-ins plus the user's folder (which may be absent). A user template that does not
    /// parse is left out and reported; it never takes the others down with it.
    pub fn load(user_dir: &Path) -> Result<Self> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on(Vec::<&str>::new());
        let mut names: Vec<(String, String)> = Vec::new();
        for (file, src) in embedded::templates() {
            tera.add_raw_template(file, src)
                .map_err(|e| anyhow!("built-in template {file}:\n{e}"))?;
            names.push((file.trim_end_matches(SUFFIX).to_string(), "built-in".into()));
        }
        let mut broken = Vec::new();
        for path in files_with_suffix(user_dir, SUFFIX)? {
            let file = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            let name = file.trim_end_matches(SUFFIX).to_string();
            let origin = path.display().to_string();
            let added = read_text(&path).and_then(|src| {
                tera.add_raw_template(&file, &src)
                    .map_err(|e| anyhow!("template {origin}:\n{e}"))
            });
            match added {
                Ok(()) => match names.iter_mut().find(|(n, _)| *n == name) {
                    Some(existing) => existing.1 = origin,
                    None => names.push((name, origin)),
                },
                Err(e) => broken.push((name, format!("{e:#}"))),
            }
        }
        // `_name.md.tera` files are partials for `{% include %}`, not templates to choose.
        names.retain(|(n, _)| !n.starts_with('_'));
        names.sort();
        Ok(Self {
            tera,
            names,
            broken,
        })
    }

    pub fn names(&self) -> &[(String, String)] {
        &self.names
    }

    /// User templates that could not be loaded: `(name, error)`.
    pub fn broken(&self) -> &[(String, String)] {
        &self.broken
    }

    /// Renders a report with the named template and tidies the Markdown: no trailing spaces,
    /// no runs of blank lines, one final newline.
    pub fn render(&self, name: &str, report: &Report) -> Result<String> {
        if let Some((_, err)) = self.broken.iter().find(|(n, _)| n == name) {
            bail!("template `{name}` could not be loaded:\n{err}");
        }
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

/// Strips trailing spaces, collapses runs of blank lines and ends with exactly one newline;
/// inside code fences nothing is touched.
pub fn tidy_markdown(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank_run = 0;
    let mut fence: Option<(char, usize)> = None;
    for line in raw.lines() {
        if let Some(open) = fence {
            out.push_str(line);
            out.push('\n');
            if fence_closes(line, open) {
                fence = None;
            }
            continue;
        }
        fence = fence_open(line);
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
    fn tidy_leaves_code_blocks_alone() {
        let md = "# A\n\n```text\nkeep  \n\n\n\nthis\n```\n\n\nafter  \n";
        assert_eq!(
            tidy_markdown(md),
            "# A\n\n```text\nkeep  \n\n\n\nthis\n```\n\nafter\n"
        );
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
        let t = Templates::load(dir.path()).unwrap();
        assert!(
            t.names().iter().any(|(n, _)| n == "short"),
            "the others still load"
        );
        let (name, err) = &t.broken()[0];
        assert_eq!(name, "bad");
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
        let t = Templates::load(dir.path()).unwrap();
        assert_eq!(
            t.broken().len(),
            1,
            "an include outside the loaded templates is refused"
        );
        assert!(!t.names().iter().any(|(n, _)| n == "sneaky"));
    }
}
