//! Spec checks: explainable rules, no AI. Each finding has an id, a severity, the section it
//! points at, a message that quotes the problem and a hint on how to fix it.
//!
//! Checks read a [`Doc`]: sections with fields that carry a role (see `outline::ROLES`), built
//! from a session or parsed from a Markdown spec. They look for content by role, so the same
//! rules serve the one-pager, the full spec and any user outline that sets roles.

pub mod eval;
pub mod layout;
pub mod markdown;
pub mod rules;
pub mod suppress;

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::measure::has_number_with_unit;
use super::outline::Outline;
use super::session::Session;
use layout::{Detected, Layout, Named, heading_key};
use markdown::{Block, BlockKind};
use suppress::Suppressions;

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
    /// 1-based line in the source document, when known: the block's, or for a finding
    /// about a whole section its heading's.
    pub line: Option<usize>,
    /// 1-based column (in characters) on `line` where the block starts, when known.
    pub column: Option<usize>,
}

/// A document to check.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub sections: Vec<DocSection>,
    /// The layout a Markdown document was read as; `None` for a session.
    pub layout: Option<Detected>,
    /// For a Markdown document, the column each line's findings point at.
    pub columns: HashMap<usize, usize>,
    /// What the document's own comments turn off.
    pub suppressions: Suppressions,
}

#[derive(Debug, Clone, Default)]
pub struct DocSection {
    pub id: String,
    pub title: String,
    pub required: bool,
    pub fields: Vec<DocField>,
    /// The line of its heading in a Markdown document; `None` for a session's section or a
    /// required section the document lacks.
    pub line: Option<usize>,
    /// Something a reader sees is directly under its heading, a code block or table included.
    pub content: bool,
    /// Its subsections hold content: a parent heading is not empty.
    pub nested: bool,
    /// A section the layout requires that the Markdown document has no heading for.
    pub absent: bool,
}

#[derive(Debug, Clone, Default)]
pub struct DocField {
    pub role: Option<String>,
    pub text: String,
    /// Line of the source document where `text` starts (1-based), when known.
    pub line: Option<usize>,
    /// The source line of each line of `text`, when `text` was read from blocks (a wrapped
    /// paragraph is one line of `text`).
    pub lines: Vec<usize>,
    /// For each line of `text` read from a wrapped block, where its later source lines
    /// begin: (byte offset in the line, source line).
    pub breaks: Vec<Vec<(usize, usize)>>,
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
                            ..DocField::default()
                        })
                        .collect(),
                    ..DocSection::default()
                })
                .collect(),
            ..Doc::default()
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

    /// Reads a Markdown design document in any common layout (see [`layout`]): each heading is
    /// a section with the role its words name, blocks are judged whole, and the sections an
    /// sdcoach outline requires are looked for when the document is written with one of
    /// `outlines`. Line numbers point into the file.
    pub fn from_markdown(text: &str, layouts: &[&Layout]) -> Self {
        Self::read_markdown(text, layouts, false)
    }

    /// Reads a Markdown document as `layout`, whatever its headings best fit: the user said
    /// which it is. One of the layout's headings is enough; none, and it does not fit.
    pub fn from_markdown_as(text: &str, layout: &Layout) -> Self {
        Self::read_markdown(text, &[layout], true)
    }

    fn read_markdown(text: &str, layouts: &[&Layout], forced: bool) -> Self {
        let md = markdown::read(text);
        let heading_keys: Vec<String> = md.headings.iter().map(|h| heading_key(&h.text)).collect();
        let mut detected = layout::detect(&heading_keys, layouts);
        detected.forced = forced;
        let chosen = detected
            .index
            .filter(|_| detected.fits())
            .and_then(|i| layouts.get(i).copied());
        // Each heading's role, inherited from the heading above when its words name none.
        let mut roles: Vec<Option<&'static str>> = Vec::with_capacity(md.headings.len());
        let mut open: Vec<(u8, Option<&'static str>)> = Vec::new();
        let own_roles = chosen.map(Layout::own_roles).unwrap_or_default();
        for (h, key) in md.headings.iter().zip(&heading_keys) {
            while open.last().is_some_and(|(level, _)| *level >= h.level) {
                open.pop();
            }
            // The layout's own word for the section comes first (a team's "Blast radius" is
            // its risks), then what the heading's words name.
            let own = own_roles.get(key).copied();
            let role = match (own, layout::named(&h.text)) {
                (Some(r), _) | (None, Named::Role(r)) => Some(r),
                (None, Named::Other) => None,
                (None, Named::Unknown) => open.last().and_then(|(_, r)| *r),
            };
            roles.push(role);
            open.push((h.level, role));
        }
        // Before the first heading: front matter and any preamble, in no role.
        let mut sections = vec![DocSection {
            id: "preamble".into(),
            title: "Preamble".into(),
            ..DocSection::default()
        }];
        for (i, h) in md.headings.iter().enumerate() {
            sections.push(DocSection {
                id: format!("{}-{}", heading_keys[i].replace(' ', "-"), i + 1),
                title: h.text.clone(),
                line: Some(h.line),
                fields: vec![DocField {
                    role: roles[i].map(str::to_string),
                    ..DocField::default()
                }],
                ..DocSection::default()
            });
        }
        for b in &md.blocks {
            // What an sdcoach export writes for a field left empty.
            if b.text == "Not written." {
                continue;
            }
            let s = &mut sections[b.heading.map_or(0, |h| h + 1)];
            s.content = true;
            if b.kind == BlockKind::Code {
                continue;
            }
            // "Goals:" or "Non-goals: video" starts a field of that role; what follows the
            // colon is its first line.
            if b.kind == BlockKind::Paragraph && b.depth == 0 {
                let head = b.text.split_once(':').map_or(b.text.as_str(), |(h, _)| h);
                if head.len() < 30
                    && let Named::Role(r @ ("goals" | "non_goals")) = layout::named(head)
                {
                    s.fields.push(DocField {
                        role: Some(r.to_string()),
                        ..DocField::default()
                    });
                    let rest = b.text[head.len()..].trim_start_matches(':').trim();
                    if rest.is_empty() {
                        continue;
                    }
                }
            }
            if s.fields.is_empty() {
                s.fields.push(DocField::default());
            }
            if let Some(f) = s.fields.last_mut() {
                push_block(f, b);
            }
        }
        // A heading is a parent when content sits under a deeper heading before the next
        // heading of its level.
        let levels: Vec<u8> = md.headings.iter().map(|h| h.level).collect();
        for i in (0..levels.len()).rev() {
            let mut j = i + 1;
            let mut nested = false;
            while j < levels.len() && levels[j] > levels[i] {
                nested |= sections[j + 1].content;
                j += 1;
            }
            sections[i + 1].nested = nested;
        }
        // The first heading, when nothing is under it directly, is the title: the whole
        // document is its content.
        if let Some(title) = sections
            .get_mut(1)
            .filter(|s| !s.content && !matches!(layout::named(&s.title), Named::Role(_)))
        {
            title.nested = true;
        }
        if let Some(l) = chosen {
            // Written with the layout itself (named by the user, or three in four of its
            // sections under their own headings), the document must have the sections it
            // does not mark optional; a document that only resembles it is judged on what it
            // says.
            let keys: Vec<Vec<String>> = l.sections.iter().map(|d| d.keys()).collect();
            let headings: std::collections::HashSet<&String> = heading_keys.iter().collect();
            let present = |k: &Vec<String>| k.iter().any(|k| headings.contains(k));
            let exact = keys.iter().filter(|k| present(k)).count();
            let written_with = detected.forced || exact * 4 >= l.sections.len() * 3;
            for (def, k) in l.sections.iter().zip(&keys) {
                if def.optional || !written_with || present(k) {
                    continue;
                }
                let roles = def.roles();
                let covered = roles.iter().chain(&def.covered_by).any(|r| {
                    sections.iter().any(|s| {
                        s.line.is_some() && s.fields.iter().any(|f| f.role.as_ref() == Some(r))
                    })
                });
                if !covered {
                    // Absent, with its roles: rules about those roles point here.
                    sections.push(DocSection {
                        id: heading_key(&def.heading).replace(' ', "-"),
                        title: def.heading.clone(),
                        required: true,
                        absent: true,
                        fields: roles
                            .into_iter()
                            .map(|r| DocField {
                                role: Some(r),
                                ..DocField::default()
                            })
                            .collect(),
                        ..DocSection::default()
                    });
                }
            }
        }
        Doc {
            sections,
            layout: Some(detected),
            suppressions: Suppressions::read(&md),
            columns: md.columns,
        }
    }
}

