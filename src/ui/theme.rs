//! Colours and emphasis. With `NO_COLOR` set (or `theme = "mono"`) only bold, dim, reverse and
//! underline are used, so every state stays visible without colour.

use ratatui::style::{Color, Modifier, Style};

use crate::storage::config::ThemeName;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub text: Style,
    pub dim: Style,
    pub title: Style,
    pub accent: Style,
    pub border: Style,
    pub border_focus: Style,
    pub selected: Style,
    pub ok: Style,
    pub warn: Style,
    pub over: Style,
    pub error: Style,
    pub key: Style,
}

impl Theme {
    pub fn new(name: ThemeName, no_color: bool) -> Self {
        if no_color || name == ThemeName::Mono {
            return Self::mono();
        }
        let s = Style::default;
        Self {
            text: s(),
            dim: s().fg(Color::DarkGray),
            title: s().add_modifier(Modifier::BOLD),
            accent: s().fg(Color::Cyan),
            border: s().fg(Color::DarkGray),
            border_focus: s().fg(Color::Cyan),
            selected: s().fg(Color::Black).bg(Color::Cyan),
            ok: s().fg(Color::Green),
            warn: s().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            over: s().fg(Color::Red).add_modifier(Modifier::BOLD),
            error: s().fg(Color::White).bg(Color::Red),
            key: s().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        }
    }

    fn mono() -> Self {
        let s = Style::default;
        Self {
            text: s(),
            dim: s().add_modifier(Modifier::DIM),
            title: s().add_modifier(Modifier::BOLD),
            accent: s().add_modifier(Modifier::BOLD),
            border: s(),
            border_focus: s().add_modifier(Modifier::BOLD),
            selected: s().add_modifier(Modifier::REVERSED),
            ok: s(),
            warn: s().add_modifier(Modifier::BOLD),
            over: s().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            error: s().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            key: s().add_modifier(Modifier::BOLD),
        }
    }

    /// The theme from config and the environment (`NO_COLOR` set to anything non-empty).
    pub fn from_env(name: ThemeName) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self::new(name, no_color)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_uses_no_colours_at_all() {
        let t = Theme::new(ThemeName::Default, true);
        for style in [
            t.text,
            t.dim,
            t.title,
            t.accent,
            t.border,
            t.border_focus,
            t.selected,
            t.ok,
            t.warn,
            t.over,
            t.error,
            t.key,
        ] {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
        assert_ne!(t.over, t.text, "overtime is still marked");
        assert_eq!(Theme::new(ThemeName::Mono, false), t);
    }
}
