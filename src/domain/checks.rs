//! Spec checks: explainable rules, no AI. Each finding has an id, a severity, the section it
//! points at, a message that quotes the problem and a hint on how to fix it.
//!
//! Checks read a [`Doc`]: sections with fields that carry a role (see `outline::ROLES`), built
//! from a session or parsed from a Markdown spec. They look for content by role, so the same
//! rules serve the one-pager, the full spec and any user outline that sets roles.

use serde::Serialize;

use super::measure::has_number_with_unit;
use super::outline::Outline;
use super::report::{fence_closes, fence_open};
use super::session::Session;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub id: &'static str,
    pub severity: Severity,
    /// Section id the finding points at.
    pub section: String,
    pub section_title: String,
    pub message: String,
    pub hint: &'static str,
    /// 1-based line in the source document, when known.
    pub line: Option<usize>,
}

/// A document to check.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub sections: Vec<DocSection>,
}

#[derive(Debug, Clone, Default)]
pub struct DocSection {
    pub id: String,
    pub title: String,
    pub required: bool,
    pub fields: Vec<DocField>,
}

#[derive(Debug, Clone, Default)]
pub struct DocField {
    pub role: Option<String>,
    pub text: String,
    /// Line of the source document where `text` starts (1-based), when known.
    pub line: Option<usize>,
}

