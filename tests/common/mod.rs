//! Shared test harness: an `App` over temporary data and config folders, driven by a fake
//! clock and synthetic keys.
#![allow(dead_code)]

pub mod pty;

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sdcoach::app::{App, Env, Msg, Outcome, update};
use sdcoach::domain::clock::Now;
use sdcoach::storage::config::ThemeName;
use sdcoach::storage::paths::Dirs;
use sdcoach::ui::theme::Theme;
use tempfile::TempDir;

pub struct Harness {
    pub app: App,
    pub now: Now,
    pub dir: TempDir,
}

pub fn start_time() -> Now {
    Now {
        mono: Instant::now(),
        wall: "2026-11-24T09:30:00Z".parse().unwrap(),
    }
}

impl Harness {
    pub fn new() -> Self {
        Self::with_config("")
    }

    pub fn with_config(config: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let dirs = Dirs {
            data: dir.path().join("data"),
            config: dir.path().join("config"),
        };
        std::fs::create_dir_all(&dirs.config).unwrap();
        std::fs::write(dirs.config_file(), config).unwrap();
        Self::from_dirs(dirs, dir)
    }

    pub fn from_dirs(dirs: Dirs, dir: TempDir) -> Self {
        let env = Env::load(dirs).unwrap();
        let now = start_time();
        let mut app = App::new(env, Theme::new(ThemeName::Default, false), now);
        app.finish_startup();
        Self { app, now, dir }
    }

    /// Reopens the same folders as a fresh app (a restart).
    pub fn restart(self) -> Self {
        let dirs = self.app.env.dirs.clone();
        let dir = self.dir;
        drop(self.app);
        Self::from_dirs(dirs, dir)
    }

    pub fn send(&mut self, msg: Msg) -> Outcome {
        update(&mut self.app, msg, self.now)
    }

    pub fn key(&mut self, code: KeyCode) -> Outcome {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    pub fn ctrl(&mut self, c: char) -> Outcome {
        self.send(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )))
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let code = if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            };
            self.key(code);
        }
    }

    /// Moves the fake clock forward and delivers a tick.
    pub fn advance(&mut self, secs: u64) -> Outcome {
        self.now = self.now.after(Duration::from_secs(secs));
        self.send(Msg::Tick)
    }

    pub fn draw(&self, width: u16, height: u16) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|f| sdcoach::ui::render(&self.app, f))
            .unwrap();
        terminal
    }

    pub fn screen_text(&self, width: u16, height: u16) -> String {
        let t = self.draw(width, height);
        let buf = t.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                out.push_str(buf[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    /// From Home to the practice screen of `problem` (via the picker's search).
    pub fn start(&mut self, problem: &str) {
        self.key(KeyCode::Char('p'));
        self.type_text(problem);
        self.key(KeyCode::Enter);
        // Close the opening prompt.
        self.key(KeyCode::Esc);
        assert!(self.app.practice().is_some(), "practice did not start");
    }

    pub fn session_file(&self) -> String {
        let p = self.app.practice().expect("open session");
        let path = self.app.env.store.path(&p.session.id).unwrap();
        std::fs::read_to_string(path).unwrap()
    }
}

/// Insta settings that mask the temporary folder.
pub fn settings(h: &Harness) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    let tmp = regex_escape(&h.dir.path().display().to_string());
    s.add_filter(&tmp, "[TMP]");
    s.set_prepend_module_to_snapshot(false);
    s
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '/' || c == '_' || c == '-' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

impl Harness {
    /// Does a short interview on `problem` and finishes it, `mins` minutes long, then goes home.
    pub fn finished_session(&mut self, problem: &str, text: &str, mins: u64) -> String {
        self.start(problem);
        self.type_text(text);
        self.advance(mins * 30);
        self.ctrl('n');
        self.advance(mins * 30);
        self.ctrl('x');
        self.key(KeyCode::Char('y'));
        let id = self.app.practice().unwrap().session.id.clone();
        self.key(KeyCode::Char('h'));
        // Space the sessions a day apart so dates and ids differ.
        self.now = self.now.after(Duration::from_secs(86_400));
        id
    }
}

/// Runs the built binary with fresh data and config folders and parses what it prints as JSON
/// (`coverage eval --json`, `check --eval --json`).
pub fn sdcoach_json(args: &[&str]) -> serde_json::Value {
    let home = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_sdcoach"))
        .args(args)
        .env("SDCOACH_DATA_DIR", home.path().join("data"))
        .env("SDCOACH_CONFIG_DIR", home.path().join("config"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}
