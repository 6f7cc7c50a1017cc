//! `sdcoach check`: the spec checks on Markdown documents and saved sessions, shaped like the
//! linters teams already run in CI: many files, folders and patterns in one call, text, JSON,
//! SARIF and GitHub annotations, exit codes by severity, a repository config and the
//! document's own suppressions.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use crate::app::Env;
use crate::domain::checks::layout::{Detected, Layout};
use crate::domain::checks::rules::{self, RULES};
use crate::domain::checks::{self, Doc, Finding, Severity};
use crate::storage::paths::read_text;
use crate::storage::repo_config::RepoConfig;
use crate::storage::sessions::load_file;
use crate::storage::walk;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Markdown specs, folders (every .md under them), glob patterns ('docs/**/*.md'), session
    /// files or session ids (unique prefix)
    #[arg(
        value_name = "TARGET",
        required_unless_present_any = ["eval", "explain", "list_rules"]
    )]
    pub targets: Vec<String>,
    /// Outline the Markdown was written with (default: .sdcoach.toml's, else the one whose
    /// headings match best)
    #[arg(long)]
    pub outline: Option<String>,
    /// How to print findings: text for people, json, sarif (SARIF 2.1.0 for code scanning),
    /// github (workflow annotations)
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Report only findings at or above this severity
    #[arg(long, value_enum, default_value_t = MinSeverity::Warning)]
    pub min_severity: MinSeverity,
    /// Fail (exit 1) also when more than N warnings are reported; errors always fail
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Ignore .sdcoach.toml files
    #[arg(long)]
    pub no_config: bool,
    /// Print what a rule checks, with examples, and how to turn it off
    #[arg(long, value_name = "RULE", conflicts_with_all = ["targets", "eval", "list_rules"])]
    pub explain: Option<String>,
    /// List every rule with its severity and what it looks for
    #[arg(long, conflicts_with_all = ["targets", "eval"])]
    pub list_rules: bool,
    /// Measure the checks on a labelled corpus of documents (NAME.md + NAME.toml, see
    /// tests/fixtures/specs/README.md): precision and recall per rule
    #[arg(long, value_name = "DIR", conflicts_with = "targets")]
    pub eval: Option<PathBuf>,
    /// With --eval: list every false report and every missed gap
    #[arg(long, short, requires = "eval")]
    pub verbose: bool,
    /// With --eval: print the scores as JSON
    #[arg(long, requires = "eval")]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MinSeverity {
    Warning,
    Error,
}

/// What one checked file or session produced.
struct Checked {
    /// The path as the user wrote it (or the session's file).
    shown: String,
    layout: Option<Detected>,
    findings: Vec<Finding>,
}

enum Target {
    Markdown(PathBuf),
    SessionFile(PathBuf),
    SessionId(String),
}

pub fn run(env: &Env, args: &CheckArgs, out: &mut impl Write) -> Result<i32> {
    if let Some(id) = &args.explain {
        let rule =
            rules::get(id).with_context(|| format!("no rule `{id}` (rules: {})", rules::ids()))?;
        write!(out, "{}", rule.doc)?;
        return Ok(0);
    }
    if args.list_rules {
        for r in RULES {
            writeln!(out, "{:<24} {:<8} {}", r.id, r.severity.label(), r.summary)?;
        }
        return Ok(0);
    }
    if let Some(dir) = &args.eval {
        return eval(env, dir, args, out);
    }
    // A team's layout that was skipped would silently change how documents are read.
    for w in &env.warnings {
        eprintln!("sdcoach: warning: {w}");
    }
    let mut configs = Configs::default();
    let mut failed = false;
    let mut checked = Vec::new();
    for arg in &args.targets {
        let targets = match expand(arg) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("sdcoach: {e:#}");
                failed = true;
                continue;
            }
        };
        for target in targets {
            match check_target(env, args, &mut configs, target) {
                Ok(mut c) => {
                    if args.min_severity == MinSeverity::Error {
                        c.findings.retain(|f| f.severity == Severity::Error);
                    }
                    checked.push(c);
                }
                Err(e) => {
                    eprintln!("sdcoach: {e:#}");
                    failed = true;
                }
            }
        }
    }
    let all = || checked.iter().flat_map(|c| &c.findings);
    let errors = all().filter(|f| f.severity == Severity::Error).count();
    let warnings = all().count() - errors;
    match args.format {
        Format::Text => text(&checked, errors, warnings, out)?,
        Format::Json => {
            let files: Vec<Value> = checked.iter().map(json_file).collect();
            let doc = json!({ "files": files, "errors": errors, "warnings": warnings });
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
        Format::Sarif => writeln!(out, "{}", serde_json::to_string_pretty(&sarif(&checked))?)?,
        Format::Github => github(&checked, errors, warnings, out)?,
    }
    Ok(if failed {
        2
    } else if errors > 0 || args.max_warnings.is_some_and(|max| warnings > max) {
        1
    } else {
        0
    })
}