/// Writes a block as one line of a field: list items with their marker and nesting, a
/// paragraph inside an item indented under it, a table's header row followed by a separator.
fn push_block(f: &mut DocField, b: &Block) {
    let line = match b.kind {
        BlockKind::Item => format!("{}- {}", "  ".repeat(b.depth.saturating_sub(1)), b.text),
        BlockKind::Paragraph if b.depth > 0 => format!("{}{}", "  ".repeat(b.depth), b.text),
        _ if b.quoted => format!("> {}", b.text),
        _ => b.text.clone(),
    };
    let prefix = line.len() - b.text.len();
    let mut add = |text: &str, breaks: Vec<(usize, usize)>| {
        f.line.get_or_insert(b.line);
        f.text.push_str(text);
        f.text.push('\n');
        f.lines.push(b.line);
        f.breaks.push(breaks);
    };
    add(
        &line,
        b.breaks.iter().map(|&(at, l)| (at + prefix, l)).collect(),
    );
    if b.kind == BlockKind::HeaderRow {
        add("| --- |", Vec::new());
    }
}

impl DocSection {
    fn is_empty(&self) -> bool {
        !self.content && !self.nested && self.fields.iter().all(|f| f.text.trim().is_empty())
    }
}

/// A line of a field with its position in the source.
struct Line<'a> {
    text: &'a str,
    line: Option<usize>,
    section: &'a DocSection,
    /// Where the text's later source lines begin, for a wrapped block.
    breaks: &'a [(usize, usize)],
}

impl Line<'_> {
    /// The source line of a byte offset in `text`: a marker in the middle of a wrapped
    /// paragraph is on the line it was written on.
    fn line_at(&self, at: usize) -> Option<usize> {
        self.breaks
            .iter()
            .rev()
            .find(|(b, _)| *b <= at)
            .map(|&(_, l)| l)
            .or(self.line)
    }
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
        self.sections
            .iter()
            .flat_map(move |section| section_lines(section, keep))
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

/// The lines of one section's fields that pass `keep`, with their positions in the source.
fn section_lines<'a>(
    section: &'a DocSection,
    keep: impl Fn(&DocField) -> bool + Copy + 'a,
) -> impl Iterator<Item = Line<'a>> + 'a {
    section
        .fields
        .iter()
        .filter(move |f| keep(f))
        .flat_map(move |f| {
            f.text.lines().enumerate().map(move |(i, text)| Line {
                text,
                line: f.lines.get(i).copied().or(f.line.map(|l| l + i)),
                section,
                breaks: f.breaks.get(i).map_or(&[], Vec::as_slice),
            })
        })
}

fn finding(
    rule: &rules::Rule,
    section: &DocSection,
    message: String,
    hint: &'static str,
    line: Option<usize>,
) -> Finding {
    /// Enough of a quoted block to find it; a finding is not a copy of the document.
    const QUOTE: usize = 200;
    let message = match message.char_indices().nth(QUOTE) {
        Some((at, _)) => format!("{}…", &message[..at]),
        None => message,
    };
    Finding {
        id: rule.id,
        severity: rule.severity,
        section: section.id.clone(),
        section_title: section.title.clone(),
        message,
        hint,
        line,
        column: None,
    }
}

