use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

use crate::app::keymap::Action;
use crate::app::{App, home_items};
use crate::domain::clock::fmt_clock;
use crate::storage::sessions::Summary;

pub fn render(app: &App, selected: usize, resume: Option<&Summary>, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let env = &app.env;
    let resume_label = resume.map(|r| {
        let step = env
            .outline(&r.outline)
            .and_then(|o| o.sections.iter().find(|s| s.id == r.current_step))
            .map_or(r.current_step.as_str(), |s| s.title.as_str());
        format!(
            "Resume: {} ({}, {} used)",
            r.title,
            step,
            fmt_clock(std::time::Duration::from_secs(r.spent_secs))
        )
    });
    // The same list, in the same order, as `update` acts on.
    let items: Vec<(String, String)> = home_items(resume.is_some())
        .into_iter()
        .map(|a| match a {
            Action::NewPractice => ("p".into(), "Start a practice interview".into()),
            Action::NewSpec => ("s".into(), "Draft a spec (one-pager or full spec)".into()),
            Action::Review => ("v".into(), "Review saved sessions and progress".into()),
            Action::Resume => ("r".into(), resume_label.clone().unwrap_or_default()),
            _ => ("q".into(), "Quit".into()),
        })
        .collect();

    let mut lines = vec![
        Line::styled("sdcoach", t.title),
        Line::styled("system design practice, offline", t.dim),
        Line::raw(""),
    ];
    for (i, (key, label)) in items.iter().enumerate() {
        let style = if i == selected { t.selected } else { t.text };
        let marker = if i == selected { "›" } else { " " };
        lines.push(Line::from(vec![
            Span::styled(format!(" {marker} "), style),
            Span::styled(format!("{label:<52}"), style),
            Span::styled(
                format!(" {key} "),
                if i == selected { style } else { t.key },
            ),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            "{} problems · {}-minute interviews · F1 or ? for help",
            env.bank.entries.len(),
            env.config.total_minutes
        ),
        t.dim,
    ));
    lines.push(Line::styled(
        format!("sessions: {}", env.store.dir().display()),
        t.dim,
    ));
    if !env.warnings.is_empty() {
        lines.push(Line::styled(
            format!("{} start-up warning(s): see the notice", env.warnings.len()),
            t.warn,
        ));
    }
    let height = lines.len() as u16 + 2;
    let box_area = super::centered(area, 64, height);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(t.border);
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let [inner] = Layout::horizontal([Constraint::Min(1)])
        .horizontal_margin(1)
        .areas(inner);
    frame.render_widget(Paragraph::new(lines), inner);
}
