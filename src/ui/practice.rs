use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::theme::Theme;
use crate::app::App;
use crate::app::keymap::Context;
use crate::app::practice::{Practice, SaveState};
use crate::domain::checks::Severity;
use crate::domain::clock::{Countdown, fmt_clock};
use crate::domain::outline::SectionDef;
use crate::domain::session::ClockState;

pub fn render(app: &App, p: &Practice, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let failed = matches!(p.save_state, SaveState::Failed { .. });
    let [header, crumbs, banner, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(u16::from(failed)),
        Constraint::Min(1),
    ])
    .areas(area);
    render_header(app, p, frame, header);
    render_crumbs(app, p, frame, crumbs);
    if let SaveState::Failed { message, .. } = &p.save_state {
        let first = message.lines().next().unwrap_or_default();
        frame.render_widget(
            Paragraph::new(format!(
                " Not saved: {first}. Your text is kept in memory; retrying every 5 s."
            ))
            .style(t.error),
            banner,
        );
    }
    let Some(def) = p.section_def() else {
        return;
    };
    let guide_width = (body.width * 38 / 100).clamp(28, 60);
    let [editors, guide] =
        Layout::horizontal([Constraint::Min(20), Constraint::Length(guide_width)]).areas(body);
    render_editors(app, p, def, frame, editors);
    render_guide(app, p, def, frame, guide);
    if p.session.clock_state() == ClockState::Paused {
        let r = super::centered(editors, 40, 5);
        frame.render_widget(Clear, r);
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled("Paused", t.warn),
                Line::raw("the clock is stopped"),
                Line::styled("Ctrl-T or F5 resumes", t.dim),
            ])
            .centered()
            .block(Block::bordered().border_style(t.border_focus)),
            r,
        );
    }
}

fn countdown_style(t: &Theme, c: Countdown) -> Style {
    match c {
        Countdown::Over(_) => t.over,
        Countdown::Left(d) if d.as_secs() <= 60 => t.warn,
        Countdown::Left(_) => t.accent,
    }
}

fn render_header(app: &App, p: &Practice, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let now = app.now;
    let s = &p.session;
    let steps: Vec<usize> = p
        .outline
        .writing_positions()
        .into_iter()
        .filter(|&i| !s.sections[i].skipped)
        .collect();
    let pos = steps
        .iter()
        .position(|&i| i == s.current)
        .map_or(0, |i| i + 1);
    let countdown = s.countdown(s.current, now);
    let paused = s.clock_state() == ClockState::Paused;
    let save = match &p.save_state {
        SaveState::Failed { .. } => Span::styled(" NOT SAVED ", t.error),
        SaveState::Saved(_) if p.is_dirty() => Span::styled(" editing ", t.dim),
        SaveState::Saved(_) => Span::styled(" saved ", t.ok),
    };
    let mut right = vec![
        Span::styled(if p.read_only { "READ-ONLY " } else { "" }, t.warn),
        Span::styled(if paused { "PAUSED " } else { "" }, t.warn),
    ];
    if s.timed() {
        right.extend([
            Span::styled("step ", t.dim),
            Span::styled(countdown.label(), countdown_style(t, countdown)),
            Span::styled("  total ", t.dim),
            Span::raw(format!(
                "{}/{}",
                fmt_clock(s.total_elapsed(now)),
                fmt_clock(s.total_planned())
            )),
        ]);
    } else {
        right.extend([
            Span::styled("time ", t.dim),
            Span::raw(fmt_clock(s.total_elapsed(now))),
        ]);
    }
    if p.outline.checks {
        let errors = p
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let warnings = p.findings.len() - errors;
        right.push(Span::styled("  checks ", t.dim));
        right.push(Span::styled(
            format!("{errors}E"),
            if errors > 0 { t.over } else { t.ok },
        ));
        right.push(Span::styled(
            format!(" {warnings}W"),
            if warnings > 0 { t.warn } else { t.ok },
        ));
    }
    right.extend([Span::raw(" "), save]);
    let right_width: usize = right.iter().map(Span::width).sum();
    let title = format!(
        " {} · {pos}/{} {}",
        s.title,
        steps.len(),
        p.outline.sections[s.current].title
    );
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(right_width as u16)])
            .areas(area);
    frame.render_widget(Paragraph::new(Span::styled(title, t.title)), left_area);
    frame.render_widget(Paragraph::new(Line::from(right)), right_area);
}

