use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::app::App;
use crate::domain::clock::fmt_clock;
use crate::domain::stats::{CompareRow, Stats};
use crate::domain::summary::Summary;

const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A sparkline of values scaled to their maximum.
fn sparkline(values: impl Iterator<Item = f64> + Clone) -> String {
    let max = values.clone().fold(0.0_f64, f64::max);
    values
        .map(|v| {
            if max <= 0.0 {
                SPARKS[0]
            } else {
                let i = ((v / max) * (SPARKS.len() - 1) as f64).round() as usize;
                SPARKS[i.min(SPARKS.len() - 1)]
            }
        })
        .collect()
}

fn signed(secs: i64) -> String {
    let sign = if secs >= 0 { "+" } else { "-" };
    format!(
        "{sign}{}",
        fmt_clock(Duration::from_secs(secs.unsigned_abs()))
    )
}

pub fn render_progress(app: &App, st: &Stats, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let [header, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(" Progress", t.title),
            Line::styled(
                format!(
                    " {} sessions · {} interviews · weekly streak {} · last practised {}",
                    st.sessions,
                    st.interviews,
                    st.weekly_streak,
                    st.last_practised
                        .map_or("never".to_string(), |d| d.strftime("%Y-%m-%d").to_string())
                ),
                t.dim,
            ),
        ]),
        header,
    );
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(body);
    let worst = st
        .steps
        .iter()
        .map(|s| s.average_delta_secs.unsigned_abs())
        .max()
        .unwrap_or(1)
        .max(1);
    let bar_width = usize::from(left.width)
        .saturating_sub(2 + 18 + 8 + 16)
        .clamp(4, 24);
    let mut lines = vec![Line::styled(
        format!(
            "{:<18}{:>8}  {:<width$} trend",
            "step",
            "avg",
            "over budget",
            width = bar_width
        ),
        t.dim,
    )];
    for s in &st.steps {
        let cells =
            (s.average_delta_secs.unsigned_abs() as usize * bar_width).div_ceil(worst as usize);
        let over = s.average_delta_secs > 0;
        let bar: String = if over {
            "█".repeat(cells.min(bar_width))
        } else {
            String::new()
        };
        lines.push(Line::from(vec![
            Span::raw(format!("{:<18.18}", s.title)),
            Span::styled(
                format!("{:>8}", signed(s.average_delta_secs)),
                if over { t.over } else { t.ok },
            ),
            Span::raw("  "),
            Span::styled(format!("{bar:<bar_width$}"), t.warn),
            Span::raw(" "),
            Span::styled(sparkline(s.trend.iter().copied()), t.accent),
        ]));
    }
    if let Some(id) = &st.most_overrun {
        let title = st
            .steps
            .iter()
            .find(|s| &s.id == id)
            .map_or(id.as_str(), |s| s.title.as_str());
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("You run over most in {title}."),
            t.warn,
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("hints per interview ", t.dim),
        Span::styled(
            sparkline(st.hints_trend.iter().map(|h| *h as f64)),
            t.accent,
        ),
    ]));
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_style(t.border)
                .title(" Time per step: average against budget "),
        ),
        left,
    );
    let mut lines = vec![Line::styled("Attempts per category", t.title)];
    for (cat, n) in &st.per_category {
        lines.push(Line::raw(format!("{n:>4}  {cat}")));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Most attempted", t.title));
    for p in st.per_problem.iter().take(5) {
        lines.push(Line::raw(format!("{:>4}  {}", p.attempts, p.title)));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("Not attempted yet ({})", st.not_attempted.len()),
        t.title,
    ));
    for title in &st.not_attempted {
        lines.push(Line::styled(format!("      {title}"), t.dim));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().border_style(t.border)),
        right,
    );
}

pub fn render_compare(
    app: &App,
    (a, b, rows): &(Summary, Summary, Vec<CompareRow>),
    frame: &mut Frame,
    area: Rect,
) {
    let t = &app.theme;
    let day = |s: &Summary| s.created_at.strftime("%Y-%m-%d").to_string();
    let mut lines = vec![
        Line::styled(format!(" {}: two attempts", b.title), t.title),
        Line::raw(""),
        Line::styled(
            format!(
                " {:<20} {:>10} {:>10} {:>9}  {:>8} {:>8}",
                "step",
                day(a),
                day(b),
                "change",
                "chars",
                "chars"
            ),
            t.dim,
        ),
    ];
    for row in rows {
        let delta = row.spent[1] as i64 - row.spent[0] as i64;
        lines.push(Line::from(vec![
            Span::raw(format!(" {:<20.20}", row.step)),
            Span::raw(format!(
                " {:>10}",
                fmt_clock(Duration::from_secs(row.spent[0]))
            )),
            Span::raw(format!(
                " {:>10}",
                fmt_clock(Duration::from_secs(row.spent[1]))
            )),
            Span::styled(
                format!(" {:>9}", signed(delta)),
                if delta > 0 { t.warn } else { t.ok },
            ),
            Span::raw(format!("  {:>8} {:>8}", row.chars[0], row.chars[1])),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            " total {} → {} · hints {} → {}",
            fmt_clock(Duration::from_secs(a.spent_secs)),
            fmt_clock(Duration::from_secs(b.spent_secs)),
            a.hints,
            b.hints
        ),
        t.dim,
    ));
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().border_style(t.border)),
        area,
    );
}
