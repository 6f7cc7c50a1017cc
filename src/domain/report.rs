//! The view of a session that export templates see. Pure: built from the session, its outline,
//! the outline of the template (which may be another one: an interview exported as a one-pager)
//! and its problem; every value is already formatted so templates stay simple.

use std::time::Duration;

use serde::Serialize;

use super::arrows;
use super::checks::{self, Doc, Finding};
use super::clock::fmt_clock;
use super::outline::Outline;
use super::problem::{Problem, category_title};
use super::session::Session;

#[derive(Debug, Serialize)]
pub struct Report {
    pub title: String,
    pub id: String,
    pub date: String,
    pub status: &'static str,
    pub total_minutes: u32,
    pub problem: Option<ProblemView>,
    pub steps: Vec<StepView>,
    /// A Mermaid flowchart of every arrow in the diagram fields (no code fence); empty if none.
    pub mermaid: String,
    pub planned_total: String,
    pub actual_total: String,
    pub paused_total: String,
    pub hints: Vec<HintView>,
    /// The target outline's document checklists with what was ticked.
    pub checklists: Vec<ChecklistView>,
    /// Spec check findings on the exported text (for an appendix).
    pub findings: Vec<Finding>,
    /// True when the session was written in another outline and its text was mapped by role.
    pub mapped: bool,
    /// The wrap-up review of an interview (coverage, traceability, questions, self-scores).
    pub coaching: Option<super::coaching::Coaching>,
}

#[derive(Debug, Serialize)]
pub struct ChecklistView {
    pub title: String,
    pub items: Vec<ItemView>,
}

#[derive(Debug, Serialize)]
pub struct ItemView {
    pub text: String,
    pub ticked: bool,
}

#[derive(Debug, Serialize)]
pub struct ProblemView {
    pub id: String,
    pub title: String,
    pub category: String,
    pub difficulty: &'static str,
    pub prompt: String,
}

#[derive(Debug, Serialize)]
pub struct StepView {
    pub id: String,
    pub title: String,
    pub skipped: bool,
    pub fields: Vec<FieldView>,
    pub planned: String,
    pub actual: String,
    /// `+01:05` over budget, `-00:30` under, `00:00` on time.
    pub delta: String,
    pub over: bool,
    pub ticked: Vec<String>,
    /// Nothing was written in any field (a skipped step with text is still exported).
    pub empty: bool,
}

