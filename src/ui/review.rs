use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState};

use crate::app::App;
use crate::app::review::Review;
use crate::domain::clock::fmt_clock;
use crate::domain::problem::CATEGORIES;
use crate::domain::session::Status;
use crate::domain::summary::Mode;

fn clock(secs: u64) -> String {
    fmt_clock(Duration::from_secs(secs))
}

pub fn render(app: &App, r: &Review, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let damaged_rows = u16::try_from(r.damaged.len().min(3)).unwrap_or(3);
    let [top, filters, body, damaged] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(damaged_rows),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(" Saved sessions", t.title),
            Span::styled(format!("  {} of {}", r.visible.len(), r.all.len()), t.dim),
            Span::styled(
                format!(
                    "  sorted by {} {}",
                    r.sort.label(),
                    if r.descending { "↓" } else { "↑" }
                ),
                t.dim,
            ),
        ])),
        top,
    );
    let search = if r.searching {
        Span::styled(format!("{}▏", r.query), t.accent)
    } else if r.query.is_empty() {
        Span::styled("/ to search", t.dim)
    } else {
        Span::styled(r.query.clone(), t.accent)
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(" Search: ", t.dim),
            search,
            Span::styled("  mode m: ", t.dim),
            Span::raw(r.filter.mode.map_or("all", |m| m.label())),
            Span::styled("  status f: ", t.dim),
            Span::raw(r.filter.status.map_or("all", |s| s.label())),
            Span::styled("  category c: ", t.dim),
            Span::raw(r.category.map_or("all", |c| CATEGORIES[c].0)),
            Span::styled(
                if r.filter.problem.is_some() {
                    "  (one problem: a)"
                } else {
                    ""
                },
                t.warn,
            ),
        ])),
        filters,
    );
    let preview_width = (body.width * 36 / 100).clamp(26, 48);
    let [list_area, preview_area] =
        Layout::horizontal([Constraint::Min(40), Constraint::Length(preview_width)]).areas(body);
    // Only the rows on screen are built: the list may hold thousands.
    let height = usize::from(list_area.height.saturating_sub(3)).max(1);
    let offset = r.selected.saturating_sub(height.saturating_sub(1));
    let rows: Vec<Row> = r
        .visible
        .iter()
        .skip(offset)
        .take(height)
        .map(|&i| {
            let s = &r.all[i];
            Row::new(vec![
                s.created_at.strftime("%Y-%m-%d").to_string(),
                s.title.clone(),
                match s.mode() {
                    Mode::Interview => "intv".to_string(),
                    Mode::Spec => "spec".to_string(),
                },
                clock(s.spent_secs),
                match s.status {
                    Status::InProgress => "open".to_string(),
                    Status::Finished => "done".to_string(),
                },
                if s.overtime_secs > 0 {
                    format!("+{}", clock(s.overtime_secs))
                } else {
                    String::new()
                },
                s.score.map_or(String::new(), |v| format!("{v:.1}")),
            ])
        })
        .collect();
    let mut state =
        TableState::default().with_selected((!r.visible.is_empty()).then_some(r.selected - offset));
    let table = Table::new(
        rows,
        [
            Constraint::Length(10),
            Constraint::Min(10),
            Constraint::Length(4),
            Constraint::Length(5),
            Constraint::Length(4),
            Constraint::Length(6),
            Constraint::Length(5),
        ],
    )
    .header(Row::new(["date", "title", "mode", "time", "stat", "over", "score"]).style(t.dim))
    .row_highlight_style(t.selected)
    .block(Block::bordered().border_style(t.border_focus));
    frame.render_stateful_widget(table, list_area, &mut state);

    // Step lines: name, then " mm:ss nnnnnch" (14 columns).
    let name_w = usize::from(preview_area.width.saturating_sub(2))
        .saturating_sub(14)
        .max(6);
    let preview: Vec<Line> = match r.selected_summary() {
        Some(s) => {
            let outline = app.env.outline(&s.outline);
            let mut lines = vec![
                Line::styled(s.title.clone(), t.title),
                Line::styled(
                    format!(
                        "{} · {} · {}",
                        s.mode().label(),
                        s.status.label(),
                        s.created_at.strftime("%Y-%m-%d %H:%M")
                    ),
                    t.dim,
                ),
                Line::styled(
                    format!(
                        "{} used{} · {} hint(s){}",
                        clock(s.spent_secs),
                        if s.planned_secs > 0 {
                            format!(" of {}", clock(s.planned_secs))
                        } else {
                            String::new()
                        },
                        s.hints,
                        if s.retry_of.is_some() {
                            " · a retry"
                        } else {
                            ""
                        }
                    ),
                    t.dim,
                ),
                Line::raw(""),
            ];
            for st in &s.steps {
                let title = outline
                    .and_then(|o| o.sections.iter().find(|d| d.id == st.id))
                    .map_or(st.id.as_str(), |d| d.title.as_str());
                let over = st.planned_secs > 0 && st.spent_secs > st.planned_secs;
                lines.push(Line::from(vec![
                    Span::raw(format!("{title:<name_w$.name_w$}")),
                    Span::styled(
                        if st.skipped {
                            " skipped".to_string()
                        } else {
                            format!(" {:>5} {:>5}ch", clock(st.spent_secs), st.chars)
                        },
                        if over { t.warn } else { t.text },
                    ),
                ]));
            }
            if !s.excerpt.is_empty() {
                lines.push(Line::raw(""));
                lines.push(Line::styled(s.excerpt.clone(), t.dim));
            }
            lines
        }
        None if r.all.is_empty() => vec![Line::styled(
            "No sessions yet: p on Home starts a practice.",
            t.dim,
        )],
        None => vec![Line::styled(
            "Nothing matches. Esc clears the search.",
            t.dim,
        )],
    };
    super::render_preview(frame, preview_area, preview, t);
    let lines: Vec<Line> = r
        .damaged
        .iter()
        .take(3)
        .map(|d| {
            Line::styled(
                format!(
                    " damaged, left untouched: {}: {}",
                    d.path,
                    d.reason.lines().next().unwrap_or_default()
                ),
                t.warn,
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), damaged);
}
