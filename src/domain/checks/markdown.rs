//! A Markdown design document read as a reader sees it: headings at any level (ATX, setext,
//! or a line that is nothing but bold text), and blocks (paragraphs, list items, table rows),
//! each one line of text however it was wrapped, with the line and column it starts at.
//!
//! Code blocks, HTML (template comments) and link-reference definitions are not read as text;
//! a code block still counts as content, so a section holding only one is not empty. YAML front
//! matter is kept apart: it belongs to no section, but a marker left in it is still a marker.

use std::ops::Range;

use pulldown_cmark::{Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

/// A heading as written, its numbering stripped ("## 6.1 Functional requirements").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub text: String,
    /// 1 to 6 for ATX and setext headings; 7 for a bold-only line, which ranks below them.
    pub level: u8,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    /// A list item's own text (its nested items are blocks of their own, one deeper).
    Item,
    /// A table row, written back as `| a | b |`.
    Row,
    /// A table's header row.
    HeaderRow,
    /// A fenced or indented code block: content, but not prose to judge.
    Code,
    /// A line of YAML front matter.
    FrontMatter,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// The block's text on one line: soft breaks are spaces, inline code keeps its backticks,
    /// other markup is dropped.
    pub text: String,
    /// 1-based line and column where the block starts.
    pub line: usize,
    pub col: usize,
    /// The last line the block covers.
    pub last_line: usize,
    /// Where each later source line of a wrapped block begins: (byte offset in `text`, line).
    pub breaks: Vec<(usize, usize)>,
    /// List nesting: 0 outside lists, 1 for a top-level item or a paragraph inside one.
    pub depth: usize,
    /// Inside a block quote.
    pub quoted: bool,
    /// The heading it sits under (an index into [`Markdown::headings`]), if any.
    pub heading: Option<usize>,
}

/// An HTML comment addressed to sdcoach (`<!-- sdcoach-disable-next-line … -->`), outside code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The comment's text without `<!--` and `-->`, trimmed.
    pub text: String,
    pub line: usize,
    pub last_line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Markdown {
    pub headings: Vec<Heading>,
    pub blocks: Vec<Block>,
    pub comments: Vec<Comment>,
    /// The column a finding on each line points at: where the block starting there begins,
    /// or the line's first character that is not a space (a heading's `#`, a wrapped line).
    pub columns: std::collections::HashMap<usize, usize>,
}

impl Markdown {
    /// Adds a heading that starts at byte `at`; returns its index.
    fn heading(&mut self, lines: &Lines, text: &str, level: u8, at: usize) -> usize {
        let line = lines.line(at);
        self.columns
            .entry(line)
            .or_insert_with(|| lines.first_col(line));
        self.headings.push(Heading {
            text: text.to_string(),
            level,
            line,
        });
        self.headings.len() - 1
    }
}

/// The marker that makes an HTML comment a directive for sdcoach.
pub const DIRECTIVE: &str = "sdcoach-";

/// Byte offsets of line starts, to turn an offset into a line and column.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    /// 1-based line of a byte offset.
    fn line(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at)
    }

    /// 1-based column (in characters) of a byte offset.
    fn col(&self, at: usize) -> usize {
        let start = self.starts[self.line(at) - 1];
        self.text
            .get(start..at)
            .map_or(1, |s| s.chars().count() + 1)
    }

    /// 1-based column of the first character on a line that is not a space or a tab.
    fn first_col(&self, line: usize) -> usize {
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        let text = self.text.get(start..end).unwrap_or_default();
        text.chars().take_while(|c| *c == ' ' || *c == '\t').count() + 1
    }

    /// The line an offset range ends on (its last character, not the newline after it).
    fn last_line(&self, r: &Range<usize>) -> usize {
        let end = self.text[..r.end.min(self.text.len())].trim_end().len();
        self.line(end.saturating_sub(1).max(r.start))
    }
}

/// The text a block or heading is being read into.
#[derive(Default)]
struct Buffer {
    text: String,
    start: Option<usize>,
    end: usize,
    /// Characters outside bold (for telling a bold-only line).
    plain: usize,
    bold: usize,
    /// (byte offset in `text`, line) where each later source line begins.
    breaks: Vec<(usize, usize)>,
}

impl Buffer {
    fn push(&mut self, s: &str, range: &Range<usize>, strong: bool) {
        self.start.get_or_insert(range.start);
        self.end = self.end.max(range.end);
        let n = s.trim().chars().count();
        if strong {
            self.bold += n;
        } else {
            self.plain += n;
        }
        self.text.push_str(s);
    }

    fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// Strips a heading's numbering: "1. Summary", "5 Goals", "6.1 Functional requirements".
fn strip_numbering(text: &str) -> &str {
    let t = text.trim();
    let digits = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ')'))
        .unwrap_or(t.len());
    let (number, rest) = t.split_at(digits);
    if number.starts_with(|c: char| c.is_ascii_digit()) && rest.starts_with(char::is_whitespace) {
        rest.trim_start()
    } else {
        t
    }
}

/// Reads a document. Linear in its length.
pub fn read(text: &str) -> Markdown {
    let lines = Lines::new(text);
    let mut out = Markdown::default();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    // Open list items: the text read so far, and whether the item's own line was written.
    let mut items: Vec<(Buffer, bool)> = Vec::new();
    let mut paragraph: Option<Buffer> = None;
    let mut heading: Option<(u8, Buffer)> = None;
    let mut row: Option<(bool, Vec<String>, Buffer)> = None;
    let mut quoted = 0usize;
    let mut strong = 0usize;
    let mut skip = 0usize;
    let mut html = 0usize;
    let mut metadata: Option<usize> = None;
    let mut current: Option<usize> = None;

    let emit = |out: &mut Markdown,
                current: Option<usize>,
                kind: BlockKind,
                buf: &Buffer,
                depth: usize,
                quoted: bool| {
        let Some(start) = buf.start else { return };
        let lead = buf.text.len() - buf.text.trim_start().len();
        let text = buf.text.trim().to_string();
        if text.is_empty() && kind != BlockKind::Code {
            return;
        }
        let (line, col) = (lines.line(start), lines.col(start));
        out.columns.entry(line).or_insert(col);
        for &(_, l) in &buf.breaks {
            out.columns.entry(l).or_insert_with(|| lines.first_col(l));
        }
        out.blocks.push(Block {
            kind,
            line,
            col,
            last_line: lines.last_line(&(start..buf.end)),
            breaks: buf
                .breaks
                .iter()
                .filter(|(at, _)| *at >= lead && *at - lead < text.len())
                .map(|(at, line)| (at - lead, *line))
                .collect(),
            text,
            depth,
            quoted,
            heading: current,
        });
    };

    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        if let Some(from) = metadata {
            if let Event::End(TagEnd::MetadataBlock(_)) = event {
                metadata = None;
                let body = &text[from..range.end];
                let mut at = from;
                for l in body.split_inclusive('\n') {
                    let t = l.trim();
                    if !t.is_empty() && t != "---" && t != "+++" {
                        let buf = Buffer {
                            text: t.to_string(),
                            start: Some(at),
                            end: at + l.trim_end().len(),
                            ..Buffer::default()
                        };
                        emit(&mut out, None, BlockKind::FrontMatter, &buf, 0, false);
                    }
                    at += l.len();
                }
            }
            continue;
        }
        match event {
            Event::Start(Tag::MetadataBlock(MetadataBlockKind::YamlStyle))
            | Event::Start(Tag::MetadataBlock(MetadataBlockKind::PlusesStyle)) => {
                metadata = Some(range.start);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                skip += 1;
                let buf = Buffer {
                    start: Some(range.start),
                    end: range.end,
                    ..Buffer::default()
                };
                emit(
                    &mut out,
                    current,
                    BlockKind::Code,
                    &buf,
                    items.len(),
                    quoted > 0,
                );
            }
            Event::End(TagEnd::CodeBlock) => skip = skip.saturating_sub(1),
            Event::Start(Tag::HtmlBlock) => html += 1,
            Event::End(TagEnd::HtmlBlock) => html = html.saturating_sub(1),
            Event::Html(t) | Event::InlineHtml(t) if skip == 0 && t.contains(DIRECTIVE) => {
                let body = t.trim();
                if let Some(inner) = body
                    .strip_prefix("<!--")
                    .and_then(|b| b.strip_suffix("-->"))
                {
                    out.comments.push(Comment {
                        text: inner.trim().to_string(),
                        line: lines.line(range.start),
                        last_line: lines.last_line(&range),
                    });
                }
            }
            _ if skip > 0 || html > 0 => {}
            Event::Start(Tag::Heading { level, .. }) => {
                let b = Buffer {
                    start: Some(range.start),
                    ..Buffer::default()
                };
                heading = Some((level as u8, b));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, b)) = heading.take() {
                    let at = b.start.unwrap_or(range.start);
                    current = Some(out.heading(&lines, strip_numbering(&b.text), level, at));
                }
            }
            Event::Start(Tag::BlockQuote(_)) => quoted += 1,
            Event::End(TagEnd::BlockQuote(_)) => quoted = quoted.saturating_sub(1),
            Event::Start(Tag::Strong) => strong += 1,
            Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
            Event::Start(Tag::List(_)) => {
                // A nested list: the parent item's own line comes first.
                let depth = items.len();
                if let Some((buf, written)) = items.last_mut()
                    && !*written
                {
                    emit(&mut out, current, BlockKind::Item, buf, depth, quoted > 0);
                    *written = true;
                }
            }
            Event::Start(Tag::Item) => {
                let b = Buffer {
                    start: Some(range.start),
                    end: range.start,
                    ..Buffer::default()
                };
                items.push((b, false));
            }
            Event::End(TagEnd::Item) => {
                let depth = items.len();
                if let Some((buf, written)) = items.pop()
                    && !written
                {
                    emit(&mut out, current, BlockKind::Item, &buf, depth, quoted > 0);
                }
            }
            Event::Start(Tag::Paragraph) => paragraph = Some(Buffer::default()),
            Event::End(TagEnd::Paragraph) => {
                let Some(p) = paragraph.take() else { continue };
                let depth = items.len();
                if let Some((buf, written)) = items.last_mut() {
                    if !*written && buf.is_empty() {
                        // The item's first paragraph is the item.
                        buf.text = p.text;
                        buf.breaks = p.breaks;
                        buf.end = p.end;
                        emit(&mut out, current, BlockKind::Item, buf, depth, quoted > 0);
                        *written = true;
                    } else {
                        emit(
                            &mut out,
                            current,
                            BlockKind::Paragraph,
                            &p,
                            depth,
                            quoted > 0,
                        );
                    }
                } else if p.bold > 0
                    && p.plain == 0
                    && quoted == 0
                    && p.text.split_whitespace().count() <= 6
                    && !p.text.trim_end().ends_with(['.', '!', '?'])
                {
                    // A short bold line standing alone is a heading; a bold sentence is text.
                    let text = strip_numbering(p.text.trim().trim_end_matches(':'));
                    let at = p.start.unwrap_or(range.start);
                    current = Some(out.heading(&lines, text, 7, at));
                } else {
                    emit(&mut out, current, BlockKind::Paragraph, &p, 0, quoted > 0);
                }
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                let head = matches!(event, Event::Start(Tag::TableHead));
                let b = Buffer {
                    start: Some(range.start),
                    ..Buffer::default()
                };
                row = Some((head, Vec::new(), b));
            }
            Event::Start(Tag::TableCell) => {
                if let Some((_, cells, _)) = &mut row {
                    cells.push(String::new());
                }
            }
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                if let Some((head, cells, mut b)) = row.take() {
                    b.end = range.end;
                    let cells: Vec<String> = cells
                        .iter()
                        .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
                        .collect();
                    b.text = format!("| {} |", cells.join(" | "));
                    let kind = if head {
                        BlockKind::HeaderRow
                    } else {
                        BlockKind::Row
                    };
                    emit(&mut out, current, kind, &b, items.len(), quoted > 0);
                }
            }
            Event::Text(_) | Event::Code(_) | Event::TaskListMarker(_) => {
                let text = match &event {
                    Event::Code(t) => format!("`{t}`"),
                    Event::TaskListMarker(true) => "[x] ".to_string(),
                    Event::TaskListMarker(false) => "[ ] ".to_string(),
                    Event::Text(t) => t.to_string(),
                    _ => String::new(),
                };
                let bold = strong > 0 && !matches!(event, Event::TaskListMarker(_));
                push(
                    &mut heading,
                    &mut row,
                    &mut paragraph,
                    &mut items,
                    &text,
                    &range,
                    bold,
                );
            }
            Event::SoftBreak | Event::HardBreak => {
                push(
                    &mut heading,
                    &mut row,
                    &mut paragraph,
                    &mut items,
                    " ",
                    &range,
                    strong > 0,
                );
                let next = lines.line(range.end);
                let target = match (&mut paragraph, items.last_mut()) {
                    (Some(p), _) => Some(p),
                    (None, Some((b, _))) => Some(b),
                    _ => None,
                };
                if let Some(b) = target {
                    b.breaks.push((b.text.len(), next));
                }
            }
            _ => {}
        }
    }
    out
}