fn render_crumbs(app: &App, p: &Practice, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let s = &p.session;
    let crumbs = |short: bool| -> Vec<Span<'static>> {
        let mut spans = vec![Span::raw(" ")];
        let order = p.outline.writing_positions();
        let rank = |i: usize| order.iter().position(|&o| o == i).unwrap_or(i);
        for (n, &i) in order.iter().enumerate() {
            let def = &p.outline.sections[i];
            if n > 0 {
                spans.push(Span::styled(" › ", t.dim));
            }
            let state = &s.sections[i];
            let (mark, style) = if i == s.current {
                ("● ", t.accent)
            } else if state.skipped {
                ("⊘ ", t.dim)
            } else if state.spent_ms > 0 || rank(i) < rank(s.current) {
                ("✓ ", t.ok)
            } else {
                ("", t.text)
            };
            // Narrow terminals: only the current step keeps its name.
            let name = if short && i != s.current {
                (n + 1).to_string()
            } else {
                def.title.clone()
            };
            spans.push(Span::styled(format!("{mark}{name}"), style));
        }
        spans
    };
    let mut spans = crumbs(false);
    if spans.iter().map(Span::width).sum::<usize>() > usize::from(area.width) {
        spans = crumbs(true);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_editors(app: &App, p: &Practice, def: &SectionDef, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let Some(editors) = p.editors.get(p.current()) else {
        return;
    };
    let n = editors.len().max(1) as u32;
    let areas = Layout::vertical(vec![Constraint::Ratio(1, n); editors.len()]).split(area);
    for (i, ((field, ed), r)) in def.fields.iter().zip(editors).zip(areas.iter()).enumerate() {
        let focused = i == p.field && p.checklist.is_none();
        let lines = if ed.is_empty() { 0 } else { ed.lines().len() };
        let title = if editors.len() > 1 {
            format!(" {} ({}/{}) ", field.title, i + 1, editors.len())
        } else {
            format!(" {} ", field.title)
        };
        let block = Block::bordered()
            .border_style(if focused { t.border_focus } else { t.border })
            .title(Span::styled(title, if focused { t.title } else { t.dim }))
            .title_bottom(
                Line::styled(
                    match lines {
                        0 => " empty ".to_string(),
                        1 => " 1 line ".to_string(),
                        n => format!(" {n} lines "),
                    },
                    t.dim,
                )
                .right_aligned(),
            );
        let inner = block.inner(*r);
        frame.render_widget(block, *r);
        // The terminal cursor only while typing goes to this field (not under a pop-up).
        let cursor = focused && app.context() == Context::Editor;
        super::editor::render(ed, &field.placeholder, cursor, t, inner, frame);
    }
}

fn render_guide(app: &App, p: &Practice, def: &SectionDef, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = 0usize;
    lines.push(Line::styled(def.goal.clone(), t.dim));
    let s = &p.session;
    let used = fmt_clock(s.elapsed(s.current, app.now));
    lines.push(Line::styled(
        if s.timed() {
            format!("Budget {} · used {used}", fmt_clock(s.planned(s.current)))
        } else {
            format!("Time on this section {used}")
        },
        t.dim,
    ));
    let section = |lines: &mut Vec<Line>, title: &str| {
        lines.push(Line::raw(""));
        lines.push(Line::styled(title.to_string(), t.title));
    };
    if !def.example.is_empty() {
        section(&mut lines, "Example");
        lines.push(Line::styled(def.example.clone(), t.accent));
    }
    if p.outline.checks {
        let here: Vec<_> = p.findings.iter().filter(|f| f.section == def.id).collect();
        section(
            &mut lines,
            &format!(
                "Checks here {} · all {} (Ctrl-F)",
                here.len(),
                p.findings.len()
            ),
        );
        if here.is_empty() {
            lines.push(Line::styled("nothing to fix in this section", t.ok));
        }
        for f in here {
            let style = if f.severity == Severity::Error {
                t.over
            } else {
                t.warn
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", f.severity.label()), style),
                Span::raw(f.message.clone()),
            ]));
        }
    }
    let taken: Vec<_> = s.hints_in(&def.id).collect();
    if p.problem.is_some() {
        let available = p
            .problem
            .as_ref()
            .map_or(0, |pr| pr.hints_for(&def.id).len());
        section(
            &mut lines,
            &format!("Hints taken {}/{available} (Ctrl-G)", taken.len()),
        );
        for h in &taken {
            lines.push(Line::styled(
                format!("{}. {}", h.index + 1, h.text),
                t.accent,
            ));
        }
    }
    if def.fields.iter().any(|f| f.diagram) {
        let edges = &p.arrows;
        section(&mut lines, &format!("Arrows understood ({})", edges.len()));
        if edges.is_empty() {
            lines.push(Line::styled(
                "write lines like: Client -> API Gateway: HTTPS",
                t.dim,
            ));
        }
        for e in edges.iter().take(12) {
            let label = e
                .label
                .as_deref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            lines.push(Line::raw(format!("{} → {}{label}", e.from, e.to)));
        }
        if edges.len() > 12 {
            lines.push(Line::styled(
                format!("… and {} more", edges.len() - 12),
                t.dim,
            ));
        }
    }
    if !def.checklist.is_empty() {
        section(
            &mut lines,
            if p.checklist.is_some() {
                "Checklist (Space ticks · PgDn scrolls · Esc back)"
            } else {
                "Checklist (Ctrl-L)"
            },
        );
        let ticked = &s.sections[s.current].ticked;
        for (i, item) in def.checklist.iter().enumerate() {
            let mark = if ticked.contains(item) { "[x]" } else { "[ ]" };
            let is_sel = p.checklist == Some(i);
            if is_sel {
                selected_line = lines.len();
            }
            lines.push(Line::styled(
                format!("{mark} {item}"),
                if is_sel { t.selected } else { t.text },
            ));
        }
    }
    if !def.questions.is_empty() {
        section(&mut lines, "Ask");
        lines.extend(def.questions.iter().map(|q| Line::raw(format!("• {q}"))));
    }
    if !def.tips.is_empty() {
        section(&mut lines, "Tips");
        lines.extend(def.tips.iter().map(|x| Line::raw(format!("• {x}"))));
    }
    if !def.pitfalls.is_empty() {
        section(&mut lines, "Pitfalls");
        lines.extend(def.pitfalls.iter().map(|x| Line::raw(format!("• {x}"))));
    }
    let follow = selected_line.saturating_sub(usize::from(area.height.saturating_sub(4)) / 2);
    let scroll = if p.guide_scroll > 0 {
        p.guide_scroll
    } else {
        u16::try_from(follow).unwrap_or(u16::MAX)
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(
                Block::bordered()
                    .border_style(if p.checklist.is_some() {
                        t.border_focus
                    } else {
                        t.border
                    })
                    .title(Span::styled(format!(" {} ", def.title), t.title)),
            ),
        area,
    );
}
