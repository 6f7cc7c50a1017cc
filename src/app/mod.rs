//! The Elm architecture: [`App`] is the whole state, [`Msg`] is everything that can happen, and
//! [`update`] applies one message and says whether the screen must be redrawn. Time arrives as
//! a [`Now`] argument, so tests drive a fake clock. Nothing here touches the terminal.

pub mod keymap;
pub mod picker;
pub mod practice;
pub mod review;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use crate::domain::checks::layout::Layout;
use crate::domain::clock::Now;
use crate::domain::outline::Outline;
use crate::domain::problem::Problem;
use crate::domain::report::Report;
use crate::domain::session::{ClockState, Session, Status};
use crate::storage::bank::Bank;
use crate::storage::config::Config;
use crate::storage::embedded;
use crate::storage::export::Templates;
use crate::storage::layouts;
use crate::storage::paths::{Dirs, ensure_private_dir};
use crate::storage::sessions::{Listed, SessionStore, Summary, write_atomic};
use crate::ui::theme::Theme;
use keymap::{Action, Context};
use picker::Picker;
use practice::{Practice, clean_paste};

/// Everything loaded at start-up.
pub struct Env {
    pub dirs: Dirs,
    /// The interview framework (also in `outlines`).
    pub framework: Outline,
    /// Every outline: the interview framework and the spec outlines.
    pub outlines: Vec<Outline>,
    /// The layouts `check` reads documents as: the spec outlines', built-in ones, the user's.
    pub layouts: Vec<Layout>,
    /// The reference library's cards.
    pub library: Vec<crate::domain::library::Card>,
    pub bank: Bank,
    pub config: Config,
    pub store: SessionStore,
    pub templates: Result<Templates, String>,
    /// Problems found at start-up that did not stop it (skipped files, a bad config).
    pub warnings: Vec<String>,
}

impl Env {
    /// The outlines that draft specs (those with live checks), shortest first.
    pub fn spec_outlines(&self) -> Vec<&Outline> {
        spec_outlines(&self.outlines)
    }

    pub fn outline(&self, id: &str) -> Option<&Outline> {
        self.outlines.iter().find(|o| o.id == id)
    }

    pub fn layout(&self, id: &str) -> Option<&Layout> {
        self.layouts.iter().find(|l| l.id == id)
    }

    /// Loads a saved session made to fit its outline, with the outline and the session's
    /// problem (when it is still in the bank).
    pub fn open_saved(&self, id: &str) -> Result<(Session, &Outline, Option<Problem>)> {
        let mut session = self.store.load(id)?;
        let outline = self.outline(&session.outline).with_context(|| {
            format!(
                "session {id} uses outline `{}`, which this build does not have",
                session.outline
            )
        })?;
        session
            .conform(outline)
            .map_err(|m| anyhow::anyhow!("session {id} cannot be opened: {m}"))?;
        let problem = session
            .problem_id
            .as_deref()
            .and_then(|p| self.bank.get(p))
            .cloned();
        Ok((session, outline, problem))
    }

    /// The outline a template renders: the one with the template's name (`one-pager`,
    /// `full-spec`, `interview`), else the session's own (a user template).
    pub fn target_outline<'a>(&'a self, template: &str, own: &'a Outline) -> &'a Outline {
        self.outline(template).unwrap_or(own)
    }

    pub fn load(dirs: Dirs) -> Result<Self> {
        let outlines = embedded::outlines().context("a built-in outline is invalid")?;
        let framework = outlines
            .iter()
            .find(|o| o.id == embedded::INTERVIEW)
            .cloned()
            .context("the built-in interview framework is missing")?;
        let library = embedded::library().context("the built-in library is invalid")?;
        let bank = Bank::load(&dirs.user_problems(), &framework);
        let mut warnings: Vec<String> = bank
            .skipped
            .iter()
            .map(|e| format!("skipped {}", e.headline()))
            .collect();
        let config = match Config::load(&dirs.config_file(), &framework) {
            Ok(c) => c,
            Err(e) => {
                warnings.push(format!("config ignored: {}", e.headline()));
                Config::default()
            }
        };
        let templates = Templates::load(&dirs.user_templates()).map_err(|e| format!("{e:#}"));
        match &templates {
            Ok(t) => warnings.extend(
                t.broken()
                    .iter()
                    .map(|(name, e)| format!("template `{name}` skipped: {}", located_line(e))),
            ),
            Err(e) => warnings.push(e.lines().next().unwrap_or_default().to_string()),
        }
        let store = SessionStore::new(&dirs.data);
        let (layouts, skipped) = layouts::load(&dirs.user_outlines(), &spec_outlines(&outlines));
        warnings.extend(skipped);
        Ok(Self {
            dirs,
            framework,
            outlines,
            layouts,
            library,
            bank,
            config,
            store,
            templates,
            warnings,
        })
    }
}

/// The outlines that draft specs (those with live checks), shortest first.
fn spec_outlines(outlines: &[Outline]) -> Vec<&Outline> {
    let mut v: Vec<&Outline> = outlines.iter().filter(|o| o.checks).collect();
    v.sort_by_key(|o| o.sections.len());
    v
}

pub enum Screen {
    Home {
        selected: usize,
        resume: Option<Box<Summary>>,
    },
    Picker(Picker),
    /// Choosing a spec outline and a title before drafting.
    SpecSetup {
        outline: usize,
        title: String,
    },
    Practice(Box<Practice>),
    WrapUp(Box<Practice>),
    /// The sessions browser.
    Review(Box<review::Review>),
    /// Progress over all sessions.
    Progress(Box<crate::domain::stats::Stats>),
    /// Two attempts at one problem, step by step: (earlier, later, rows).
    Compare(Box<(Summary, Summary, Vec<crate::domain::stats::CompareRow>)>),
}

