//! The keymap: one table from (context, key) to action. The help overlay and the footers are
//! drawn from the same table, so they can never disagree with what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::editor::{Cmd, Move};

/// Where the key was pressed; decides which bindings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Home,
    Picker,
    SpecSetup,
    Review,
    ReviewSearch,
    Report,
    Editor,
    Checklist,
    Paused,
    WrapUp,
    Overlay,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Home => "Home",
            Context::Picker => "Problem picker",
            Context::SpecSetup => "New spec",
            Context::Review => "Sessions browser",
            Context::ReviewSearch => "Sessions browser: searching",
            Context::Report => "Progress and comparison",
            Context::Editor => "Practice: writing",
            Context::Checklist => "Practice: checklist",
            Context::Paused => "Practice: paused",
            Context::WrapUp => "Wrap-up",
            Context::Overlay => "Pop-ups",
        }
    }

    pub const ALL: [Context; 11] = [
        Context::Home,
        Context::Picker,
        Context::SpecSetup,
        Context::Review,
        Context::ReviewSearch,
        Context::Report,
        Context::Editor,
        Context::Checklist,
        Context::Paused,
        Context::WrapUp,
        Context::Overlay,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    Select,
    NewPractice,
    Resume,
    Random,
    NextCategory,
    PrevCategory,
    NextDifficulty,
    NextStep,
    PrevStep,
    NextField,
    PrevField,
    Hint,
    Prompt,
    Checklist,
    Tick,
    Pause,
    Skip,
    Save,
    Finish,
    NextHint,
    Findings,
    NewSpec,
    Review,
    Search,
    Open,
    Retry,
    Delete,
    Sort,
    Order,
    ModeFilter,
    StatusFilter,
    CategoryFilter,
    SameProblem,
    Compare,
    Progress,
    Calculator,
    FollowUp,
    Library,
    NextPage,
    PrevPage,
    Score(u8),
    Export,
    Home,
    Reopen,
}

/// A key as the table writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

const fn plain(c: char) -> Key {
    code(KeyCode::Char(c))
}
const fn ctrl(c: char) -> Key {
    ctrl_code(KeyCode::Char(c))
}
const fn alt(c: char) -> Key {
    alt_code(KeyCode::Char(c))
}
const fn code(code: KeyCode) -> Key {
    Key {
        code,
        ctrl: false,
        alt: false,
    }
}
const fn ctrl_code(code: KeyCode) -> Key {
    Key {
        code,
        ctrl: true,
        alt: false,
    }
}
const fn alt_code(code: KeyCode) -> Key {
    Key {
        code,
        ctrl: false,
        alt: true,
    }
}

impl Key {
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) if self.ctrl || self.alt => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            other => format!("{other:?}"),
        };
        match (self.ctrl, self.alt) {
            (true, _) => format!("Ctrl-{base}"),
            (_, true) => format!("Alt-{base}"),
            _ => base,
        }
    }

    fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        if ctrl != self.ctrl || alt != self.alt {
            return false;
        }
        match (self.code, ev.code) {
            // Shift is part of the character itself ('?' is Shift-/, 'R' is not 'r'); with Ctrl
            // or Alt some terminals report the letter in upper case.
            (KeyCode::Char(a), KeyCode::Char(b)) => {
                a == b || ((self.ctrl || self.alt) && a == b.to_ascii_lowercase())
            }
            (a, b) => a == b,
        }
    }
}

pub struct Binding {
    pub contexts: &'static [Context],
    pub keys: &'static [Key],
    pub action: Action,
    pub label: &'static str,
    /// Shown in the footer (the keys that matter most on that screen).
    pub footer: bool,
}

use Context as C;

const PRACTICE: &[Context] = &[C::Editor, C::Checklist];
const LISTS: &[Context] = &[
    C::Home,
    C::Picker,
    C::Checklist,
    C::Overlay,
    C::WrapUp,
    C::Review,
    C::ReviewSearch,
];
const SCROLLS: &[Context] = &[C::Picker, C::Checklist, C::Overlay, C::Review, C::WrapUp];

