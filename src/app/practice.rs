//! The state of an open session: the session itself, one editor per field, focus, and the
//! autosave bookkeeping. Each field is its own text buffer, so a keystroke only touches the
//! field being typed in; text is copied into the session only when it is saved.

use std::time::{Duration, Instant};

use crate::domain::arrows::{self, Edge};
use crate::domain::checks::{self, Doc, Finding};
use crate::domain::clock::{Countdown, Now};
use crate::domain::editor::{Cmd, Editor};
use crate::domain::outline::{Outline, SectionDef};
use crate::domain::problem::Problem;
use crate::domain::session::Session;
use crate::storage::sessions::{SessionLock, SessionStore};
use anyhow::Result;
use jiff::Timestamp;

/// The pages of an interview's wrap-up review.
pub const WRAP_PAGES: [&str; 5] = [
    "Time",
    "Reference",
    "Coverage",
    "Traceability",
    "Self-score",
];

/// Typing is saved at most this long after the first unsaved change.
pub const AUTOSAVE_AFTER: Duration = Duration::from_secs(1);
/// After a failed save, try again this often.
pub const RETRY_AFTER: Duration = Duration::from_secs(5);
/// While the clock runs, the time spent is saved at least this often even without typing, so a
/// crash loses at most this much of the record of time spent thinking.
pub const TIME_SAVE_EVERY: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    Saved(Timestamp),
    Failed { message: String, retry_at: Instant },
}

pub struct Practice {
    pub session: Session,
    /// The outline the session follows (the interview framework or a spec outline).
    pub outline: Outline,
    /// `None` when the problem a saved session refers to is no longer in the bank.
    pub problem: Option<Problem>,
    pub editors: Vec<Vec<Editor>>,
    /// What was last cut or copied, shared by every field of the session.
    kill: String,
    /// Focused field of the current section.
    pub field: usize,
    /// `Some(item)` while the guide panel (checklist) has focus.
    pub checklist: Option<usize>,
    /// Manual scroll of the guide panel; 0 follows the checklist selection.
    pub guide_scroll: u16,
    last_saved: Option<Instant>,
    pub dirty_since: Option<Instant>,
    pub save_state: SaveState,
    /// Spec check findings as of the last save (outlines with `checks = true`).
    pub findings: Vec<Finding>,
    /// The arrows in the current step's diagram fields as of the last save or step change
    /// (parsing them costs time in proportion to the whole diagram, too much for a keystroke).
    pub arrows: Vec<Edge>,
    /// Selected item of the wrap-up's document checklists (flattened across checklists).
    pub review_item: usize,
    /// The wrap-up page shown (see `WRAP_PAGES`), its scroll, and the step being scored.
    pub wrap_page: usize,
    pub wrap_scroll: u16,
    pub score_step: usize,
    /// The wrap-up review (interviews with their problem), built when the wrap-up opens.
    pub coaching: Option<crate::domain::coaching::Coaching>,
    /// Opened from the sessions browser to read: no clock, no editing, no saving, no lock.
    pub read_only: bool,
    /// Bell bookkeeping: (section, 1 = rang at one minute left, 2 = rang at zero).
    rung: (usize, u8),
    _lock: Option<SessionLock>,
}

/// Makes pasted text safe to insert: Windows and old-Mac newlines become `\n`, tabs become four
/// spaces (so pasted code keeps its indentation on screen and in exports), other control
/// characters (NUL, escape sequences) are dropped.
pub fn clean_paste(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect()
}

impl Practice {
    pub fn open(
        session: Session,
        problem: Option<Problem>,
        outline: Outline,
        lock: Option<SessionLock>,
    ) -> Self {
        let editors = outline
            .sections
            .iter()
            .map(|def| {
                def.fields
                    .iter()
                    .map(|f| Editor::new(session.field_text(&def.id, &f.id).unwrap_or_default()))
                    .collect()
            })
            .collect();
        let saved = session.updated_at;
        let mut p = Self {
            session,
            outline,
            problem,
            editors,
            kill: String::new(),
            field: 0,
            checklist: None,
            guide_scroll: 0,
            last_saved: None,
            dirty_since: None,
            save_state: SaveState::Saved(saved),
            read_only: lock.is_none(),
            rung: (usize::MAX, 0),
            findings: Vec::new(),
            arrows: Vec::new(),
            review_item: 0,
            wrap_page: 0,
            wrap_scroll: 0,
            score_step: 0,
            coaching: None,
            _lock: lock,
        };
        p.refresh_derived();
        p
    }