impl Screen {
    /// The open session, while practising or on its wrap-up.
    fn practice_mut(&mut self) -> Option<&mut Practice> {
        match self {
            Screen::Practice(p) | Screen::WrapUp(p) => Some(p),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Prompt {
        scroll: u16,
    },
    /// The hints taken for the current step; `n` reveals the next one.
    Hint,
    ConfirmFinish,
    Notice {
        lines: Vec<String>,
        scroll: u16,
    },
    /// Every spec check finding; Enter jumps to the selected one's section.
    Findings {
        selected: usize,
    },
    /// The capacity calculator: seven inputs, the focused one, live results.
    Calculator {
        fields: Vec<String>,
        focus: usize,
    },
    /// The reference library: a search box, the selected card, and an open card.
    Library {
        query: String,
        selected: usize,
        open: Option<String>,
        scroll: u16,
    },
    /// A curveball just arrived (index into the problem's deck).
    Curveball {
        index: usize,
    },
    /// Choose a template to export a session from the browser.
    ExportChooser {
        id: String,
        selected: usize,
    },
    /// Move a session to the trash?
    ConfirmDelete {
        id: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// Everything that can happen to the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize,
    /// The clock moved on; sent only while a clock is visible or a save is due.
    Tick,
    /// SIGTERM, SIGHUP or SIGINT: save and leave.
    Terminate,
}

/// What the event loop should do after an update.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    pub redraw: bool,
    pub bell: bool,
}

impl Outcome {
    const REDRAW: Outcome = Outcome {
        redraw: true,
        bell: false,
    };
    const NONE: Outcome = Outcome {
        redraw: false,
        bell: false,
    };
}

pub struct App {
    pub env: Env,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub message: Option<(String, Level)>,
    pub theme: Theme,
    /// The time of the last message; what the clocks on screen show.
    pub now: Now,
    pub quit: bool,
    /// A quit was refused because saving failed; the next quit writes a rescue copy.
    quit_pending: bool,
    /// Printed after the terminal is restored.
    pub exit_note: Option<String>,
    /// The session to select when going back to the browser from a read-only view.
    review_return: Option<String>,
    /// The listing made at start-up, used once by a browser opened straight away
    /// (`sdcoach review`) so that ten thousand sessions are not listed twice.
    startup_listing: Option<Vec<Listed>>,
    /// Whether [`App::finish_startup`] ran.
    started: bool,
    /// Test hook: F12 panics (set from `SDCOACH_TEST_PANIC`).
    pub panic_on_f12: bool,
}

impl App {
    /// The app on Home. Listing the saved sessions waits for [`App::finish_startup`], which
    /// the terminal loop calls after the first frame, so that frame never waits on thousands of
    /// sessions.
    pub fn new(env: Env, theme: Theme, now: Now) -> Self {
        Self {
            env,
            screen: Screen::Home {
                selected: 0,
                resume: None,
            },
            overlay: None,
            message: None,
            theme,
            now,
            quit: false,
            quit_pending: false,
            review_return: None,
            startup_listing: None,
            exit_note: None,
            panic_on_f12: false,
            started: false,
        }
    }

    /// Start-up work that can follow the first frame: one listing for the resume offer and
    /// the damaged-file warnings (kept for a browser opened straight away), then the start-up
    /// notice if anything needs saying. Returns whether the screen changed.
    pub fn finish_startup(&mut self) -> bool {
        if std::mem::replace(&mut self.started, true) {
            return false;
        }
        if matches!(self.screen, Screen::Home { .. }) {
            match self.env.store.list() {
                Ok(list) => {
                    let latest = list.iter().find_map(|l| match l {
                        Listed::Ok(s) if s.status == Status::InProgress => {
                            Some(Box::new(s.clone()))
                        }
                        _ => None,
                    });
                    if let Screen::Home { resume, .. } = &mut self.screen {
                        *resume = latest;
                    }
                    self.env
                        .warnings
                        .extend(list.iter().filter_map(|l| match l {
                            Listed::Damaged { path, reason } => Some(format!(
                                "damaged session left untouched: {path}: {}",
                                reason.lines().next().unwrap_or_default()
                            )),
                            Listed::Ok(_) => None,
                        }));
                    self.startup_listing = Some(list);
                }
                Err(e) => self
                    .env
                    .warnings
                    .push(format!("cannot list sessions: {e:#}")),
            }
        }
        if !self.env.warnings.is_empty() && self.overlay.is_none() {
            self.overlay = Some(Overlay::Notice {
                lines: self.env.warnings.clone(),
                scroll: 0,
            });
        }
        true
    }

    /// The key context of what has focus.
    pub fn context(&self) -> Context {
        if self.overlay.is_some() {
            return Context::Overlay;
        }
        match &self.screen {
            Screen::Home { .. } => Context::Home,
            Screen::Picker(_) => Context::Picker,
            Screen::SpecSetup { .. } => Context::SpecSetup,
            Screen::Review(r) if r.searching => Context::ReviewSearch,
            Screen::Review(_) => Context::Review,
            Screen::Progress(_) | Screen::Compare(_) => Context::Report,
            Screen::Practice(p) if p.session.clock_state() == ClockState::Paused => Context::Paused,
            Screen::Practice(p) if p.checklist.is_some() => Context::Checklist,
            Screen::Practice(_) => Context::Editor,
            Screen::WrapUp(_) => Context::WrapUp,
        }
    }

    pub fn practice(&self) -> Option<&Practice> {
        match &self.screen {
            Screen::Practice(p) | Screen::WrapUp(p) => Some(p),
            _ => None,
        }
    }

    /// When the loop should wake up without input: the next visible second of a running
    /// clock, or a pending autosave. `None` means sleep until an event arrives.
    pub fn next_wakeup(&self, now: Now) -> Option<Instant> {
        let p = self.practice()?;
        let clock = match self.screen {
            Screen::Practice(_) => p.session.next_second(now),
            _ => None,
        };
        [clock, p.save_due_at()].into_iter().flatten().min()
    }

    /// A read-only pop-up (problem, hint, help, notice) over the practice editor: typing or
    /// pasting closes it and goes to the editor instead of being lost.
    fn overlay_over_editor(&self) -> bool {
        let over_editor = matches!(&self.screen, Screen::Practice(p)
            if p.checklist.is_none() && p.session.clock_state() != ClockState::Paused);
        // Only pop-ups that take no typing of their own hand it on.
        let read_only = matches!(
            self.overlay,
            Some(
                Overlay::Help { .. }
                    | Overlay::Prompt { .. }
                    | Overlay::Hint
                    | Overlay::Notice { .. }
                    | Overlay::Curveball { .. }
                    | Overlay::Findings { .. }
            )
        );
        over_editor && read_only
    }

    fn info(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), Level::Info));
    }

    fn error(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), Level::Error));
    }

    /// Starts a new session in strict mode: no hints, no library, no going back.
    pub fn start_strict(&mut self, problem_id: &str, minutes: Option<u32>, now: Now) -> Result<()> {
        self.start_practice(problem_id, minutes, now)?;
        let env = &self.env;
        if let Screen::Practice(p) = &mut self.screen {
            p.session.strict = true;
            p.save(&env.store, now)?;
        }
        Ok(())
    }

    /// Starts a new session for a bank entry.
    pub fn start_practice(
        &mut self,
        problem_id: &str,
        minutes: Option<u32>,
        now: Now,
    ) -> Result<()> {
        let env = &self.env;
        let problem = env
            .bank
            .get(problem_id)
            .with_context(|| {
                format!("no problem with id `{problem_id}` (see `sdcoach bank list`)")
            })?
            .clone();
        let id = env.store.new_id(now.wall, problem.id());
        let session = Session::new_interview(
            id.clone(),
            &env.framework,
            &problem,
            minutes.unwrap_or(env.config.total_minutes),
            env.config.step_minutes.clone(),
            now.wall,
        );
        let lock = env.store.lock(&id)?;
        env.store.save(&session)?;
        let mut practice =
            Practice::open(session, Some(problem), env.framework.clone(), Some(lock));
        practice.session.start(now);
        tracing::info!("started session {id}");
        self.screen = Screen::Practice(Box::new(practice));
        self.overlay = Some(Overlay::Prompt { scroll: 0 });
        Ok(())
    }

    /// Starts drafting a spec with an outline. Specs are untimed unless `minutes` gives a
    /// time box.
    pub fn start_spec(
        &mut self,
        outline_id: &str,
        title: &str,
        minutes: Option<u32>,
        now: Now,
    ) -> Result<()> {
        let env = &self.env;
        let outline = env
            .outline(outline_id)
            .filter(|o| o.checks)
            .with_context(|| {
                let known: Vec<&str> = env.spec_outlines().iter().map(|o| o.id.as_str()).collect();
                format!(
                    "no spec template `{outline_id}` (templates: {})",
                    known.join(", ")
                )
            })?
            .clone();
        let title = title.trim();
        let title = if title.is_empty() {
            "Untitled spec"
        } else {
            title
        };
        let id = env.store.new_id(now.wall, title);
        let total = minutes.unwrap_or(if outline.timed {
            outline.default_minutes
        } else {
            0
        });
        let session = Session::new(
            id.clone(),
            &outline,
            title.to_string(),
            total,
            std::collections::BTreeMap::new(),
            now.wall,
        );
        let lock = env.store.lock(&id)?;
        env.store.save(&session)?;
        let mut practice = Practice::open(session, None, outline, Some(lock));
        practice.session.start(now);
        tracing::info!("started spec {id}");
        self.screen = Screen::Practice(Box::new(practice));
        Ok(())
    }

    /// Opens the sessions browser (served from the index), selecting `select` if given.
    pub fn open_review(&mut self, select: Option<&str>) -> Result<()> {
        let listed = match self.startup_listing.take() {
            Some(l) => l,
            None => self.env.store.list()?,
        };
        let mut r = review::Review::new(listed, &self.env.bank);
        if let Some(id) = select {
            r.select_id(id);
        }
        self.screen = Screen::Review(Box::new(r));
        Ok(())
    }

    fn back_to_review(&mut self) {
        let select = self.review_return.take();
        if let Err(e) = self.open_review(select.as_deref()) {
            self.go_home();
            self.error(format!("{e:#}"));
        }
    }

    /// Opens a session to read in the layout it was written in: no lock, no clock, no saving.
    pub fn open_read_only(&mut self, id: &str) -> Result<()> {
        let env = &self.env;
        let (session, outline, problem) = env.open_saved(id)?;
        let practice = Practice::open(session, problem, outline.clone(), None);
        self.review_return = Some(id.to_string());
        self.screen = Screen::Practice(Box::new(practice));
        Ok(())
    }

    /// Starts a new attempt at the problem of a saved interview, linked to it.
    pub fn retry(&mut self, id: &str, now: Now) -> Result<()> {
        let old = self.env.store.load(id)?;
        let Some(problem) = old.problem_id.clone() else {
            anyhow::bail!("only interviews can be retried; start a new spec from Home");
        };
        self.start_practice(&problem, Some(old.total_minutes).filter(|m| *m > 0), now)?;
        let env = &self.env;
        if let Screen::Practice(p) = &mut self.screen {
            p.session.retry_of = Some(old.id);
            p.save(&env.store, now)?;
        }
        Ok(())
    }

    /// Exports a saved session with any template to `<data>/exports/<id>-<template>.md`.
    pub fn export_saved(&self, id: &str, template: &str) -> Result<PathBuf> {
        let env = &self.env;
        let session = env.store.load(id)?;
        let own = env
            .outline(&session.outline)
            .with_context(|| format!("unknown outline `{}`", session.outline))?;
        let target = env.target_outline(template, own);
        let problem = session.problem_id.as_deref().and_then(|p| env.bank.get(p));
        let templates = env.templates.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
        let text = templates.render(template, &Report::build(&session, own, target, problem))?;
        ensure_private_dir(&env.dirs.exports())?;
        let path = env.dirs.exports().join(format!("{id}-{template}.md"));
        write_atomic(&path, text.as_bytes())?;
        Ok(path)
    }

    /// Opens a saved session where it was left.
    pub fn resume(&mut self, id: &str, now: Now) -> Result<()> {
        let env = &self.env;
        let id = env.store.resolve(id)?;
        let lock = env.store.lock(&id)?;
        let (session, outline, problem) = env.open_saved(&id)?;
        let finished = session.status == Status::Finished;
        let mut practice = Practice::open(session, problem, outline.clone(), Some(lock));
        if !finished {
            practice.session.start(now);
        }
        if practice.problem.is_none() && practice.session.problem_id.is_some() {
            self.error(
                "the problem of this session is no longer in the bank: hints are unavailable",
            );
        }
        tracing::info!("opened session {id}");
        // A finished session opens on its wrap-up with the clock stopped; `b` goes back to work.
        self.screen = if finished {
            practice.refresh_coaching();
            Screen::WrapUp(Box::new(practice))
        } else {
            Screen::Practice(Box::new(practice))
        };
        Ok(())
    }

    /// Saves the open session, if any, and returns its id (used on panic and on exit).
    pub fn save_open_session(&mut self, now: Now) -> Result<Option<String>> {
        let Some(p) = self.screen.practice_mut() else {
            return Ok(None);
        };
        // Close an open pause so that it is recorded too.
        if p.session.clock_state() == ClockState::Paused {
            p.session.resume(now);
        }
        p.save(&self.env.store, now)?;
        Ok(Some(p.session.id.clone()))
    }

    /// When the session cannot be saved where it belongs, writes it to the temporary folder so
    /// that leaving never loses it. Returns the path written.
    fn write_rescue_copy(&mut self, now: Now) -> Result<PathBuf> {
        let Some(p) = self.screen.practice_mut() else {
            anyhow::bail!("no session is open");
        };
        p.collect(now);
        let text = toml::to_string(&p.session).context("serialising the session")?;
        let path = std::env::temp_dir().join(format!("sdcoach-rescue-{}.toml", p.session.id));
        write_atomic(&path, text.as_bytes())?;
        Ok(path)
    }

    /// Saves the open session (if any) and leaves it. When the save fails the session stays
    /// open (nothing is lost) and the user is told how to leave anyway.
    fn close_session(&mut self, now: Now) -> bool {
        match self.save_open_session(now) {
            Ok(_) => {
                self.go_home();
                true
            }
            Err(e) => {
                self.error(format!(
                    "could not save ({e:#}); the session stays open. Ctrl-C again quits and writes a rescue copy"
                ));
                false
            }
        }
    }

    /// Leaves the app: saves, or if that is impossible, writes a rescue copy. `forced` is for
    /// signals and for a second quit after a failed save.
    fn quit(&mut self, now: Now, forced: bool) {
        if self.close_session(now) {
            self.quit = true;
            return;
        }
        if !forced {
            self.quit_pending = true;
            return;
        }
        match self.write_rescue_copy(now) {
            Ok(path) => {
                self.exit_note = Some(format!(
                    "could not save the session where it belongs; a rescue copy is at {}",
                    path.display()
                ));
                self.quit = true;
            }
            Err(e) => {
                tracing::error!("rescue copy failed: {e:#}");
                self.exit_note = Some(format!("could not save the session anywhere: {e:#}"));
                self.quit = true;
            }
        }
    }

    /// Moves the screen out, turns it into another (a practice into its wrap-up and back)
    /// and puts the result in its place.
    fn replace_screen(&mut self, f: impl FnOnce(&Env, Screen) -> Screen) {
        let placeholder = Screen::Home {
            selected: 0,
            resume: None,
        };
        let screen = std::mem::replace(&mut self.screen, placeholder);
        self.screen = f(&self.env, screen);
    }

    fn go_home(&mut self) {
        self.screen = Screen::Home {
            selected: 0,
            resume: latest_unfinished(&self.env).map(Box::new),
        };
    }

    /// Renders the export of the open session to `<data>/exports/<id>.md`.
    fn export_open(&mut self, now: Now) -> Result<PathBuf> {
        let env = &self.env;
        let Some(p) = self.screen.practice_mut() else {
            anyhow::bail!("no session is open");
        };
        p.collect(now);
        let templates = env.templates.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
        // Each outline exports with the template of the same name.
        let template = p.outline.id.clone();
        let report = Report::build(&p.session, &p.outline, &p.outline, p.problem.as_ref());
        let text = templates.render(&template, &report)?;
        ensure_private_dir(&env.dirs.exports())?;
        let path = env.dirs.exports().join(format!("{}.md", p.session.id));
        write_atomic(&path, text.as_bytes())?;
        Ok(path)
    }
}