/// The files one argument names.
fn expand(arg: &str) -> Result<Vec<Target>> {
    let path = Path::new(arg);
    let kind = |p: PathBuf| {
        if p.extension().is_some_and(|e| e == "toml") {
            Target::SessionFile(p)
        } else {
            Target::Markdown(p)
        }
    };
    if std::fs::symlink_metadata(path).is_ok() {
        if path.is_dir() {
            let files = walk::markdown_under(path)?;
            if files.is_empty() {
                bail!("{arg}: no Markdown files (.md, .markdown) in this folder");
            }
            return Ok(files.into_iter().map(Target::Markdown).collect());
        }
        if path.is_file() {
            return Ok(vec![kind(path.to_path_buf())]);
        }
        bail!("{arg}: not a readable regular file");
    }
    if walk::is_pattern(arg) {
        let files = walk::glob(arg)?;
        if files.is_empty() {
            bail!("`{arg}` matches no file");
        }
        return Ok(files.into_iter().map(kind).collect());
    }
    let looks_like_file = arg.contains(std::path::MAIN_SEPARATOR)
        || path
            .extension()
            .is_some_and(|e| ["md", "markdown", "toml"].iter().any(|x| e == *x));
    if looks_like_file {
        bail!("{arg}: not a readable regular file");
    }
    Ok(vec![Target::SessionId(arg.to_string())])
}

/// Loaded `.sdcoach.toml` files, by path: a folder of documents reads its config once.
#[derive(Default)]
struct Configs(HashMap<PathBuf, RepoConfig>);

impl Configs {
    fn for_file(&mut self, file: &Path) -> Result<Option<&RepoConfig>> {
        let Some(path) = RepoConfig::find(file)? else {
            return Ok(None);
        };
        if !self.0.contains_key(&path) {
            let config = RepoConfig::load(&path)?;
            self.0.insert(path.clone(), config);
        }
        Ok(self.0.get(&path))
    }
}