/// Runs every check; findings come in document order, errors before warnings within a section.
pub fn run(doc: &Doc) -> Vec<Finding> {
    let mut out = Vec::new();
    outline_mismatch(doc, &mut out);
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
    for (line, problem) in &doc.suppressions.problems {
        let section = doc
            .sections
            .iter()
            .rev()
            .find(|s| s.line.is_some_and(|l| l <= *line))
            .or(doc.sections.first());
        if let Some(s) = section {
            out.push(finding(
                &rules::BAD_SUPPRESSION,
                s,
                problem.clone(),
                "Name rules as `sdcoach check --explain` lists them, and close a range with the rules that opened it.",
                Some(*line),
            ));
        }
    }
    let by_id: HashMap<&str, &DocSection> =
        doc.sections.iter().map(|s| (s.id.as_str(), s)).collect();
    for f in &mut out {
        f.line = f
            .line
            .or_else(|| by_id.get(f.section.as_str()).and_then(|s| s.line));
        f.column = f.line.and_then(|l| doc.columns.get(&l).copied());
    }
    out.retain(|f| !doc.suppressions.hides(f.id, f.line));
    let order: HashMap<&str, usize> = doc
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    out.sort_by_key(|f| (order.get(f.section.as_str()).copied(), f.severity, f.line));
    out
}

/// Whether a line is a list item: `- `, `* `, `+ ` or `1. ` / `1) `, at any indentation.
fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    ["- ", "* ", "+ "].iter().any(|m| t.starts_with(m))
        || (digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") ")))
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
    text.match_indices(word)
        .any(|(i, _)| word_at(text, i, word.len()))
}

/// Whether the `len` bytes at `at` in `text` are a whole word: no letter, digit or `_` on
/// either side.
fn word_at(text: &str, at: usize, len: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + len..].chars().next();
    !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
        && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// A Markdown document whose headings fit no layout: the rules that look for a section by its
/// role may not find it, so say so instead of reporting sections as missing.
fn outline_mismatch(doc: &Doc, out: &mut Vec<Finding>) {
    let Some(l) = doc.layout.as_ref().filter(|l| !l.fits()) else {
        return;
    };
    let Some(s) = doc.sections.iter().find(|s| s.line.is_some()) else {
        return;
    };
    out.push(finding(
        &rules::OUTLINE_MISMATCH,
        s,
        {
            /// Enough headings to recognise the layout by.
            const SHOWN: usize = 6;
            let mut has = l.expected.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
            if l.expected.len() > SHOWN {
                has.push_str(&format!(" and {} more", l.expected.len() - SHOWN));
            }
            if l.forced {
                format!("none of the headings is one of {}'s: it has {has}", l.title)
            } else {
                format!("the headings fit no known layout; the nearest, {}, has {has}", l.title)
            }
        },
        "Name the sections as one layout does (one-pager, full spec, KEP, RFC, ADR, MADR, spec-kit, Google design doc), or pass --outline.",
        None,
    ));
}

fn required_sections(doc: &Doc, out: &mut Vec<Finding>) {
    // A required section, or any heading a Markdown document has with nothing under it.
    for s in doc
        .sections
        .iter()
        .filter(|s| (s.required || s.line.is_some()) && s.is_empty())
    {
        out.push(finding(
            &rules::REQUIRED_SECTION,
            s,
            if s.absent {
                format!("no `{}` section", s.title)
            } else {
                format!("`{}` is empty", s.title)
            },
            "Write at least a line; if it truly does not apply, say why in one sentence.",
            s.line.or_else(|| s.fields.first().and_then(|f| f.line)),
        ));
    }
}

/// Ways of saying what a change will not do, outside a non-goals section.
const EXCLUSIONS: &[&str] = &[
    "not a goal",
    "non-goal",
    "non goal",
    "out of scope",
    "not in scope",
    "is only about",
    "only covers",
    "does not cover",
    "not covered",
];