/// The most useful line of a tera report: the one with `--> name:line:col`, else the first.
fn located_line(report: &str) -> String {
    report
        .lines()
        .find(|l| l.trim_start().starts_with("-->"))
        .map(|l| l.trim_start().trim_start_matches("-->").trim().to_string())
        .map_or_else(
            || report.lines().next().unwrap_or_default().to_string(),
            |at| {
                format!(
                    "{at}: {}",
                    report
                        .lines()
                        .find(|l| l.starts_with("error"))
                        .unwrap_or_default()
                )
            },
        )
}

fn latest_unfinished(env: &Env) -> Option<Summary> {
    env.store.latest_unfinished().ok().flatten()
}

/// Applies one message.
pub fn update(app: &mut App, msg: Msg, now: Now) -> Outcome {
    app.now = now;
    let mut out = match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Press => {
            if app.panic_on_f12 && key.code == KeyCode::F(12) {
                panic!("injected panic (SDCOACH_TEST_PANIC)");
            }
            app.message = None;
            // A listing from start-up is only current until the user does something.
            if !matches!(app.screen, Screen::Home { .. }) || key.code != KeyCode::Char('v') {
                app.startup_listing = None;
            }
            on_key(app, &key, now)
        }
        Msg::Key(_) => Outcome::NONE,
        Msg::Paste(text) => on_paste(app, &text, now),
        Msg::Resize => Outcome::REDRAW,
        Msg::Tick => Outcome::REDRAW,
        Msg::Terminate => {
            app.quit(now, true);
            Outcome::NONE
        }
    };
    if app.overlay.is_none() {
        maybe_curveball(app, now);
        out.redraw |= app.overlay.is_some();
    }
    let env = &app.env;
    if let Screen::Practice(p) = &mut app.screen {
        p.note_time(now);
        if p.autosave(&env.store, now) {
            out.redraw = true;
        }
        if env.config.bell && p.bell_due(now) {
            out.bell = true;
        }
    } else if let Screen::WrapUp(p) = &mut app.screen
        && p.autosave(&env.store, now)
    {
        out.redraw = true;
    }
    out
}