#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    // Home
    b(&[C::Home], &[plain('p'), plain('n')], Action::NewPractice, "start a practice", true),
    b(&[C::Home], &[plain('s')], Action::NewSpec, "draft a spec", true),
    b(&[C::Home], &[plain('v')], Action::Review, "review saved sessions", true),
    b(&[C::Home], &[plain('r')], Action::Resume, "resume the last session", true),
    b(&[C::Home], &[plain('q')], Action::Quit, "quit", true),
    b(&[C::Home, C::Picker, C::SpecSetup], &[code(KeyCode::Enter)], Action::Select, "choose", true),
    // Lists
    b(LISTS, &[code(KeyCode::Up)], Action::Up, "move up", false),
    b(LISTS, &[code(KeyCode::Down)], Action::Down, "move down", false),
    b(SCROLLS, &[code(KeyCode::PageUp)], Action::PageUp, "page up", false),
    b(SCROLLS, &[code(KeyCode::PageDown)], Action::PageDown, "page down", false),
    // Picker
    b(&[C::Picker], &[code(KeyCode::Right)], Action::NextCategory, "next category", true),
    b(&[C::Picker], &[code(KeyCode::Left)], Action::PrevCategory, "previous category", false),
    b(&[C::Picker], &[code(KeyCode::Tab)], Action::NextDifficulty, "difficulty", true),
    b(&[C::Picker], &[ctrl('r')], Action::Random, "random", true),
    b(&[C::Picker], &[code(KeyCode::Esc)], Action::Back, "clear search / back", true),
    // New spec
    b(&[C::SpecSetup], &[code(KeyCode::Tab)], Action::NextDifficulty, "one-pager / full spec", true),
    b(&[C::SpecSetup], &[code(KeyCode::Esc)], Action::Back, "back", true),
    // Sessions browser
    b(&[C::Review], &[code(KeyCode::Enter)], Action::Open, "open (read-only)", true),
    b(&[C::Review], &[plain('/')], Action::Search, "search", true),
    b(&[C::Review], &[plain('r')], Action::Resume, "resume", true),
    b(&[C::Review], &[plain('t')], Action::Retry, "retry as a new attempt", true),
    b(&[C::Review], &[plain('e')], Action::Export, "export with a template", true),
    b(&[C::Review], &[plain('d')], Action::Delete, "delete (to the trash)", true),
    b(&[C::Review], &[plain('p')], Action::Progress, "progress", true),
    b(&[C::Review], &[plain('v')], Action::Compare, "compare with the previous attempt", true),
    b(&[C::Review], &[plain('s')], Action::Sort, "sort by the next column", false),
    b(&[C::Review], &[plain('o')], Action::Order, "reverse the order", false),
    b(&[C::Review], &[plain('m')], Action::ModeFilter, "filter: mode", false),
    b(&[C::Review], &[plain('f')], Action::StatusFilter, "filter: status", false),
    b(&[C::Review], &[plain('c')], Action::CategoryFilter, "filter: category", false),
    b(&[C::Review], &[plain('a')], Action::SameProblem, "filter: attempts at this problem", false),
    b(&[C::Review, C::Report], &[code(KeyCode::Esc), plain('h')], Action::Back, "back", true),
    b(&[C::Review, C::Report], &[plain('q')], Action::Quit, "quit", false),
    b(&[C::ReviewSearch], &[code(KeyCode::Enter)], Action::Select, "keep the search", true),
    b(&[C::ReviewSearch], &[code(KeyCode::Esc)], Action::Back, "clear the search", true),
    // Practice, most used first (the footer shows as many as fit, in this order)
    b(PRACTICE, &[ctrl('n'), code(KeyCode::F(8))], Action::NextStep, "next step", true),
    b(PRACTICE, &[ctrl('g'), code(KeyCode::F(3))], Action::Hint, "hints", true),
    b(&[C::Editor, C::Checklist, C::Paused], &[ctrl('t'), code(KeyCode::F(5))], Action::Pause, "pause", true),
    b(PRACTICE, &[ctrl('x'), code(KeyCode::F(10))], Action::Finish, "finish", true),
    b(PRACTICE, &[ctrl('p'), code(KeyCode::F(7))], Action::PrevStep, "previous step", true),
    b(PRACTICE, &[ctrl('f'), code(KeyCode::F(9))], Action::Findings, "spec checks", true),
    b(&[C::Editor], &[code(KeyCode::Tab)], Action::NextField, "next field", true),
    b(&[C::Editor], &[code(KeyCode::BackTab)], Action::PrevField, "previous field", false),
    b(PRACTICE, &[ctrl('o'), code(KeyCode::F(2))], Action::Prompt, "problem", true),
    b(&[C::Editor], &[ctrl('l'), code(KeyCode::F(4))], Action::Checklist, "guide / checklist", true),
    b(&[C::Checklist], &[plain(' '), code(KeyCode::Enter)], Action::Tick, "tick / untick", true),
    b(&[C::Checklist], &[code(KeyCode::Esc), ctrl('l'), code(KeyCode::F(4))], Action::Back, "back to writing", true),
    b(&[C::Editor], &[ctrl('e')], Action::Calculator, "capacity calculator (Requirements)", true),
    b(&[C::Editor], &[ctrl('b')], Action::FollowUp, "interviewer follow-up (Deep Dives)", true),
    b(PRACTICE, &[ctrl('d'), code(KeyCode::F(6))], Action::Skip, "skip / restore Data Flow", false),
    b(PRACTICE, &[ctrl('s')], Action::Save, "save now", false),
    b(&[C::Editor, C::Checklist, C::Paused], &[ctrl('q')], Action::Home, "save and go home", false),
    // Wrap-up
    b(&[C::WrapUp], &[plain('e')], Action::Export, "export Markdown", true),
    b(&[C::WrapUp], &[plain(' ')], Action::Tick, "tick a checklist item (specs)", false),
    b(&[C::WrapUp], &[plain('b')], Action::Reopen, "back to the steps", true),
    b(&[C::WrapUp], &[plain('h'), code(KeyCode::Enter), code(KeyCode::Esc)], Action::Home, "home", true),
    b(&[C::WrapUp], &[plain('q')], Action::Quit, "quit", false),
    b(&[C::WrapUp], &[code(KeyCode::Tab), code(KeyCode::Right)], Action::NextPage, "next page", true),
    b(&[C::WrapUp], &[code(KeyCode::BackTab), code(KeyCode::Left)], Action::PrevPage, "previous page", false),
    b(&[C::WrapUp], &[plain('0')], Action::Score(0), "self-score 0 (scores page)", false),
    b(&[C::WrapUp], &[plain('1')], Action::Score(1), "self-score 1", false),
    b(&[C::WrapUp], &[plain('2')], Action::Score(2), "self-score 2", false),
    b(&[C::WrapUp], &[plain('3')], Action::Score(3), "self-score 3", false),
    // Pop-ups
    b(&[C::Overlay], &[code(KeyCode::Esc), code(KeyCode::Enter)], Action::Back, "close (Enter also opens or jumps)", true),
    b(&[C::Overlay], &[ctrl('g'), code(KeyCode::F(3))], Action::NextHint, "next hint (in Hints)", false),
    b(&[C::Overlay], &[plain('y')], Action::Select, "confirm (in a question)", false),
    // Everywhere
    b(&[C::Home, C::WrapUp, C::Review, C::Report], &[plain('?'), code(KeyCode::F(1))], Action::Help, "help", true),
    b(&[C::Picker, C::SpecSetup, C::ReviewSearch, C::Editor, C::Checklist, C::Paused], &[code(KeyCode::F(1))], Action::Help, "help", true),
    b(&[C::Home, C::WrapUp, C::Review, C::Report], &[plain('l'), code(KeyCode::F(11))], Action::Library, "reference library", true),
    b(&[C::Picker, C::SpecSetup, C::ReviewSearch, C::Editor, C::Checklist], &[code(KeyCode::F(11))], Action::Library, "reference library", false),
    b(&Context::ALL, &[ctrl('c')], Action::Quit, "save and quit", false),
];