    /// Builds the wrap-up review from the saved text (interviews with a problem).
    pub fn refresh_coaching(&mut self) {
        self.coaching = match &self.problem {
            Some(problem) if !self.outline.checks => Some(
                crate::domain::coaching::Coaching::build(&self.session, &self.outline, problem),
            ),
            _ => None,
        };
    }

    /// Re-derives what the guide panel shows from the text: the spec checks and the diagram's
    /// arrows. Called on each save, so at most once a second while typing, never per
    /// keystroke.
    pub fn refresh_derived(&mut self) {
        if self.outline.checks {
            self.findings = checks::run(&Doc::from_session(&self.session, &self.outline));
        }
        self.refresh_arrows();
    }

    /// Parses the arrows of the current step's diagram fields.
    pub fn refresh_arrows(&mut self) {
        let current = self.current();
        // Arrows are read line by line, so the fields' lines are parsed where they are.
        self.arrows = self
            .outline
            .sections
            .get(current)
            .zip(self.editors.get(current))
            .into_iter()
            .flat_map(|(def, editors)| def.fields.iter().zip(editors))
            .filter(|(f, _)| f.diagram)
            .flat_map(|(_, ed)| ed.lines())
            .flat_map(|line| arrows::edges(line))
            .collect();
    }

    /// The document checklist items as (checklist id, item), in display order.
    pub fn review_items(&self) -> Vec<(&str, &str)> {
        self.outline
            .checklists
            .iter()
            .flat_map(|c| c.items.iter().map(move |i| (c.id.as_str(), i.as_str())))
            .collect()
    }

    pub fn current(&self) -> usize {
        self.session.current
    }

    pub fn section_def(&self) -> Option<&SectionDef> {
        self.outline.sections.get(self.current())
    }

    pub fn editor_mut(&mut self) -> Option<&mut Editor> {
        self.editors
            .get_mut(self.session.current)?
            .get_mut(self.field)
    }

    /// Carries out an editor command in the focused field; a change starts the autosave
    /// debounce.
    pub fn edit(&mut self, cmd: Cmd, now: Now) {
        let Some(ed) = self
            .editors
            .get_mut(self.session.current)
            .and_then(|fields| fields.get_mut(self.field))
        else {
            return;
        };
        if ed.apply(cmd, &mut self.kill) {
            self.mark_dirty(now);
        }
    }

    /// The next (or previous) step that can be scored (not skipped) from `from`; `from` itself
    /// when there is none that way and it can be scored.
    pub fn scorable_step(&self, from: usize, forward: bool) -> usize {
        let ok = |i: usize| self.session.sections.get(i).is_some_and(|s| !s.skipped);
        let found = if forward {
            (from + 1..self.session.sections.len()).find(|&i| ok(i))
        } else {
            (0..from).rev().find(|&i| ok(i))
        };
        found.unwrap_or(if ok(from) {
            from
        } else {
            (0..self.session.sections.len())
                .find(|&i| ok(i))
                .unwrap_or(0)
        })
    }

    /// Moves the focus to the next (or previous) field of the current section, wrapping.
    pub fn cycle_field(&mut self, forward: bool) {
        let n = self.editors.get(self.current()).map_or(1, Vec::len).max(1);
        self.field = if forward {
            (self.field + 1) % n
        } else {
            (self.field + n - 1) % n
        };
    }

    pub fn mark_dirty(&mut self, now: Now) {
        if self.read_only {
            return;
        }
        self.dirty_since.get_or_insert(now.mono);
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty_since.is_some()
    }

    /// Copies editor text into the session and folds the running time.
    pub fn collect(&mut self, now: Now) {
        for (def, editors) in self.outline.sections.iter().zip(&self.editors) {
            let Some(state) = self.session.sections.iter_mut().find(|s| s.id == def.id) else {
                continue;
            };
            for (fdef, ed) in def.fields.iter().zip(editors) {
                if let Some(f) = state.fields.iter_mut().find(|f| f.id == fdef.id) {
                    let text = ed.text();
                    if f.text != text {
                        f.text = text;
                    }
                }
            }
        }
        self.session.sync(now);
    }