#[derive(Debug, Serialize)]
pub struct FieldView {
    pub title: String,
    /// What the user typed, unchanged.
    pub text: String,
    /// The same text as Markdown that keeps its line structure (see [`markdown_block`]).
    pub markdown: String,
    /// A Markdown table when the lines fit one (endpoints, `Metric: target` NFRs); else empty.
    pub table: String,
    pub role: String,
    pub empty: bool,
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

fn cell(s: &str) -> String {
    s.trim().replace('|', "\\|")
}

fn list_items(text: &str) -> Vec<&str> {
    text.lines()
        .map(|l| {
            let t = l.trim();
            ["- ", "* ", "+ "]
                .iter()
                .find_map(|m| t.strip_prefix(m))
                .unwrap_or(t)
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// Endpoints (`POST /v1/x body -> 201`) and `Metric: target` lines become tables; anything
/// else stays a list.
fn table_for(role: Option<&str>, text: &str) -> String {
    let items = list_items(text);
    if items.is_empty() || text.contains("```") {
        return String::new();
    }
    let rows: Option<Vec<[String; 3]>> = match role {
        Some("api") => items
            .iter()
            .map(|l| {
                let mut parts = l.splitn(3, ' ');
                let method = parts.next()?;
                METHODS.contains(&method).then_some(())?;
                let path = parts.next()?;
                Some([
                    cell(method),
                    format!("`{}`", path.trim().replace('`', "")),
                    cell(parts.next().unwrap_or_default()),
                ])
            })
            .collect(),
        Some("non_functional") if items.len() >= 2 => items
            .iter()
            .map(|l| {
                let (metric, target) = l.split_once(": ")?;
                Some([cell(metric), cell(target), String::new()])
            })
            .collect(),
        _ => None,
    };
    let Some(rows) = rows else {
        return String::new();
    };
    let (head, sep, cols) = match role {
        Some("api") => (
            "| Method | Path | Request and response |",
            "| --- | --- | --- |",
            3,
        ),
        _ => ("| Requirement | Target |", "| --- | --- |", 2),
    };
    let mut out = vec![head.to_string(), sep.to_string()];
    for r in rows {
        out.push(format!("| {} |", r[..cols].join(" | ")));
    }
    out.join("\n")
}

/// Where the text of a role goes in an outline that has no field with that role.
const FALLBACKS: &[(&str, &[&str])] = &[
    ("deep_dives", &["failure_modes", "risks"]),
    ("entities", &["data_model", "architecture", "api"]),
    ("data_model", &["architecture", "api"]),
    ("data_flow", &["architecture"]),
    ("capacity", &["non_functional", "architecture"]),
];

fn landing<'t>(role: Option<&str>, target_roles: &[&'t str]) -> Option<&'t str> {
    let present = |r: &str| target_roles.iter().find(|t| **t == r).copied();
    role.and_then(present)
        .or_else(|| {
            let fallbacks = FALLBACKS.iter().find(|(r, _)| Some(*r) == role)?.1;
            fallbacks.iter().find_map(|r| present(r))
        })
        .or_else(|| present("appendix"))
        .or_else(|| present("architecture"))
        .or_else(|| target_roles.last().copied())
}

fn ordered_marker(t: &str) -> bool {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") "))
}

/// A code fence opening: three or more backticks (with no backtick in the info string) or
/// tildes. Returns the fence character and length.
pub fn fence_open(line: &str) -> Option<(char, usize)> {
    let t = line.trim();
    let ch = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = t.chars().take_while(|c| *c == ch).count();
    let info = &t[len..];
    (len >= 3 && !(ch == '`' && info.contains('`'))).then_some((ch, len))
}

/// Whether `line` closes a fence opened with `ch` × `len`: only the fence character, at least
/// as many.
pub fn fence_closes(line: &str, (ch, len): (char, usize)) -> bool {
    let t = line.trim();
    t.chars().count() >= len && t.chars().all(|c| c == ch)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Blank,
    Bullet,
    Ordered,
    Table,
    Quote,
    Fence,
}