fn goals_without_non_goals(doc: &Doc, out: &mut Vec<Finding>) {
    // A session's outline may have no place for non-goals; a document always has.
    if doc.layout.is_none() && !doc.has_role("non_goals") {
        return;
    }
    let goals = doc.role_text("goals");
    if goals.trim().is_empty() {
        return;
    }
    // A bare "N/A" or "None" says nothing about scope.
    let stated = doc.lines_with("non_goals").iter().any(|l| {
        let t = lower(item_text(l.text));
        !t.is_empty() && !matches!(t.trim_end_matches('.'), "n/a" | "na" | "none" | "-" | "tbd")
    }) || doc
        .field_lines(|f| f.role.as_deref() != Some("non_goals"))
        .any(|l| {
            let t = lower(l.text);
            EXCLUSIONS.iter().any(|e| t.contains(e))
        });
    if stated {
        return;
    }
    let target = doc
        .section_for("non_goals")
        .or_else(|| doc.section_for("goals"));
    if let Some(s) = target {
        out.push(finding(
            &rules::GOALS_WITHOUT_NON_GOALS,
            s,
            "goals are listed but no non-goals".into(),
            "Name what this change will not do (e.g. 'No admin UI in v1'); it stops scope creep in review.",
            doc.fields_with("goals").find_map(|(s, f)| s.line.or(f.line)),
        ));
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

/// Words that promise a quality without saying how to check it.
const VAGUE: &[&str] = &[
    "gracefully",
    "graceful",
    "easy",
    "easily",
    "seamless",
    "seamlessly",
    "nicely",
    "proof",
    "intuitive",
    "friendly",
    "simple",
    "fast",
    "quickly",
    "robust",
    "smooth",
    "smoothly",
    "efficient",
    "efficiently",
    "appropriate",
    "appropriately",
    "properly",
    "reasonable",
    "flexible",
    "feel",
];

/// Words that make a requirement's outcome something a test can observe: an absolute ("no",
/// "never", "every", "only"), an order in time ("before", "within") or RFC 2119's "MUST".
const CONCRETE: &[&str] = &[
    "must", "shall", "no", "never", "every", "zero", "only", "exactly", "within", "before",
    "after", "at most", "at least", "reject", "rejects", "returns", "answers",
];

/// Lines of a user story's scaffolding (spec-kit): they frame the story, they are not
/// requirements.
const SCAFFOLDING: &[&str] = &[
    "why this priority",
    "independent test",
    "acceptance scenarios",
];

/// Whether a requirement states an outcome a test can check as written.
fn concrete(text: &str) -> bool {
    let t = lower(text);
    let vague = VAGUE.iter().any(|w| has_word(&t, w));
    let observable = has_number_with_unit(&t)
        || CONCRETE.iter().any(|w| has_word(&t, w))
        || t.split(|c: char| !c.is_ascii_digit())
            .any(|n| n.len() == 3 && n.starts_with(['2', '3', '4', '5']));
    !vague && observable
}

fn acceptance_criteria(doc: &Doc, out: &mut Vec<Finding>) {
    for section in &doc.sections {
        let lines: Vec<Line> =
            section_lines(section, |f| f.role.as_deref() == Some("functional")).collect();
        // A story with acceptance scenarios: its narrative is covered by them.
        let scenarios = lines.iter().any(|l| is_criterion(l.text));
        let mut i = 0;
        while i < lines.len() {
            let l = &lines[i];
            let t = lower(item_text(l.text));
            let narrative = !l.text.trim_start().starts_with("- ");
            if t.is_empty()
                || is_criterion(l.text)
                || indent(l.text) > 0
                || SCAFFOLDING.iter().any(|s| t.starts_with(s))
                || t.ends_with(':')
            {
                i += 1;
                continue;
            }
            let inline = (t.contains("given") && t.contains("then"))
                || CRITERIA[5..].iter().any(|c| t.contains(c));
            let mut j = i + 1;
            let mut followed = false;
            while j < lines.len()
                && !lines[j].text.trim().is_empty()
                && (indent(lines[j].text) > 0 || is_criterion(lines[j].text))
            {
                followed |= is_criterion(lines[j].text);
                j += 1;
            }
            let covered = inline || followed || (narrative && scenarios) || concrete(&t);
            if !covered {
                out.push(finding(
                    &rules::ACCEPTANCE_CRITERIA,
                    l.section,
                    format!("no acceptance criterion for: {}", item_text(l.text)),
                    "Add a Given/When/Then line under it, or 'Acceptance: …' with something a test can check.",
                    l.line,
                ));
            }
            i = j.max(i + 1);
        }
    }
}

/// A Markdown table's separator row: `| --- | :---: |`.
fn table_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Targets stated without a number and a unit that a measurement still checks: an absolute
/// ("zero data loss", "never", "no downtime", "survive the loss of any single node"), a
/// protocol floor ("TLS 1.3+") or a change against a baseline ("fall by half").
const ABSOLUTE_TARGETS: &[&str] = &[
    "zero",
    "never",
    "no downtime",
    "any single",
    "baseline",
    "by half",
    "tls",
];

/// A number followed by a rate in units we do not know: "400 imgs/s", "12 jobs per minute".
fn has_rate(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(2).any(|w| {
        w[0].trim_start_matches(['~', '<', '>', '≈'])
            .starts_with(|c: char| c.is_ascii_digit())
            && (w[1].contains("/s")
                || w[1].contains("/min")
                || w[1].contains("/h")
                || w[1].contains("/day"))
    }) || words
        .windows(3)
        .any(|w| w[0].starts_with(|c: char| c.is_ascii_digit()) && w[1] != "per" && w[2] == "per")
}

/// Whether an NFR states a target a measurement could check. A table row counts its unit
/// where tables put it: in its own label or in the header (`| Ack latency p99 (ms) | 300 |`).
fn measurable(text: &str, header: Option<&str>) -> bool {
    let t = lower(text);
    let unit_in_label = |s: &str| {
        s.match_indices('(').any(|(i, _)| {
            s[i + 1..]
                .split(')')
                .next()
                .is_some_and(|u| !u.is_empty() && u.len() <= 16)
        })
    };
    let row_number = t.starts_with('|')
        && t.split('|').any(|c| {
            let c = c.trim().replace(',', "");
            !c.is_empty() && c.trim_end_matches('%').parse::<f64>().is_ok()
        });
    has_number_with_unit(&t)
        || has_rate(&t)
        || ABSOLUTE_TARGETS.iter().any(|w| has_word(&t, w))
        || (row_number && (unit_in_label(&t) || header.is_some_and(|h| unit_in_label(&lower(h)))))
}

fn measurable_nfrs(doc: &Doc, out: &mut Vec<Finding>) {
    let lines = doc.lines_with("non_functional");
    let mut header: Option<&str> = None;
    for (i, l) in lines.iter().enumerate() {
        let t = item_text(l.text);
        let is_header = lines
            .get(i + 1)
            .is_some_and(|next| table_separator(next.text));
        if is_header {
            header = Some(t);
        }
        if !t.starts_with('|') {
            header = None;
        }
        if t.is_empty() || t.starts_with('#') || t.ends_with(':') || is_header || table_separator(t)
        {
            continue;
        }
        if !measurable(t, header) {
            out.push(finding(
                &rules::NFR_UNMEASURABLE,
                l.section,
                format!("no number and unit: {t}"),
                "State a target with a unit: 'p95 latency < 150 ms', '99.9% monthly', '300 RPS per key', '< $200/month'.",
                l.line,
            ));
        }
    }
}

/// Ways of saying what happens when a dependency is slow or down or a step fails, in any
/// spelling: a time budget, another attempt, a breaker, failing open, a fallback, a spool.
const FAILURE_WORDS: &[&str] = &[
    "timeout",
    "timeouts",
    "time out",
    "times out",
    "timed out",
    "time-out",
    "deadline",
    "deadlines",
    "time budget",
    "retry",
    "retries",
    "retried",
    "retrying",
    "re-try",
    "re-tried",
    "re-tries",
    "re-attempt",
    "re-attempted",
    "reattempt",
    "reattempted",
    "redeliver",
    "redelivered",
    "redelivery",
    "re-delivered",
    "backoff",
    "back off",
    "backs off",
    "back-off",
    "doubling the wait",
    "fallback",
    "fall back",
    "falls back",
    "falling back",
    "fail open",
    "fails open",
    "failing open",
    "fail closed",
    "fails closed",
    "circuit breaker",
    "breaker",
    "dead letter",
    "dead-letter",
    "dead-lettered",
    "dlq",
    "spool",
    "spools",
    "spooled",
    "degrade",
    "degrades",
    "degraded",
    "bulkhead",
    "failover",
    "fail over",
    "fails over",
    "last good",
];

/// A line with what it quotes ("…", “…”) removed: an old error message that says "Timeout"
/// handles nothing.
fn unquoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '“' => quoted = true,
            '”' => quoted = false,
            _ if !quoted => out.push(c),
            _ => {}
        }
    }
    out
}

