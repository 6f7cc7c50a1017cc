use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::app::App;
use crate::app::practice::{Practice, WRAP_PAGES};
use crate::domain::checks::Severity;
use crate::domain::clock::{Countdown, fmt_clock};
use crate::domain::coaching::Coaching;
use crate::domain::coverage::{Evidence, Verdict};
use crate::domain::problem::Problem;
use crate::ui::theme::Theme;

pub fn render(app: &App, p: &Practice, frame: &mut Frame, area: Rect) {
    if p.outline.checks {
        render_spec(app, p, frame, area);
        return;
    }
    let t = &app.theme;
    let [tabs, page] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let mut spans = vec![Span::styled(" ", t.dim)];
    for (i, name) in WRAP_PAGES.iter().enumerate() {
        let style = if i == p.wrap_page { t.selected } else { t.dim };
        spans.push(Span::styled(format!(" {} {name} ", i + 1), style));
    }
    if p.session.strict {
        spans.push(Span::styled("  STRICT", t.warn));
    }
    spans.push(Span::styled("  Tab/←→ pages · PgUp/PgDn scroll", t.dim));
    frame.render_widget(Paragraph::new(Line::from(spans)), tabs);
    match (WRAP_PAGES[p.wrap_page], &p.coaching, &p.problem) {
        ("Time", _, _) => render_time(app, p, frame, page),
        ("Reference", _, Some(problem)) => render_reference(app, p, problem, frame, page),
        ("Coverage", Some(c), _) => render_coverage(app, p, c, frame, page),
        ("Traceability", Some(c), _) => render_traceability(app, p, c, frame, page),
        ("Self-score", Some(c), Some(problem)) => render_scores(app, p, c, problem, frame, page),
        _ => frame.render_widget(
            Paragraph::new(
                "The problem of this session is not in the bank: only the time page is available.",
            )
            .style(t.dim),
            page,
        ),
    }
}

fn render_time(app: &App, p: &Practice, frame: &mut Frame, area: Rect) {
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

fn scrolled(app: &App, p: &Practice, lines: Vec<Line<'static>>, title: &str) -> Paragraph<'static> {
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((p.wrap_scroll, 0))
        .block(
            Block::bordered()
                .border_style(app.theme.border)
                .title(format!(" {title} ")),
        )
}

/// The reference lines for a framework step, from the problem's reference outline.
fn reference_for<'a>(problem: &'a Problem, step: &str) -> Vec<(&'static str, Vec<String>)> {
    let r = &problem.reference;
    let plain = |v: &'a [String]| v.to_vec();
    match step {
        "requirements" => vec![
            ("Functional", plain(&r.functional)),
            ("Out of scope", plain(&r.out_of_scope)),
            ("Non-functional", plain(&r.non_functional)),
            ("Capacity", plain(&r.capacity)),
        ],
        "entities" => vec![("Entities", plain(&r.entities))],
        "api" => vec![("API", plain(&r.api))],
        "data_flow" => vec![("Data flow", plain(&r.data_flow))],
        "hld" => vec![
            (
                "Design",
                r.hld.iter().map(|l| l.get_ref().clone()).collect(),
            ),
            ("Data model", plain(&r.data_model)),
        ],
        "deep_dives" => vec![(
            "Follow-ups to expect",
            problem
                .follow_ups
                .iter()
                .map(|f| f.question.clone())
                .collect(),
        )],
        _ => Vec::new(),
    }
}

fn render_reference(app: &App, p: &Practice, problem: &Problem, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let [mine, theirs] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area);
    let mut left = Vec::new();
    let mut right = Vec::new();
    for def in &p.outline.sections {
        let Some(state) = p.session.section(&def.id) else {
            continue;
        };
        if state.skipped {
            continue;
        }
        for side in [&mut left, &mut right] {
            side.push(Line::styled(def.title.clone(), t.title));
        }
        let text: Vec<&str> = state
            .fields
            .iter()
            .flat_map(|f| f.text.lines())
            .filter(|l| !l.trim().is_empty())
            .collect();
        if text.is_empty() {
            left.push(Line::styled("(nothing written)", t.dim));
        }
        left.extend(text.iter().map(|l| Line::raw(l.to_string())));
        for (name, lines) in reference_for(problem, &def.id) {
            right.push(Line::styled(name, t.dim));
            right.extend(
                lines
                    .into_iter()
                    .map(|l| Line::styled(format!("• {l}"), t.accent)),
            );
        }
        // Keep the steps side by side.
        let (short, long) = if left.len() < right.len() {
            (&mut left, right.len())
        } else {
            (&mut right, left.len())
        };
        short.resize(long, Line::raw(""));
        left.push(Line::raw(""));
        right.push(Line::raw(""));
    }
    frame.render_widget(scrolled(app, p, left, "What you wrote"), mine);
    frame.render_widget(
        scrolled(app, p, right, "Reference outline (revealed now)"),
        theirs,
    );
}

fn asked_lines(
    t: &Theme,
    title: &str,
    asked: &[crate::domain::coaching::Asked],
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(format!("{title} ({})", asked.len()), t.title)];
    for a in asked {
        lines.push(Line::styled(format!("{}: {}", a.kind, a.question), t.warn));
        lines.push(if a.answer.is_empty() {
            Line::styled("  (no answer written under it)", t.over)
        } else {
            Line::raw(format!("  {}", a.answer.replace('\n', " ")))
        });
        lines.push(Line::styled(
            format!("  strong answers: {}", a.expected.join("; ")),
            t.dim,
        ));
    }
    lines
}

