use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};

use crate::app::App;
use crate::app::picker::Picker;
use crate::domain::problem::{CATEGORIES, category_title};

pub fn render(app: &App, picker: &Picker, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let bank = &app.env.bank;
    let [top, filters, rest] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(" Pick a problem", t.title),
            Span::styled(
                format!("  {} of {}", picker.visible.len(), bank.entries.len()),
                t.dim,
            ),
        ])),
        top,
    );
    let category = picker.category.map_or("all", |c| CATEGORIES[c].1);
    let difficulty = picker.difficulty.map_or("all", |d| d.label());
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(" Search: ", t.dim),
            Span::styled(format!("{}▏", picker.query), t.accent),
            Span::styled("  Category ←→: ", t.dim),
            Span::raw(category),
            Span::styled("  Difficulty Tab: ", t.dim),
            Span::raw(difficulty),
        ])),
        filters,
    );
    let [list_area, preview_area] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(rest);

    let items: Vec<ListItem> = picker
        .visible
        .iter()
        .map(|&i| {
            let p = &bank.entries[i].problem;
            ListItem::new(Line::from(vec![
                Span::raw(format!("{:<30}", p.title)),
                Span::styled(format!(" {:<6}", p.difficulty.label()), t.dim),
            ]))
        })
        .collect();
    let empty = items.is_empty();
    let list = List::new(items)
        .block(
            Block::bordered()
                .border_style(t.border_focus)
                .title(" Problems "),
        )
        .highlight_style(t.selected)
        .highlight_symbol("› ");
    let mut state = ListState::default().with_selected((!empty).then_some(picker.selected));
    frame.render_stateful_widget(list, list_area, &mut state);

    let preview = match picker.selected_entry() {
        Some(i) => {
            let e = &bank.entries[i];
            let p = &e.problem;
            let tags: Vec<&str> = p.tag_names().collect();
            let mut lines = vec![
                Line::styled(p.title.clone(), t.title),
                Line::styled(
                    format!(
                        "{} · {}",
                        category_title(p.category()),
                        p.difficulty.label()
                    ),
                    t.dim,
                ),
                Line::styled(format!("tags: {}", tags.join(", ")), t.dim),
                Line::styled(
                    if p.data_flow {
                        "Data Flow step: yes (a data-processing system)"
                    } else {
                        "Data Flow step: skipped (Ctrl-D brings it back)"
                    },
                    t.dim,
                ),
                Line::raw(""),
            ];
            lines.extend(p.prompt.trim().lines().map(|l| Line::raw(l.to_string())));
            if e.source != "built-in" {
                lines.push(Line::raw(""));
                lines.push(Line::styled(format!("from {}", e.source), t.dim));
            }
            lines
        }
        None => vec![Line::styled(
            "No problem matches. Esc clears the search.",
            t.dim,
        )],
    };
    super::render_preview(frame, preview_area, preview, t);
}