fn failure_handling(doc: &Doc, out: &mut Vec<Finding>) {
    // What the design says, not its alternatives, FAQ or title.
    let mentioned = doc.field_lines(|f| f.role.is_some()).any(|l| {
        let t = lower(&unquoted(l.text));
        FAILURE_WORDS.iter().any(|w| has_word(&t, w))
    });
    if mentioned {
        return;
    }
    let target = doc
        .section_for("failure_modes")
        .or_else(|| doc.sections.iter().find(|s| s.line.is_some()))
        .or_else(|| doc.sections.first());
    if let Some(s) = target {
        out.push(finding(
            &rules::NO_FAILURE_HANDLING,
            s,
            "only the happy path: no timeout, retry, backoff, fallback or circuit breaker is mentioned".into(),
            "For each dependency on the request path, say its timeout, whether calls retry (with backoff and jitter) and what happens when it is down.",
            None,
        ));
    }
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

/// Paths that are operations plumbing, not the product's API.
const OPS_PATHS: &[&str] = &[
    "/healthz", "/health", "/livez", "/readyz", "/ready", "/metrics", "/ping", "/status",
];

/// Last path segments of a `POST` that only reads or extends: it creates nothing to repeat.
const READ_ONLY_POSTS: &[&str] = &[
    "check",
    "evaluate",
    "validate",
    "verify",
    "search",
    "query",
    "lookup",
    "preview",
    "touch",
    "extend",
    "renew",
    "heartbeat",
    "refresh",
];

/// Words that say what a repeated request does.
const REPEAT_WORDS: &[&str] = &[
    "idempot",
    "dedup",
    "de-dup",
    "unique",
    "409",
    "repeat",
    "again",
    "duplicate",
    "already",
    "existing",
    "re-sent",
    "resent",
    "twice",
    "second",
    "safe to",
    "msg-id",
];

/// An HTTP endpoint written in a line: a method, then a path from the root. Not `POST
/// {subscription.url}` (a call out to a customer's URL), not `$JS.API.DIRECT.GET.<stream>`,
/// not `◄──GET snapshot` in a diagram.
struct Endpoint<'a> {
    method: &'static str,
    path: &'a str,
    at: usize,
}

fn endpoints_in(text: &str) -> Vec<Endpoint<'_>> {
    let mut out = Vec::new();
    for method in METHODS {
        for (at, _) in text.match_indices(method) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '$')) {
                continue;
            }
            let rest = &text[at + method.len()..];
            if !rest.starts_with(' ') {
                continue;
            }
            let path = rest
                .trim_start()
                .split(|c: char| c.is_whitespace() || c == '`')
                .next()
                .unwrap_or("");
            if path.starts_with('/') && !OPS_PATHS.iter().any(|p| path.starts_with(p)) {
                out.push(Endpoint { method, path, at });
            }
        }
    }
    out.sort_by_key(|e| e.at);
    out
}

/// Whether a path carries a version: `/v1/…`, `/api/v2/…`.
fn path_versioned(path: &str) -> bool {
    path.split('/').any(|seg| {
        seg.strip_prefix('v').is_some_and(|n| {
            let digits = n.chars().take_while(char::is_ascii_digit).count();
            // `v1`, `v2`, and Kubernetes' `v1beta1`, `v2alpha1`.
            digits > 0 && n[digits..].chars().all(|c| c.is_ascii_alphanumeric())
        })
    })
}

/// The `snake_case` fields a `POST` sends (before its response): a statement elsewhere about
/// a repeated `batch_id` is about this endpoint.
fn post_fields(text: &str) -> Vec<String> {
    let request = ["→", "->", " returns", " answers"]
        .iter()
        .filter_map(|sep| text.find(sep))
        .min()
        .map_or(text, |i| &text[..i]);
    request
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.contains('_') && w.len() > 3)
        .map(str::to_lowercase)
        .collect()
}

/// The resource a path creates: "export" from `/audit/exports`.
fn resource(path: &str) -> Option<String> {
    path.split('/')
        .rev()
        .find(|s| !s.is_empty() && !s.starts_with(['{', ':']))
        .map(|r| r.trim_end_matches('s').to_lowercase())
}

/// Words that can only be about repeats: a statement with one of them and the resource's
/// name covers the endpoint from anywhere in the document.
const IDEMPOTENCY_WORDS: &[&str] = &["idempot", "dedup", "de-dup", "already exists"];

