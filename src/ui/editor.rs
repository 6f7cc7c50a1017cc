//! Draws a field's editor: the rows its layout picks (only those on screen), the selection and
//! the cursor, or the placeholder while the field is empty.

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::editor::{Editor, str_width};
use crate::ui::theme::Theme;

pub fn render(
    editor: &Editor,
    placeholder: &str,
    focused: bool,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    if area.is_empty() {
        return;
    }
    // Laid out even when empty, so moves know the width rows wrap at.
    let layout = editor.layout(usize::from(area.width), usize::from(area.height));
    let cursor = Style::default().add_modifier(Modifier::REVERSED);
    if editor.is_empty() {
        let after_cursor = Rect {
            x: area.x + 1,
            width: area.width - 1,
            ..area
        };
        Paragraph::new(placeholder)
            .style(theme.dim)
            .wrap(Wrap { trim: false })
            .render(after_cursor, buf);
        if focused {
            buf[(area.x, area.y)].set_style(cursor);
        }
        return;
    }
    for (y, row) in (area.y..).zip(&layout.rows) {
        let line = &editor.lines()[row.line];
        let text = &line[row.start..row.end];
        let shown: Cow<str> = if text.contains('\t') {
            text.replace('\t', " ").into()
        } else {
            text.into()
        };
        buf.set_stringn(area.x, y, &shown, usize::from(area.width), theme.text);
        if let Some((lo, hi)) = row.selected {
            let from = col(&line[row.start..lo]);
            let to = col(&line[row.start..hi]).min(area.width);
            if from < to {
                buf.set_style(Rect::new(area.x + from, y, to - from, 1), theme.selected);
            }
        }
    }
    let (x, y) = layout.cursor;
    if focused && x < usize::from(area.width) && y < usize::from(area.height) {
        buf[(area.x + col_u16(x), area.y + col_u16(y))].set_style(cursor);
    }
}

fn col(s: &str) -> u16 {
    col_u16(str_width(s))
}

fn col_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}
