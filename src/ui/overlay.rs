use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use crate::app::keymap::{self, Context};
use crate::app::{App, CALC_FIELDS, Overlay, calculator_input, library_matches};
use crate::domain::checks::Severity;
use crate::domain::problem::CurveballKind;
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
                        Span::styled("Ctrl-G", t.key),
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
        Overlay::Calculator { fields, focus } => {
            let mut lines = vec![Line::styled(
                "↑↓/Tab move · type to edit · Enter adds the lines to Capacity · Esc closes",
                t.dim,
            )];
            lines.push(Line::raw(""));
            for (i, ((label, _), value)) in CALC_FIELDS.iter().zip(fields).enumerate() {
                let style = if i == *focus { t.selected } else { t.text };
                lines.push(Line::from(vec![
                    Span::styled(format!(" {label:<26}"), t.dim),
                    Span::styled(
                        format!("{value}{}", if i == *focus { "▏" } else { "" }),
                        style,
                    ),
                ]));
            }
            lines.push(Line::raw(""));
            match calculator_input(fields) {
                Ok(input) => {
                    let out = crate::domain::calc::compute(&input);
                    for l in crate::domain::calc::lines(&input, &out) {
                        lines.push(Line::styled(l, t.accent));
                    }
                }
                Err(e) => lines.push(Line::styled(e, t.error)),
            }
            for id in ["latency-numbers", "powers-of-two"] {
                if let Some(card) = app.env.library.iter().find(|c| c.id == id) {
                    lines.push(Line::raw(""));
                    lines.push(Line::styled(card.title.clone(), t.title));
                    lines.extend(
                        card.defaults
                            .iter()
                            .map(|d| Line::styled(format!(" {d}"), t.dim)),
                    );
                }
            }
            ("Capacity calculator".into(), lines, 0, 100)
        }
        Overlay::Library {
            query,
            selected,
            open,
            scroll,
        } => {
            let mut lines = Vec::new();
            match open
                .as_ref()
                .and_then(|id| app.env.library.iter().find(|c| &c.id == id))
            {
                Some(card) => {
                    lines.push(Line::styled(card.title.clone(), t.title));
                    lines.push(Line::raw(card.summary.clone()));
                    for (name, items) in card.sections() {
                        lines.push(Line::raw(""));
                        lines.push(Line::styled(name, t.title));
                        lines.extend(items.iter().map(|i| Line::raw(format!("• {i}"))));
                    }
                    lines.push(Line::raw(""));
                    lines.push(Line::styled("Esc back to the list", t.dim));
                    (format!("Library · {}", card.id), lines, *scroll, 96)
                }
                None => {
                    lines.push(Line::from(vec![
                        Span::styled("Search: ", t.dim),
                        Span::styled(format!("{query}▏"), t.accent),
                    ]));
                    lines.push(Line::styled(
                        if query.is_empty() {
                            "Suggested for this step and problem first"
                        } else {
                            "Best matches first"
                        },
                        t.dim,
                    ));
                    lines.push(Line::raw(""));
                    let matches = library_matches(app, query);
                    let first = selected.saturating_sub(12);
                    for (i, c) in matches.iter().enumerate().skip(first).take(16) {
                        let style = if i == *selected { t.selected } else { t.text };
                        lines.push(Line::styled(format!(" {:<44} {}", c.title, c.id), style));
                    }
                    if matches.is_empty() {
                        lines.push(Line::styled("No card matches.", t.dim));
                    }
                    ("Reference library (Enter opens)".into(), lines, 0, 96)
                }
            }
        }
        Overlay::Curveball { index } => {
            let mut lines = Vec::new();
            if let Some(c) = app
                .practice()
                .and_then(|p| p.problem.as_ref())
                .and_then(|p| p.curveballs.get(*index))
            {
                let kind = match c.kind {
                    CurveballKind::RequirementChange => "The requirements change",
                    CurveballKind::Failure => "Something fails",
                    CurveballKind::Scale => "The scale changes",
                };
                lines.push(Line::styled(kind, t.warn));
                lines.push(Line::raw(""));
                lines.push(Line::raw(c.prompt.trim().to_string()));
                lines.push(Line::raw(""));
                lines.push(Line::styled(
                    "It was added to Deep Dives: answer under it. Your answer goes in the export.",
                    t.dim,
                ));
            }
            ("Curveball".into(), lines, 0, 72)
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
                choice(t, "move to trash", "keep it"),
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
                choice(t, "finish", "keep going"),
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
    let scrollable = matches!(
        overlay,
        Overlay::Help { .. } | Overlay::Notice { .. } | Overlay::Library { open: Some(_), .. }
    );
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
    // The key column fits the longest label, with a space after it.
    let all_keys = keymap::BINDINGS
        .iter()
        .map(|b| b.keys)
        .chain(keymap::EDITOR_KEYS.iter().map(|b| b.keys));
    let width = all_keys
        .map(|keys| keymap::keys_label(keys).chars().count())
        .max()
        .unwrap_or(0)
        + 1;
    let row = |keys: &[keymap::Key], label: &'static str| {
        Line::from(vec![
            Span::styled(format!("  {:<width$}", keymap::keys_label(keys)), t.key),
            Span::raw(label),
        ])
    };
    let mut lines = Vec::new();
    for ctx in Context::ALL {
        lines.push(Line::styled(ctx.title(), t.title));
        lines.extend(keymap::bindings(ctx).map(|b| row(b.keys, b.label)));
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("Editing text in a field", t.title));
    lines.extend(keymap::EDITOR_KEYS.iter().map(|b| row(b.keys, b.label)));
    lines.push(Line::styled(
        "Shift with the arrows, Home/End, PgUp/PgDn or Ctrl-arrows selects. Typing while the problem, hints, help or a notice is open closes it and types into the field.",
        t.dim,
    ));
    lines
}

/// The answer line of a yes/no pop-up: `y <yes>   Esc <no>`.
fn choice(t: &crate::ui::theme::Theme, yes: &str, no: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled("y", t.key),
        Span::raw(format!(" {yes}   ")),
        Span::styled("Esc", t.key),
        Span::raw(format!(" {no}")),
    ])
}