fn on_paste(app: &mut App, text: &str, now: Now) -> Outcome {
    let text = clean_paste(text);
    if app.overlay_over_editor() {
        app.overlay = None;
    }
    match app.context() {
        Context::Editor => {
            if let Screen::Practice(p) = &mut app.screen
                && !p.read_only
                && let Some(ed) = p.editor_mut()
                && ed.insert_str(&text)
            {
                p.mark_dirty(now);
            }
            Outcome::REDRAW
        }
        Context::SpecSetup => {
            if let Screen::SpecSetup { title, .. } = &mut app.screen {
                title.extend(text.lines().next().unwrap_or_default().chars().take(120));
            }
            Outcome::REDRAW
        }
        Context::Picker => {
            if let Screen::Picker(picker) = &mut app.screen {
                picker
                    .query
                    .push_str(text.lines().next().unwrap_or_default());
                picker.refresh(&app.env.bank);
            }
            Outcome::REDRAW
        }
        _ => {
            app.error("paste ignored: nothing that takes text has focus");
            Outcome::REDRAW
        }
    }
}

fn on_key(app: &mut App, key: &KeyEvent, now: Now) -> Outcome {
    let context = app.context();
    let action = keymap::action(context, key);
    if action == Some(Action::Quit) {
        let forced = app.quit_pending;
        app.quit(now, forced);
        return Outcome::REDRAW;
    }
    app.quit_pending = false;
    if action == Some(Action::Help) {
        app.overlay = Some(Overlay::Help { scroll: 0 });
        return Outcome::REDRAW;
    }
    if action == Some(Action::Library) {
        if matches!(&app.screen, Screen::Practice(p) if p.session.strict && !p.read_only) {
            app.info("strict mode: the library is closed until the wrap-up");
        } else {
            app.overlay = Some(Overlay::Library {
                query: String::new(),
                selected: 0,
                open: None,
                scroll: 0,
            });
        }
        return Outcome::REDRAW;
    }
    match context {
        Context::Overlay => on_overlay_key(app, action, key, now),
        Context::Home => on_home_key(app, action, now),
        Context::Picker => on_picker_key(app, action, key, now),
        Context::SpecSetup => on_spec_setup_key(app, action, key, now),
        Context::Review | Context::ReviewSearch => on_review_key(app, action, key, now),
        Context::Report => {
            if action == Some(Action::Back) {
                app.back_to_review();
                Outcome::REDRAW
            } else {
                Outcome::NONE
            }
        }
        Context::Editor | Context::Checklist | Context::Paused => {
            on_practice_key(app, action, key, now)
        }
        Context::WrapUp => on_wrapup_key(app, action, now),
    }
}

fn on_overlay_key(app: &mut App, action: Option<Action>, key: &KeyEvent, now: Now) -> Outcome {
    // Over a pop-up that takes no typing, a character (even one that is a pop-up key
    // elsewhere, like `y`) closes it and goes to the editor.
    if app.overlay_over_editor() {
        let text = matches!(key.code, KeyCode::Char(_) | KeyCode::Backspace)
            && !key.modifiers.intersects(
                ratatui::crossterm::event::KeyModifiers::CONTROL
                    | ratatui::crossterm::event::KeyModifiers::ALT,
            );
        if text {
            app.overlay = None;
            return on_practice_key(app, None, key, now);
        }
    }
    if action == Some(Action::NextHint) && matches!(app.overlay, Some(Overlay::Hint)) {
        return take_hint(app, now);
    }
    if matches!(app.overlay, Some(Overlay::Calculator { .. })) {
        return on_calculator_key(app, action, key, now);
    }
    if matches!(app.overlay, Some(Overlay::Library { .. })) {
        return on_library_key(app, action, key);
    }
    match app.overlay.clone() {
        Some(Overlay::ExportChooser { id, selected }) => {
            let names: Vec<String> = app
                .env
                .templates
                .as_ref()
                .map(|t| t.names().iter().map(|(n, _)| n.clone()).collect())
                .unwrap_or_default();
            match action {
                Some(Action::Up) | Some(Action::Down) => {
                    let last = names.len().saturating_sub(1);
                    let selected = if action == Some(Action::Up) {
                        selected.saturating_sub(1)
                    } else {
                        (selected + 1).min(last)
                    };
                    app.overlay = Some(Overlay::ExportChooser { id, selected });
                }
                Some(Action::Back) if key.code == KeyCode::Enter => {
                    app.overlay = None;
                    match names.get(selected).map(|n| app.export_saved(&id, n)) {
                        Some(Ok(path)) => app.info(format!("exported to {}", path.display())),
                        Some(Err(e)) => app.error(format!("export failed: {e:#}")),
                        None => app.error("no templates are available"),
                    }
                }
                Some(Action::Back) => app.overlay = None,
                _ => return Outcome::NONE,
            }
            return Outcome::REDRAW;
        }
        Some(Overlay::ConfirmDelete { id }) => {
            match action {
                Some(Action::Select) => {
                    app.overlay = None;
                    match app.env.store.trash(&id) {
                        Ok(_) => {
                            app.review_return = None;
                            app.back_to_review();
                            app.info(format!(
                                "moved {id} to the trash; `sdcoach sessions restore {id}` brings it back"
                            ));
                        }
                        Err(e) => app.error(format!("{e:#}")),
                    }
                }
                Some(Action::Back) => app.overlay = None,
                _ => return Outcome::NONE,
            }
            return Outcome::REDRAW;
        }
        _ => {}
    }
    let findings = app.practice().map_or(0, |p| p.findings.len());
    if let Some(Overlay::Findings { selected }) = &mut app.overlay {
        let count = findings;
        match action {
            Some(Action::Up) => *selected = selected.saturating_sub(1),
            Some(Action::Down) => *selected = (*selected + 1).min(count.saturating_sub(1)),
            Some(Action::Back) if key.code == KeyCode::Enter => {
                let chosen = *selected;
                app.overlay = None;
                let env = &app.env;
                if let Screen::Practice(p) = &mut app.screen
                    && let Some(i) = p
                        .findings
                        .get(chosen)
                        .and_then(|f| p.outline.section_index(&f.section))
                {
                    step_to(p, i, &env.store, now);
                }
            }
            Some(Action::Back) => app.overlay = None,
            _ => return Outcome::NONE,
        }
        return Outcome::REDRAW;
    }
    let Some(overlay) = &mut app.overlay else {
        return Outcome::NONE;
    };
    if *overlay == Overlay::ConfirmFinish {
        return match action {
            Some(Action::Select) => {
                app.overlay = None;
                finish(app, now);
                Outcome::REDRAW
            }
            Some(Action::Back) => {
                app.overlay = None;
                Outcome::REDRAW
            }
            _ => Outcome::NONE,
        };
    }
    let scroll = match overlay {
        Overlay::Help { scroll } | Overlay::Prompt { scroll } | Overlay::Notice { scroll, .. } => {
            Some(scroll)
        }
        Overlay::Hint
        | Overlay::ConfirmFinish
        | Overlay::Findings { .. }
        | Overlay::ExportChooser { .. }
        | Overlay::ConfirmDelete { .. }
        | Overlay::Calculator { .. }
        | Overlay::Library { .. }
        | Overlay::Curveball { .. } => None,
    };
    match (action, scroll) {
        (Some(Action::Up), Some(s)) => *s = s.saturating_sub(1),
        (Some(Action::Down), Some(s)) => *s = s.saturating_add(1).min(500),
        (Some(Action::PageUp), Some(s)) => *s = s.saturating_sub(10),
        (Some(Action::PageDown), Some(s)) => *s = s.saturating_add(10).min(500),
        (Some(Action::Back), _) => app.overlay = None,
        _ => return Outcome::NONE,
    }
    Outcome::REDRAW
}

