use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use crate::app::keymap::{self, Context};
use crate::app::{App, Overlay};
use crate::domain::checks::Severity;
use crate::domain::problem::category_title;

pub fn render(app: &App, overlay: &Overlay, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let (title, lines, scroll, w): (String, Vec<Line>, u16, u16) = match overlay {
        Overlay::Help { scroll } => ("Keys".into(), help_lines(app), *scroll, 76),
        Overlay::Prompt { scroll } => {
            let mut lines = Vec::new();
            match app.practice().and_then(|p| p.problem.as_ref()) {
                Some(p) => {
                    lines.push(Line::styled(p.title.clone(), t.title));
                    lines.push(Line::styled(
                        format!(
                            "{} · {}",
                            category_title(p.category()),
                            p.difficulty.label()
                        ),
                        t.dim,
                    ));
                    lines.push(Line::raw(""));
                    lines.extend(p.prompt.trim().lines().map(|l| Line::raw(l.to_string())));
                    lines.push(Line::raw(""));
                    lines.push(Line::styled(
                        "Start with Requirements: ask before you assume. Ctrl-O shows this again.",
                        t.dim,
                    ));
                }
                None => lines.push(Line::raw("The problem of this session is not in the bank.")),
            }
            ("Problem".into(), lines, *scroll, 72)
        }
        Overlay::Hint => {
            let mut lines = Vec::new();
            if let Some(p) = app.practice() {
                let section = &p.session.sections[p.session.current].id;
                let total = p
                    .problem
                    .as_ref()
                    .map_or(0, |pr| pr.hints_for(section).len());
                let mut taken = 0;
                for h in p.session.hints_in(section) {
                    taken += 1;
                    lines.push(Line::styled(
                        format!("Hint {} of {total}", h.index + 1),
                        t.dim,
                    ));
                    lines.push(Line::raw(h.text.clone()));
                    lines.push(Line::raw(""));
                }
                lines.push(if taken < total {
                    Line::from(vec![
                        Span::styled("n", t.key),
                        Span::raw(format!(" reveals hint {} of {total} (recorded)", taken + 1)),
                    ])
                } else {
                    Line::styled("That was the last hint for this step.", t.dim)
                });
            }
            ("Hints taken (recorded)".into(), lines, 0, 64)
        }
        Overlay::Findings { selected } => {
            let mut lines = Vec::new();
            let findings = app
                .practice()
                .map(|p| p.findings.as_slice())
                .unwrap_or_default();
            if findings.is_empty() {
                lines.push(Line::styled("No findings: every check passes.", t.ok));
            }
            for (i, f) in findings.iter().enumerate() {
                let style = match f.severity {
                    Severity::Error => t.over,
                    Severity::Warning => t.warn,
                };
                let marker = if i == *selected { "› " } else { "  " };
                lines.push(Line::from(vec![
                    Span::styled(marker, t.accent),
                    Span::styled(format!("{:<8}", f.severity.label()), style),
                    Span::styled(format!("{} · ", f.section_title), t.dim),
                    Span::styled(
                        f.message.clone(),
                        if i == *selected { t.selected } else { t.text },
                    ),
                ]));
                if i == *selected {
                    lines.push(Line::styled(format!("    fix: {}", f.hint), t.dim));
                }
            }
            let scroll = u16::try_from(selected.saturating_sub(6)).unwrap_or(0);
            (
                "Spec checks (Enter jumps to the section)".into(),
                lines,
                scroll,
                90,
            )
        }
        Overlay::ExportChooser { id, selected } => {
            let mut lines = vec![
                Line::styled(format!("Export {id} with:"), t.dim),
                Line::raw(""),
            ];
            if let Ok(templates) = &app.env.templates {
                for (i, (name, origin)) in templates.names().iter().enumerate() {
                    let style = if i == *selected { t.selected } else { t.text };
                    lines.push(Line::styled(format!(" {name:<16} {origin}"), style));
                }
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "Enter exports to the data folder's exports/",
                t.dim,
            ));
            ("Export".into(), lines, 0, 64)
        }
        Overlay::ConfirmDelete { id } => (
            "Delete?".into(),
            vec![
                Line::raw(format!("Move {id} to the trash?")),
                Line::styled(
                    format!("sdcoach sessions restore {id} brings it back."),
                    t.dim,
                ),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("y", t.key),
                    Span::raw(" move to trash   "),
                    Span::styled("Esc", t.key),
                    Span::raw(" keep it"),
                ]),
            ],
            0,
            72,
        ),
        Overlay::ConfirmFinish => (
            "Finish?".into(),
            vec![
                Line::raw("Finish the interview and see the wrap-up?"),
                Line::raw("The clock stops; b on the wrap-up screen comes back."),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("y", t.key),
                    Span::raw(" finish   "),
                    Span::styled("Esc", t.key),
                    Span::raw(" keep going"),
                ]),
            ],
            0,
            58,
        ),
        Overlay::Notice { lines, scroll } => (
            "Start-up notice".into(),
            lines
                .iter()
                .map(|l| Line::styled(l.clone(), t.warn))
                .collect(),
            *scroll,
            90,
        ),
    };
    let scrollable = matches!(overlay, Overlay::Help { .. } | Overlay::Notice { .. });
    let inner_width = usize::from(w.min(area.width).saturating_sub(2)).max(1);
    let wrapped: usize = lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner_width))
        .sum();
    let wanted = u16::try_from(wrapped + 2).unwrap_or(u16::MAX);
    let r = super::centered(area, w, wanted.max(5));
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(
                Block::bordered()
                    .border_type(BorderType::Rounded)
                    .border_style(t.border_focus)
                    .title(Span::styled(format!(" {title} "), t.title))
                    .title_bottom(
                        Line::styled(
                            if scrollable {
                                " ↑↓ PgUp PgDn scroll · Esc closes "
                            } else {
                                " Esc closes "
                            },
                            t.dim,
                        )
                        .right_aligned(),
                    ),
            ),
        r,
    );
}

fn help_lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = Vec::new();
    for ctx in Context::ALL {
        lines.push(Line::styled(ctx.title(), t.title));
        for b in keymap::bindings(ctx) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<24}", keymap::keys_label(b)), t.key),
                Span::raw(b.label),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(
        "In the editor: arrows, Home/End, Ctrl-A/E line start/end, Alt-B/F words, Ctrl-U or Ctrl-Z undo, Ctrl-R redo, Ctrl-K cuts to the end of the line and Ctrl-Y pastes it back, Ctrl-W deletes a word. Typing while a pop-up is open closes it and types into the editor.",
        t.dim,
    ));
    lines
}
