use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::app::App;
use crate::app::practice::Practice;
use crate::domain::checks::Severity;
use crate::domain::clock::{Countdown, fmt_clock};

pub fn render(app: &App, p: &Practice, frame: &mut Frame, area: Rect) {
    if p.outline.checks {
        render_spec(app, p, frame, area);
        return;
    }
    let t = &app.theme;
    let s = &p.session;
    let now = app.now;
    let [header, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(format!(" Wrap-up · {}", s.title), t.title),
                Span::styled(format!("  {}", s.status.label()), t.ok),
            ]),
            Line::styled(
                format!(
                    " {} used of {} planned · paused {} · {} hint(s) taken",
                    fmt_clock(s.total_elapsed(now)),
                    fmt_clock(s.total_planned()),
                    fmt_clock(s.paused_total(now)),
                    s.hints.len()
                ),
                t.dim,
            ),
        ]),
        header,
    );
    let [timing, hints] =
        Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(body);

    let scale = (0..s.sections.len())
        .map(|i| s.planned(i).max(s.elapsed(i, now)))
        .max()
        .unwrap_or(Duration::ZERO)
        .as_secs()
        .max(1);
    // step, plan, used, delta and gaps take 44 columns; the bar gets the rest.
    let bar_width = usize::from(timing.width)
        .saturating_sub(2 + 44 + 1)
        .clamp(6, 40);
    let cells = |d: Duration| ((d.as_secs() * bar_width as u64).div_ceil(scale)) as usize;
    let mut lines = vec![Line::styled(
        format!(
            "{:<18}{:>7}{:>8}{:>9}  used (┃ = plan)",
            "step", "plan", "used", "delta"
        ),
        t.dim,
    )];
    for (i, def) in p.outline.sections.iter().enumerate() {
        let state = &s.sections[i];
        if state.skipped {
            lines.push(Line::styled(
                format!("{:<18}{:>7}{:>8}", def.title, "-", "skipped"),
                t.dim,
            ));
            continue;
        }
        let planned = s.planned(i);
        let used = s.elapsed(i, now);
        let c = Countdown::new(planned, used);
        let delta = match c {
            Countdown::Over(d) => format!("+{}", fmt_clock(d)),
            Countdown::Left(d) if d.is_zero() => fmt_clock(d),
            Countdown::Left(d) => format!("-{}", fmt_clock(d)),
        };
        let mut bar: Vec<char> = std::iter::repeat_n('█', cells(used))
            .chain(std::iter::repeat_n(' ', bar_width + 1))
            .take(bar_width + 1)
            .collect();
        let mark = cells(planned).min(bar_width);
        bar[mark] = '┃';
        let bar: String = bar.into_iter().collect();
        lines.push(Line::from(vec![
            Span::raw(format!("{:<18}", def.title)),
            Span::raw(format!("{:>7}", fmt_clock(planned))),
            Span::raw(format!("{:>8}", fmt_clock(used))),
            Span::styled(
                format!("{delta:>9}"),
                if c.is_over() { t.over } else { t.ok },
            ),
            Span::raw("  "),
            Span::styled(bar, if c.is_over() { t.warn } else { t.accent }),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_style(t.border)
                .title(" Time per step "),
        ),
        timing,
    );

    let mut hint_lines: Vec<Line> = Vec::new();
    if s.hints.is_empty() {
        hint_lines.push(Line::styled("No hints taken.", t.dim));
    }
    for h in &s.hints {
        let step = app
            .env
            .framework
            .sections
            .iter()
            .find(|d| d.id == h.section)
            .map_or(h.section.as_str(), |d| d.title.as_str());
        hint_lines.push(Line::styled(
            format!(
                "{step} #{} at {}",
                h.index + 1,
                fmt_clock(Duration::from_secs(h.at_secs))
            ),
            t.dim,
        ));
        hint_lines.push(Line::raw(h.text.clone()));
    }
    hint_lines.push(Line::raw(""));
    hint_lines.push(Line::styled(
        "e exports Markdown to the data folder's exports/",
        t.dim,
    ));
    frame.render_widget(
        Paragraph::new(hint_lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .border_style(t.border)
                .title(" Hints taken "),
        ),
        hints,
    );
}

/// The wrap-up of a spec: what is written, what the checks say, and the document checklists.
fn render_spec(app: &App, p: &Practice, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let s = &p.session;
    let written = s
        .sections
        .iter()
        .filter(|x| x.fields.iter().any(|f| !f.text.trim().is_empty()))
        .count();
    let errors = p
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let [header, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(format!(" Review · {}", s.title), t.title),
                Span::styled(format!("  {} · {}", p.outline.title, s.status.label()), t.dim),
            ]),
            Line::styled(
                format!(
                    " {written} of {} sections written · {errors} error(s), {} warning(s) · {} spent",
                    s.sections.len(),
                    p.findings.len() - errors,
                    fmt_clock(s.total_elapsed(app.now)),
                ),
                t.dim,
            ),
        ]),
        header,
    );
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
    let mut found: Vec<Line> = Vec::new();
    if p.findings.is_empty() {
        found.push(Line::styled("Every check passes.", t.ok));
    }
    for f in &p.findings {
        let style = if f.severity == Severity::Error {
            t.over
        } else {
            t.warn
        };
        found.push(Line::from(vec![
            Span::styled(format!("{:<8}", f.severity.label()), style),
            Span::styled(format!("{}: ", f.section_title), t.dim),
            Span::raw(f.message.clone()),
        ]));
    }
    frame.render_widget(
        Paragraph::new(found).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .border_style(t.border)
                .title(" Spec checks "),
        ),
        left,
    );
    let mut lines: Vec<Line> = Vec::new();
    let mut index = 0;
    let mut selected_line = 0;
    for list in &p.outline.checklists {
        lines.push(Line::styled(list.title.clone(), t.title));
        for item in &list.items {
            let ticked = s.checklists.get(&list.id).is_some_and(|v| v.contains(item));
            let selected = index == p.review_item;
            if selected {
                selected_line = lines.len();
            }
            lines.push(Line::styled(
                format!("{} {item}", if ticked { "[x]" } else { "[ ]" }),
                if selected { t.selected } else { t.text },
            ));
            index += 1;
        }
        lines.push(Line::raw(""));
    }
    let scroll = selected_line.saturating_sub(usize::from(right.height.saturating_sub(4)) / 2);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((u16::try_from(scroll).unwrap_or(0), 0))
            .block(
                Block::bordered()
                    .border_style(t.border_focus)
                    .title(" Checklists (↑↓ Space) · e exports "),
            ),
        right,
    );
}