fn api_versioning_and_idempotency(doc: &Doc, out: &mut Vec<Finding>) {
    // Endpoints wherever the design states them (not in alternatives, FAQ or quotes), by
    // section: a section's endpoints are one listing.
    let lines: Vec<Line> = doc
        .field_lines(|f| f.role.is_some())
        .filter(|l| !l.text.trim_start().starts_with("> "))
        .collect();
    let said: Vec<String> = lines.iter().map(|l| lower(l.text)).collect();
    let api_text = lower(&doc.role_text("api"));
    let describes_versions = |t: &str| {
        ["version", "versioned", "versioning", "media type"]
            .iter()
            .any(|w| has_word(t, w))
    };
    // Each section's text, read once.
    let mut section_texts: HashMap<*const DocSection, String> = HashMap::new();
    for (l, t) in lines.iter().zip(&said) {
        let text = section_texts
            .entry(l.section as *const DocSection)
            .or_default();
        text.push_str(t);
        text.push('\n');
    }
    // The words of lines that say something about repeats, for statements made away from the
    // endpoint: a field they name, and (with a word only repeats use) a resource.
    let words_of = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(|w| w.trim_end_matches('s').to_string())
            .collect()
    };
    let strong = |s: &str| has_word(s, "409") || IDEMPOTENCY_WORDS.iter().any(|w| s.contains(w));
    let mut repeated: HashSet<String> = HashSet::new();
    let mut strongly: HashSet<String> = HashSet::new();
    for s in said
        .iter()
        .filter(|s| REPEAT_WORDS.iter().any(|w| s.contains(w)))
    {
        let words = words_of(s);
        if strong(s) {
            strongly.extend(words.iter().cloned());
        }
        repeated.extend(words);
    }
    let mut reported: HashSet<*const DocSection> = HashSet::new();
    for (i, l) in lines.iter().enumerate() {
        let t = &said[i];
        // A vendor's own endpoint, quoted.
        if t.contains("'s own") || t.contains("vendor") {
            continue;
        }
        let section_text = section_texts
            .get(&(l.section as *const DocSection))
            .map_or("", String::as_str);
        for e in endpoints_in(l.text) {
            let listing = l.section as *const DocSection;
            // A path that is one parameter (a short link's `GET /{code}`) is the product's
            // public address: it cannot carry a version.
            let address = e.path.trim_end_matches('/').matches('/').count() == 1
                && e.path[1..].starts_with(['{', ':', '<']);
            let versioned = path_versioned(e.path)
                || address
                || describes_versions(section_text)
                || describes_versions(&api_text);
            if !versioned && reported.insert(listing) {
                out.push(finding(
                    &rules::API_UNVERSIONED,
                    l.section,
                    "endpoints have no version (no /v1/… path or versioning note)".into(),
                    "Version the paths (/v1/…) or say how compatibility is kept and how old clients are retired.",
                    l.line_at(e.at),
                ));
            }
            // The last segment without its query, or its custom method (`documents:search`).
            let segment = e.path.split('?').next().unwrap_or("");
            let segment = segment
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("");
            let last = segment.rsplit(':').next().unwrap_or("").to_lowercase();
            if e.method != "POST" || READ_ONLY_POSTS.contains(&last.as_str()) {
                continue;
            }
            let fields = post_fields(l.text);
            let thing = resource(e.path);
            // On its own line any word about repeats is about this endpoint.
            let stated = REPEAT_WORDS.iter().any(|w| t.contains(w))
                || section_text.contains("idempot")
                || fields
                    .iter()
                    .any(|n| repeated.contains(n.trim_end_matches('s')))
                || thing
                    .as_ref()
                    .is_some_and(|r| strongly.contains(r.as_str()));
            if !stated {
                out.push(finding(
                    &rules::API_NOT_IDEMPOTENT,
                    l.section,
                    format!("creating endpoint without idempotency: {}", item_text(l.text)),
                    "Accept an Idempotency-Key header on POSTs that create things, and say how long keys are kept.",
                    l.line_at(e.at),
                ));
            }
        }
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
            &rules::CAPACITY_HAND_WAVY,
            s,
            "capacity has no worked numbers with units".into(),
            "Show the arithmetic: 2M requests/day ÷ 86,400 s ≈ 23 RPS; peak ×5 ≈ 120 RPS; 1 KB each ≈ 2 GB/day.",
            s.line.or_else(|| s.fields.first().and_then(|f| f.line)),
        ));
    }
}

/// Ways of saying how a change is undone, in any words.
const ROLLBACK_WORDS: &[&str] = &[
    "rollback",
    "roll back",
    "rolled back",
    "rolling back",
    "roll-back",
    "revert",
    "reverted",
    "reverting",
    "kill switch",
    "turn the flag off",
    "turn it off",
    "flag off",
    "switch the flag off",
    "disable",
    "disabled",
    "going back",
    "go back",
    "back out",
    "undo",
    "downgrade",
    "=false",
    "= false",
    "to false",
    "back at",
    "back to the previous",
];

/// The sentence of `text` around byte `at`: from after the stop before it to its own stop.
fn sentence_around(text: &str, at: usize) -> (usize, &str) {
    let start = text[..at].rfind(". ").map_or(0, |i| i + 2);
    let end = text[at..].find(". ").map_or(text.len(), |i| at + i + 1);
    (start, &text[start..end])
}

/// Whether a rollback sentence chains actions: "…, then …", or two "-ing" actions joined by
/// "and" ("uncommenting the line on the VM and suspending the CronJob").
fn chained(sentence: &str) -> bool {
    let t = lower(sentence);
    has_word(&t, "then")
        || t.match_indices(" and ").any(|(i, _)| {
            t[i + 5..]
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .is_some_and(|w| w.len() > 4 && w.ends_with("ing"))
        })
}

