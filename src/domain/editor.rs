//! A multi-line text editor as plain data: lines, a cursor, an optional selection, undo and
//! redo, and soft wrapping worked out only for the rows on screen. The kill buffer (what was cut
//! or copied) belongs to the caller, so text cut in one field pastes into another.
//!
//! Every operation costs time in proportion to the line being edited and the rows shown, never
//! to the whole document, so a keystroke in a 10,000-line answer is as quick as in an empty one.
//! (The editor crate used before rebuilt a wrap map of the whole document on every edit.)
//!
//! Positions are byte offsets into a line. The cursor moves and deletes by grapheme cluster
//! (`unicode-segmentation`), and widths are those of whole clusters (`unicode-width`), as ratatui
//! draws them, so an emoji sequence or an accented letter is one step and takes its real
//! columns. A tab is drawn as one space.

use std::cell::Cell;
use std::collections::VecDeque;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// A place in the text: line index and byte offset in that line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub row: usize,
    pub byte: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Left,
    Right,
    /// Up and down go by screen row, so they step through a wrapped line.
    Up,
    Down,
    LineStart,
    LineEnd,
    WordLeft,
    WordRight,
    ParagraphUp,
    ParagraphDown,
    Top,
    Bottom,
    PageUp,
    PageDown,
}

/// What a key asks of the editor (see `app::keymap::editor_cmd`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    /// With `select`, the selection is extended from where the cursor was.
    Move {
        to: Move,
        select: bool,
    },
    Insert(char),
    Newline,
    Backspace,
    Delete,
    /// Deletes to the start of the word (or cuts the selection) into the kill buffer.
    DeleteWordBack,
    DeleteWordForward,
    /// Deletes to the end of the line, or the line break at its end, into the kill buffer.
    KillLine,
    /// Inserts the kill buffer (a selection is replaced).
    Yank,
    /// Copies the selection into the kill buffer.
    Copy,
    Undo,
    Redo,
}

impl Cmd {
    /// Whether the command can change the text (refused in read-only sessions).
    pub fn edits(self) -> bool {
        !matches!(self, Cmd::Move { .. } | Cmd::Copy)
    }
}

/// Undo keeps this many changes; the oldest are dropped.
pub const MAX_UNDO: usize = 500;

/// One change: `removed` was replaced by `inserted` at `start`.
#[derive(Debug, Clone)]
struct Change {
    start: Pos,
    removed: String,
    inserted: String,
    /// The cursor before the change, where undo puts it back.
    before: Pos,
    /// Typed characters: consecutive ones undo together, a word at a time.
    typing: bool,
}

/// Where the view was last drawn: its size and the first row shown (a line and which of its
/// wrapped rows). Only drawing moves it, to keep the cursor in sight.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct View {
    width: usize,
    height: usize,
    top: (usize, usize),
}

/// One screen row of the layout: bytes `start..end` of line `line`, the part of them that is
/// selected, and whether the selection goes on past the end of the line (shown as one cell, so a
/// selected empty line is visible).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub selected: Option<(usize, usize)>,
    pub break_selected: bool,
}

/// What to draw: the rows from the top of the view, and the cursor as (column, row) in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub rows: Vec<Row>,
    pub cursor: (usize, usize),
}

#[derive(Debug, Clone)]
pub struct Editor {
    /// Never empty: an empty document is one empty line.
    lines: Vec<String>,
    cursor: Pos,
    anchor: Option<Pos>,
    /// The column that up and down aim for, kept across a run of vertical moves.
    goal: Option<usize>,
    undo: VecDeque<Change>,
    redo: Vec<Change>,
    /// The last command cut text, so the next cut adds to the kill buffer (as in Emacs).
    killing: bool,
    view: Cell<View>,
}

/// Columns a grapheme cluster takes on screen, as ratatui draws it: a tab shows as one space,
/// other control characters as nothing.
fn grapheme_width(g: &str) -> usize {
    if g == "\t" {
        1
    } else if g.contains(char::is_control) {
        0
    } else {
        g.width()
    }
}

pub fn str_width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

fn is_space(g: &str) -> bool {
    g.starts_with(char::is_whitespace)
}

/// How far `wrap` has to go: to the end of the line, until it has this many row starts, or
/// until it has a row start past this byte.
#[derive(Debug, Clone, Copy)]
enum Until {
    End,
    Rows(usize),
    Byte(usize),
}

/// Where the wrapped rows of `line` start (byte offsets, the first is 0) at `width` columns.
fn row_starts(line: &str, width: usize) -> Vec<usize> {
    wrap(line, width, Until::End)
}

/// Soft wrap. Text fills all but the last column, which is kept for a space hanging at the edge
/// (rows break after whitespace, as in a word processor) or the cursor at the end of a row. A
/// word longer than a whole row fills the row it starts on and breaks where the row is full. A
/// line whose hanging space takes the last column gets an empty row after it, for the cursor.
/// Stops early as `until` allows, so only the rows asked for cost anything.
fn wrap(line: &str, width: usize, until: Until) -> Vec<usize> {
    let width = width.max(1);
    let text_width = width.saturating_sub(1).max(1);
    let mut starts = vec![0];
    let enough = |starts: &[usize]| match until {
        Until::End => false,
        Until::Rows(n) => starts.len() >= n,
        Until::Byte(b) => starts.last().is_some_and(|&s| s > b),
    };
    if enough(&starts) {
        return starts;
    }
    // Whether the word starting at byte `b` fits on a row of its own.
    let word_fits = |b: usize| {
        let mut w = 0;
        for g in line[b..].graphemes(true).take_while(|g| !is_space(g)) {
            w += grapheme_width(g);
            if w > text_width {
                return false;
            }
        }
        true
    };
    let mut col = 0;
    // The last place in this row where it may break: (byte, columns before it).
    let mut brk: Option<(usize, usize)> = None;
    for (i, g) in line.grapheme_indices(true) {
        let w = grapheme_width(g);
        let space = is_space(g);
        let room = if space { width } else { text_width };
        // A row holds at least one cluster, however wide.
        let row_start = starts.last().copied().unwrap_or(0);
        if col + w > room && i > row_start {
            match brk {
                // The word so far moves down with this character.
                Some((b, before)) if !space && word_fits(b) => {
                    starts.push(b);
                    col -= before;
                }
                _ => {
                    starts.push(i);
                    col = 0;
                }
            }
            brk = None;
            if enough(&starts) {
                return starts;
            }
        }
        col += w;
        if space {
            brk = Some((i + g.len(), col));
        }
    }
    if col >= width {
        starts.push(line.len());
    }
    starts
}