fn finish(app: &mut App, now: Now) {
    app.replace_screen(|env, screen| match screen {
        Screen::Practice(mut p) => {
            if p.session.clock_state() == ClockState::Paused {
                p.session.resume(now);
            }
            p.collect(now);
            p.session.finish(now);
            let _ = p.save(&env.store, now);
            p.refresh_coaching();
            Screen::WrapUp(p)
        }
        other => other,
    });
}

fn on_home_key(app: &mut App, action: Option<Action>, now: Now) -> Outcome {
    let Screen::Home { selected, resume } = &mut app.screen else {
        return Outcome::NONE;
    };
    let items = home_items(resume.is_some());
    let chosen = match action {
        Some(Action::Up) => {
            *selected = selected.saturating_sub(1);
            return Outcome::REDRAW;
        }
        Some(Action::Down) => {
            *selected = (*selected + 1).min(items.len() - 1);
            return Outcome::REDRAW;
        }
        Some(Action::Select) => items[(*selected).min(items.len() - 1)],
        Some(a) => a,
        None => return Outcome::NONE,
    };
    match chosen {
        Action::NewPractice => app.screen = Screen::Picker(Picker::new(&app.env.bank)),
        Action::NewSpec => {
            app.screen = Screen::SpecSetup {
                outline: 0,
                title: String::new(),
            }
        }
        Action::Resume => match resume.as_ref().map(|r| r.id.clone()) {
            Some(id) => {
                if let Err(e) = app.resume(&id, now) {
                    app.error(format!("{e:#}"));
                }
            }
            None => app.info("no unfinished session to resume"),
        },
        Action::Review => {
            if let Err(e) = app.open_review(None) {
                app.error(format!("{e:#}"));
            }
        }
        Action::Quit => app.quit = true,
        _ => return Outcome::NONE,
    }
    Outcome::REDRAW
}

/// The Home menu, top to bottom (the UI draws the same list).
pub fn home_items(can_resume: bool) -> Vec<Action> {
    let mut items = vec![Action::NewPractice, Action::NewSpec, Action::Review];
    if can_resume {
        items.push(Action::Resume);
    }
    items.push(Action::Quit);
    items
}

fn on_review_key(app: &mut App, action: Option<Action>, key: &KeyEvent, now: Now) -> Outcome {
    let Screen::Review(r) = &mut app.screen else {
        return Outcome::NONE;
    };
    if r.searching {
        match action {
            Some(Action::Up) => r.move_by(-1),
            Some(Action::Down) => r.move_by(1),
            Some(Action::Select) => r.searching = false,
            Some(Action::Back) => {
                r.searching = false;
                r.query.clear();
                r.refresh();
            }
            Some(_) => return Outcome::NONE,
            None => match key.code {
                KeyCode::Backspace => {
                    r.query.pop();
                    r.refresh();
                }
                KeyCode::Char(c) if !c.is_control() => {
                    r.query.push(c);
                    r.refresh();
                }
                _ => return Outcome::NONE,
            },
        }
        return Outcome::REDRAW;
    }
    let selected = r.selected_summary().cloned();
    match action {
        Some(Action::Up) => r.move_by(-1),
        Some(Action::Down) => r.move_by(1),
        Some(Action::PageUp) => r.move_by(-10),
        Some(Action::PageDown) => r.move_by(10),
        Some(Action::Search) => r.searching = true,
        Some(Action::Sort) => r.next_sort(),
        Some(Action::Order) => {
            r.descending = !r.descending;
            r.refresh();
        }
        Some(Action::ModeFilter) => r.cycle_mode(),
        Some(Action::StatusFilter) => r.cycle_status(),
        Some(Action::CategoryFilter) => r.cycle_category(),
        Some(Action::SameProblem) => r.toggle_same_problem(),
        Some(Action::Back) => {
            if r.query.is_empty() {
                app.go_home();
            } else {
                r.query.clear();
                r.refresh();
            }
        }
        Some(Action::Progress) => {
            let problems = app.env.bank.problem_refs();
            let stats =
                crate::domain::stats::compute(&r.all, &problems, &app.env.framework, now.wall);
            app.review_return = selected.map(|s| s.id);
            app.screen = Screen::Progress(Box::new(stats));
        }
        Some(Action::Compare) => match selected {
            Some(later) => match r.previous_attempt(&later).cloned() {
                Some(earlier) => {
                    let outline = app
                        .env
                        .outline(&later.outline)
                        .unwrap_or(&app.env.framework);
                    let rows = crate::domain::stats::compare(&earlier, &later, outline);
                    app.review_return = Some(later.id.clone());
                    app.screen = Screen::Compare(Box::new((earlier, later, rows)));
                }
                None => app.info("no earlier attempt at this problem to compare with"),
            },
            None => app.info("no session selected"),
        },
        Some(action) => {
            let Some(s) = selected else {
                app.info("no session selected");
                return Outcome::REDRAW;
            };
            let result = match action {
                Action::Open => app.open_read_only(&s.id),
                Action::Resume if s.status == Status::Finished => {
                    app.info("finished: Enter reads it, t retries the problem");
                    Ok(())
                }
                Action::Resume => app.resume(&s.id, now),
                Action::Retry => app.retry(&s.id, now),
                Action::Export => {
                    app.overlay = Some(Overlay::ExportChooser {
                        id: s.id.clone(),
                        selected: 0,
                    });
                    Ok(())
                }
                Action::Delete => {
                    app.overlay = Some(Overlay::ConfirmDelete { id: s.id.clone() });
                    Ok(())
                }
                _ => return Outcome::NONE,
            };
            if let Err(e) = result {
                app.error(format!("{e:#}"));
            }
        }
        None => return Outcome::NONE,
    }
    Outcome::REDRAW
}

fn on_spec_setup_key(app: &mut App, action: Option<Action>, key: &KeyEvent, now: Now) -> Outcome {
    let count = app.env.spec_outlines().len().max(1);
    let Screen::SpecSetup { outline, title } = &mut app.screen else {
        return Outcome::NONE;
    };
    match action {
        Some(Action::NextDifficulty) => *outline = (*outline + 1) % count,
        Some(Action::Back) => app.go_home(),
        Some(Action::Select) => {
            let title = title.clone();
            let Some(id) = app.env.spec_outlines().get(*outline).map(|o| o.id.clone()) else {
                app.error("no spec templates are available");
                return Outcome::REDRAW;
            };
            if let Err(e) = app.start_spec(&id, &title, None, now) {
                app.error(format!("{e:#}"));
            }
        }
        Some(_) => return Outcome::NONE,
        None => match key.code {
            KeyCode::Backspace => {
                title.pop();
            }
            KeyCode::Char(c) if !c.is_control() && title.chars().count() < 120 => title.push(c),
            _ => return Outcome::NONE,
        },
    }
    Outcome::REDRAW
}