fn rollback(doc: &Doc, out: &mut Vec<Finding>) {
    let lines = doc.lines_with("rollout");
    if lines.iter().all(|l| l.text.trim().is_empty()) {
        return;
    }
    let found = lines.iter().enumerate().find_map(|(i, l)| {
        // ASCII lower case keeps byte offsets, so they point into the line as written.
        let t = l.text.to_ascii_lowercase();
        ROLLBACK_WORDS
            .iter()
            .filter_map(|w| {
                t.match_indices(w)
                    .map(|(at, _)| at)
                    .find(|&at| w.starts_with(['=', ' ']) || word_at(&t, at, w.len()))
            })
            .min()
            .map(|at| (i, at))
    });
    let Some((at, offset)) = found else {
        let s = lines[0].section;
        out.push(finding(
            &rules::NO_ROLLBACK,
            s,
            "the rollout has no rollback step".into(),
            "Add one step that undoes the change: 'Rollback: turn the flag off (no data migration to undo).'",
            lines[0].line,
        ));
        return;
    };
    let head = &lines[at];
    let (start, sentence) = sentence_around(head.text, offset);
    // "Rollback:" over a list: each item is a step.
    let steps = if head.text.trim_end().ends_with(':') {
        let items: Vec<&Line> = lines[at + 1..]
            .iter()
            .take_while(|l| is_list_item(l.text))
            .collect();
        let top = items.first().map_or(0, |l| indent(l.text));
        items.iter().filter(|l| indent(l.text) == top).count()
    } else {
        0
    };
    let chain = steps == 0 && chained(sentence);
    if steps > 1 || chain {
        out.push(finding(
            &rules::ROLLBACK_MULTI_STEP,
            head.section,
            format!(
                "the rollback takes {} steps",
                if chain { "several".to_string() } else { steps.to_string() }
            ),
            "Make rollback a single action (flip a flag, redeploy the previous version); multi-step rollbacks fail under pressure.",
            head.line_at(start),
        ));
    }
}

const MARKERS: &[&str] = &[
    "TBD",
    "TODO",
    "FIXME",
    "XXX",
    "???",
    "[TODO",
    "[NEEDS CLARIFICATION",
];

/// Where a marker sits in a line, if the author left one: a word (not an identifier such as
/// `reindex_docs_todo`) or a bracketed note.
fn marker_in(text: &str) -> Option<(&'static str, usize)> {
    // Inside `inline code` a marker quotes code, it is not left by the author.
    let in_code = |i: usize| !text[..i].matches('`').count().is_multiple_of(2);
    MARKERS.iter().find_map(|m| {
        let word = m.chars().all(|c| c.is_ascii_alphabetic());
        text.match_indices(m)
            .map(|(i, _)| i)
            .find(|&i| (!word || word_at(text, i, m.len())) && !in_code(i))
            .map(|i| (*m, i))
    })
}

fn leftover_markers(doc: &Doc, out: &mut Vec<Finding>) {
    for l in doc.all_lines() {
        let t = l.text.trim_start();
        // Not the author's: a quoted message, a template checklist that names the markers.
        if t.starts_with("> ") || t.starts_with("- [ ] ") || t.starts_with("- [x] ") {
            continue;
        }
        let Some((m, at)) = marker_in(l.text) else {
            continue;
        };
        // An open question with an owner is tracked, not left behind.
        let role = l.section.fields.iter().find_map(|f| f.role.as_deref());
        if role == Some("open_questions") && (lower(t).contains("owner") || t.contains('@')) {
            continue;
        }
        out.push(finding(
            &rules::LEFTOVER_MARKER,
            l.section,
            format!(
                "`{}` left in: {}",
                m.trim_start_matches('['),
                item_text(l.text)
            ),
            "Resolve it, or move it to Open Questions with an owner and a date.",
            l.line_at(at),
        ));
    }
}

/// How a line under a risks heading opens when it is not a hazard of this design: a good
/// consequence, a rejected or considered alternative, a choice made.
const NOT_RISKS: &[&str] = &[
    "good",
    "neutral",
    "pro",
    "pros",
    "rejected",
    "alternative",
    "considered",
    "picked",
    "chose",
    "chosen",
];

/// Words that say a cost is taken on purpose.
const ACCEPTED: &[&str] = &[
    "intended",
    "accept",
    "accepted",
    "acceptable",
    "deliberate",
    "by design",
];

/// Words that make a line a hazard: something may go wrong, or nothing covers it.
const HAZARDS: &[&str] = &[
    "could",
    "might",
    "may",
    "would",
    "risk",
    "lose",
    "loss",
    "lost",
    "fail",
    "fails",
    "failure",
    "outage",
    "exceed",
    "exceeds",
    "slow",
    "break",
    "breaks",
    "depends",
    "nobody",
    "no one",
    "no team",
    "only",
    "nothing",
    "miss",
    "missing",
    "wrong",
    "hide",
    "hides",
    "expire",
    "expires",
    "bug",
    "leak",
    "spike",
    "spikes",
    "competing",
    "overload",
    "mistake",
    "misconfigure",
    "shared",
    "stale",
];

/// Cells that hold no mitigation.
fn blank_cell(cell: &str) -> bool {
    matches!(
        cell.trim().to_lowercase().as_str(),
        "" | "—" | "-" | "–" | "none" | "n/a" | "tbd" | "?"
    )
}

/// Whether a risk states what reduces it after stating itself: a second sentence ("…can
/// still return the object. The verifier waits 15 minutes…"), or a clause after `→`, ` - `
/// or `;`, or a `Mitigation:` label.
fn mitigated_inline(text: &str) -> bool {
    let t = text.trim();
    let second_sentence = t.match_indices(['.', '!', '?']).any(|(i, _)| {
        t[i + 1..].starts_with(' ') && t[i + 1..].trim_start().starts_with(char::is_uppercase)
    });
    second_sentence
        || ["→", "->", " - ", "; "].iter().any(|sep| {
            t.split_once(sep)
                .is_some_and(|(_, after)| after.split_whitespace().count() >= 2)
        })
        || lower(t).contains("mitigat")
}