/// Turns text typed line by line into Markdown that renders the same lines: each plain line
/// becomes a list item (Markdown would otherwise join the lines into one paragraph), the
/// user's own bullets are normalised to `-`, numbered lines, tables and quotes are kept,
/// headings become bold items so they cannot break the document's outline, code fences pass
/// through untouched (an unclosed one is closed), and a blank line separates blocks of
/// different kinds so they are not merged.
pub fn markdown_block(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    // Columns of indentation the open fence had: removed from its content so that the block
    // is written at column 0, where its closing fence closes it.
    let mut fence_indent = 0usize;
    let mut prev = Block::Blank;
    for line in text.lines() {
        if let Some(open) = fence {
            if fence_closes(line, open) {
                out.push(line.trim().to_string());
                fence = None;
            } else {
                let strip = line.len() - line.trim_start_matches(' ').len();
                out.push(line[strip.min(fence_indent)..].trim_end().to_string());
            }
            continue;
        }
        let t = line.trim();
        // Indented lines nest under the item above, two spaces a level (tabs count as four).
        let width: usize = line
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum();
        // Under a numbered item the content starts after "1. ", three columns in.
        let unit = if prev == Block::Ordered { "   " } else { "  " };
        let pad = unit.repeat((width / 2).min(4));
        let nested = !pad.is_empty() && matches!(prev, Block::Bullet | Block::Ordered);
        let pad = if nested { pad.as_str() } else { "" };
        let (kind, rendered) = if let Some(open) = fence_open(t) {
            fence = Some(open);
            fence_indent = line.len() - line.trim_start_matches(' ').len();
            (Block::Fence, t.to_string())
        } else if t.is_empty() {
            (Block::Blank, String::new())
        } else if let Some(rest) = ["- ", "* ", "+ "].iter().find_map(|m| t.strip_prefix(m)) {
            (Block::Bullet, format!("{pad}- {}", rest.trim_start()))
        } else if t.starts_with('#') {
            let heading = t.trim_start_matches('#').trim();
            (Block::Bullet, format!("- **{heading}**"))
        } else if ordered_marker(t) {
            (Block::Ordered, format!("{pad}{t}"))
        } else if t.starts_with('|') {
            (Block::Table, t.to_string())
        } else if t.starts_with('>') {
            (Block::Quote, t.to_string())
        } else {
            (Block::Bullet, format!("{pad}- {t}"))
        };
        // A nested line belongs to the list above whatever its marker.
        let kind = if nested && kind != Block::Fence {
            prev
        } else {
            kind
        };
        if kind != Block::Blank && prev != Block::Blank && kind != prev {
            out.push(String::new());
        }
        out.push(rendered);
        prev = if fence.is_some() { Block::Fence } else { kind };
    }
    if let Some((ch, len)) = fence {
        out.push(ch.to_string().repeat(len));
    }
    out.join("\n")
}

#[derive(Debug, Serialize)]
pub struct HintView {
    pub step: String,
    pub number: usize,
    pub text: String,
    pub at: String,
}

fn delta(planned: Duration, actual: Duration) -> (String, bool) {
    if actual > planned {
        (format!("+{}", fmt_clock(actual - planned)), true)
    } else if actual < planned {
        (format!("-{}", fmt_clock(planned - actual)), false)
    } else {
        (fmt_clock(Duration::ZERO), false)
    }
}

