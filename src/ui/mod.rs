//! Drawing: `render(&App, &mut Frame)` and one module per screen. Nothing here changes state.

mod editor;
mod home;
mod overlay;
mod picker;
mod practice;
mod progress;
mod review;
mod spec_setup;
pub mod theme;
mod wrapup;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::app::keymap::{self, Context};
use crate::app::{App, Level, Screen};
use theme::Theme;

/// Below this size the app shows a notice instead of a squeezed screen.
pub const MIN_WIDTH: u16 = 64;
pub const MIN_HEIGHT: u16 = 18;

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, frame, area);
        return;
    }
    let [body, footer_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    match &app.screen {
        Screen::Home { selected, resume } => {
            home::render(app, *selected, resume.as_deref(), frame, body)
        }
        Screen::Picker(p) => picker::render(app, p, frame, body),
        Screen::SpecSetup { outline, title } => {
            spec_setup::render(app, *outline, title, frame, body)
        }
        Screen::Practice(p) => practice::render(app, p, frame, body),
        Screen::WrapUp(p) => wrapup::render(app, p, frame, body),
        Screen::Review(r) => review::render(app, r, frame, body),
        Screen::Progress(st) => progress::render_progress(app, st, frame, body),
        Screen::Compare(c) => progress::render_compare(app, c, frame, body),
    }
    footer(app, frame, footer_area);
    if let Some(o) = &app.overlay {
        overlay::render(app, o, frame, body);
    }
}

fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let lines = vec![
        Line::styled("Terminal too small", t.warn),
        Line::raw(format!("need {MIN_WIDTH}×{MIN_HEIGHT}")),
        Line::raw(format!("have {}×{}", area.width, area.height)),
        Line::styled("Your work is safe.", t.dim),
    ];
    let [mid] = Layout::vertical([Constraint::Length(4)])
        .flex(Flex::Center)
        .areas(area);
    frame.render_widget(Paragraph::new(lines).centered(), mid);
}

/// The bottom line: the last message, or the keys that matter on this screen.
fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let line = match &app.message {
        Some((text, Level::Error)) => Line::styled(format!(" {text}"), t.error),
        Some((text, Level::Info)) => Line::styled(format!(" {text}"), t.accent),
        None => key_hints(t, app.context(), area.width),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The footer's key hints: as many as fit whole, and always the way to help.
pub(crate) fn key_hints(t: &Theme, context: Context, width: u16) -> Line<'static> {
    let items: Vec<(String, &str, bool)> = keymap::bindings(context)
        .filter(|b| b.footer)
        .map(|b| (b.keys[0].label(), b.label, b.action == keymap::Action::Help))
        .collect();
    let cost = |(k, l, _): &(String, &str, bool)| k.chars().count() + l.chars().count() + 4;
    let reserve: usize = items.iter().filter(|i| i.2).map(cost).sum();
    let mut budget = usize::from(width).saturating_sub(1 + reserve);
    let mut spans = vec![Span::raw(" ")];
    for item in items
        .iter()
        .filter(|i| !i.2)
        .chain(items.iter().filter(|i| i.2))
    {
        let c = cost(item);
        if !item.2 {
            if c > budget {
                continue;
            }
            budget -= c;
        }
        if spans.len() > 1 {
            spans.push(Span::styled(" · ", t.dim));
        }
        spans.push(Span::styled(item.0.clone(), t.key));
        spans.push(Span::raw(format!(" {}", item.1)));
    }
    Line::from(spans)
}

/// The bordered, wrapped preview panel of the picker and the sessions browser.
pub(crate) fn render_preview(frame: &mut Frame, area: Rect, lines: Vec<Line<'_>>, t: &Theme) {
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().border_style(t.border).title(" Preview ")),
        area,
    );
}

/// A centred rectangle of at most `w`×`h` inside `area`.
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [r] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(r);
    r
}