fn on_picker_key(app: &mut App, action: Option<Action>, key: &KeyEvent, now: Now) -> Outcome {
    let Screen::Picker(picker) = &mut app.screen else {
        return Outcome::NONE;
    };
    let bank = &app.env.bank;
    match action {
        Some(Action::Up) => picker.move_by(-1),
        Some(Action::Down) => picker.move_by(1),
        Some(Action::PageUp) => picker.move_by(-10),
        Some(Action::PageDown) => picker.move_by(10),
        Some(Action::NextCategory) => {
            picker.cycle_category(true);
            picker.refresh(bank);
        }
        Some(Action::PrevCategory) => {
            picker.cycle_category(false);
            picker.refresh(bank);
        }
        Some(Action::NextDifficulty) => {
            picker.cycle_difficulty();
            picker.refresh(bank);
        }
        Some(Action::Random) => {
            picker.pick_random(now.wall.as_nanosecond().unsigned_abs() as u64);
        }
        Some(Action::Back) => {
            if picker.query.is_empty() {
                app.go_home();
            } else {
                picker.query.clear();
                picker.refresh(bank);
            }
        }
        Some(Action::Select) => {
            let Some(entry) = picker.selected_entry() else {
                app.info("no problem matches: Esc clears the search");
                return Outcome::REDRAW;
            };
            let id = bank.entries[entry].problem.id().to_string();
            if let Err(e) = app.start_practice(&id, None, now) {
                app.error(format!("{e:#}"));
            }
        }
        Some(_) => return Outcome::NONE,
        None => match key.code {
            KeyCode::Backspace => {
                picker.query.pop();
                picker.refresh(bank);
            }
            KeyCode::Char(c) if !c.is_control() => {
                picker.query.push(c);
                picker.refresh(bank);
            }
            _ => return Outcome::NONE,
        },
    }
    Outcome::REDRAW
}

fn on_practice_key(app: &mut App, action: Option<Action>, key: &KeyEvent, now: Now) -> Outcome {
    let env = &app.env;
    let Screen::Practice(p) = &mut app.screen else {
        return Outcome::NONE;
    };
    let paused = p.session.clock_state() == ClockState::Paused;
    let mut message: Option<(String, Level)> = None;
    if p.read_only {
        let leave = action == Some(Action::Home)
            || (action.is_none() && key.code == KeyCode::Esc)
            || (action == Some(Action::Back) && p.checklist.is_none());
        match action {
            _ if leave => {
                app.back_to_review();
                return Outcome::REDRAW;
            }
            Some(Action::NextStep) | Some(Action::PrevStep) => {
                let order = p.outline.writing_positions();
                let target = if action == Some(Action::NextStep) {
                    p.session.next_index(&order)
                } else {
                    p.session.prev_index(&order)
                };
                if let Some(i) = target {
                    step_to(p, i, &env.store, now);
                }
            }
            Some(Action::NextField) | Some(Action::PrevField) => {
                p.cycle_field(action == Some(Action::NextField));
            }
            Some(Action::Prompt) if p.problem.is_some() => {
                app.overlay = Some(Overlay::Prompt { scroll: 0 })
            }
            Some(Action::Findings) if p.outline.checks => {
                app.overlay = Some(Overlay::Findings { selected: 0 })
            }
            _ => {
                // Moving and selecting still work, so a long answer can be read.
                let movement = keymap::editor_cmd(key)
                    .filter(|c| action.is_none() && p.checklist.is_none() && !c.edits());
                if let Some(cmd) = movement {
                    p.edit(cmd, now);
                } else {
                    app.info("read-only: Esc goes back; r in the sessions browser resumes");
                }
            }
        }
        return Outcome::REDRAW;
    }
    match action {
        Some(Action::Pause) => {
            if paused {
                p.session.resume(now);
            } else {
                p.session.pause(now);
            }
            let _ = p.save(&env.store, now);
        }
        _ if paused => {
            if action == Some(Action::Home) {
                return go_home_from_practice(app, now);
            }
            return Outcome::NONE;
        }
        Some(Action::NextStep) => match p.session.next_index(&p.outline.writing_positions()) {
            Some(i) => {
                step_to(p, i, &env.store, now);
            }
            None => app.overlay = Some(Overlay::ConfirmFinish),
        },
        Some(Action::PrevStep) if p.session.strict => {
            message = Some((
                "strict mode: no going back to earlier steps".into(),
                Level::Info,
            ));
        }
        Some(Action::Hint) if p.session.strict => {
            message = Some(("strict mode: no hints".into(), Level::Info));
        }
        Some(Action::Calculator) => {
            if p.field_with_role("capacity").is_some() {
                app.overlay = Some(Overlay::Calculator {
                    fields: calculator_defaults(),
                    focus: 0,
                });
            } else {
                message = Some((
                    "the calculator fills a Capacity field; this outline has none".into(),
                    Level::Info,
                ));
            }
        }
        Some(Action::FollowUp) => message = Some(draw_follow_up(p, now)),
        Some(Action::PrevStep) => {
            if let Some(i) = p.session.prev_index(&p.outline.writing_positions()) {
                step_to(p, i, &env.store, now);
            }
        }
        Some(Action::NextField) | Some(Action::PrevField) => {
            p.cycle_field(action == Some(Action::NextField));
        }
        Some(Action::Checklist) => {
            p.checklist = Some(0);
            p.guide_scroll = 0;
        }
        Some(Action::Back) => {
            p.checklist = None;
        }
        Some(Action::PageUp) => p.guide_scroll = p.guide_scroll.saturating_sub(5),
        Some(Action::PageDown) => p.guide_scroll = p.guide_scroll.saturating_add(5).min(200),
        Some(Action::Up) | Some(Action::Down) => {
            p.guide_scroll = 0;
            let len = p.section_def().map_or(0, |d| d.checklist.len());
            if let Some(c) = &mut p.checklist
                && len > 0
            {
                *c = if action == Some(Action::Up) {
                    c.saturating_sub(1)
                } else {
                    (*c + 1).min(len - 1)
                };
            }
        }
        Some(Action::Tick) => {
            if let (Some(c), Some(def)) = (p.checklist, p.outline.sections.get(p.current()))
                && let Some(item) = def.checklist.get(c)
            {
                p.session.toggle_tick(p.current(), item);
                p.mark_dirty(now);
            }
        }
        Some(Action::Hint) => {
            let section = &p.outline.sections[p.current()].id;
            if p.session.hints_in(section).next().is_none() {
                return take_hint(app, now);
            }
            app.overlay = Some(Overlay::Hint);
        }
        Some(Action::Prompt) => {
            if p.problem.is_some() {
                app.overlay = Some(Overlay::Prompt { scroll: 0 });
            } else {
                message = Some(("this session has no interview problem".into(), Level::Info));
            }
        }
        Some(Action::Findings) => {
            if p.outline.checks {
                p.collect(now);
                p.refresh_derived();
                app.overlay = Some(Overlay::Findings { selected: 0 });
            } else {
                message = Some((
                    "spec checks run on spec drafts (Home → draft a spec)".into(),
                    Level::Info,
                ));
            }
        }
        Some(Action::Skip) => message = Some(toggle_skip(p, &env.store, now)),
        Some(Action::Save) => {
            message = Some(match p.save(&env.store, now) {
                Ok(()) => ("saved".into(), Level::Info),
                Err(e) => (format!("save failed: {e:#}"), Level::Error),
            });
        }
        Some(Action::Finish) => app.overlay = Some(Overlay::ConfirmFinish),
        Some(Action::Home) => return go_home_from_practice(app, now),
        Some(_) => return Outcome::NONE,
        None => {
            let Some(cmd) = keymap::editor_cmd(key).filter(|_| p.checklist.is_none()) else {
                return Outcome::NONE;
            };
            p.edit(cmd, now);
        }
    }
    if let Some(m) = message {
        app.message = Some(m);
    }
    Outcome::REDRAW
}