    /// Saves now. On failure the text stays in memory, the error is kept for the banner and
    /// the save is retried later.
    pub fn save(&mut self, store: &SessionStore, now: Now) -> Result<()> {
        if self.read_only {
            return Ok(());
        }
        self.collect(now);
        // Refreshed even when the save fails, so the guide keeps up while the disk is full.
        self.refresh_derived();
        match store.save(&self.session) {
            Ok(()) => {
                self.dirty_since = None;
                self.last_saved = Some(now.mono);
                self.save_state = SaveState::Saved(now.wall);
                Ok(())
            }
            Err(e) => {
                tracing::warn!("saving {} failed: {e:#}", self.session.id);
                self.save_state = SaveState::Failed {
                    message: format!("{e:#}"),
                    retry_at: now.mono + RETRY_AFTER,
                };
                self.dirty_since.get_or_insert(now.mono);
                Err(e)
            }
        }
    }

    /// Appends `text` as new lines at the end of a field and puts the cursor after it, so the
    /// user answers under it. Returns false when the section or field does not exist.
    pub fn append_to(&mut self, section: usize, field: usize, text: &str, now: Now) -> bool {
        let Some(ed) = self.editors.get_mut(section).and_then(|f| f.get_mut(field)) else {
            return false;
        };
        let prefix = if ed.is_empty() { "" } else { "\n\n" };
        ed.append(&format!("{prefix}{text}\n"));
        self.mark_dirty(now);
        true
    }

    /// Where a role's field is: (section, field) of the first field with that role.
    pub fn field_with_role(&self, role: &str) -> Option<(usize, usize)> {
        self.outline.field_with_role(role)
    }

    /// Schedules a save of the time spent when the clock has run a while without one.
    pub fn note_time(&mut self, now: Now) {
        use crate::domain::session::ClockState;
        if self.session.clock_state() != ClockState::Running || self.dirty_since.is_some() {
            return;
        }
        match self.last_saved {
            Some(t) if now.mono.saturating_duration_since(t) < TIME_SAVE_EVERY => {}
            Some(_) => self.mark_dirty(now),
            None => self.last_saved = Some(now.mono),
        }
    }

    /// When the next autosave (or retry) is due, if one is pending.
    pub fn save_due_at(&self) -> Option<Instant> {
        match &self.save_state {
            SaveState::Failed { retry_at, .. } => Some(*retry_at),
            SaveState::Saved(_) => self.dirty_since.map(|t| t + AUTOSAVE_AFTER),
        }
    }

    /// Saves if the debounce (or retry) time has come.
    pub fn autosave(&mut self, store: &SessionStore, now: Now) -> bool {
        match self.save_due_at() {
            Some(due) if now.mono >= due => {
                let _ = self.save(store, now);
                true
            }
            _ => false,
        }
    }

    /// Whether the bell should ring now: once at one minute left, once when time runs out.
    pub fn bell_due(&mut self, now: Now) -> bool {
        if !self.session.timed() {
            return false;
        }
        let current = self.session.current;
        if self.rung.0 != current {
            self.rung = (current, 0);
            // Arriving at a step that is already low or over does not ring.
            match self.session.countdown(current, now) {
                Countdown::Over(_) => self.rung.1 = 2,
                Countdown::Left(d) if d <= Duration::from_secs(60) => self.rung.1 = 1,
                Countdown::Left(_) => {}
            }
            return false;
        }
        let stage = match self.session.countdown(current, now) {
            Countdown::Over(_) => 2,
            Countdown::Left(d) if d <= Duration::from_secs(60) => 1,
            Countdown::Left(_) => 0,
        };
        if stage > self.rung.1 {
            self.rung.1 = stage;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::clean_paste;

    #[test]
    fn pasted_newlines_are_normalised_and_controls_dropped() {
        assert_eq!(clean_paste("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(clean_paste("x\0y\x1b[31mz\tw"), "xy[31mz    w");
        assert_eq!(clean_paste("名前 🙂"), "名前 🙂");
    }
}