impl Report {
    /// Builds the report from saved state (time spent as last synced). `own` is the outline the
    /// session was written in; `target` the outline of the template. When they differ, each
    /// field's text goes to the target field with the same role (or the nearest one, see
    /// `FALLBACKS`), so nothing written is dropped.
    pub fn build(
        session: &Session,
        own: &Outline,
        target: &Outline,
        problem: Option<&Problem>,
    ) -> Self {
        let mapped = own.id != target.id;
        let mut diagram_text = String::new();
        for def in &own.sections {
            for f in def.fields.iter().filter(|f| f.diagram) {
                diagram_text.push_str(session.field_text(&def.id, &f.id).unwrap_or_default());
                diagram_text.push('\n');
            }
        }
        // Mapped mode: collect the session's text per target role.
        let target_roles: Vec<&str> = target
            .sections
            .iter()
            .flat_map(|s| s.fields.iter().filter_map(|f| f.role.as_deref()))
            .collect();
        // (target role, source title, text, prose: keep as a paragraph)
        let mut buckets: Vec<(&str, String, String, bool)> = Vec::new();
        if mapped {
            for def in &own.sections {
                for f in &def.fields {
                    let text = session
                        .field_text(&def.id, &f.id)
                        .unwrap_or_default()
                        .trim_end();
                    if text.trim().is_empty() {
                        continue;
                    }
                    if let Some(role) = landing(f.role.as_deref(), &target_roles) {
                        buckets.push((role, f.title.clone(), text.to_string(), false));
                    }
                }
            }
            if let Some(p) = problem
                && target_roles.contains(&"context")
                && !buckets.iter().any(|(r, ..)| *r == "context")
            {
                buckets.push((
                    "context",
                    "Problem".into(),
                    p.prompt.trim().to_string(),
                    true,
                ));
            }
        }
        let steps: Vec<StepView> = target
            .sections
            .iter()
            .map(|def| {
                let state = (!mapped).then(|| session.section(&def.id)).flatten();
                let planned = Duration::from_secs(state.map_or(0, |s| s.planned_secs));
                let actual = Duration::from_secs(state.map_or(0, |s| s.spent_ms / 1000));
                let (delta, over) = delta(planned, actual);
                let fields = def
                    .fields
                    .iter()
                    .map(|f| {
                        let (text, markdown) = if mapped {
                            let parts: Vec<&(&str, String, String, bool)> = buckets
                                .iter()
                                .filter(|(r, ..)| Some(*r) == f.role.as_deref())
                                .collect();
                            let text = parts
                                .iter()
                                .map(|p| p.2.as_str())
                                .collect::<Vec<_>>()
                                .join("\n\n");
                            let body = |t: &str, prose: bool| {
                                if prose {
                                    t.to_string()
                                } else {
                                    markdown_block(t)
                                }
                            };
                            let markdown = match parts.as_slice() {
                                [one] => body(&one.2, one.3),
                                many => many
                                    .iter()
                                    .map(|(_, title, t, prose)| {
                                        format!("**{title}:**\n\n{}", body(t, *prose))
                                    })
                                    .collect::<Vec<_>>()
                                    .join("\n\n"),
                            };
                            (text, markdown)
                        } else {
                            let text = session
                                .field_text(&def.id, &f.id)
                                .unwrap_or_default()
                                .trim_end()
                                .to_string();
                            let markdown = markdown_block(&text);
                            (text, markdown)
                        };
                        // Mixed sources (NFRs and a capacity estimate) stay lists, with labels.
                        let single = !mapped
                            || buckets
                                .iter()
                                .filter(|(r, ..)| Some(*r) == f.role.as_deref())
                                .count()
                                <= 1;
                        FieldView {
                            title: f.title.clone(),
                            empty: text.trim().is_empty(),
                            table: if single {
                                table_for(f.role.as_deref(), &text)
                            } else {
                                String::new()
                            },
                            role: f.role.clone().unwrap_or_default(),
                            markdown,
                            text,
                        }
                    })
                    .collect();
                let fields: Vec<FieldView> = fields;
                StepView {
                    id: def.id.clone(),
                    title: def.title.clone(),
                    skipped: state.is_some_and(|s| s.skipped),
                    empty: fields.iter().all(|f| f.empty),
                    fields,
                    planned: fmt_clock(planned),
                    actual: fmt_clock(actual),
                    delta,
                    over,
                    ticked: state.map(|s| s.ticked.clone()).unwrap_or_default(),
                }
            })
            .collect();
        let doc = Doc::from_outline(target, |si, fi| steps[si].fields[fi].text.clone());
        let title_of = |id: &str| {
            own.sections
                .iter()
                .find(|s| s.id == id)
                .map_or_else(|| id.to_string(), |s| s.title.clone())
        };
        let sum = |f: fn(&super::session::SectionState) -> u64| {
            session
                .sections
                .iter()
                .fold(0u64, |a, s| a.saturating_add(f(s)))
        };
        let paused = session
            .pauses
            .iter()
            .fold(0u64, |a, p| a.saturating_add(p.secs));
        Report {
            title: session.title.clone(),
            id: session.id.clone(),
            date: session
                .created_at
                .strftime("%Y-%m-%d %H:%M UTC")
                .to_string(),
            status: session.status.label(),
            total_minutes: session.total_minutes,
            problem: problem.map(|p| ProblemView {
                id: p.id().to_string(),
                title: p.title.clone(),
                category: category_title(p.category()).to_string(),
                difficulty: p.difficulty.label(),
                prompt: p.prompt.trim().to_string(),
            }),
            findings: checks::run(&doc),
            steps,
            mermaid: arrows::mermaid(&arrows::edges(&diagram_text)).unwrap_or_default(),
            planned_total: fmt_clock(Duration::from_secs(sum(|s| s.planned_secs))),
            actual_total: fmt_clock(Duration::from_secs(sum(|s| s.spent_ms) / 1000)),
            paused_total: fmt_clock(Duration::from_secs(paused)),
            hints: session
                .hints
                .iter()
                .map(|h| HintView {
                    step: title_of(&h.section),
                    number: h.index + 1,
                    text: h.text.clone(),
                    at: fmt_clock(Duration::from_secs(h.at_secs)),
                })
                .collect(),
            coaching: match problem {
                Some(p) if !mapped && !own.checks => {
                    Some(super::coaching::Coaching::build(session, own, p))
                }
                _ => None,
            },
            checklists: target
                .checklists
                .iter()
                .map(|c| ChecklistView {
                    title: c.title.clone(),
                    items: c
                        .items
                        .iter()
                        .map(|item| ItemView {
                            text: item.clone(),
                            ticked: session
                                .checklists
                                .get(&c.id)
                                .is_some_and(|t| t.contains(item)),
                        })
                        .collect(),
                })
                .collect(),
            mapped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{markdown_block, table_for};

    #[test]
    fn endpoint_and_metric_lines_become_tables() {
        assert_eq!(
            table_for(
                Some("api"),
                "- POST /v1/links {url} -> 201 {code}\n- GET /{code} -> 302"
            ),
            "| Method | Path | Request and response |\n| --- | --- | --- |\n| POST | `/v1/links` | {url} -> 201 {code} |\n| GET | `/{code}` | -> 302 |"
        );
        assert_eq!(
            table_for(
                Some("non_functional"),
                "p95 latency: < 150 ms\nAvailability: 99.9% | monthly"
            ),
            "| Requirement | Target |\n| --- | --- |\n| p95 latency | < 150 ms |\n| Availability | 99.9% \\| monthly |"
        );
        assert_eq!(table_for(Some("api"), "We add a field to GET /v1/x"), "");
        assert_eq!(table_for(Some("non_functional"), "fast"), "");
        assert_eq!(table_for(Some("risks"), "a: b\nc: d"), "");
    }

    #[test]
    fn lines_keep_their_shape_in_markdown() {
        let text = "Users should be able to post\n* starred\n+ plus\n\n1. first\n2) second\n# My heading\n| a | b |\n> quote";
        assert_eq!(
            markdown_block(text),
            "- Users should be able to post\n- starred\n- plus\n\n1. first\n2) second\n\n- **My heading**\n\n| a | b |\n\n> quote"
        );
    }

    #[test]
    fn indented_lines_nest_under_the_item_above() {
        assert_eq!(
            markdown_block(
                "- Reads come from the cache\n  - Given a cached product\n    then no query\nNext\n  stray indent"
            ),
            "- Reads come from the cache\n  - Given a cached product\n    - then no query\n- Next\n  - stray indent"
        );
        assert_eq!(
            markdown_block("1. First\n   - detail"),
            "1. First\n   - detail"
        );
        assert_eq!(markdown_block("  leading indent"), "- leading indent");
    }

    #[test]
    fn code_fences_pass_through_and_are_closed() {
        assert_eq!(
            markdown_block("```sql\nSELECT 1;\n# not a heading\n```\nafter"),
            "```sql\nSELECT 1;\n# not a heading\n```\n\n- after"
        );
        assert_eq!(markdown_block("~~~\nopen"), "~~~\nopen\n~~~");
        // A longer fence is closed by an equally long one; a fence with an info string inside
        // does not close it.
        assert_eq!(
            markdown_block("````md\n```python\nx\n```\n````"),
            "````md\n```python\nx\n```\n````"
        );
        assert_eq!(markdown_block("````\nfoo"), "````\nfoo\n````");
        // A fence indented under a list item is written at column 0 with its content.
        assert_eq!(
            markdown_block("- Schema\n    ```sql\n    CREATE TABLE t(id int);\n    ```\nafter"),
            "- Schema\n\n```sql\nCREATE TABLE t(id int);\n```\n\n- after"
        );
    }
}
