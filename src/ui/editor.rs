//! Draws a field's editor: the rows its layout picks (only those on screen), the selection and
//! the cursor, or the placeholder while the field is empty.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::editor::{Editor, str_width};
use crate::ui::theme::Theme;

/// Draws `editor` in `area`. With `cursor`, the terminal's own cursor is put at the insertion
/// point (so input methods and screen readers follow it, and it stays distinct from a
/// selection in any theme).
pub fn render(
    editor: &Editor,
    placeholder: &str,
    cursor: bool,
    theme: &Theme,
    area: Rect,
    frame: &mut Frame,
) {
    if area.is_empty() {
        return;
    }
    // Laid out even when empty, so moves know the width rows wrap at.
    let layout = editor.layout(usize::from(area.width), usize::from(area.height));
    if editor.is_empty() {
        // The first column stays free for the cursor.
        let after_cursor = Rect {
            x: area.x + 1,
            width: area.width - 1,
            ..area
        };
        frame.render_widget(
            Paragraph::new(placeholder)
                .style(theme.dim)
                .wrap(Wrap { trim: false }),
            after_cursor,
        );
    }
    let buf = frame.buffer_mut();
    for (y, row) in (area.y..).zip(&layout.rows) {
        let line = &editor.lines()[row.line];
        let text = &line[row.start..row.end];
        let shown: Cow<str> = if text.contains('\t') {
            text.replace('\t', " ").into()
        } else {
            text.into()
        };
        buf.set_stringn(area.x, y, &shown, usize::from(area.width), theme.text);
        let selected = row
            .selected
            .map(|(lo, hi)| (col(&line[row.start..lo]), col(&line[row.start..hi])));
        // A selected line break shows as one cell after the text.
        let selected = match (selected, row.break_selected) {
            (Some((from, to)), true) => Some((from, to + 1)),
            (None, true) => {
                let end = col(text);
                Some((end, end + 1))
            }
            (other, false) => other,
        };
        if let Some((from, to)) = selected {
            let to = to.min(area.width);
            if from < to {
                buf.set_style(Rect::new(area.x + from, y, to - from, 1), theme.selected);
            }
        }
    }
    let (x, y) = layout.cursor;
    if cursor && x < usize::from(area.width) && y < usize::from(area.height) {
        frame.set_cursor_position(Position::new(area.x + to_u16(x), area.y + to_u16(y)));
    }
}

fn col(s: &str) -> u16 {
    to_u16(str_width(s))
}

fn to_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}
