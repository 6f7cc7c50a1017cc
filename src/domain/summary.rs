//! The short form of a session that listings, the sessions browser and statistics work from,
//! so they never need whole sessions. Stored in the session index.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::session::{Session, Status};

/// What listings, the browser and statistics need, without keeping the whole session around.
/// Kept in the index (`storage/index.rs`), so its shape is part of the index format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub id: String,
    pub title: String,
    /// The outline the session follows (`interview`, `one-pager`, …).
    pub outline: String,
    pub problem_id: Option<String>,
    pub status: Status,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub total_minutes: u32,
    pub spent_secs: u64,
    pub planned_secs: u64,
    /// Time over budget, summed over the steps that ran over.
    pub overtime_secs: u64,
    pub paused_secs: u64,
    pub hints: usize,
    pub current_step: String,
    /// The earlier attempt this one retries.
    pub retry_of: Option<String>,
    /// Practised in strict mode.
    pub strict: bool,
    /// Average self-score (0-3) over the steps scored, if any.
    pub score: Option<f64>,
    pub steps: Vec<StepSummary>,
    /// The start of what was written (for search and previews), at most `EXCERPT` characters.
    pub excerpt: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepSummary {
    pub id: String,
    pub planned_secs: u64,
    pub spent_secs: u64,
    pub skipped: bool,
    /// Characters written in the step.
    pub chars: usize,
}

/// Characters of text kept per session for search and previews.
const EXCERPT: usize = 240;

impl Summary {
    pub fn of(s: &Session) -> Self {
        let steps: Vec<StepSummary> = s
            .sections
            .iter()
            .map(|x| StepSummary {
                id: x.id.clone(),
                planned_secs: x.planned_secs,
                spent_secs: x.spent_ms / 1000,
                skipped: x.skipped,
                chars: x.fields.iter().map(|f| f.text.chars().count()).sum(),
            })
            .collect();
        let mut excerpt = String::new();
        'fields: for f in s.sections.iter().flat_map(|x| &x.fields) {
            for word in f.text.split_whitespace() {
                if excerpt.chars().count() + word.chars().count() + 1 > EXCERPT {
                    break 'fields;
                }
                if !excerpt.is_empty() {
                    excerpt.push(' ');
                }
                excerpt.push_str(word);
            }
        }
        let sum =
            |f: fn(&StepSummary) -> u64| steps.iter().fold(0u64, |a, x| a.saturating_add(f(x)));
        Self {
            id: s.id.clone(),
            title: s.title.clone(),
            outline: s.outline.clone(),
            problem_id: s.problem_id.clone(),
            status: s.status,
            created_at: s.created_at,
            updated_at: s.updated_at,
            total_minutes: s.total_minutes,
            spent_secs: sum(|x| x.spent_secs),
            planned_secs: sum(|x| x.planned_secs),
            overtime_secs: if s.timed() {
                steps.iter().filter(|x| !x.skipped).fold(0u64, |a, x| {
                    a.saturating_add(x.spent_secs.saturating_sub(x.planned_secs))
                })
            } else {
                0
            },
            paused_secs: s.pauses.iter().fold(0u64, |a, p| a.saturating_add(p.secs)),
            hints: s.hints.len(),
            current_step: s
                .sections
                .get(s.current)
                .map(|x| x.id.clone())
                .unwrap_or_default(),
            retry_of: s.retry_of.clone(),
            strict: s.strict,
            score: {
                let kept: Vec<f64> = s
                    .sections
                    .iter()
                    .filter(|x| !x.skipped)
                    .filter_map(|x| s.scores.get(&x.id))
                    .map(|v| f64::from(*v))
                    .collect();
                (!kept.is_empty()).then(|| kept.iter().sum::<f64>() / kept.len() as f64)
            },
            steps,
            excerpt,
        }
    }
}

/// What kind of work a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Interview,
    Spec,
}

impl Mode {
    pub fn label(self) -> &'static str {
        match self {
            Mode::Interview => "interview",
            Mode::Spec => "spec",
        }
    }
}

impl Summary {
    pub fn mode(&self) -> Mode {
        if self.outline == super::outline::INTERVIEW {
            Mode::Interview
        } else {
            Mode::Spec
        }
    }
}

/// Filters shared by `sessions list` and the sessions browser; `None` lets everything through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub mode: Option<Mode>,
    pub status: Option<Status>,
    pub problem: Option<String>,
    /// Sessions created at or after this moment.
    pub since: Option<Timestamp>,
}

impl Filter {
    pub fn matches(&self, s: &Summary) -> bool {
        self.mode.is_none_or(|m| m == s.mode())
            && self.status.is_none_or(|st| st == s.status)
            && self
                .problem
                .as_deref()
                .is_none_or(|p| s.problem_id.as_deref() == Some(p))
            && self.since.is_none_or(|t| s.created_at >= t)
    }
}