const fn b(
    contexts: &'static [Context],
    keys: &'static [Key],
    action: Action,
    label: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        contexts,
        keys,
        action,
        label,
        footer,
    }
}

/// The action for a key in a context; `None` means the key is text for whatever has focus.
pub fn action(context: Context, ev: &KeyEvent) -> Option<Action> {
    BINDINGS
        .iter()
        .filter(|b| b.contexts.contains(&context))
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.action)
}

/// A key of the field editor itself: what it does and how help describes it.
pub struct EditorBinding {
    pub keys: &'static [Key],
    pub cmd: Cmd,
    pub label: &'static str,
}

const fn go(to: Move) -> Cmd {
    Cmd::Move { to, select: false }
}

use KeyCode as K;

/// The editor's keys (Emacs-style where the practice bindings leave room), for the keys no
/// binding claims. Shift with any movement extends the selection. Help lists this table.
#[rustfmt::skip]
pub static EDITOR_KEYS: &[EditorBinding] = &[
    EditorBinding { keys: &[code(K::Left)], cmd: go(Move::Left), label: "character back" },
    EditorBinding { keys: &[code(K::Right)], cmd: go(Move::Right), label: "character forward" },
    EditorBinding { keys: &[code(K::Up)], cmd: go(Move::Up), label: "screen row up" },
    EditorBinding { keys: &[code(K::Down)], cmd: go(Move::Down), label: "screen row down" },
    EditorBinding { keys: &[code(K::Home), ctrl('a')], cmd: go(Move::LineStart), label: "start of the line" },
    EditorBinding { keys: &[code(K::End)], cmd: go(Move::LineEnd), label: "end of the line" },
    EditorBinding { keys: &[ctrl_code(K::Left), alt('b')], cmd: go(Move::WordLeft), label: "word back" },
    EditorBinding { keys: &[ctrl_code(K::Right), alt('f')], cmd: go(Move::WordRight), label: "word forward" },
    EditorBinding { keys: &[ctrl_code(K::Up), alt('{')], cmd: go(Move::ParagraphUp), label: "paragraph back" },
    EditorBinding { keys: &[ctrl_code(K::Down), alt('}')], cmd: go(Move::ParagraphDown), label: "paragraph forward" },
    EditorBinding { keys: &[code(K::PageUp), alt('v')], cmd: go(Move::PageUp), label: "page up" },
    EditorBinding { keys: &[code(K::PageDown), ctrl('v')], cmd: go(Move::PageDown), label: "page down" },
    EditorBinding { keys: &[ctrl_code(K::Home), alt('<')], cmd: go(Move::Top), label: "start of the field" },
    EditorBinding { keys: &[ctrl_code(K::End), alt('>')], cmd: go(Move::Bottom), label: "end of the field" },
    EditorBinding { keys: &[code(K::Enter), ctrl('j')], cmd: Cmd::Newline, label: "new line" },
    EditorBinding { keys: &[code(K::Backspace), ctrl('h')], cmd: Cmd::Backspace, label: "delete back (or the selection)" },
    EditorBinding { keys: &[code(K::Delete)], cmd: Cmd::Delete, label: "delete forward (or the selection)" },
    EditorBinding { keys: &[ctrl('w'), alt_code(K::Backspace)], cmd: Cmd::DeleteWordBack, label: "cut a word back (or the selection)" },
    EditorBinding { keys: &[alt('d'), ctrl_code(K::Delete)], cmd: Cmd::DeleteWordForward, label: "cut a word forward (or the selection)" },
    EditorBinding { keys: &[ctrl('k')], cmd: Cmd::KillLine, label: "cut to the end of the line (or the selection)" },
    EditorBinding { keys: &[alt('w')], cmd: Cmd::Copy, label: "copy the selection" },
    EditorBinding { keys: &[ctrl('y')], cmd: Cmd::Yank, label: "paste what was cut or copied" },
    EditorBinding { keys: &[ctrl('z'), ctrl('u')], cmd: Cmd::Undo, label: "undo" },
    EditorBinding { keys: &[ctrl('r')], cmd: Cmd::Redo, label: "redo" },
];