fn risk_mitigations(doc: &Doc, out: &mut Vec<Finding>) {
    let lines = doc.lines_with("risks");
    // The column of the risks table that holds mitigations, when there is one.
    let mut column: Option<usize> = None;
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        let text = l.text.trim();
        let cells: Vec<&str> = text
            .strip_prefix('|')
            .and_then(|r| r.strip_suffix('|'))
            .map(|r| r.split(" | ").collect())
            .unwrap_or_default();
        if lines.get(i + 1).is_some_and(|n| table_separator(n.text)) {
            column = cells.iter().position(|c| lower(c).contains("mitigat"));
            i += 2;
            continue;
        }
        let t = lower(item_text(text));
        let skip = t.is_empty()
            || indent(l.text) > 0
            || table_separator(text)
            || t.ends_with(':')
            || NOT_RISKS.iter().any(|o| {
                t.strip_prefix(o)
                    .is_some_and(|r| r.starts_with([',', ':', ' ']))
            })
            || ACCEPTED.iter().any(|w| has_word(&t, w))
            || !HAZARDS.iter().any(|w| has_word(&t, w));
        let mut j = i + 1;
        let mut under = false;
        while j < lines.len() && !lines[j].text.trim().is_empty() && indent(lines[j].text) > 0 {
            under = true;
            j += 1;
        }
        let mitigated = under
            || match (column, cells.is_empty()) {
                (Some(c), false) => cells.get(c).is_some_and(|m| !blank_cell(m)),
                _ => mitigated_inline(item_text(text)),
            };
        if !skip && !mitigated {
            out.push(finding(
                &rules::RISK_UNMITIGATED,
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
                            ..DocField::default()
                        })
                        .collect(),
                    ..DocSection::default()
                })
                .collect(),
            ..Doc::default()
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
        let layout = Layout::from_outline(&outline);
        let md = "# Title\n\n## Summary\n\nAdd limits.\n\n## Goals and non-goals\n\n### Goals\n\n- Protect services\n\n### Non-Goals\n\n_Not written._\n\n## Problem\n\n```text\n## not a heading\n```\n";
        let doc = Doc::from_markdown(md, &[&layout]);
        let by_title = |t: &str| doc.sections.iter().find(|s| s.title == t).unwrap();
        let summary = by_title("Summary");
        assert_eq!(summary.fields[0].text.trim(), "Add limits.");
        assert_eq!(summary.fields[0].line, Some(5));
        assert_eq!(summary.line, Some(3));
        assert_eq!(summary.fields[0].role.as_deref(), Some("summary"));
        assert_eq!(
            by_title("Goals").fields[0].text.trim(),
            "- Protect services"
        );
        assert!(
            by_title("Non-Goals").fields[0].text.is_empty(),
            "'_Not written._' counts as empty"
        );
        assert!(
            doc.sections.iter().all(|s| s.title != "not a heading"),
            "a heading in a code block is code"
        );
        assert!(by_title("Problem").content, "a code block is content");
        let f = run(&doc);
        assert!(f.iter().any(|f| f.id == "goals-without-non-goals"));
        assert!(
            f.iter()
                .any(|f| f.id == "required-section" && f.line == Some(13)),
            "an empty heading points at itself: {f:?}"
        );
        assert!(
            !f.iter()
                .any(|f| f.id == "required-section" && f.line.is_none()),
            "a document that only resembles the outline need not have its sections: {f:?}"
        );
        // Written with the outline, a missing required section is reported.
        let written: String = outline
            .sections
            .iter()
            .filter(|s| s.id != "functional")
            .map(|s| format!("## {}\n\nSomething.\n\n", s.title))
            .collect();
        let f = run(&Doc::from_markdown(&written, &[&layout]));
        assert!(
            f.iter().any(|f| f.id == "required-section"
                && f.section_title == "Functional Requirements"
                && f.line.is_none()),
            "{f:?}"
        );
        // Text before the first field heading and after it keeps its own line numbers.
        let md = "## Goals & Non-Goals\nintro\n### Goals\n- TBD owner";
        let f = run(&Doc::from_markdown(md, &[&layout]));
        let marker = f.iter().find(|f| f.id == "leftover-marker").unwrap();
        assert_eq!(marker.line, Some(4));
    }

    fn md_findings(md: &str) -> Vec<(&'static str, Option<usize>)> {
        run(&Doc::from_markdown(md, &[]))
            .into_iter()
            .map(|f| (f.id, f.line))
            .collect()
    }

    #[test]
    fn hostile_and_unusual_documents_are_read_right() {
        // Lower-casing changes the byte length of some letters: offsets stay in the text.
        for md in [
            "## Rollout\n\nİİİİİİİİİİİİİİİİ rollback: drain, then redeploy\n",
            "## Rollout\n\nKKKK éé rollback: drain, then redeploy\n",
        ] {
            let f = md_findings(md);
            assert!(f.contains(&("rollback-multi-step", Some(3))), "{f:?}");
        }
        // A nested note under a one-step rollback is not a second step.
        let f = md_findings(
            "## Rollout\n\nRollback:\n\n- Turn the flag off.\n  - takes effect within 30 s\n",
        );
        assert!(
            !f.iter().any(|(id, _)| *id == "rollback-multi-step"),
            "{f:?}"
        );
        // A bold sentence is text, not an empty heading.
        let f = md_findings("## Goals\n\n- fast\n\n**We will not support GIFs in v1.**\n");
        assert!(!f.iter().any(|(id, _)| *id == "required-section"), "{f:?}");
        // "Non-goals: video." states a non-goal; its text is kept.
        let f = md_findings("## Scope\n\nGoals: serve thumbnails\n\nNon-goals: video.\n");
        assert!(
            !f.iter().any(|(id, _)| *id == "goals-without-non-goals"),
            "{f:?}"
        );
        let f = md_findings("## Scope\n\nGoals: TODO\n");
        assert!(f.contains(&("leftover-marker", Some(3))), "{f:?}");
        // A marker quoted as code is code.
        let f = md_findings("## Design\n\nThe linter flags `TODO` comments.\n");
        assert!(!f.iter().any(|(id, _)| *id == "leftover-marker"), "{f:?}");
        // An empty first heading that names a section is a section, not the title.
        let f = md_findings("# Summary\n\n# Motivation\n\nWhy.\n");
        assert!(f.contains(&("required-section", Some(1))), "{f:?}");
        // Kubernetes versions, and POSTs that only search.
        let f = md_findings(
            "## API\n\n- `GET /apis/batch/v1beta1/jobs`\n- `POST /v1/search?q=`\n- `POST /v1/documents:search`\n",
        );
        assert!(f.iter().all(|(id, _)| !id.starts_with("api-")), "{f:?}");
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