fn check_target(
    env: &Env,
    args: &CheckArgs,
    configs: &mut Configs,
    target: Target,
) -> Result<Checked> {
    let (file, shown) = match &target {
        Target::Markdown(p) | Target::SessionFile(p) => (p.clone(), p.display().to_string()),
        Target::SessionId(id) => {
            let id = env.store.resolve(id)?;
            let file = env.store.path(&id)?;
            let shown = file.display().to_string();
            (file, shown)
        }
    };
    let config = if args.no_config {
        None
    } else {
        configs.for_file(&file)?
    };
    let settings = config.map(|c| c.settings(&file)).unwrap_or_default();
    let source = read_text(&file)?;
    let (layout, mut findings) = match target {
        Target::Markdown(_) => {
            let unknown = |id: &str| format!("no outline `{id}` ({})", layout_ids(env));
            let named = match (&args.outline, &settings.outline, config) {
                (Some(id), _, _) => Some(env.layout(id).with_context(|| unknown(id))?),
                (None, Some((id, span)), Some(config)) => Some(
                    env.layout(id)
                        .ok_or_else(|| config.error_at(span.clone(), &unknown(id)))?,
                ),
                _ => None,
            };
            let doc = match named {
                Some(layout) => Doc::from_markdown_as(&source, layout),
                None => Doc::from_markdown(&source, &env.layouts.iter().collect::<Vec<_>>()),
            };
            let findings = checks::run(&doc);
            (doc.layout, findings)
        }
        Target::SessionFile(_) | Target::SessionId(_) => {
            let session = load_file(&file)?;
            let outline = env
                .outline(&session.outline)
                .with_context(|| format!("unknown outline `{}`", session.outline))?;
            let mut findings = checks::run(&Doc::from_session(&session, outline));
            for f in &mut findings {
                f.line = f.line.or_else(|| section_line(&source, &f.section));
            }
            (None, findings)
        }
    };
    rules::configure(&mut findings, |id| settings.rules.get(id).copied());
    Ok(Checked {
        shown,
        layout,
        findings,
    })
}

fn layout_ids(env: &Env) -> String {
    env.layouts
        .iter()
        .map(|l| l.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The line of `id = "<section>"` in a session file, so findings point into the file.
fn section_line(source: &str, section: &str) -> Option<usize> {
    let needle = format!("id = {section:?}");
    source
        .lines()
        .position(|l| l.trim() == needle)
        .map(|i| i + 1)
}

fn position(f: &Finding) -> (usize, usize) {
    (f.line.unwrap_or(1), f.column.unwrap_or(1))
}

fn text(checked: &[Checked], errors: usize, warnings: usize, out: &mut impl Write) -> Result<()> {
    for c in checked {
        if let Some(l) = c.layout.as_ref().filter(|l| l.fits()) {
            writeln!(
                out,
                "{}: read as {} ({} of its headings)",
                printable(&c.shown),
                l.title,
                l.matched
            )?;
        }
        for f in &c.findings {
            let (line, col) = position(f);
            writeln!(
                out,
                "{}:{line}:{col}: {} {}: {} [{}]\n  = fix: {}",
                printable(&c.shown),
                f.severity.label(),
                f.id,
                printable(&f.message),
                printable(&f.section_title),
                f.hint
            )?;
        }
    }
    let what = match checked {
        [] => return Ok(()),
        [one] => printable(&one.shown),
        many => format!("{} files", many.len()),
    };
    writeln!(out, "{what}: {errors} error(s), {warnings} warning(s)")?;
    Ok(())
}

fn json_file(c: &Checked) -> Value {
    let findings: Vec<Value> = c
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.id,
                "severity": f.severity.label(),
                "line": f.line,
                "column": f.column,
                "section": f.section_title,
                "message": f.message,
                "hint": f.hint,
            })
        })
        .collect();
    json!({
        "path": c.shown,
        "layout": c.layout.as_ref().filter(|l| l.fits()).map(|l| json!({
            "id": l.id,
            "title": l.title,
            "matched": l.matched,
        })),
        "findings": findings,
    })
}

/// A SARIF 2.1.0 log: one run, every rule described, every finding a result with its
/// location. Written with serde_json: the subset we emit is small and fixed, and a typed
/// SARIF crate would add a dependency tree for what is a dozen keys.
fn sarif(checked: &[Checked]) -> Value {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.summary },
                "help": { "text": r.doc, "markdown": r.doc },
                "defaultConfiguration": { "level": level(r.severity) },
            })
        })
        .collect();
    let results: Vec<Value> = checked
        .iter()
        .flat_map(|c| c.findings.iter().map(move |f| (c, f)))
        .map(|(c, f)| {
            let (line, col) = position(f);
            json!({
                "ruleId": f.id,
                "ruleIndex": RULES.iter().position(|r| r.id == f.id),
                "level": level(f.severity),
                "message": { "text": format!("{} [{}] Fix: {}", f.message, f.section_title, f.hint) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&c.shown) },
                        "region": { "startLine": line, "startColumn": col },
                    }
                }],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "sdcoach",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "results": results,
        }],
    })
}