/// Reveals and records the next hint of the current step, and shows the hints taken.
fn take_hint(app: &mut App, now: Now) -> Outcome {
    let Screen::Practice(p) = &mut app.screen else {
        return Outcome::NONE;
    };
    if p.read_only {
        return Outcome::NONE;
    }
    let Some(problem) = p.problem.clone() else {
        app.error("hints are unavailable: the problem is not in the bank");
        return Outcome::REDRAW;
    };
    let section = &p.outline.sections[p.current()].id;
    if problem.hints_for(section).is_empty() {
        app.info("this problem has no hints for this step");
        return Outcome::REDRAW;
    }
    if p.session.take_hint(&problem, now).is_some() {
        p.mark_dirty(now);
    }
    app.overlay = Some(Overlay::Hint);
    Outcome::REDRAW
}

fn go_home_from_practice(app: &mut App, now: Now) -> Outcome {
    app.close_session(now);
    Outcome::REDRAW
}

fn step_to(p: &mut Practice, index: usize, store: &SessionStore, now: Now) {
    p.session.go_to(index, now);
    if p.read_only {
        // The new step's arrows: the save below refreshes them, but reading never saves.
        p.refresh_arrows();
    }
    p.field = 0;
    p.checklist = None;
    let _ = p.save(store, now);
}

/// Ctrl-D: on the optional step itself, skip it and move on; elsewhere, skip or restore it.
fn toggle_skip(p: &mut Practice, store: &SessionStore, now: Now) -> (String, Level) {
    let Some(index) = p.outline.sections.iter().position(|s| s.optional) else {
        return ("this outline has no optional step".into(), Level::Info);
    };
    let def = p.outline.sections[index].clone();
    let skipped = p.session.sections[index].skipped;
    if index == p.current() {
        let Some(next) = p.session.next_index(&p.outline.writing_positions()) else {
            return ("the last step cannot be skipped".into(), Level::Info);
        };
        step_to(p, next, store, now);
    }
    p.session.set_skipped(index, !skipped, &p.outline);
    let _ = p.save(store, now);
    let text = if skipped {
        format!(
            "{} restored ({} planned)",
            def.title,
            crate::domain::clock::fmt_clock(p.session.planned(index))
        )
    } else {
        let targets: Vec<&str> = def
            .skip_to
            .iter()
            .filter_map(|t| p.outline.sections.iter().find(|s| &s.id == t))
            .map(|s| s.title.as_str())
            .collect();
        format!(
            "{} skipped: its time goes to {}",
            def.title,
            targets.join(" and ")
        )
    };
    (text, Level::Info)
}

fn on_wrapup_key(app: &mut App, action: Option<Action>, now: Now) -> Outcome {
    if let Screen::WrapUp(p) = &mut app.screen
        && !p.outline.checks
    {
        let pages = practice::WRAP_PAGES.len();
        let scoring = practice::WRAP_PAGES[p.wrap_page] == "Self-score";
        match action {
            Some(Action::NextPage) => p.wrap_page = (p.wrap_page + 1) % pages,
            Some(Action::PrevPage) => p.wrap_page = (p.wrap_page + pages - 1) % pages,
            Some(Action::Up) if scoring => p.score_step = p.scorable_step(p.score_step, false),
            Some(Action::Down) if scoring => p.score_step = p.scorable_step(p.score_step, true),
            Some(Action::Score(n)) if scoring => {
                let at = p.scorable_step(p.score_step, true);
                let at = if p.session.sections[p.score_step].skipped {
                    at
                } else {
                    p.score_step
                };
                let id = p.session.sections[at].id.clone();
                p.session.scores.insert(id, n);
                p.score_step = p.scorable_step(at, true);
                p.mark_dirty(now);
                p.refresh_coaching();
            }
            Some(Action::Up) | Some(Action::PageUp) => {
                p.wrap_scroll =
                    p.wrap_scroll
                        .saturating_sub(if action == Some(Action::Up) { 1 } else { 10 });
            }
            Some(Action::Down) | Some(Action::PageDown) => {
                p.wrap_scroll = p
                    .wrap_scroll
                    .saturating_add(if action == Some(Action::Down) { 1 } else { 10 })
                    .min(500);
            }
            _ => return on_wrapup_common(app, action, now),
        }
        if matches!(action, Some(Action::NextPage) | Some(Action::PrevPage)) {
            p.wrap_scroll = 0;
        }
        return Outcome::REDRAW;
    }
    on_wrapup_common(app, action, now)
}

fn on_wrapup_common(app: &mut App, action: Option<Action>, now: Now) -> Outcome {
    if let Screen::WrapUp(p) = &mut app.screen {
        let count = p.review_items().len();
        match action {
            Some(Action::Up) if count > 0 => {
                p.review_item = p.review_item.saturating_sub(1);
                return Outcome::REDRAW;
            }
            Some(Action::Down) if count > 0 => {
                p.review_item = (p.review_item + 1).min(count - 1);
                return Outcome::REDRAW;
            }
            Some(Action::Tick) => {
                let chosen = p
                    .review_items()
                    .get(p.review_item)
                    .map(|(c, i)| (c.to_string(), i.to_string()));
                if let Some((list, item)) = chosen {
                    p.session.toggle_checklist(&list, &item);
                    p.mark_dirty(now);
                }
                return Outcome::REDRAW;
            }
            _ => {}
        }
    }
    match action {
        Some(Action::Export) => match app.export_open(now) {
            Ok(path) => app.info(format!("exported to {}", path.display())),
            Err(e) => app.error(format!("export failed: {e:#}")),
        },
        Some(Action::Reopen) => app.replace_screen(|env, screen| match screen {
            Screen::WrapUp(mut p) => {
                p.session.reopen();
                p.session.start(now);
                let _ = p.save(&env.store, now);
                Screen::Practice(p)
            }
            other => other,
        }),
        Some(Action::Home) => {
            app.close_session(now);
        }
        _ => return Outcome::NONE,
    }
    Outcome::REDRAW
}

/// The calculator's inputs, in display order: (label, default).
pub const CALC_FIELDS: [(&str, &str); 7] = [
    ("Daily active users", "10M"),
    ("Reads per user per day", "10"),
    ("Writes per user per day", "1"),
    ("Peak factor", "3"),
    ("Object size", "1KB"),
    ("Retention", "5y"),
    ("Replication factor", "3"),
];

fn calculator_defaults() -> Vec<String> {
    CALC_FIELDS.iter().map(|(_, v)| (*v).to_string()).collect()
}

/// Parses the calculator's fields; the error names the field.
pub fn calculator_input(fields: &[String]) -> Result<crate::domain::calc::Input, String> {
    use crate::domain::calc::{Input, parse_count, parse_days, parse_size};
    let get = |i: usize| fields.get(i).map(String::as_str).unwrap_or_default();
    let named =
        |i: usize, r: Result<f64, String>| r.map_err(|e| format!("{}: {e}", CALC_FIELDS[i].0));
    Ok(Input {
        dau: named(0, parse_count(get(0)))?,
        reads_per_user: named(1, parse_count(get(1)))?,
        writes_per_user: named(2, parse_count(get(2)))?,
        peak: named(3, parse_count(get(3)))?,
        size_bytes: named(4, parse_size(get(4)))?,
        retention_days: named(5, parse_days(get(5)))?,
        replication: named(6, parse_count(get(6)))?,
    })
}