/// Headings compare without case, punctuation or `&`/`and` differences.
fn normalise(title: &str) -> String {
    title
        .to_lowercase()
        .replace('&', " and ")
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Doc {
    /// A document with the outline's sections and fields, each field's text given by
    /// `text(section index, field index)`.
    pub fn from_outline(outline: &Outline, mut text: impl FnMut(usize, usize) -> String) -> Self {
        Doc {
            sections: outline
                .sections
                .iter()
                .enumerate()
                .map(|(si, def)| DocSection {
                    id: def.id.clone(),
                    title: def.title.clone(),
                    required: def.required,
                    fields: def
                        .fields
                        .iter()
                        .enumerate()
                        .map(|(fi, f)| DocField {
                            role: f.role.clone(),
                            text: text(si, fi),
                            line: None,
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// The document a session holds, in its outline's reading order.
    pub fn from_session(session: &Session, outline: &Outline) -> Self {
        Self::from_outline(outline, |si, fi| {
            let (s, f) = (&outline.sections[si], &outline.sections[si].fields[fi]);
            session
                .field_text(&s.id, &f.id)
                .unwrap_or_default()
                .to_string()
        })
    }

    /// Reads a Markdown spec written with an outline's headings: `## Section` headings match
    /// section titles, `### Field` headings inside a section with several fields match field
    /// titles (case, punctuation and `&`/`and` do not matter). Sections that are not there are
    /// empty. Line numbers point into the file.
    pub fn from_markdown(text: &str, outline: &Outline) -> Self {
        let mut doc = Self::from_outline(outline, |_, _| String::new());
        let mut at: Option<(usize, usize)> = None;
        let mut fence = None;
        for (i, line) in text.lines().enumerate() {
            let number = i + 1;
            if let Some(open) = fence {
                if fence_closes(line, open) {
                    fence = None;
                }
            } else if let Some(open) = fence_open(line) {
                fence = Some(open);
            } else if let Some(h) = line.strip_prefix("## ") {
                let wanted = normalise(h);
                at = outline
                    .sections
                    .iter()
                    .position(|s| normalise(&s.title) == wanted)
                    .map(|si| (si, 0));
                continue;
            } else if let Some(h) = line.strip_prefix("### ") {
                if let Some((si, _)) = at {
                    let wanted = normalise(h);
                    if let Some(fi) = outline.sections[si]
                        .fields
                        .iter()
                        .position(|f| normalise(&f.title) == wanted)
                    {
                        at = Some((si, fi));
                        continue;
                    }
                }
            } else if line.starts_with("# ") {
                at = None;
                continue;
            }
            if let Some((si, fi)) = at {
                let field = &mut doc.sections[si].fields[fi];
                if field.text.is_empty() && line.trim().is_empty() {
                    continue;
                }
                match field.line {
                    None => field.line = Some(number),
                    // Text that comes back to a field after a gap keeps its line numbers:
                    // the gap is filled with empty lines.
                    Some(first) => {
                        let next = first + field.text.lines().count();
                        for _ in next..number {
                            field.text.push('\n');
                        }
                    }
                }
                field.text.push_str(line);
                field.text.push('\n');
            }
        }
        for f in doc.sections.iter_mut().flat_map(|s| s.fields.iter_mut()) {
            if f.text.trim() == "_Not written._" {
                f.text.clear();
            }
        }
        doc
    }

    /// How many of the outline's section titles appear as `## ` headings (to pick the
    /// outline a file was written with).
    pub fn heading_matches(text: &str, outline: &Outline) -> usize {
        let mut fence = None;
        let headings: Vec<String> = text
            .lines()
            .filter(|l| {
                if let Some(open) = fence {
                    if fence_closes(l, open) {
                        fence = None;
                    }
                    return false;
                }
                fence = fence_open(l);
                fence.is_none()
            })
            .filter_map(|l| l.strip_prefix("## "))
            .map(normalise)
            .collect();
        outline
            .sections
            .iter()
            .filter(|s| headings.contains(&normalise(&s.title)))
            .count()
    }
}

impl DocSection {
    fn is_empty(&self) -> bool {
        self.fields.iter().all(|f| f.text.trim().is_empty())
    }
}

/// A line of a field with its position in the source.
struct Line<'a> {
    text: &'a str,
    line: Option<usize>,
    section: &'a DocSection,
}

impl Doc {
    fn has_role(&self, role: &str) -> bool {
        self.fields_with(role).next().is_some()
    }

    fn fields_with<'a>(
        &'a self,
        role: &'a str,
    ) -> impl Iterator<Item = (&'a DocSection, &'a DocField)> + 'a {
        self.sections.iter().flat_map(move |s| {
            s.fields
                .iter()
                .filter(move |f| f.role.as_deref() == Some(role))
                .map(move |f| (s, f))
        })
    }

    fn lines_with<'a>(&'a self, role: &'a str) -> Vec<Line<'a>> {
        self.field_lines(|f| f.role.as_deref() == Some(role))
            .collect()
    }

    /// Every line of the fields that pass `keep`, with its position in the source.
    fn field_lines<'a>(
        &'a self,
        keep: impl Fn(&DocField) -> bool + Copy + 'a,
    ) -> impl Iterator<Item = Line<'a>> + 'a {
        self.sections.iter().flat_map(move |section| {
            section
                .fields
                .iter()
                .filter(move |f| keep(f))
                .flat_map(move |f| {
                    f.text.lines().enumerate().map(move |(i, text)| Line {
                        text,
                        line: f.line.map(|l| l + i),
                        section,
                    })
                })
        })
    }

    fn role_text(&self, role: &str) -> String {
        let role = role.to_string();
        let role = role.as_str();
        self.fields_with(role)
            .map(|(_, f)| f.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn section_for<'a>(&'a self, role: &'a str) -> Option<&'a DocSection> {
        self.fields_with(role).map(|(s, _)| s).next()
    }

    fn all_lines(&self) -> impl Iterator<Item = Line<'_>> {
        self.field_lines(|_| true)
    }
}

fn finding(
    id: &'static str,
    severity: Severity,
    section: &DocSection,
    message: String,
    hint: &'static str,
    line: Option<usize>,
) -> Finding {
    Finding {
        id,
        severity,
        section: section.id.clone(),
        section_title: section.title.clone(),
        message,
        hint,
        line,
    }
}

/// Runs every check; findings come in document order, errors before warnings within a section.
pub fn run(doc: &Doc) -> Vec<Finding> {
    let mut out = Vec::new();
    required_sections(doc, &mut out);
    goals_without_non_goals(doc, &mut out);
    acceptance_criteria(doc, &mut out);
    measurable_nfrs(doc, &mut out);
    failure_handling(doc, &mut out);
    api_versioning_and_idempotency(doc, &mut out);
    capacity_math(doc, &mut out);
    rollback(doc, &mut out);
    leftover_markers(doc, &mut out);
    risk_mitigations(doc, &mut out);
    let order = |f: &Finding| doc.sections.iter().position(|s| s.id == f.section);
    out.sort_by_key(|f| (order(f), f.severity, f.line));
    out
}

/// Strips a list marker (`- `, `* `, `+ `, `1. `, `1) `) and surrounding space.
fn item_text(line: &str) -> &str {
    let t = line.trim();
    for m in ["- [ ] ", "- [x] ", "- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(m) {
            return rest.trim();
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = t[digits..]
            .strip_prefix(". ")
            .or_else(|| t[digits..].strip_prefix(") "))
    {
        return rest.trim();
    }
    t
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

fn contains_any(haystack: &str, needles: &[&str]) -> bool {
    let h = lower(haystack);
    needles.iter().any(|n| h.contains(n))
}

/// Whether `word` occurs as a whole word (ASCII word boundaries) in `text`.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

fn required_sections(doc: &Doc, out: &mut Vec<Finding>) {
    for s in doc.sections.iter().filter(|s| s.required && s.is_empty()) {
        out.push(finding(
            "required-section",
            Severity::Error,
            s,
            format!("`{}` is empty", s.title),
            "Write at least a line; if it truly does not apply, say why in one sentence.",
            s.fields.first().and_then(|f| f.line),
        ));
    }
}

fn goals_without_non_goals(doc: &Doc, out: &mut Vec<Finding>) {
    if !doc.has_role("non_goals") {
        return;
    }
    let goals = doc.role_text("goals");
    if !goals.trim().is_empty() && doc.role_text("non_goals").trim().is_empty() {
        let line = doc.fields_with("goals").find_map(|(_, f)| f.line);
        if let Some(s) = doc.section_for("non_goals") {
            out.push(finding(
                "goals-without-non-goals",
                Severity::Warning,
                s,
                "goals are listed but no non-goals".into(),
                "Name what this change will not do (e.g. 'No admin UI in v1'); it stops scope creep in review.",
                line,
            ));
        }
    }
}

const CRITERIA: &[&str] = &[
    "given ",
    "when ",
    "then ",
    "and ",
    "but ",
    "acceptance",
    "criteria",
    "ac:",
    "done when",
    "verified by",
];

fn is_criterion(text: &str) -> bool {
    let t = lower(item_text(text));
    CRITERIA.iter().any(|c| t.starts_with(c))
}

fn acceptance_criteria(doc: &Doc, out: &mut Vec<Finding>) {
    let lines = doc.lines_with("functional");
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        if l.text.trim().is_empty() || is_criterion(l.text) || indent(l.text) > 0 {
            i += 1;
            continue;
        }
        let inline = {
            let t = lower(l.text);
            (t.contains("given") && t.contains("then"))
                || CRITERIA[5..].iter().any(|c| t.contains(c))
        };
        let mut j = i + 1;
        let mut followed = false;
        while j < lines.len()
            && !lines[j].text.trim().is_empty()
            && (indent(lines[j].text) > 0 || is_criterion(lines[j].text))
        {
            followed |= is_criterion(lines[j].text);
            j += 1;
        }
        if !inline && !followed {
            out.push(finding(
                "acceptance-criteria",
                Severity::Warning,
                l.section,
                format!("no acceptance criterion for: {}", item_text(l.text)),
                "Add a Given/When/Then line under it, or 'Acceptance: …' with something a test can check.",
                l.line,
            ));
        }
        i = j.max(i + 1);
    }
}

/// A Markdown table's separator row: `| --- | :---: |`.
fn table_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn measurable_nfrs(doc: &Doc, out: &mut Vec<Finding>) {
    let lines = doc.lines_with("non_functional");
    for (i, l) in lines.iter().enumerate() {
        let t = item_text(l.text);
        let header = lines
            .get(i + 1)
            .is_some_and(|next| table_separator(next.text));
        if t.is_empty() || t.starts_with('#') || t.ends_with(':') || header || table_separator(t) {
            continue;
        }
        if !has_number_with_unit(t) {
            out.push(finding(
                "nfr-unmeasurable",
                Severity::Warning,
                l.section,
                format!("no number and unit: {t}"),
                "State a target with a unit: 'p95 latency < 150 ms', '99.9% monthly', '300 RPS per key', '< $200/month'.",
                l.line,
            ));
        }
    }
}

const FAILURE_WORDS: &[&str] = &[
    "timeout",
    "time out",
    "time-out",
    "retry",
    "retries",
    "backoff",
    "back off",
    "back-off",
    "fallback",
    "fall back",
    "circuit breaker",
    "circuit-breaker",
    "dead letter",
    "dead-letter",
    "dlq",
    "degrade",
    "bulkhead",
];

fn failure_handling(doc: &Doc, out: &mut Vec<Finding>) {
    let mentioned = doc.all_lines().any(|l| contains_any(l.text, FAILURE_WORDS));
    if mentioned {
        return;
    }
    let target = doc
        .section_for("failure_modes")
        .or_else(|| doc.sections.first());
    if let Some(s) = target {
        out.push(finding(
            "no-failure-handling",
            Severity::Error,
            s,
            "only the happy path: no timeout, retry, backoff, fallback or circuit breaker is mentioned".into(),
            "For each dependency on the request path, say its timeout, whether calls retry (with backoff and jitter) and what happens when it is down.",
            s.fields.first().and_then(|f| f.line),
        ));
    }
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

fn api_versioning_and_idempotency(doc: &Doc, out: &mut Vec<Finding>) {
    let lines = doc.lines_with("api");
    let endpoints: Vec<&Line> = lines
        .iter()
        .filter(|l| METHODS.iter().any(|m| has_word(l.text, m)))
        .collect();
    let Some(first) = endpoints.first() else {
        return;
    };
    let all = lower(&doc.role_text("api"));
    let path_version = all.match_indices("/v").any(|(i, _)| {
        all[i + 2..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    });
    let versioned = path_version
        || has_word(&all, "version")
        || has_word(&all, "versioned")
        || has_word(&all, "versioning");
    if !versioned {
        out.push(finding(
            "api-unversioned",
            Severity::Warning,
            first.section,
            "endpoints have no version (no /v1/… path or versioning note)".into(),
            "Version the paths (/v1/…) or say how compatibility is kept and how old clients are retired.",
            first.line,
        ));
    }
    let creates = endpoints.iter().find(|l| has_word(l.text, "POST"));
    if let Some(post) = creates
        && !all.contains("idempot")
    {
        out.push(finding(
            "api-not-idempotent",
            Severity::Warning,
            post.section,
            format!("creating endpoint without idempotency: {}", item_text(post.text)),
            "Accept an Idempotency-Key header on POSTs that create things, and say how long keys are kept.",
            post.line,
        ));
    }
}

const ARITHMETIC: &[char] = &['×', '*', '÷', '/', '=', '≈', '~', '→'];

fn capacity_math(doc: &Doc, out: &mut Vec<Finding>) {
    let text = doc.role_text("capacity");
    if text.trim().is_empty() {
        return;
    }
    let numbers = text.lines().any(has_number_with_unit);
    let arithmetic = text.contains(ARITHMETIC) || contains_any(&text, &[" x ", " per "]);
    if !(numbers && arithmetic)
        && let Some(s) = doc.section_for("capacity")
    {
        out.push(finding(
            "capacity-hand-wavy",
            Severity::Warning,
            s,
            "capacity has no worked numbers with units".into(),
            "Show the arithmetic: 2M requests/day ÷ 86,400 s ≈ 23 RPS; peak ×5 ≈ 120 RPS; 1 KB each ≈ 2 GB/day.",
            s.fields.first().and_then(|f| f.line),
        ));
    }
}

const ROLLBACK_WORDS: &[&str] = &[
    "rollback",
    "roll back",
    "roll-back",
    "revert",
    "kill switch",
];

fn rollback(doc: &Doc, out: &mut Vec<Finding>) {
    let lines = doc.lines_with("rollout");
    if lines.iter().all(|l| l.text.trim().is_empty()) {
        return;
    }
    let Some(at) = lines
        .iter()
        .position(|l| contains_any(l.text, ROLLBACK_WORDS))
    else {
        let s = lines[0].section;
        out.push(finding(
            "no-rollback",
            Severity::Error,
            s,
            "the rollout has no rollback step".into(),
            "Add one step that undoes the change: 'Rollback: turn the flag off (no data migration to undo).'",
            lines[0].line,
        ));
        return;
    };
    let head = &lines[at];
    let base = indent(head.text);
    let steps = lines[at + 1..]
        .iter()
        .take_while(|l| !l.text.trim().is_empty() && indent(l.text) > base)
        .count();
    let chained = lower(head.text).matches(" then ").count() >= 1;
    if steps > 1 || chained {
        out.push(finding(
            "rollback-multi-step",
            Severity::Warning,
            head.section,
            format!(
                "the rollback takes {} steps",
                if chained { "several".to_string() } else { steps.to_string() }
            ),
            "Make rollback a single action (flip a flag, redeploy the previous version); multi-step rollbacks fail under pressure.",
            head.line,
        ));
    }
}

const MARKERS: &[&str] = &["TBD", "TODO", "???", "[NEEDS CLARIFICATION]", "FIXME"];

fn leftover_markers(doc: &Doc, out: &mut Vec<Finding>) {
    for l in doc.all_lines() {
        let found = MARKERS.iter().find(|m| {
            if m.chars().all(|c| c.is_ascii_alphabetic()) {
                has_word(l.text, m)
            } else {
                l.text.contains(**m)
            }
        });
        if let Some(m) = found {
            out.push(finding(
                "leftover-marker",
                Severity::Warning,
                l.section,
                format!("`{m}` left in: {}", item_text(l.text)),
                "Resolve it, or move it to Open Questions with an owner and a date.",
                l.line,
            ));
        }
    }
}

const MITIGATION_WORDS: &[&str] = &[
    "mitigat",
    "→",
    "->",
    "fallback",
    "fall back",
    "we will",
    "by ",
    "guard",
    "limit",
    "alert",
];

fn risk_mitigations(doc: &Doc, out: &mut Vec<Finding>) {
    let lines = doc.lines_with("risks");
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        if l.text.trim().is_empty() || indent(l.text) > 0 {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut mitigated = contains_any(l.text, MITIGATION_WORDS);
        while j < lines.len() && !lines[j].text.trim().is_empty() && indent(lines[j].text) > 0 {
            mitigated |= contains_any(lines[j].text, MITIGATION_WORDS);
            j += 1;
        }
        if !mitigated {
            out.push(finding(
                "risk-unmitigated",
                Severity::Warning,
                l.section,
                format!("risk without a mitigation: {}", item_text(l.text)),
                "Follow each risk with what reduces it: 'risk → mitigation', or an indented 'Mitigation: …' line.",
                l.line,
            ));
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (section id, required, [(role, text)])
    type Spec<'a> = &'a [(&'a str, bool, &'a [(&'a str, &'a str)])];

    fn doc(sections: Spec) -> Doc {
        Doc {
            sections: sections
                .iter()
                .map(|(id, required, fields)| DocSection {
                    id: (*id).into(),
                    title: (*id).into(),
                    required: *required,
                    fields: fields
                        .iter()
                        .map(|(role, text)| DocField {
                            role: Some((*role).into()),
                            text: (*text).into(),
                            line: Some(10),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    fn ids(d: &Doc) -> Vec<&'static str> {
        run(d).into_iter().map(|f| f.id).collect()
    }

    /// A spec that passes every check; each test breaks one thing.
    const GOOD: Spec = &[
        (
            "summary",
            true,
            &[("summary", "Add per-key rate limiting at the gateway.")],
        ),
        (
            "goals",
            true,
            &[
                ("goals", "- Protect downstream services"),
                ("non_goals", "- No dashboard in v1"),
            ],
        ),
        (
            "functional",
            true,
            &[(
                "functional",
                "- Requests over the limit get 429\n  - Given a key at its limit, when it calls, then it gets 429 with Retry-After",
            )],
        ),
        (
            "nfr",
            true,
            &[(
                "non_functional",
                "- p95 latency < 150 ms\n- Availability: 99.9% monthly\n- Cost: < $200/month",
            )],
        ),
        (
            "api",
            true,
            &[(
                "api",
                "POST /v1/limits {key, rate} -> 201 (Idempotency-Key header)\nGET /v1/limits/{key} -> 200",
            )],
        ),
        (
            "failure",
            true,
            &[(
                "failure_modes",
                "Redis down: fall back to local limits; 50 ms timeout",
            )],
        ),
        (
            "capacity",
            false,
            &[("capacity", "300 RPS per key × 2,000 keys = 600K RPS peak")],
        ),
        (
            "rollout",
            true,
            &[(
                "rollout",
                "Shadow → 1% → 100%.\nRollback: set the flag to shadow.",
            )],
        ),
        (
            "risks",
            false,
            &[(
                "risks",
                "- Redis latency spikes → local token bucket fallback",
            )],
        ),
    ];

    fn with(id: &str, role: &str, text: &str) -> Doc {
        let mut d = doc(GOOD);
        for s in &mut d.sections {
            if s.id == id {
                for f in &mut s.fields {
                    if f.role.as_deref() == Some(role) {
                        f.text = text.into();
                    }
                }
            }
        }
        d
    }

    #[test]
    fn a_complete_spec_is_quiet() {
        assert_eq!(run(&doc(GOOD)), vec![]);
    }

    #[test]
    fn empty_required_sections_are_errors() {
        let f = run(&with("summary", "summary", "  \n"));
        assert_eq!(f[0].id, "required-section");
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].line, Some(10));
    }

    #[test]
    fn goals_need_non_goals() {
        assert_eq!(
            ids(&with("goals", "non_goals", "")),
            ["goals-without-non-goals"]
        );
    }

    #[test]
    fn requirements_need_acceptance_criteria() {
        let d = with(
            "functional",
            "functional",
            "- Users can upload a file\n- Users can share it\n  Given a file, when shared, then the link works",
        );
        let f = run(&d);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].id, "acceptance-criteria");
        assert!(f[0].message.contains("upload a file"));
        assert_eq!(f[0].line, Some(10));
        assert!(
            ids(&with(
                "functional",
                "functional",
                "- Export a report (acceptance: CSV arrives in < 2 min)"
            ))
            .is_empty()
        );
    }

    #[test]
    fn nfrs_need_numbers_and_units() {
        let f = run(&with(
            "nfr",
            "non_functional",
            "- Fast reads\n- p99 < 200 ms\n- Highly available",
        ));
        assert_eq!(f.iter().filter(|f| f.id == "nfr-unmeasurable").count(), 2);
        assert_eq!(f[1].line, Some(12));
    }

    #[test]
    fn exported_nfr_tables_read_back_cleanly() {
        let table = "| Requirement | Target |\n| --- | --- |\n| p95 latency | < 150 ms |\n| Uptime | high |";
        let f = run(&with("nfr", "non_functional", table));
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("Uptime"));
    }

    #[test]
    fn happy_path_only_is_an_error() {
        let mut d = with("failure", "failure_modes", "Redis down: use local limits");
        d.sections[8].fields[0].text = "- Redis latency spikes → alert on p99".into();
        d.sections[2].fields[0].text =
            "- Over the limit: 429\n  Given a key at its limit, when it calls, then 429".into();
        assert_eq!(ids(&d), ["no-failure-handling"]);
        d.sections[5].fields[0].text = "Calls to Redis time out after 50 ms and retry once".into();
        assert!(ids(&d).is_empty());
    }

    #[test]
    fn api_needs_versions_and_idempotent_creates() {
        let d = with("api", "api", "POST /limits {key} -> 201\nGET /limits/{key}");
        assert_eq!(ids(&d), ["api-unversioned", "api-not-idempotent"]);
        assert!(ids(&with("api", "api", "GET /v1/limits")).is_empty());
        assert!(ids(&with("api", "api", "GET /v12/limits")).is_empty());
        assert_eq!(
            ids(&with("api", "api", "GET /limits (currency conversion)")),
            ["api-unversioned"]
        );
    }

    #[test]
    fn capacity_needs_arithmetic() {
        assert_eq!(
            ids(&with(
                "capacity",
                "capacity",
                "Not much traffic, it will be fine"
            )),
            ["capacity-hand-wavy"]
        );
        assert!(
            ids(&with("capacity", "capacity", "")).is_empty(),
            "optional and empty: quiet"
        );
    }

    #[test]
    fn rollback_must_exist_and_be_one_step() {
        assert_eq!(
            ids(&with("rollout", "rollout", "Canary at 1%, then 100%")),
            ["no-rollback"]
        );
        let multi = "Rollback:\n  1. stop the workers\n  2. restore the backup\n  3. redeploy";
        assert_eq!(
            ids(&with("rollout", "rollout", multi)),
            ["rollback-multi-step"]
        );
        assert_eq!(
            ids(&with(
                "rollout",
                "rollout",
                "Rollback: drain the queue then redeploy v1"
            )),
            ["rollback-multi-step"]
        );
    }

    #[test]
    fn leftover_markers_are_found_as_words() {
        let f = run(&with(
            "summary",
            "summary",
            "Add limits. Owner: TBD\nTODOs are fine as a word? no: TODO\n[NEEDS CLARIFICATION] scope",
        ));
        assert_eq!(
            f.iter().filter(|f| f.id == "leftover-marker").count(),
            3,
            "{f:?}"
        );
        assert!(ids(&with("summary", "summary", "Mastodon TBDs")).is_empty());
    }

    #[test]
    fn markdown_specs_are_read_by_their_headings_with_lines() {
        let outline = crate::storage::embedded::outlines()
            .unwrap()
            .into_iter()
            .find(|o| o.id == "one-pager")
            .unwrap();
        let md = "# Title\n\n## Summary\n\nAdd limits.\n\n## Goals and non-goals\n\n### Goals\n\n- Protect services\n\n### Non-Goals\n\n_Not written._\n\n## Problem\n\n```text\n## not a heading\n```\n";
        let doc = Doc::from_markdown(md, &outline);
        let summary = &doc.sections[0];
        assert_eq!(summary.fields[0].text.trim(), "Add limits.");
        assert_eq!(summary.fields[0].line, Some(5));
        let goals = doc.sections.iter().find(|s| s.id == "goals").unwrap();
        assert_eq!(goals.fields[0].text.trim(), "- Protect services");
        assert_eq!(goals.fields[1].text, "", "'_Not written._' counts as empty");
        let context = doc.sections.iter().find(|s| s.id == "context").unwrap();
        assert!(context.fields[0].text.contains("## not a heading"));
        let f = run(&doc);
        assert!(f.iter().any(|f| f.id == "goals-without-non-goals"));
        assert!(
            f.iter()
                .any(|f| f.id == "required-section" && f.section == "functional")
        );
        assert_eq!(
            Doc::heading_matches(md, &outline),
            3,
            "the heading in the code block does not count"
        );
        // Text before the first field heading and after it keeps its own line numbers.
        let md = "## Goals & Non-Goals\nintro\n### Goals\n- TBD owner";
        let f = run(&Doc::from_markdown(md, &outline));
        let marker = f.iter().find(|f| f.id == "leftover-marker").unwrap();
        assert_eq!(marker.line, Some(4));
    }

    #[test]
    fn risks_need_mitigations() {
        let d = with(
            "risks",
            "risks",
            "- Redis latency spikes\n- Key leak\n  Mitigation: rotate keys daily",
        );
        let f = run(&d);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("Redis latency spikes"));
    }
}