/// A path as a URI reference: relative paths stay relative (code scanning resolves them
/// against the checkout), absolute ones become `file://` URIs; `\` is a separator on
/// Windows, and characters outside the unreserved set are percent-encoded.
fn uri(path: &str) -> String {
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_string()
    };
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// GitHub Actions workflow commands: one `::error`/`::warning` annotation per finding, shown
/// on the pull request's diff.
fn github(checked: &[Checked], errors: usize, warnings: usize, out: &mut impl Write) -> Result<()> {
    // Values and properties escape `%`, CR and LF; properties also `:` and `,`.
    let data = |s: &str| {
        printable(s)
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    for c in checked {
        for f in &c.findings {
            let (line, col) = position(f);
            writeln!(
                out,
                "::{} file={},line={line},col={col},title={}::{} [{}] Fix: {}",
                f.severity.label(),
                property(&c.shown),
                property(f.id),
                data(&f.message),
                data(&f.section_title),
                data(f.hint)
            )?;
        }
    }
    writeln!(
        out,
        "sdcoach check: {} file(s), {errors} error(s), {warnings} warning(s)",
        checked.len()
    )?;
    Ok(())
}

/// Text from a document made safe for a terminal: control characters (an escape sequence
/// that would retitle the window or clear the screen, a NUL) are shown escaped.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `check --eval DIR`: every `NAME.md` with its `NAME.toml` labels, checked and scored.
fn eval(env: &Env, dir: &Path, args: &CheckArgs, out: &mut impl Write) -> Result<i32> {
    use crate::domain::checks::eval::{self, Labels, Report};

    let mut docs = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    names.sort();
    if names.is_empty() {
        bail!(
            "{}: no labelled documents (NAME.md + NAME.toml)",
            dir.display()
        );
    }
    let layouts: Vec<&Layout> = env.layouts.iter().collect();
    for labels_path in names {
        let md_path = labels_path.with_extension("md");
        let labels: Labels = toml::from_str(&read_text(&labels_path)?)
            .with_context(|| format!("{}", labels_path.display()))?;
        let text = read_text(&md_path)?;
        let doc = Doc::from_markdown(&text, &layouts);
        let reports: Vec<Report> = checks::run(&doc)
            .into_iter()
            .map(|f| Report {
                rule: f.id.to_string(),
                line: f.line,
            })
            .collect();
        let name = md_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        docs.push(eval::score(&name, &text, &labels, &reports));
    }
    let (rules, all) = eval::totals(&docs);
    if args.json {
        let json = serde_json::json!({
            "documents": docs,
            "rules": rules,
            "total": all,
            "precision": all.precision(),
            "recall": all.recall(),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        return Ok(0);
    }
    if args.verbose {
        for d in &docs {
            for r in &d.false_reports {
                let line = r.line.map_or("-".to_string(), |l| l.to_string());
                writeln!(out, "{}:{line}: false {}", d.name, r.rule)?;
            }
            for (rule, line, why) in &d.missed {
                writeln!(out, "{}:{line}: missed {rule}: {why}", d.name)?;
            }
        }
        writeln!(out)?;
    }
    writeln!(out, "{}: {} documents", dir.display(), docs.len())?;
    writeln!(
        out,
        "  {:<26} {:>7} {:>7} {:>8} {:>9} {:>7}",
        "rule", "reports", "matched", "findings", "precision", "recall"
    )?;
    for (rule, s) in rules
        .iter()
        .chain(std::iter::once((&"all".to_string(), &all)))
    {
        writeln!(
            out,
            "  {:<26} {:>7} {:>7} {:>8} {:>9.3} {:>7.3}",
            rule,
            s.reports,
            s.matched,
            s.findings,
            s.precision(),
            s.recall()
        )?;
    }
    Ok(0)
}
