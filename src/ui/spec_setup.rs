use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use crate::app::App;

pub fn render(app: &App, chosen: usize, title: &str, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let outlines = app.env.spec_outlines();
    let mut lines = vec![
        Line::styled("Draft a spec", t.title),
        Line::raw(""),
        Line::from(vec![
            Span::styled("Title: ", t.dim),
            Span::styled(format!("{title}▏"), t.accent),
        ]),
        Line::raw(""),
        Line::styled("Template (Tab switches):", t.dim),
    ];
    for (i, o) in outlines.iter().enumerate() {
        let selected = i == chosen;
        lines.push(Line::from(vec![
            Span::styled(if selected { " › " } else { "   " }, t.accent),
            Span::styled(
                format!("{} ({} sections)", o.title, o.sections.len()),
                if selected { t.selected } else { t.text },
            ),
        ]));
        if selected && !o.description.is_empty() {
            lines.push(Line::styled(format!("   {}", o.description), t.dim));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Untimed; sdcoach spec --minutes 30 sets a time box. Sections come in writing order \
         (problem first, summary last); the export keeps reading order.",
        t.dim,
    ));
    let r = super::centered(area, 72, u16::try_from(lines.len() + 4).unwrap_or(u16::MAX));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .border_type(BorderType::Rounded)
                .border_style(t.border_focus),
        ),
        r,
    );
}