/// What a key that no binding claims does in a field's editor: a character without Ctrl or
/// Alt is typed, other keys come from `EDITOR_KEYS`.
pub fn editor_cmd(ev: &KeyEvent) -> Option<Cmd> {
    let m = ev.modifiers;
    if let KeyCode::Char(c) = ev.code
        && !m.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return Some(Cmd::Insert(c));
    }
    let binding = EDITOR_KEYS
        .iter()
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))?;
    Some(match binding.cmd {
        Cmd::Move { to, .. } => Cmd::Move {
            to,
            select: m.contains(KeyModifiers::SHIFT),
        },
        cmd => cmd,
    })
}

/// The bindings of a context, for help and footers.
pub fn bindings(context: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .filter(move |b| b.contexts.contains(&context))
}

/// `Ctrl-N/F8` style label of a binding's keys.
pub fn keys_label(keys: &[Key]) -> String {
    keys.iter().map(|k| k.label()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn practice_keys_leave_text_alone() {
        let none = KeyModifiers::NONE;
        for c in ['a', 'q', '?', 'n', ' ', 'é', '字'] {
            assert_eq!(
                action(Context::Editor, &key(KeyCode::Char(c), none)),
                None,
                "{c}"
            );
        }
        assert_eq!(action(Context::Editor, &key(KeyCode::Enter, none)), None);
        let ctrl_n = key(KeyCode::Char('n'), KeyModifiers::CONTROL);
        assert_eq!(action(Context::Editor, &ctrl_n), Some(Action::NextStep));
        assert_eq!(
            action(Context::Editor, &key(KeyCode::F(1), none)),
            Some(Action::Help)
        );
    }

    #[test]
    fn shifted_characters_and_contexts() {
        let q = key(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(action(Context::Home, &q), Some(Action::Help));
        assert_eq!(
            action(Context::Picker, &q),
            None,
            "the picker searches for '?'"
        );
        assert_eq!(
            action(Context::Home, &key(KeyCode::Char('p'), KeyModifiers::NONE)),
            Some(Action::NewPractice)
        );
        let shift_r = key(KeyCode::Char('R'), KeyModifiers::SHIFT);
        assert_eq!(action(Context::Home, &shift_r), None, "R is not r");
        let ctrl_upper = key(KeyCode::Char('N'), KeyModifiers::CONTROL);
        assert_eq!(action(Context::Editor, &ctrl_upper), Some(Action::NextStep));
        let alt_p = key(KeyCode::Char('p'), KeyModifiers::ALT);
        assert_eq!(action(Context::Home, &alt_p), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for ctx in Context::ALL {
            let mut seen: Vec<Key> = Vec::new();
            for b in bindings(ctx) {
                for k in b.keys {
                    assert!(!seen.contains(k), "{:?} bound twice in {ctx:?}", k);
                    seen.push(*k);
                }
            }
        }
    }

    fn event(k: &Key) -> KeyEvent {
        let mut mods = KeyModifiers::NONE;
        mods.set(KeyModifiers::CONTROL, k.ctrl);
        mods.set(KeyModifiers::ALT, k.alt);
        key(k.code, mods)
    }

    #[test]
    fn every_editor_key_reaches_the_editor_once() {
        let mut seen: Vec<Key> = Vec::new();
        for b in EDITOR_KEYS {
            for k in b.keys {
                assert_eq!(action(Context::Editor, &event(k)), None, "{k:?} is taken");
                assert!(!seen.contains(k), "{k:?} is in the editor table twice");
                seen.push(*k);
                let cmd = editor_cmd(&event(k));
                assert_eq!(cmd, Some(b.cmd), "{k:?}");
            }
        }
    }

    #[test]
    fn editor_keys_type_move_select_and_edit() {
        let none = KeyModifiers::NONE;
        assert_eq!(
            editor_cmd(&key(KeyCode::Char('é'), none)),
            Some(Cmd::Insert('é'))
        );
        assert_eq!(
            editor_cmd(&key(KeyCode::Char('Q'), KeyModifiers::SHIFT)),
            Some(Cmd::Insert('Q'))
        );
        assert_eq!(
            editor_cmd(&key(KeyCode::Right, KeyModifiers::SHIFT)),
            Some(Cmd::Move {
                to: Move::Right,
                select: true
            })
        );
        let ctrl_shift = KeyModifiers::CONTROL | KeyModifiers::SHIFT;
        assert_eq!(
            editor_cmd(&key(KeyCode::End, ctrl_shift)),
            Some(Cmd::Move {
                to: Move::Bottom,
                select: true
            })
        );
        // Alt-Shift-B arrives as 'B' from some terminals: still a word back, selecting.
        let alt_shift = KeyModifiers::ALT | KeyModifiers::SHIFT;
        assert_eq!(
            editor_cmd(&key(KeyCode::Char('B'), alt_shift)),
            Some(Cmd::Move {
                to: Move::WordLeft,
                select: true
            })
        );
        assert_eq!(
            editor_cmd(&key(KeyCode::Char('k'), KeyModifiers::CONTROL)),
            Some(Cmd::KillLine)
        );
        assert_eq!(
            editor_cmd(&key(KeyCode::Char('q'), KeyModifiers::ALT)),
            None
        );
        assert_eq!(Key::label(alt('b')), "Alt-B");
        assert_eq!(
            keys_label(&[ctrl_code(KeyCode::Left), alt('b')]),
            "Ctrl-←/Alt-B"
        );
    }

    #[test]
    fn every_context_can_be_left() {
        for ctx in Context::ALL {
            let ok = bindings(ctx).any(|b| {
                matches!(
                    b.action,
                    Action::Quit | Action::Back | Action::Home | Action::Pause
                )
            });
            assert!(ok, "{ctx:?} has no way out");
        }
    }

    proptest! {
        #[test]
        fn plain_printable_characters_are_text_while_writing(c in any::<char>()) {
            prop_assume!(!c.is_control());
            prop_assert_eq!(action(Context::Editor, &key(KeyCode::Char(c), KeyModifiers::NONE)), None);
            prop_assert_eq!(action(Context::Editor, &key(KeyCode::Char(c), KeyModifiers::SHIFT)), None);
        }
    }
}