/// Appends inline text to whatever is being read: a heading, a table cell, a paragraph, or a
/// tight list item.
fn push(
    heading: &mut Option<(u8, Buffer)>,
    row: &mut Option<(bool, Vec<String>, Buffer)>,
    paragraph: &mut Option<Buffer>,
    items: &mut [(Buffer, bool)],
    s: &str,
    range: &Range<usize>,
    strong: bool,
) {
    if let Some((_, b)) = heading {
        b.push(s, range, strong);
    } else if let Some((_, cells, _)) = row {
        if let Some(c) = cells.last_mut() {
            c.push_str(s);
        }
    } else if let Some(p) = paragraph {
        p.push(s, range, strong);
    } else if let Some((b, _)) = items.last_mut() {
        b.push(s, range, strong);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(md: &Markdown) -> Vec<(BlockKind, &str, usize)> {
        md.blocks
            .iter()
            .map(|b| (b.kind, b.text.as_str(), b.line))
            .collect()
    }

    #[test]
    fn headings_of_every_kind_are_found_and_their_numbers_dropped() {
        let md = read(
            "Title\n=====\n\n## 1. Summary\n\ntext\n\nGoals\n-----\n\n**Non-goals**\n\n- none here\n\n### 6.1 Functional requirements\n\n```\n## not a heading\n```\n",
        );
        let h: Vec<(&str, u8, usize)> = md
            .headings
            .iter()
            .map(|h| (h.text.as_str(), h.level, h.line))
            .collect();
        assert_eq!(
            h,
            [
                ("Title", 1, 1),
                ("Summary", 2, 4),
                ("Goals", 2, 8),
                ("Non-goals", 7, 11),
                ("Functional requirements", 3, 15),
            ]
        );
        // An inline bold label is text, not a heading.
        let md = read("**Risk:** the cache may be cold\n");
        assert!(md.headings.is_empty());
        assert_eq!(md.blocks[0].text, "Risk: the cache may be cold");
    }

    #[test]
    fn blocks_are_whole_however_they_wrap_and_know_their_lines() {
        let md = read(
            "# T\n\n- a risk that wraps\n  onto a second line. We cap it\n  - nested mitigation\n- next\n\n| Metric (ms) | Target |\n|---|---|\n| p99 | 300 |\n\nA paragraph\nthat wraps [TODO: x].\n",
        );
        assert_eq!(
            texts(&md),
            [
                (
                    BlockKind::Item,
                    "a risk that wraps onto a second line. We cap it",
                    3
                ),
                (BlockKind::Item, "nested mitigation", 5),
                (BlockKind::Item, "next", 6),
                (BlockKind::HeaderRow, "| Metric (ms) | Target |", 8),
                (BlockKind::Row, "| p99 | 300 |", 10),
                (
                    BlockKind::Paragraph,
                    "A paragraph that wraps [TODO: x].",
                    12
                ),
            ]
        );
        assert_eq!(md.blocks[0].depth, 1);
        assert_eq!(md.blocks[1].depth, 2);
        assert_eq!(md.blocks[0].last_line, 4);
        // The second source line of the paragraph starts at "that".
        let p = &md.blocks[5];
        assert_eq!(p.breaks, vec![(12, 13)]);
        assert_eq!(&p.text[12..16], "that");
    }

    #[test]
    fn code_comments_front_matter_and_link_definitions_are_not_prose() {
        let md = read(
            "---\ntitle: x\nstatus: TBD\n---\n\n# T\n\n<!-- TODO: template guidance -->\n\n[ref]: https://example.com\n\n```text\nPOST /x\n```\n\n> quoted XXX\n",
        );
        let kinds: Vec<(BlockKind, &str)> = md
            .blocks
            .iter()
            .map(|b| (b.kind, b.text.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (BlockKind::FrontMatter, "title: x"),
                (BlockKind::FrontMatter, "status: TBD"),
                (BlockKind::Code, ""),
                (BlockKind::Paragraph, "quoted XXX"),
            ]
        );
        assert_eq!(md.blocks[1].line, 3);
        assert!(md.blocks[3].quoted);
        assert_eq!(md.blocks[2].heading, Some(0));
    }
}