/// The wrapped row of `starts` that holds byte `byte`.
fn row_of(starts: &[usize], byte: usize) -> usize {
    starts.partition_point(|&s| s <= byte).saturating_sub(1)
}

/// The end of `text` inserted at `start`.
fn end_of(start: Pos, text: &str) -> Pos {
    match text.rfind('\n') {
        Some(last) => Pos {
            row: start.row + text.matches('\n').count(),
            byte: text.len() - last - 1,
        },
        None => Pos {
            row: start.row,
            byte: start.byte + text.len(),
        },
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Class {
    Space,
    Word,
    Punct,
}

fn class(g: &str) -> Class {
    let c = g.chars().next().unwrap_or(' ');
    if c.is_whitespace() {
        Class::Space
    } else if c.is_alphanumeric() || c == '_' {
        Class::Word
    } else {
        Class::Punct
    }
}

impl Editor {
    pub fn new(text: &str) -> Self {
        Self {
            lines: text.split('\n').map(str::to_string).collect(),
            cursor: Pos::default(),
            anchor: None,
            goal: None,
            undo: VecDeque::new(),
            redo: Vec::new(),
            killing: false,
            view: Cell::new(View::default()),
        }
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    pub fn is_empty(&self) -> bool {
        self.lines.len() == 1 && self.lines[0].is_empty()
    }

    pub fn cursor(&self) -> Pos {
        self.cursor
    }

    /// The selected range, start first, when there is one.
    pub fn selection(&self) -> Option<(Pos, Pos)> {
        let anchor = self.anchor.filter(|&a| a != self.cursor)?;
        Some((anchor.min(self.cursor), anchor.max(self.cursor)))
    }

    fn end(&self) -> Pos {
        let row = self.lines.len() - 1;
        Pos {
            row,
            byte: self.lines[row].len(),
        }
    }

    /// Carries out a command, cutting into and pasting from `kill`; returns whether the text
    /// changed.
    pub fn apply(&mut self, cmd: Cmd, kill: &mut String) -> bool {
        let after_kill = std::mem::take(&mut self.killing);
        match cmd {
            Cmd::Move { to, select } => {
                self.move_cursor(to, select);
                false
            }
            Cmd::Insert(c) => {
                let (start, end) = self.selection().unwrap_or((self.cursor, self.cursor));
                self.edit(start, end, c.encode_utf8(&mut [0; 4]), true)
            }
            Cmd::Newline => self.insert_str("\n"),
            Cmd::Backspace => self.delete_to(self.left(self.cursor)),
            Cmd::Delete => self.delete_to(self.right(self.cursor)),
            Cmd::DeleteWordBack => self.cut_to(self.word_left(self.cursor), kill, after_kill),
            Cmd::DeleteWordForward => self.cut_to(self.word_right(self.cursor), kill, after_kill),
            Cmd::KillLine => {
                let c = self.cursor;
                let line_end = Pos {
                    row: c.row,
                    byte: self.lines[c.row].len(),
                };
                // At the end of a line, the line break itself.
                let to = if c == line_end {
                    self.right(c)
                } else {
                    line_end
                };
                self.cut_to(to, kill, after_kill)
            }
            // Nothing to paste leaves a selection alone.
            Cmd::Yank => !kill.is_empty() && self.insert_str(kill),
            Cmd::Copy => {
                if let Some((start, end)) = self.selection() {
                    *kill = self.slice(start, end);
                    self.anchor = None;
                }
                false
            }
            Cmd::Undo => self.undo(),
            Cmd::Redo => self.redo(),
        }
    }

    /// Inserts text at the cursor, replacing the selection. `\n` starts a new line.
    pub fn insert_str(&mut self, text: &str) -> bool {
        let (start, end) = self.selection().unwrap_or((self.cursor, self.cursor));
        self.edit(start, end, text, false)
    }

    /// Puts the cursor at the very end and inserts `text` there.
    pub fn append(&mut self, text: &str) -> bool {
        self.anchor = None;
        self.cursor = self.end();
        self.insert_str(text)
    }

    /// The range from the cursor to `other`, or the selection when there is one.
    fn range_to(&self, other: Pos) -> (Pos, Pos) {
        self.selection()
            .unwrap_or((other.min(self.cursor), other.max(self.cursor)))
    }

    /// Deletes the selection, or from the cursor to `other`.
    fn delete_to(&mut self, other: Pos) -> bool {
        let (start, end) = self.range_to(other);
        self.edit(start, end, "", false)
    }

    /// Deletes like `delete_to` into the kill buffer. Straight after another cut the text joins
    /// what was cut before (in front of it when cutting backwards), so a run of cuts pastes back
    /// whole.
    fn cut_to(&mut self, other: Pos, kill: &mut String, after_kill: bool) -> bool {
        let (start, end) = self.range_to(other);
        if start == end {
            return false;
        }
        let text = self.slice(start, end);
        match (after_kill, end <= self.cursor) {
            (false, _) => *kill = text,
            (true, true) => kill.insert_str(0, &text),
            (true, false) => kill.push_str(&text),
        }
        let changed = self.edit(start, end, "", false);
        self.killing = true;
        changed
    }

    /// Replaces `start..end` with `text`, records it for undo and leaves the cursor after it.
    fn edit(&mut self, start: Pos, end: Pos, text: &str, typing: bool) -> bool {
        if start == end && text.is_empty() {
            self.anchor = None;
            return false;
        }
        let before = self.cursor;
        let (removed, after) = self.replace(start, end, text);
        self.cursor = after;
        self.anchor = None;
        self.goal = None;
        self.killing = false;
        self.redo.clear();
        if let Some(last) = self.undo.back_mut()
            && typing
            && last.typing
            && removed.is_empty()
            && end_of(last.start, &last.inserted) == start
            // A new word starts a new undo step.
            && (!last.inserted.ends_with(char::is_whitespace)
                || text.starts_with(char::is_whitespace))
        {
            last.inserted.push_str(text);
            return true;
        }
        if self.undo.len() == MAX_UNDO {
            self.undo.pop_front();
        }
        self.undo.push_back(Change {
            start,
            removed,
            inserted: text.to_string(),
            before,
            typing,
        });
        true
    }

    fn undo(&mut self) -> bool {
        let Some(change) = self.undo.pop_back() else {
            return false;
        };
        let end = end_of(change.start, &change.inserted);
        self.replace(change.start, end, &change.removed);
        self.cursor = change.before;
        self.anchor = None;
        self.goal = None;
        self.redo.push(change);
        true
    }

    fn redo(&mut self) -> bool {
        let Some(change) = self.redo.pop() else {
            return false;
        };
        let end = end_of(change.start, &change.removed);
        let (_, after) = self.replace(change.start, end, &change.inserted);
        self.cursor = after;
        self.anchor = None;
        self.goal = None;
        self.undo.push_back(change);
        true
    }

    /// The text between two positions, `start <= end`.
    fn slice(&self, start: Pos, end: Pos) -> String {
        if start.row == end.row {
            return self.lines[start.row][start.byte..end.byte].to_string();
        }
        let mut out = self.lines[start.row][start.byte..].to_string();
        for line in &self.lines[start.row + 1..end.row] {
            out.push('\n');
            out.push_str(line);
        }
        out.push('\n');
        out.push_str(&self.lines[end.row][..end.byte]);
        out
    }

    /// Replaces `start..end` with `text` without touching history; returns the removed text
    /// and the end of the inserted text. Only the lines involved are rewritten.
    fn replace(&mut self, start: Pos, end: Pos, text: &str) -> (String, Pos) {
        let removed = self.slice(start, end);
        let after = end_of(start, text);
        if start.row == end.row && !text.contains('\n') {
            self.lines[start.row].replace_range(start.byte..end.byte, text);
            return (removed, after);
        }
        let tail = self.lines[end.row][end.byte..].to_string();
        let mut parts = text.split('\n');
        let mut new_lines = Vec::with_capacity(after.row - start.row + 1);
        let mut first = self.lines[start.row][..start.byte].to_string();
        first.push_str(parts.next().unwrap_or_default());
        new_lines.push(first);
        new_lines.extend(parts.map(str::to_string));
        if let Some(last) = new_lines.last_mut() {
            last.push_str(&tail);
        }
        self.lines.splice(start.row..=end.row, new_lines);
        (removed, after)
    }

    fn left(&self, p: Pos) -> Pos {
        match self.lines[p.row][..p.byte].graphemes(true).next_back() {
            Some(g) => Pos {
                row: p.row,
                byte: p.byte - g.len(),
            },
            None if p.row > 0 => Pos {
                row: p.row - 1,
                byte: self.lines[p.row - 1].len(),
            },
            None => p,
        }
    }

    fn right(&self, p: Pos) -> Pos {
        match self.lines[p.row][p.byte..].graphemes(true).next() {
            Some(g) => Pos {
                row: p.row,
                byte: p.byte + g.len(),
            },
            None if p.row + 1 < self.lines.len() => Pos {
                row: p.row + 1,
                byte: 0,
            },
            None => p,
        }
    }

    /// The start of the word before `p` (the end of the previous line at a line start).
    fn word_left(&self, p: Pos) -> Pos {
        if p.byte == 0 {
            return self.left(p);
        }
        let mut gs = self.lines[p.row][..p.byte]
            .grapheme_indices(true)
            .rev()
            .peekable();
        while gs.next_if(|&(_, g)| class(g) == Class::Space).is_some() {}
        let mut byte = gs.peek().map_or(0, |&(i, _)| i);
        if let Some(&(_, first)) = gs.peek() {
            let kind = class(first);
            while let Some((i, _)) = gs.next_if(|&(_, g)| class(g) == kind) {
                byte = i;
            }
        }
        Pos { row: p.row, byte }
    }

    /// The start of the next word after `p` (the start of the next line at a line end).
    fn word_right(&self, p: Pos) -> Pos {
        let rest = &self.lines[p.row][p.byte..];
        if rest.is_empty() {
            return self.right(p);
        }
        let mut gs = rest.grapheme_indices(true).peekable();
        if let Some(&(_, first)) = gs.peek()
            && class(first) != Class::Space
        {
            let kind = class(first);
            while gs.next_if(|&(_, g)| class(g) == kind).is_some() {}
        }
        while gs.next_if(|&(_, g)| class(g) == Class::Space).is_some() {}
        Pos {
            row: p.row,
            byte: p.byte + gs.peek().map_or(rest.len(), |&(i, _)| i),
        }
    }

    fn is_blank(&self, row: usize) -> bool {
        self.lines[row].trim().is_empty()
    }

    fn move_cursor(&mut self, to: Move, select: bool) {
        // A move ends a run of typing: what is typed next undoes separately.
        if let Some(last) = self.undo.back_mut() {
            last.typing = false;
        }
        if !select && let Some((start, end)) = self.selection() {
            self.anchor = None;
            self.goal = None;
            // Left and right leave a selection at its edge, as in most editors.
            match to {
                Move::Left => return self.cursor = start,
                Move::Right => return self.cursor = end,
                _ => {}
            }
        }
        match (select, self.anchor) {
            (true, None) => self.anchor = Some(self.cursor),
            (false, _) => self.anchor = None,
            (true, Some(_)) => {}
        }
        if !matches!(to, Move::Up | Move::Down | Move::PageUp | Move::PageDown) {
            self.goal = None;
        }
        let c = self.cursor;
        self.cursor = match to {
            Move::Left => self.left(c),
            Move::Right => self.right(c),
            Move::Up | Move::Down => return self.vertical(1, to == Move::Down),
            Move::PageUp | Move::PageDown => {
                // The view turns a page with the cursor, so the page shows new text.
                let view = self.view.get();
                let rows = view.height.saturating_sub(1).max(1);
                let down = to == Move::PageDown;
                if view.width > 0 {
                    let top = self.valid_top(view.top, view.width);
                    let top = if down {
                        self.forward_by(top, rows, view.width)
                    } else {
                        self.back_by(top, rows, view.width)
                    };
                    self.view.set(View { top, ..view });
                }
                return self.vertical(rows, down);
            }
            Move::LineStart => Pos {
                row: c.row,
                byte: 0,
            },
            Move::LineEnd => Pos {
                row: c.row,
                byte: self.lines[c.row].len(),
            },
            Move::WordLeft => self.word_left(c),
            Move::WordRight => self.word_right(c),
            Move::ParagraphUp => {
                let row = (1..c.row)
                    .rev()
                    .find(|&r| self.is_blank(r) && !self.is_blank(r + 1))
                    .unwrap_or(0);
                Pos { row, byte: 0 }
            }
            Move::ParagraphDown => (c.row + 1..self.lines.len())
                .find(|&r| self.is_blank(r) && !self.is_blank(r - 1))
                .map_or_else(|| self.end(), |row| Pos { row, byte: 0 }),
            Move::Top => Pos::default(),
            Move::Bottom => self.end(),
        };
    }

    /// The width rows wrap at: the last drawn width, or no wrapping before the first draw.
    fn wrap_width(&self) -> usize {
        match self.view.get().width {
            0 => usize::MAX,
            w => w,
        }
    }

    /// Moves `n` screen rows up or down, aiming for the same column; past the first or last
    /// row it goes to the start or end of the text. Each line passed is wrapped once.
    fn vertical(&mut self, n: usize, down: bool) {
        let width = self.wrap_width();
        let Pos { mut row, byte } = self.cursor;
        let mut starts = row_starts(&self.lines[row], width);
        let mut k = row_of(&starts, byte);
        let goal = *self
            .goal
            .get_or_insert_with(|| str_width(&self.lines[row][starts[k]..byte]));
        for _ in 0..n {
            if down && k + 1 < starts.len() {
                k += 1;
            } else if down && row + 1 < self.lines.len() {
                row += 1;
                starts = row_starts(&self.lines[row], width);
                k = 0;
            } else if down {
                self.cursor = self.end();
                return;
            } else if k > 0 {
                k -= 1;
            } else if row > 0 {
                row -= 1;
                starts = row_starts(&self.lines[row], width);
                k = starts.len() - 1;
            } else {
                self.cursor = Pos::default();
                return;
            }
        }
        let line = &self.lines[row];
        let last_row = k + 1 == starts.len();
        let row_end = starts.get(k + 1).copied().unwrap_or(line.len());
        let mut byte = starts[k];
        let mut col = 0;
        for (i, g) in line[starts[k]..row_end].grapheme_indices(true) {
            let next = starts[k] + i + g.len();
            // Off the end of a wrapped row the cursor would show on the next row.
            if col + grapheme_width(g) > goal || (!last_row && next == row_end) {
                break;
            }
            col += grapheme_width(g);
            byte = next;
        }
        self.cursor = Pos { row, byte };
    }

    /// Screen rows in `line` at `width`, counting no further than `limit`.
    fn rows_in(&self, line: usize, width: usize, limit: usize) -> usize {
        wrap(&self.lines[line], width, Until::Rows(limit)).len()
    }

    /// The rows to draw in a view of `width` x `height`, scrolled so the cursor is in sight.
    /// Costs time in proportion to the rows shown (and the cursor's line up to the cursor).
    pub fn layout(&self, width: usize, height: usize) -> Layout {
        let (width, height) = (width.max(1), height.max(1));
        let mut view = self.view.get();
        view.width = width;
        view.height = height;
        let (mut top, mut sub) = self.valid_top(view.top, width);
        let cursor_starts = wrap(
            &self.lines[self.cursor.row],
            width,
            Until::Byte(self.cursor.byte),
        );
        let cursor = (self.cursor.row, row_of(&cursor_starts, self.cursor.byte));
        if cursor < (top, sub) {
            (top, sub) = cursor;
        } else if self.rows_from((top, sub), Some(cursor), height, width) > height {
            (top, sub) = self.back_by(cursor, height - 1, width);
        }
        // Do not leave the bottom of the view empty while text above is hidden.
        let shown = self.rows_from((top, sub), None, height, width);
        if shown < height {
            (top, sub) = self.back_by((top, sub), height - shown, width);
        }
        view.top = (top, sub);
        self.view.set(view);

        let selection = self.selection();
        let mut rows = Vec::with_capacity(height);
        let mut cursor_at = (0, 0);
        let mut line = top;
        let mut first_sub = sub;
        while rows.len() < height && line < self.lines.len() {
            let text = &self.lines[line];
            // One start more than the rows drawn, to know where the last one ends.
            let wanted = first_sub + (height - rows.len());
            let starts = wrap(text, width, Until::Rows(wanted + 1));
            for k in first_sub..starts.len().min(wanted) {
                let (start, end) = (starts[k], starts.get(k + 1).copied().unwrap_or(text.len()));
                if (line, k) == cursor {
                    // Typing in front of a combining mark can leave the cursor inside a
                    // cluster, which may then reach past the last column.
                    let x = str_width(&text[start..self.cursor.byte]).min(width - 1);
                    cursor_at = (x, rows.len());
                }
                let (selected, break_selected) = match selection {
                    Some((a, b)) if (a.row..=b.row).contains(&line) => {
                        let lo = if line == a.row {
                            a.byte.max(start)
                        } else {
                            start
                        };
                        let hi = if line == b.row { b.byte.min(end) } else { end };
                        (
                            (lo < hi).then_some((lo, hi)),
                            line < b.row && k + 1 == starts.len(),
                        )
                    }
                    _ => (None, false),
                };
                rows.push(Row {
                    line,
                    start,
                    end,
                    selected,
                    break_selected,
                });
            }
            line += 1;
            first_sub = 0;
        }
        Layout {
            rows,
            cursor: cursor_at,
        }
    }

    /// Screen rows from `from` down to `to` inclusive (to the end of the text when `None`),
    /// counting no further than `limit + 1`.
    fn rows_from(
        &self,
        from: (usize, usize),
        to: Option<(usize, usize)>,
        limit: usize,
        width: usize,
    ) -> usize {
        let last = to.map_or(self.lines.len() - 1, |t| t.0);
        let mut count = 0;
        let mut sub = from.1;
        for line in from.0..=last {
            let rows = match to {
                Some((t, tsub)) if t == line => tsub + 1,
                _ => self.rows_in(line, width, sub + limit + 1),
            };
            count += rows.saturating_sub(sub);
            sub = 0;
            if count > limit {
                break;
            }
        }
        count
    }

    /// The view's top row, moved back into the text if edits since the last draw took it away.
    fn valid_top(&self, (line, sub): (usize, usize), width: usize) -> (usize, usize) {
        if line >= self.lines.len() {
            return (self.lines.len() - 1, 0);
        }
        (line, sub.min(self.rows_in(line, width, sub + 1) - 1))
    }

    /// The screen row `n` rows below `(line, sub)`, or the very last.
    fn forward_by(
        &self,
        (mut line, mut sub): (usize, usize),
        n: usize,
        width: usize,
    ) -> (usize, usize) {
        let mut left = n;
        loop {
            let rows = self.rows_in(line, width, sub + left + 1);
            if sub + left < rows {
                return (line, sub + left);
            }
            if line + 1 == self.lines.len() {
                return (line, rows - 1);
            }
            left -= rows - sub;
            line += 1;
            sub = 0;
        }
    }

    /// The screen row `n` rows above `(line, sub)`, or the very first.
    fn back_by(
        &self,
        (mut line, mut sub): (usize, usize),
        n: usize,
        width: usize,
    ) -> (usize, usize) {
        let mut left = n;
        while left > 0 {
            if sub >= left {
                sub -= left;
                break;
            }
            left -= sub + 1;
            if line == 0 {
                return (0, 0);
            }
            line -= 1;
            sub = row_starts(&self.lines[line], width).len() - 1;
        }
        (line, sub)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An editor with its own kill buffer, as `Practice` gives each session one.
    struct Ed {
        e: Editor,
        kill: String,
    }

    impl Ed {
        fn apply(&mut self, cmd: Cmd) -> bool {
            self.e.apply(cmd, &mut self.kill)
        }
    }

    impl std::ops::Deref for Ed {
        type Target = Editor;
        fn deref(&self) -> &Editor {
            &self.e
        }
    }

    impl std::ops::DerefMut for Ed {
        fn deref_mut(&mut self) -> &mut Editor {
            &mut self.e
        }
    }

    fn ed(text: &str) -> Ed {
        Ed {
            e: Editor::new(text),
            kill: String::new(),
        }
    }

    fn mv(to: Move) -> Cmd {
        Cmd::Move { to, select: false }
    }

    fn sel(to: Move) -> Cmd {
        Cmd::Move { to, select: true }
    }

    fn typed(e: &mut Ed, s: &str) {
        for c in s.chars() {
            if c == '\n' {
                e.apply(Cmd::Newline);
            } else {
                e.apply(Cmd::Insert(c));
            }
        }
    }

    #[test]
    fn wraps_after_spaces_and_inside_long_words() {
        // Text fills 4 of 5 columns; the last is for a hanging space or the cursor.
        assert_eq!(row_starts("", 5), vec![0]);
        assert_eq!(row_starts("abc", 5), vec![0]);
        assert_eq!(row_starts("abcd efgh", 5), vec![0, 5]);
        assert_eq!(row_starts("abcde", 5), vec![0, 4]);
        // A space hanging in the last column gets an empty row after it for the cursor.
        assert_eq!(row_starts("abcd ", 5), vec![0, 5]);
        // A word longer than a row does not leave a short row behind it.
        assert_eq!(row_starts("ab cdefghijk", 5), vec![0, 4, 8]);
        assert_eq!(row_starts("ab cd efghijklm", 5), vec![0, 3, 7, 11]);
        // Wide characters never split across rows.
        assert_eq!(row_starts("名前名前名", 5), vec![0, 6, 12]);
        assert_eq!(row_starts("a 名前", 4), vec![0, 2, 5]);
    }

    #[test]
    fn widths_are_those_of_whole_grapheme_clusters() {
        assert_eq!(str_width("👨\u{200d}👩\u{200d}👧"), 2);
        assert_eq!(str_width("❤\u{fe0f}"), 2);
        assert_eq!(str_width("e\u{301}"), 1);
        assert_eq!(str_width("a\tb"), 3);
        // One step crosses a whole cluster; Backspace removes it whole.
        let mut e = ed("a👨\u{200d}👩\u{200d}👧e\u{301}");
        e.apply(mv(Move::LineEnd));
        e.apply(mv(Move::Left));
        assert_eq!(e.cursor().byte, "a👨\u{200d}👩\u{200d}👧".len());
        e.apply(Cmd::Backspace);
        assert_eq!(e.text(), "ae\u{301}");
        let l = e.layout(10, 1);
        assert_eq!(l.cursor, (1, 0));
    }

    #[test]
    fn typing_and_newlines_build_lines() {
        let mut e = ed("");
        assert!(e.is_empty());
        typed(&mut e, "hello\nworld");
        assert_eq!(e.text(), "hello\nworld");
        assert_eq!(e.cursor(), Pos { row: 1, byte: 5 });
        assert!(e.apply(Cmd::Backspace));
        assert_eq!(e.text(), "hello\nworl");
        e.apply(mv(Move::LineStart));
        assert!(
            e.apply(Cmd::Backspace),
            "backspace at a line start joins lines"
        );
        assert_eq!(e.text(), "helloworl");
        assert_eq!(e.cursor(), Pos { row: 0, byte: 5 });
        assert!(e.apply(Cmd::Delete));
        assert_eq!(e.text(), "helloorl");
        e.apply(mv(Move::Top));
        assert!(!e.apply(Cmd::Backspace), "nothing before the start");
        e.apply(mv(Move::Bottom));
        assert!(!e.apply(Cmd::Delete), "nothing after the end");
    }

    #[test]
    fn multibyte_text_moves_by_character() {
        let mut e = ed("名前 🙂x");
        e.apply(mv(Move::LineEnd));
        e.apply(mv(Move::Left));
        e.apply(mv(Move::Left));
        assert_eq!(e.cursor().byte, "名前 ".len());
        e.apply(Cmd::Backspace);
        e.apply(Cmd::Insert('é'));
        assert_eq!(e.text(), "名前é🙂x");
    }

    #[test]
    fn undo_takes_back_a_typed_word_at_a_time_and_redo_restores() {
        let mut e = ed("");
        typed(&mut e, "one two");
        assert!(e.apply(Cmd::Undo));
        assert_eq!(e.text(), "one ");
        assert!(e.apply(Cmd::Undo));
        assert_eq!(e.text(), "");
        assert!(!e.apply(Cmd::Undo));
        assert!(e.apply(Cmd::Redo));
        assert!(e.apply(Cmd::Redo));
        assert_eq!(e.text(), "one two");
        assert!(!e.apply(Cmd::Redo));
        e.apply(Cmd::Undo);
        typed(&mut e, "x");
        assert!(!e.apply(Cmd::Redo), "a new edit drops the redo history");
        assert_eq!(e.text(), "one x");
    }

    #[test]
    fn undo_keeps_a_bounded_history() {
        let mut e = ed("");
        for _ in 0..MAX_UNDO + 50 {
            e.apply(Cmd::Newline);
        }
        let mut undone = 0;
        while e.apply(Cmd::Undo) {
            undone += 1;
        }
        assert_eq!(undone, MAX_UNDO);
        assert_eq!(e.lines().len(), 51);
    }

    #[test]
    fn kill_and_yank_move_text() {
        let mut e = ed("alpha beta\ngamma");
        e.apply(mv(Move::WordRight));
        assert_eq!(e.cursor().byte, 6);
        assert!(e.apply(Cmd::KillLine));
        assert_eq!(e.text(), "alpha \ngamma");
        assert!(
            e.apply(Cmd::KillLine),
            "at a line end it takes the line break"
        );
        assert_eq!(e.text(), "alpha gamma");
        // Cuts in a row add up, so one paste brings back both.
        e.apply(mv(Move::LineEnd));
        assert!(e.apply(Cmd::Yank));
        assert_eq!(e.text(), "alpha gammabeta\n");
        // After anything else a cut starts afresh; backward cuts in a row join in front.
        assert!(e.apply(Cmd::DeleteWordBack));
        assert_eq!(e.text(), "alpha gammabeta");
        assert!(e.apply(Cmd::DeleteWordBack));
        assert_eq!(e.text(), "alpha ");
        assert!(e.apply(Cmd::Yank));
        assert_eq!(e.text(), "alpha gammabeta\n");
        e.apply(mv(Move::Top));
        assert!(e.apply(Cmd::DeleteWordForward));
        assert_eq!(e.text(), "gammabeta\n");
        // Copy keeps the text and replaces the kill buffer.
        e.apply(sel(Move::WordRight));
        assert!(!e.apply(Cmd::Copy));
        assert_eq!(e.selection(), None);
        e.apply(mv(Move::Bottom));
        e.apply(Cmd::Yank);
        assert_eq!(e.text(), "gammabeta\ngammabeta");
    }

    #[test]
    fn word_moves_stop_at_words_and_punctuation() {
        let mut e = ed("Client -> API: HTTPS\nnext");
        let mut stops = Vec::new();
        for _ in 0..5 {
            e.apply(mv(Move::WordRight));
            stops.push(e.cursor());
        }
        let p = |row, byte| Pos { row, byte };
        assert_eq!(stops, vec![p(0, 7), p(0, 10), p(0, 13), p(0, 15), p(0, 20)]);
        e.apply(mv(Move::WordRight));
        assert_eq!(e.cursor(), p(1, 0));
        e.apply(mv(Move::WordLeft));
        assert_eq!(e.cursor(), p(0, 20));
        e.apply(mv(Move::WordLeft));
        assert_eq!(e.cursor(), p(0, 15));
    }

    #[test]
    fn shift_moves_select_and_typing_replaces_the_selection() {
        let mut e = ed("keep drop keep");
        e.apply(mv(Move::WordRight));
        for _ in 0..5 {
            e.apply(sel(Move::Right));
        }
        assert_eq!(
            e.selection(),
            Some((Pos { row: 0, byte: 5 }, Pos { row: 0, byte: 10 }))
        );
        e.apply(Cmd::Insert('+'));
        assert_eq!(e.text(), "keep +keep");
        assert_eq!(e.selection(), None);
        e.apply(Cmd::Undo);
        assert_eq!(e.text(), "keep drop keep");
        // A selection across lines is cut whole and can be yanked back.
        let mut e = ed("one\ntwo\nthree");
        e.apply(mv(Move::Right));
        e.apply(sel(Move::Down));
        e.apply(sel(Move::Down));
        assert!(e.apply(Cmd::DeleteWordBack));
        assert_eq!(e.text(), "ohree");
        e.apply(Cmd::Yank);
        assert_eq!(e.text(), "one\ntwo\nthree");
    }

    #[test]
    fn up_and_down_step_through_wrapped_rows_keeping_the_column() {
        let mut e = ed("abcd efgh ijkl\nxy\nlong line here");
        e.layout(5, 10);
        e.apply(mv(Move::Right));
        e.apply(mv(Move::Right));
        e.apply(mv(Move::Down));
        assert_eq!(e.cursor(), Pos { row: 0, byte: 7 });
        e.apply(mv(Move::Down));
        assert_eq!(e.cursor(), Pos { row: 0, byte: 12 });
        e.apply(mv(Move::Down));
        assert_eq!(
            e.cursor(),
            Pos { row: 1, byte: 2 },
            "clamped to a short line"
        );
        e.apply(mv(Move::Down));
        assert_eq!(
            e.cursor(),
            Pos { row: 2, byte: 2 },
            "the goal column is kept"
        );
        e.apply(mv(Move::Up));
        e.apply(mv(Move::Up));
        assert_eq!(e.cursor(), Pos { row: 0, byte: 12 });
        e.apply(mv(Move::Top));
        e.apply(mv(Move::Up));
        assert_eq!(e.cursor(), Pos::default());
        e.apply(mv(Move::Bottom));
        e.apply(mv(Move::Down));
        assert_eq!(e.cursor(), Pos { row: 2, byte: 14 });
    }

    #[test]
    fn down_never_lands_past_the_end_of_a_wrapped_row() {
        // "abcd " fills its row; the cursor at column 4 of the next row is inside "efgh".
        let mut e = ed("abcd efgh ijkl");
        e.layout(5, 10);
        e.apply(mv(Move::LineEnd));
        e.apply(mv(Move::Up));
        assert_eq!(e.cursor(), Pos { row: 0, byte: 9 }, "on the row of 'efgh '");
        e.goal = Some(10);
        e.apply(mv(Move::Up));
        assert_eq!(
            e.cursor(),
            Pos { row: 0, byte: 4 },
            "the last place on the first row"
        );
    }

    #[test]
    fn paragraphs_and_pages() {
        let mut e = ed("a\nb\n\nc\nd\n\ne");
        e.apply(mv(Move::ParagraphDown));
        assert_eq!(e.cursor().row, 2);
        e.apply(mv(Move::ParagraphDown));
        assert_eq!(e.cursor().row, 5);
        e.apply(mv(Move::ParagraphDown));
        assert_eq!(e.cursor(), e.end());
        e.apply(mv(Move::ParagraphUp));
        assert_eq!(e.cursor().row, 5);
        e.apply(mv(Move::ParagraphUp));
        assert_eq!(e.cursor().row, 2);
        e.apply(mv(Move::ParagraphUp));
        assert_eq!(e.cursor().row, 0);
        let text: Vec<String> = (0..100).map(|i| i.to_string()).collect();
        let mut e = ed(&text.join("\n"));
        e.layout(10, 10);
        e.apply(mv(Move::PageDown));
        assert_eq!(e.cursor().row, 9);
        // The view turns with the cursor: the page shows what was below it.
        assert_eq!(e.layout(10, 10).rows[0].line, 9);
        e.apply(mv(Move::PageDown));
        assert_eq!(e.cursor().row, 18);
        assert_eq!(e.layout(10, 10).rows[0].line, 18);
        e.apply(mv(Move::PageUp));
        assert_eq!(e.cursor().row, 9);
        assert_eq!(e.layout(10, 10).rows[0].line, 9);
    }

    #[test]
    fn layout_scrolls_to_keep_the_cursor_in_view() {
        let text: Vec<String> = (0..50).map(|i| format!("line {i}")).collect();
        let mut e = ed(&text.join("\n"));
        let l = e.layout(20, 5);
        assert_eq!(l.rows.len(), 5);
        assert_eq!((l.rows[0].line, l.cursor), (0, (0, 0)));
        e.apply(mv(Move::Bottom));
        let l = e.layout(20, 5);
        assert_eq!(l.rows[0].line, 45);
        assert_eq!(l.cursor, (7, 4));
        // Moving up inside the view does not scroll; above it scrolls by one row.
        for _ in 0..4 {
            e.apply(mv(Move::Up));
        }
        assert_eq!(e.layout(20, 5).rows[0].line, 45);
        e.apply(mv(Move::Up));
        let l = e.layout(20, 5);
        assert_eq!((l.rows[0].line, l.cursor.1), (44, 0));
        // Deleting the lines below pulls the view down rather than leave it half empty.
        e.apply(sel(Move::Bottom));
        e.apply(Cmd::Backspace);
        let l = e.layout(20, 5);
        assert_eq!(l.rows.len(), 5);
        assert_eq!(l.rows[4].line, 44);
    }

    type Marks = (usize, usize, usize, Option<(usize, usize)>, bool);

    /// Each row of a layout as (line, start, end, selected bytes, line break selected).
    fn marks(l: &Layout) -> Vec<Marks> {
        l.rows
            .iter()
            .map(|r| (r.line, r.start, r.end, r.selected, r.break_selected))
            .collect()
    }

    #[test]
    fn layout_marks_wrapped_rows_and_the_selection() {
        let mut e = ed("abcd efgh\nxy");
        e.apply(mv(Move::Right));
        e.apply(sel(Move::Bottom));
        let l = e.layout(5, 10);
        assert_eq!(
            marks(&l),
            vec![
                (0, 0, 5, Some((1, 5)), false),
                (0, 5, 9, Some((5, 9)), true),
                (1, 0, 2, Some((0, 2)), false)
            ]
        );
        assert_eq!(l.cursor, (2, 2));
    }

    #[test]
    fn a_selected_line_break_is_marked_and_plain_moves_leave_a_selection_at_its_edge() {
        let mut e = ed("ab\n\ncd");
        e.apply(mv(Move::Down));
        e.apply(sel(Move::Down));
        assert_eq!(
            marks(&e.layout(10, 5)),
            vec![
                (0, 0, 2, None, false),
                (1, 0, 0, None, true),
                (2, 0, 2, None, false)
            ]
        );
        e.apply(mv(Move::Left));
        assert_eq!((e.cursor(), e.selection()), (Pos { row: 1, byte: 0 }, None));
        e.apply(sel(Move::LineEnd));
        e.apply(sel(Move::Up));
        e.apply(mv(Move::Right));
        assert_eq!(e.cursor(), Pos { row: 1, byte: 0 }, "the later edge");
    }

    #[test]
    fn a_move_ends_a_run_of_typing_for_undo() {
        let mut e = ed("");
        typed(&mut e, "abc");
        e.apply(mv(Move::LineStart));
        e.apply(mv(Move::LineEnd));
        typed(&mut e, "d");
        e.apply(Cmd::Undo);
        assert_eq!(e.text(), "abc");
        assert_eq!(e.cursor().byte, 3);
    }

    #[test]
    fn append_goes_to_the_end() {
        let mut e = ed("first");
        e.apply(mv(Move::Top));
        e.append("\n\nQ: why?\n");
        assert_eq!(e.text(), "first\n\nQ: why?\n");
        assert_eq!(e.cursor(), e.end());
    }

    #[derive(Debug, Clone)]
    enum Op {
        Cmd(Cmd),
        Paste(String),
        Layout(usize, usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        let moves = prop_oneof![
            Just(Move::Left),
            Just(Move::Right),
            Just(Move::Up),
            Just(Move::Down),
            Just(Move::LineStart),
            Just(Move::LineEnd),
            Just(Move::WordLeft),
            Just(Move::WordRight),
            Just(Move::ParagraphUp),
            Just(Move::ParagraphDown),
            Just(Move::Top),
            Just(Move::Bottom),
            Just(Move::PageUp),
            Just(Move::PageDown),
        ];
        prop_oneof![
            (moves, any::<bool>()).prop_map(|(to, select)| Op::Cmd(Cmd::Move { to, select })),
            prop::sample::select(vec!['a', ' ', '名', '🙂', '\u{301}', '\u{200d}', '\t', '-'])
                .prop_map(|c| Op::Cmd(Cmd::Insert(c))),
            prop::sample::select(vec![
                Cmd::Newline,
                Cmd::Backspace,
                Cmd::Delete,
                Cmd::DeleteWordBack,
                Cmd::DeleteWordForward,
                Cmd::KillLine,
                Cmd::Yank,
                Cmd::Copy,
                Cmd::Undo,
                Cmd::Redo,
            ])
            .prop_map(Op::Cmd),
            "[a-z 名\n]{0,12}".prop_map(Op::Paste),
            (1usize..12, 1usize..6).prop_map(|(w, h)| Op::Layout(w, h)),
        ]
    }

    proptest! {
        /// Any run of keys keeps the cursor on a character boundary inside the text, the
        /// layout within its view, and undoing everything gives back the original text.
        #[test]
        fn any_edits_keep_invariants_and_undo_all_the_way(
            start in "[a-z \n名]{0,30}",
            ops in prop::collection::vec(op(), 0..60),
        ) {
            let mut e = ed(&start);
            for op in &ops {
                match op {
                    Op::Cmd(c) => { e.apply(*c); }
                    Op::Paste(s) => { e.insert_str(s); }
                    Op::Layout(w, h) => {
                        let l = e.layout(*w, *h);
                        prop_assert!(l.rows.len() <= *h);
                        prop_assert!(l.cursor.1 < l.rows.len().max(1));
                        prop_assert!(l.cursor.0 < *w);
                        // The cursor is on the row it is drawn on, at its own column.
                        let r = l.rows[l.cursor.1];
                        let c = e.cursor();
                        prop_assert!(r.line == c.row && r.start <= c.byte && c.byte <= r.end);
                        // At the end of a row only when it is the last row of its line.
                        let last_start = row_starts(&e.lines[c.row], *w).last().copied();
                        prop_assert!(c.byte < r.end || last_start == Some(r.start));
                        let x = str_width(&e.lines[c.row][r.start..c.byte]).min(*w - 1);
                        prop_assert_eq!(x, l.cursor.0);
                        // Rows follow each other without gaps.
                        for pair in l.rows.windows(2) {
                            let (a, b) = (pair[0], pair[1]);
                            prop_assert!(
                                (b.line == a.line && b.start == a.end)
                                    || (b.line == a.line + 1 && b.start == 0 && a.end == e.lines[a.line].len())
                            );
                        }
                        for r in &l.rows {
                            let row = &e.lines[r.line][r.start..r.end];
                            // Only hanging spaces, or one cluster wider than the view, pass
                            // the edge.
                            // Text (the row less its hanging spaces) keeps off the last
                            // column, which is for a hanging space or the cursor.
                            let gs: Vec<&str> = row.graphemes(true).collect();
                            let text = &gs[..gs.iter().rposition(|g| !is_space(g)).map_or(0, |i| i + 1)];
                            let width: usize = text.iter().map(|g| grapheme_width(g)).sum();
                            prop_assert!(width < (*w).max(2) || text.len() == 1);
                        }
                    }
                }
                let c = e.cursor();
                prop_assert!(c.row < e.lines.len());
                prop_assert!(e.lines[c.row].is_char_boundary(c.byte));
            }
            while e.apply(Cmd::Undo) {}
            prop_assert_eq!(e.text(), start);
        }
    }
}
