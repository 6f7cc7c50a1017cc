//! The view of a session that export templates see. Pure: built from the session, its outline
//! and its problem; every value is already formatted so templates stay simple.

use std::time::Duration;

use serde::Serialize;

use super::arrows;
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
}

#[derive(Debug, Serialize)]
pub struct FieldView {
    pub title: String,
    /// What the user typed, unchanged.
    pub text: String,
    /// The same text as Markdown that keeps its line structure (see [`markdown_block`]).
    pub markdown: String,
    pub empty: bool,
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
    let mut prev = Block::Blank;
    for line in text.lines() {
        if let Some(open) = fence {
            out.push(line.trim_end().to_string());
            if fence_closes(line, open) {
                fence = None;
            }
            continue;
        }
        let t = line.trim();
        let (kind, rendered) = if let Some(open) = fence_open(t) {
            fence = Some(open);
            (Block::Fence, t.to_string())
        } else if t.is_empty() {
            (Block::Blank, String::new())
        } else if let Some(rest) = ["- ", "* ", "+ "].iter().find_map(|m| t.strip_prefix(m)) {
            (Block::Bullet, format!("- {}", rest.trim_start()))
        } else if t.starts_with('#') {
            let heading = t.trim_start_matches('#').trim();
            (Block::Bullet, format!("- **{heading}**"))
        } else if ordered_marker(t) {
            (Block::Ordered, t.to_string())
        } else if t.starts_with('|') {
            (Block::Table, t.to_string())
        } else if t.starts_with('>') {
            (Block::Quote, t.to_string())
        } else {
            (Block::Bullet, format!("- {t}"))
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
    /// Builds the report from saved state (time spent as last synced).
    pub fn build(session: &Session, outline: &Outline, problem: Option<&Problem>) -> Self {
        let mut diagram_text = String::new();
        let steps = outline
            .sections
            .iter()
            .filter_map(|def| {
                let state = session.section(&def.id)?;
                let planned = Duration::from_secs(state.planned_secs);
                let actual = Duration::from_secs(state.spent_ms / 1000);
                let (delta, over) = delta(planned, actual);
                let fields = def
                    .fields
                    .iter()
                    .map(|f| {
                        let text = session
                            .field_text(&def.id, &f.id)
                            .unwrap_or_default()
                            .trim_end()
                            .to_string();
                        if f.diagram {
                            diagram_text.push_str(&text);
                            diagram_text.push('\n');
                        }
                        FieldView {
                            title: f.title.clone(),
                            empty: text.trim().is_empty(),
                            markdown: markdown_block(&text),
                            text,
                        }
                    })
                    .collect();
                Some(StepView {
                    id: def.id.clone(),
                    title: def.title.clone(),
                    skipped: state.skipped,
                    fields,
                    planned: fmt_clock(planned),
                    actual: fmt_clock(actual),
                    delta,
                    over,
                    ticked: state.ticked.clone(),
                })
            })
            .collect();
        let title_of = |id: &str| {
            outline
                .sections
                .iter()
                .find(|s| s.id == id)
                .map_or_else(|| id.to_string(), |s| s.title.clone())
        };
        let planned: u64 = session.sections.iter().map(|s| s.planned_secs).sum();
        let actual: u64 = session.sections.iter().map(|s| s.spent_ms / 1000).sum();
        let paused: u64 = session.pauses.iter().map(|p| p.secs).sum();
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
            steps,
            mermaid: arrows::mermaid(&arrows::edges(&diagram_text)).unwrap_or_default(),
            planned_total: fmt_clock(Duration::from_secs(planned)),
            actual_total: fmt_clock(Duration::from_secs(actual)),
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::markdown_block;

    #[test]
    fn lines_keep_their_shape_in_markdown() {
        let text = "Users should be able to post\n* starred\n+ plus\n\n1. first\n2) second\n# My heading\n| a | b |\n> quote";
        assert_eq!(
            markdown_block(text),
            "- Users should be able to post\n- starred\n- plus\n\n1. first\n2) second\n\n- **My heading**\n\n| a | b |\n\n> quote"
        );
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
    }
}
