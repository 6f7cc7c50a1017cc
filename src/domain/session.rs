//! A session is one instance of an outline: ordered sections, each with text fields, a time
//! budget, time spent and checklist state, plus the hints taken and the pauses made.
//!
//! Time spent is folded into `spent_ms` whenever the running section changes, the clock pauses
//! or the session is saved; between folds the running part is `now - running_since`. Nothing
//! counts ticks, so a late or missed tick never skews a budget.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::clock::{Countdown, Now};
use super::outline::Outline;
use super::problem::Problem;

/// Bumped when the file format changes incompatibly.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    InProgress,
    Finished,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::InProgress => "in progress",
            Status::Finished => "finished",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub schema_version: u32,
    pub id: String,
    /// The outline this session instantiates (`interview`).
    pub outline: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem_id: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub status: Status,
    pub total_minutes: u32,
    /// Per-section minute overrides the budgets were computed with.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub step_minutes: BTreeMap<String, u32>,
    /// Index of the section being worked on.
    pub current: usize,
    pub sections: Vec<SectionState>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<HintTaken>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pauses: Vec<Pause>,
    /// Strict mode: no hints, no library, no going back to earlier steps.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub strict: bool,
    /// Self-scores 0-3 per step id, against the problem's rubric.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub scores: BTreeMap<String, u8>,
    /// Interviewer follow-ups drawn in Deep Dives (indices into the problem's deck).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<usize>,
    /// Curveballs that arrived, with when.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub curveballs: Vec<CurveballShown>,
    /// The earlier attempt at the same problem that this session retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_of: Option<String>,
    /// Ticked items of the outline's document checklists, by checklist id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub checklists: BTreeMap<String, Vec<String>>,
    #[serde(skip)]
    clock: RunClock,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionState {
    pub id: String,
    pub planned_secs: u64,
    pub spent_ms: u64,
    #[serde(default)]
    pub skipped: bool,
    pub fields: Vec<FieldState>,
    /// The checklist items ticked, by their text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ticked: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldState {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HintTaken {
    pub section: String,
    /// 0-based position in the problem's hint list for that section.
    pub index: usize,
    pub text: String,
    /// Total active time when the hint was taken.
    pub at_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurveballShown {
    /// 0-based position in the problem's curveball deck.
    pub index: usize,
    pub prompt: String,
    /// Total active time when it arrived.
    pub at_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pause {
    pub section: String,
    pub started_at: Timestamp,
    pub secs: u64,
}

/// In-memory state of the running clock; never written to disk.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum RunClock {
    /// Not started yet (or loaded from disk and not resumed).
    #[default]
    Stopped,
    Running {
        since: Instant,
    },
    Paused {
        since: Instant,
        wall: Timestamp,
    },
}

/// Where the session stands on the clock, for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    Stopped,
    Running,
    Paused,
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl Session {
    /// A fresh session for a problem. Optional steps (Data Flow) start skipped when the problem
    /// says they do not apply; the user can bring them back.
    pub fn new_interview(
        id: String,
        outline: &Outline,
        problem: &Problem,
        total_minutes: u32,
        step_minutes: BTreeMap<String, u32>,
        wall: Timestamp,
    ) -> Self {
        let mut s = Self::new(
            id,
            outline,
            problem.title.clone(),
            total_minutes,
            step_minutes,
            wall,
        );
        s.problem_id = Some(problem.id().to_string());
        for (state, def) in s.sections.iter_mut().zip(&outline.sections) {
            // The problem's `data_flow` flag says whether the optional step applies.
            state.skipped = def.optional && !problem.data_flow;
        }
        s.replan(outline);
        s
    }

    /// A fresh session of any outline. `total_minutes = 0` is untimed: no budgets, no
    /// countdown, only the time used.
    pub fn new(
        id: String,
        outline: &Outline,
        title: String,
        total_minutes: u32,
        step_minutes: BTreeMap<String, u32>,
        wall: Timestamp,
    ) -> Self {
        let sections = outline
            .sections
            .iter()
            .map(|s| SectionState {
                id: s.id.clone(),
                planned_secs: 0,
                spent_ms: 0,
                skipped: false,
                fields: s
                    .fields
                    .iter()
                    .map(|f| FieldState {
                        id: f.id.clone(),
                        text: String::new(),
                    })
                    .collect(),
                ticked: Vec::new(),
            })
            .collect();
        let mut session = Session {
            schema_version: SCHEMA_VERSION,
            id,
            outline: outline.id.clone(),
            title,
            problem_id: None,
            created_at: wall,
            updated_at: wall,
            status: Status::InProgress,
            total_minutes,
            step_minutes,
            current: 0,
            sections,
            hints: Vec::new(),
            pauses: Vec::new(),
            strict: false,
            scores: BTreeMap::new(),
            follow_ups: Vec::new(),
            curveballs: Vec::new(),
            retry_of: None,
            checklists: BTreeMap::new(),
            clock: RunClock::Stopped,
        };
        session.current = outline.writing_positions().first().copied().unwrap_or(0);
        session.replan(outline);
        session
    }

    /// Whether the session runs against budgets (a time box); untimed sessions only count.
    pub fn timed(&self) -> bool {
        self.total_minutes > 0
    }

    /// Recomputes the planned budgets (after a skip toggles).
    pub fn replan(&mut self, outline: &Outline) {
        let skipped: Vec<bool> = outline
            .sections
            .iter()
            .map(|def| self.section(&def.id).is_some_and(|s| s.skipped))
            .collect();
        let budgets = outline.budgets(self.total_minutes, &self.step_minutes, &skipped);
        for (def, budget) in outline.sections.iter().zip(budgets) {
            if let Some(s) = self.sections.iter_mut().find(|s| s.id == def.id) {
                s.planned_secs = budget.as_secs();
            }
        }
    }

    pub fn section(&self, id: &str) -> Option<&SectionState> {
        self.sections.iter().find(|s| s.id == id)
    }

    pub fn field_text(&self, section: &str, field: &str) -> Option<&str> {
        self.section(section)?
            .fields
            .iter()
            .find(|f| f.id == field)
            .map(|f| f.text.as_str())
    }

    pub fn clock_state(&self) -> ClockState {
        match self.clock {
            RunClock::Stopped => ClockState::Stopped,
            RunClock::Running { .. } => ClockState::Running,
            RunClock::Paused { .. } => ClockState::Paused,
        }
    }

    /// Starts (or restarts after a load) the clock on the current section.
    pub fn start(&mut self, now: Now) {
        if self.clock == RunClock::Stopped {
            self.clock = RunClock::Running { since: now.mono };
        }
    }

    /// Adds the running part to the current section's `spent_ms` so that what is on disk is
    /// up to date. The clock keeps running.
    pub fn sync(&mut self, now: Now) {
        if let RunClock::Running { since } = self.clock {
            // Fold whole milliseconds and keep the remainder running, so repeated saves never
            // lose time to rounding.
            let add = millis(now.mono.saturating_duration_since(since));
            if let Some(s) = self.sections.get_mut(self.current) {
                s.spent_ms = s.spent_ms.saturating_add(add);
            }
            self.clock = RunClock::Running {
                since: since + Duration::from_millis(add),
            };
        }
        self.updated_at = now.wall;
    }

    /// Moves to another section, charging the time so far to the one being left.
    pub fn go_to(&mut self, index: usize, now: Now) {
        if index >= self.sections.len() || index == self.current {
            return;
        }
        self.sync(now);
        self.current = index;
    }

    /// The next section in `order` (the outline's writing order) that is not skipped.
    pub fn next_index(&self, order: &[usize]) -> Option<usize> {
        let at = order.iter().position(|&i| i == self.current)?;
        order[at + 1..]
            .iter()
            .copied()
            .find(|&i| self.sections.get(i).is_some_and(|s| !s.skipped))
    }

    /// The previous section in `order` that is not skipped.
    pub fn prev_index(&self, order: &[usize]) -> Option<usize> {
        let at = order.iter().position(|&i| i == self.current)?;
        order[..at]
            .iter()
            .rev()
            .copied()
            .find(|&i| self.sections.get(i).is_some_and(|s| !s.skipped))
    }

    pub fn pause(&mut self, now: Now) {
        if let RunClock::Running { .. } = self.clock {
            self.sync(now);
            self.clock = RunClock::Paused {
                since: now.mono,
                wall: now.wall,
            };
        }
    }

    pub fn resume(&mut self, now: Now) {
        if let RunClock::Paused { since, wall } = self.clock {
            let secs = now.mono.saturating_duration_since(since).as_secs();
            let section = self
                .sections
                .get(self.current)
                .map(|s| s.id.clone())
                .unwrap_or_default();
            self.pauses.push(Pause {
                section,
                started_at: wall,
                secs,
            });
            self.clock = RunClock::Running { since: now.mono };
        }
    }

    /// Active time spent on a section, including the running part.
    pub fn elapsed(&self, index: usize, now: Now) -> Duration {
        let Some(s) = self.sections.get(index) else {
            return Duration::ZERO;
        };
        let mut d = Duration::from_millis(s.spent_ms);
        if index == self.current
            && let RunClock::Running { since } = self.clock
        {
            d += now.mono.saturating_duration_since(since);
        }
        d
    }

    pub fn planned(&self, index: usize) -> Duration {
        self.sections
            .get(index)
            .map_or(Duration::ZERO, |s| Duration::from_secs(s.planned_secs))
    }

    pub fn countdown(&self, index: usize, now: Now) -> Countdown {
        Countdown::new(self.planned(index), self.elapsed(index, now))
    }

    pub fn total_elapsed(&self, now: Now) -> Duration {
        (0..self.sections.len())
            .map(|i| self.elapsed(i, now))
            .fold(Duration::ZERO, Duration::saturating_add)
    }

    pub fn total_planned(&self) -> Duration {
        (0..self.sections.len())
            .map(|i| self.planned(i))
            .fold(Duration::ZERO, Duration::saturating_add)
    }

    /// Time paused so far, including a pause in progress.
    pub fn paused_total(&self, now: Now) -> Duration {
        let recorded = self
            .pauses
            .iter()
            .fold(0u64, |a, p| a.saturating_add(p.secs));
        let running = match self.clock {
            RunClock::Paused { since, .. } => now.mono.saturating_duration_since(since),
            _ => Duration::ZERO,
        };
        Duration::from_secs(recorded) + running
    }

    /// When the visible countdown of the current section next crosses a whole second, i.e. when
    /// a redraw would show something new. A paused or stopped clock never changes on screen.
    pub fn next_second(&self, now: Now) -> Option<Instant> {
        match self.clock {
            RunClock::Running { .. } => {
                let ms = self.elapsed(self.current, now).subsec_millis();
                Some(now.mono + Duration::from_millis(u64::from(1000 - ms)))
            }
            RunClock::Paused { .. } | RunClock::Stopped => None,
        }
    }

    /// Records that the next hint of the current section was shown. Returns its text, or
    /// `None` when every hint for the section has been taken.
    pub fn take_hint(&mut self, problem: &Problem, now: Now) -> Option<String> {
        let section = self.sections.get(self.current)?.id.clone();
        let taken = self.hints.iter().filter(|h| h.section == section).count();
        let text = problem.hints_for(&section).get(taken)?.clone();
        let at_secs = self.total_elapsed(now).as_secs();
        self.hints.push(HintTaken {
            section,
            index: taken,
            text: text.clone(),
            at_secs,
        });
        Some(text)
    }

    pub fn hints_in(&self, section: &str) -> impl Iterator<Item = &HintTaken> {
        self.hints.iter().filter(move |h| h.section == section)
    }

    /// Ticks or unticks a checklist item of a section.
    pub fn toggle_tick(&mut self, section: usize, item: &str) {
        if let Some(s) = self.sections.get_mut(section) {
            match s.ticked.iter().position(|t| t == item) {
                Some(i) => {
                    s.ticked.remove(i);
                }
                None => s.ticked.push(item.to_string()),
            }
        }
    }

    /// Skips or restores an optional section; budgets are re-planned. The current section
    /// cannot be skipped from under the user: the caller moves on first.
    pub fn set_skipped(&mut self, index: usize, skipped: bool, outline: &Outline) -> bool {
        let optional = outline.sections.get(index).is_some_and(|def| def.optional);
        match self.sections.get_mut(index) {
            Some(s) if optional && s.skipped != skipped => {
                s.skipped = skipped;
                self.replan(outline);
                true
            }
            _ => false,
        }
    }

    /// Ticks or unticks an item of a document checklist.
    pub fn toggle_checklist(&mut self, checklist: &str, item: &str) {
        let ticked = self.checklists.entry(checklist.to_string()).or_default();
        match ticked.iter().position(|t| t == item) {
            Some(i) => {
                ticked.remove(i);
            }
            None => ticked.push(item.to_string()),
        }
        if ticked.is_empty() {
            self.checklists.remove(checklist);
        }
    }

    pub fn finish(&mut self, now: Now) {
        self.sync(now);
        self.clock = RunClock::Stopped;
        self.status = Status::Finished;
    }

    /// Re-opens a finished session for more work.
    pub fn reopen(&mut self) {
        self.status = Status::InProgress;
    }

    /// Checks what a file can get wrong on its own: a sane schema version, a current section that
    /// exists, and numbers small enough that no sum can overflow.
    pub fn check(&self) -> Result<(), String> {
        if self.schema_version > SCHEMA_VERSION {
            return Err(newer_schema(self.schema_version));
        }
        if self.schema_version == 0 {
            return Err("schema_version must be at least 1".into());
        }
        if self.sections.is_empty() {
            return Err("the session has no sections".into());
        }
        if self.current >= self.sections.len() {
            return Err(format!(
                "current = {} but there are only {} sections",
                self.current,
                self.sections.len()
            ));
        }
        for s in &self.sections {
            if s.planned_secs > MAX_SECS || s.spent_ms / 1000 > MAX_SECS {
                return Err(format!(
                    "section `{}`: times over a week are not plausible",
                    s.id
                ));
            }
        }
        if self.scores.values().any(|s| *s > 3) {
            return Err("self-scores go from 0 to 3".into());
        }
        if self.pauses.iter().any(|p| p.secs > MAX_SECS)
            || self
                .hints
                .iter()
                .any(|h| h.at_secs > MAX_SECS || h.index > 1000)
        {
            return Err("a pause or hint has an implausible time or index".into());
        }
        Ok(())
    }

    /// Makes a loaded session fit the outline it will be shown with: the same sections in the
    /// same order (anything else is refused, so that no text can be hidden), and every field of
    /// the outline present (missing ones are added empty; unknown ones are refused).
    pub fn conform(&mut self, outline: &Outline) -> Result<(), String> {
        let ids: Vec<&str> = self.sections.iter().map(|s| s.id.as_str()).collect();
        let expected: Vec<&str> = outline.sections.iter().map(|s| s.id.as_str()).collect();
        if ids != expected {
            return Err(format!(
                "its sections ({}) do not match the `{}` outline ({})",
                ids.join(", "),
                outline.id,
                expected.join(", ")
            ));
        }
        for (state, def) in self.sections.iter_mut().zip(&outline.sections) {
            if let Some(f) = state
                .fields
                .iter()
                .find(|f| !def.fields.iter().any(|d| d.id == f.id))
            {
                return Err(format!(
                    "section `{}` has an unknown field `{}`",
                    def.id, f.id
                ));
            }
            let mut ordered = Vec::with_capacity(def.fields.len());
            for d in &def.fields {
                let text = state
                    .fields
                    .iter()
                    .find(|f| f.id == d.id)
                    .map(|f| f.text.clone())
                    .unwrap_or_default();
                ordered.push(FieldState {
                    id: d.id.clone(),
                    text,
                });
            }
            state.fields = ordered;
        }
        Ok(())
    }
}

/// Longest plausible time for anything in a session (a week); keeps every sum far from overflow.
const MAX_SECS: u64 = 7 * 24 * 3600;

pub fn newer_schema(version: u32) -> String {
    format!(
        "written by a newer sdcoach (schema version {version}, this build reads up to {SCHEMA_VERSION}); update sdcoach to open it"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::embedded;

    pub(crate) fn t0() -> Now {
        Now {
            mono: Instant::now(),
            wall: "2026-11-24T10:00:00Z".parse().unwrap(),
        }
    }

    fn session() -> (Session, Outline, Problem) {
        let outline = embedded::framework().unwrap();
        let problem = embedded::problem("url-shortener");
        let s = Session::new_interview(
            "s1".into(),
            &outline,
            &problem,
            40,
            BTreeMap::new(),
            t0().wall,
        );
        (s, outline, problem)
    }

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn time_is_charged_to_the_section_being_worked_on() {
        let (mut s, _, _) = session();
        let t = t0();
        s.start(t);
        assert_eq!(s.elapsed(0, t.after(S(90))), S(90));
        s.go_to(1, t.after(S(100)));
        assert_eq!(s.elapsed(0, t.after(S(500))), S(100));
        assert_eq!(s.elapsed(1, t.after(S(130))), S(30));
        assert_eq!(s.total_elapsed(t.after(S(130))), S(130));
    }

    #[test]
    fn overtime_starts_after_the_budget() {
        let (mut s, _, _) = session();
        let t = t0();
        s.start(t);
        assert_eq!(s.countdown(0, t.after(S(299))).label(), "00:01");
        assert_eq!(s.countdown(0, t.after(S(365))).label(), "+01:05");
    }

    #[test]
    fn a_pause_stops_the_clock_and_is_recorded() {
        let (mut s, _, _) = session();
        let t = t0();
        s.start(t);
        s.pause(t.after(S(60)));
        assert_eq!(s.clock_state(), ClockState::Paused);
        assert_eq!(s.elapsed(0, t.after(S(600))), S(60));
        assert_eq!(s.paused_total(t.after(S(600))), S(540));
        s.resume(t.after(S(600)));
        assert_eq!(s.elapsed(0, t.after(S(610))), S(70));
        assert_eq!(s.pauses.len(), 1);
        assert_eq!(s.pauses[0].secs, 540);
        assert_eq!(s.pauses[0].section, "requirements");
        assert_eq!(s.pauses[0].started_at, t.after(S(60)).wall);
    }

    #[test]
    fn syncing_folds_the_running_time_without_double_counting() {
        let (mut s, _, _) = session();
        let t = t0();
        s.start(t);
        s.sync(t.after(S(10)));
        s.sync(t.after(S(25)));
        assert_eq!(s.sections[0].spent_ms, 25_000);
        assert_eq!(s.elapsed(0, t.after(S(30))), S(30));
        assert_eq!(s.updated_at, t.after(S(25)).wall);
    }

    #[test]
    fn data_flow_starts_skipped_when_the_problem_has_none_and_can_come_back() {
        let (mut s, outline, _) = session();
        assert!(s.sections[3].skipped);
        assert_eq!(s.planned(4), S(15 * 60 + 30));
        s.current = 2;
        let order = outline.writing_positions();
        assert_eq!(s.next_index(&order), Some(4));
        assert!(s.set_skipped(3, false, &outline));
        assert_eq!(s.next_index(&order), Some(3));
        assert_eq!(s.prev_index(&order), Some(1));
        assert_eq!(s.planned(3), S(300));
        assert_eq!(s.planned(4), S(13 * 60));
        assert!(
            !s.set_skipped(0, true, &outline),
            "required steps never skip"
        );
    }

    #[test]
    fn hints_are_taken_in_order_and_recorded() {
        let (mut s, _, p) = session();
        let t = t0();
        s.start(t);
        let all = p.hints_for("requirements").to_vec();
        assert!(all.len() >= 2);
        let first = s.take_hint(&p, t.after(S(42))).unwrap();
        assert_eq!(first, all[0]);
        let second = s.take_hint(&p, t.after(S(50))).unwrap();
        assert_eq!(second, all[1]);
        assert_eq!(s.hints[0].at_secs, 42);
        assert_eq!(s.hints_in("requirements").count(), 2);
        for _ in 2..all.len() {
            s.take_hint(&p, t).unwrap();
        }
        assert_eq!(s.take_hint(&p, t), None);
    }

    #[test]
    fn the_next_redraw_lands_on_the_second_boundary() {
        let (mut s, _, _) = session();
        let t = t0();
        assert_eq!(s.next_second(t), None);
        s.start(t);
        let now = t.after(Duration::from_millis(2_300));
        assert_eq!(
            s.next_second(now),
            Some(now.mono + Duration::from_millis(700))
        );
    }

    #[test]
    fn sessions_that_do_not_fit_the_outline_are_refused_or_completed() {
        let (s, outline, _) = session();
        let mut missing_field = s.clone();
        missing_field.sections[0].fields.remove(1);
        missing_field.conform(&outline).unwrap();
        assert_eq!(missing_field.sections[0].fields[1].id, "non_functional");
        assert_eq!(missing_field.sections[0].fields.len(), 3);

        let mut fewer = s.clone();
        fewer.sections.pop();
        assert!(
            fewer
                .conform(&outline)
                .unwrap_err()
                .contains("do not match")
        );

        let mut unknown = s.clone();
        unknown.sections[1].fields[0].id = "mystery".into();
        assert!(
            unknown
                .conform(&outline)
                .unwrap_err()
                .contains("unknown field `mystery`")
        );

        let mut huge = s;
        huge.sections[0].planned_secs = u64::MAX;
        assert!(huge.check().is_err());
    }

    #[test]
    fn many_syncs_lose_no_time_to_rounding() {
        let (mut s, _, _) = session();
        let t = t0();
        s.start(t);
        for i in 1..=1000u64 {
            s.sync(t.after(Duration::from_micros(i * 1_700)));
        }
        assert_eq!(s.sections[0].spent_ms, 1_700);
    }

    #[test]
    fn newer_schema_versions_are_refused() {
        let (mut s, _, _) = session();
        s.schema_version = SCHEMA_VERSION + 1;
        assert!(s.check().unwrap_err().contains("newer sdcoach"));
    }
}