fn on_calculator_key(app: &mut App, action: Option<Action>, key: &KeyEvent, now: Now) -> Outcome {
    let Some(Overlay::Calculator { fields, focus }) = &mut app.overlay else {
        return Outcome::NONE;
    };
    let n = fields.len();
    match (action, key.code) {
        (Some(Action::Up), _) | (_, KeyCode::BackTab) => *focus = (*focus + n - 1) % n,
        (Some(Action::Down), _) | (_, KeyCode::Tab) => *focus = (*focus + 1) % n,
        (Some(Action::Back), KeyCode::Enter) => {
            let input = calculator_input(fields);
            match input {
                Ok(input) => {
                    let lines =
                        crate::domain::calc::lines(&input, &crate::domain::calc::compute(&input));
                    app.overlay = None;
                    if let Screen::Practice(p) = &mut app.screen
                        && let Some((si, fi)) = p.field_with_role("capacity")
                    {
                        p.append_to(si, fi, &lines.join("\n"), now);
                        if p.current() == si {
                            p.field = fi;
                        }
                        app.info("the estimate was added to the Capacity field");
                    }
                }
                Err(e) => app.error(e),
            }
        }
        (Some(Action::Back), _) => app.overlay = None,
        (_, KeyCode::Backspace) => {
            fields[*focus].pop();
        }
        (_, KeyCode::Char(c)) if !c.is_control() && fields[*focus].len() < 24 => {
            fields[*focus].push(c);
        }
        _ => return Outcome::NONE,
    }
    Outcome::REDRAW
}

/// The cards the library shows for a query: suggestions first when the query is empty.
pub fn library_matches<'a>(app: &'a App, query: &str) -> Vec<&'a crate::domain::library::Card> {
    let cards = &app.env.library;
    if query.trim().is_empty() {
        let (step, tags): (String, Vec<&str>) = match app.practice() {
            Some(p) => (
                p.outline.sections[p.session.current].id.clone(),
                p.problem
                    .as_ref()
                    .map(|pr| pr.tag_names().collect())
                    .unwrap_or_default(),
            ),
            None => (String::new(), Vec::new()),
        };
        let mut out = crate::domain::library::suggested(cards, &step, &tags);
        for c in cards {
            if !out.iter().any(|o| o.id == c.id) {
                out.push(c);
            }
        }
        return out;
    }
    let texts: Vec<String> = cards
        .iter()
        .map(|c| format!("{} {} {}", c.title, c.id, c.tags.join(" ")))
        .collect();
    crate::domain::fuzzy::rank(query, &texts)
        .into_iter()
        .map(|i| &cards[i])
        .collect()
}

fn on_library_key(app: &mut App, action: Option<Action>, key: &KeyEvent) -> Outcome {
    let Some(Overlay::Library {
        query,
        selected,
        open,
        scroll,
    }) = app.overlay.clone()
    else {
        return Outcome::NONE;
    };
    let matches: Vec<String> = library_matches(app, &query)
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let mut query = query;
    let (mut selected, mut open, mut scroll) = (selected, open, scroll);
    match (action, key.code) {
        (Some(Action::Back), KeyCode::Esc) if open.is_some() => {
            open = None;
            scroll = 0;
        }
        (Some(Action::Back), KeyCode::Esc) => {
            app.overlay = None;
            return Outcome::REDRAW;
        }
        (Some(Action::Back), KeyCode::Enter) => {
            open = matches.get(selected).cloned();
            scroll = 0;
        }
        (Some(Action::Up), _) if open.is_some() => scroll = scroll.saturating_sub(1),
        (Some(Action::Down), _) if open.is_some() => scroll = scroll.saturating_add(1).min(200),
        (Some(Action::PageUp), _) => scroll = scroll.saturating_sub(10),
        (Some(Action::PageDown), _) => scroll = scroll.saturating_add(10).min(200),
        (Some(Action::Up), _) => selected = selected.saturating_sub(1),
        (Some(Action::Down), _) => selected = (selected + 1).min(matches.len().saturating_sub(1)),
        (_, KeyCode::Backspace) if open.is_none() => {
            query.pop();
            selected = 0;
        }
        (_, KeyCode::Char(c)) if open.is_none() && !c.is_control() => {
            query.push(c);
            selected = 0;
        }
        _ => return Outcome::NONE,
    }
    app.overlay = Some(Overlay::Library {
        query,
        selected,
        open,
        scroll,
    });
    Outcome::REDRAW
}

/// Ctrl-B in Deep Dives: the next follow-up of the problem's deck goes into the notes as a
/// question to answer under.
fn draw_follow_up(p: &mut Practice, now: Now) -> (String, Level) {
    let Some(problem) = p.problem.clone() else {
        return (
            "follow-ups come from the interview problem".into(),
            Level::Info,
        );
    };
    let Some((si, fi)) = p.field_with_role("deep_dives") else {
        return ("this outline has no Deep Dives".into(), Level::Info);
    };
    if p.current() != si {
        return (
            "follow-ups come in Deep Dives (Ctrl-N to get there)".into(),
            Level::Info,
        );
    }
    let Some(next) = (0..problem.follow_ups.len()).find(|i| !p.session.follow_ups.contains(i))
    else {
        return ("no more follow-ups for this problem".into(), Level::Info);
    };
    p.field = fi;
    p.append_to(
        si,
        fi,
        &format!("Q: {}", problem.follow_ups[next].question),
        now,
    );
    p.session.follow_ups.push(next);
    (
        format!(
            "follow-up {} of {}: answer under it",
            p.session.follow_ups.len(),
            problem.follow_ups.len()
        ),
        Level::Info,
    )
}

/// A curveball arrives once, when the interview's remaining time first drops to the configured
/// minutes: its prompt goes into Deep Dives and a pop-up announces it.
fn maybe_curveball(app: &mut App, now: Now) {
    let minutes = app.env.config.curveball_minutes_left;
    let Screen::Practice(p) = &mut app.screen else {
        return;
    };
    if minutes == 0 || p.read_only || !p.session.timed() || !p.session.curveballs.is_empty() {
        return;
    }
    // In a short session the configured minutes could be most of it: never before the last
    // fifth of the total.
    let minutes = minutes.min(p.session.total_minutes / 5).max(1);
    let left = p
        .session
        .total_planned()
        .saturating_sub(p.session.total_elapsed(now));
    if left > std::time::Duration::from_secs(u64::from(minutes) * 60) {
        return;
    }
    // Only now, once, is anything copied out of the problem.
    let Some(count) = p
        .problem
        .as_ref()
        .map(|pr| pr.curveballs.len())
        .filter(|n| *n > 0)
    else {
        return;
    };
    // Vary the curveball between sessions without randomness: by the session id.
    let index = p.session.id.bytes().map(usize::from).sum::<usize>() % count;
    let Some(prompt) = p
        .problem
        .as_ref()
        .and_then(|pr| pr.curveballs.get(index))
        .map(|c| c.prompt.trim().to_string())
    else {
        return;
    };
    if let Some((si, fi)) = p.field_with_role("deep_dives") {
        p.append_to(si, fi, &format!("Curveball: {prompt}"), now);
    }
    p.session
        .curveballs
        .push(crate::domain::session::CurveballShown {
            index,
            prompt,
            at_secs: p.session.total_elapsed(now).as_secs(),
        });
    app.overlay = Some(Overlay::Curveball { index });
}