fn render_coverage(app: &App, p: &Practice, c: &Coaching, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let [points, asked] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area);
    let mut lines = vec![Line::styled(
        format!(
            "{} of {} key points stated",
            c.coverage.covered.len(),
            c.coverage.points.len()
        ),
        t.title,
    )];
    for point in &c.coverage.points {
        let (mark, style) = match point.verdict {
            Verdict::Covered => ("✓", t.ok),
            Verdict::Named => ("~", t.warn),
            Verdict::Missed => ("✗", t.over),
        };
        let head = match &point.why {
            Some(why) => format!("{mark} {} — {why}", point.name),
            None => format!("{mark} {}", point.name),
        };
        lines.push(Line::styled(head, style));
        if let Some(e) = &point.evidence {
            lines.push(evidence_line(t, "  ", e));
        }
    }
    frame.render_widget(scrolled(app, p, lines, "Key-point coverage"), points);
    let mut lines = asked_lines(t, "Follow-ups", &c.follow_ups);
    lines.push(Line::raw(""));
    lines.extend(asked_lines(t, "Curveballs", &c.curveballs));
    frame.render_widget(scrolled(app, p, lines, "Interviewer questions"), asked);
}

/// `Field, line N: the sentence` with the words that matched picked out.
fn evidence_line(t: &Theme, indent: &str, e: &Evidence) -> Line<'static> {
    let mut spans = vec![Span::styled(format!("{indent}{}: ", e.place()), t.dim)];
    spans.extend(e.segments().into_iter().map(|(s, marked)| {
        if marked {
            Span::styled(s, t.accent.add_modifier(Modifier::BOLD))
        } else {
            Span::styled(s, t.dim)
        }
    }));
    Line::from(spans)
}

fn render_traceability(app: &App, p: &Practice, c: &Coaching, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mark = |e: &Option<_>| if Option::is_some(e) { "✓" } else { "✗" };
    let mut lines = vec![Line::styled(
        "Each functional requirement should reach an endpoint, an entity and a component:",
        t.dim,
    )];
    lines.push(Line::styled(
        format!("{:<8}{:<8}{:<8}requirement", "API", "entity", "HLD"),
        t.dim,
    ));
    for tr in &c.traces {
        lines.push(Line::styled(
            format!(
                "{:<8}{:<8}{:<8}{}",
                mark(&tr.endpoint),
                mark(&tr.entity),
                mark(&tr.component),
                tr.requirement
            ),
            if tr.complete() { t.ok } else { t.warn },
        ));
        for (what, e) in [
            ("endpoint", &tr.endpoint),
            ("entity", &tr.entity),
            ("component", &tr.component),
        ] {
            if let Some(e) = e {
                lines.push(evidence_line(t, &format!("    {what} · "), e));
            }
        }
    }
    if c.traces.is_empty() {
        lines.push(Line::styled(
            "No functional requirements were written.",
            t.over,
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Non-functional requirements without a number and unit",
        t.title,
    ));
    if c.unmeasured_nfrs.is_empty() {
        lines.push(Line::styled("none: every NFR is measurable", t.ok));
    }
    lines.extend(
        c.unmeasured_nfrs
            .iter()
            .map(|n| Line::styled(format!("✗ {n}"), t.warn)),
    );
    frame.render_widget(scrolled(app, p, lines, "Traceability"), area);
}

fn render_scores(
    app: &App,
    p: &Practice,
    c: &Coaching,
    problem: &Problem,
    frame: &mut Frame,
    area: Rect,
) {
    let t = &app.theme;
    let [steps, rubric] =
        Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(area);
    let mut lines = vec![
        Line::styled("↑↓ choose a step · 0-3 scores it", t.dim),
        Line::raw(""),
    ];
    for (i, s) in p.session.sections.iter().enumerate() {
        let Some(score) = c.scores.iter().find(|x| x.step == s.id) else {
            continue;
        };
        let style = if i == p.score_step {
            t.selected
        } else {
            t.text
        };
        let shown = score.score.map_or("-".to_string(), |n| format!("{n}/3"));
        lines.push(Line::styled(
            format!("{:<22}{shown:>4}", score.title),
            style,
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        c.average_score().map_or("not scored yet".to_string(), |a| {
            format!("average {a:.1} of 3")
        }),
        t.accent,
    ));
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_style(t.border_focus)
                .title(" Self-score "),
        ),
        steps,
    );
    let mut lines = vec![Line::styled(
        "0 missing · 1 mid-level · 2 senior · 3 staff, against these lines:",
        t.dim,
    )];
    for (level, items) in [
        ("Mid", &problem.rubric.mid),
        ("Senior", &problem.rubric.senior),
        ("Staff", &problem.rubric.staff),
    ] {
        lines.push(Line::raw(""));
        lines.push(Line::styled(level, t.title));
        lines.extend(items.iter().map(|l| Line::raw(format!("• {l}"))));
    }
    frame.render_widget(scrolled(app, p, lines, "Rubric for this problem"), rubric);
}
