//! The sessions browser: every saved session from the index, sorted, filtered and fuzzy
//! searched over titles and the start of the text, with the selected one previewed.

use crate::domain::fuzzy;
use crate::domain::problem::CATEGORIES;
use crate::domain::session::Status;
use crate::domain::summary::{Filter, Mode, Summary};
use crate::storage::bank::Bank;
use crate::storage::sessions::{Damaged, Listed, split};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Date,
    Title,
    Mode,
    Time,
    Status,
    Overtime,
    Score,
}

impl SortKey {
    pub const ALL: [SortKey; 7] = [
        SortKey::Date,
        SortKey::Title,
        SortKey::Mode,
        SortKey::Time,
        SortKey::Status,
        SortKey::Overtime,
        SortKey::Score,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Date => "date",
            SortKey::Title => "title",
            SortKey::Mode => "mode",
            SortKey::Time => "time",
            SortKey::Status => "status",
            SortKey::Overtime => "overtime",
            SortKey::Score => "self-score",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Review {
    pub all: Vec<Summary>,
    /// Damaged files: listed, never hidden.
    pub damaged: Vec<Damaged>,
    /// Indices into `all`, in display order.
    pub visible: Vec<usize>,
    pub selected: usize,
    pub query: String,
    /// Typing goes to the search box (after `/`).
    pub searching: bool,
    pub filter: Filter,
    /// Index into `CATEGORIES`.
    pub category: Option<usize>,
    pub sort: SortKey,
    pub descending: bool,
    /// Category of each problem id, for the category filter.
    categories: Vec<(String, String)>,
}

impl Review {
    pub fn new(listed: Vec<Listed>, bank: &Bank) -> Self {
        let (all, damaged) = split(listed);
        let categories = bank
            .entries
            .iter()
            .map(|e| (e.problem.id().to_string(), e.problem.category().to_string()))
            .collect();
        let mut r = Self {
            all,
            damaged,
            visible: Vec::new(),
            selected: 0,
            query: String::new(),
            searching: false,
            filter: Filter::default(),
            category: None,
            sort: SortKey::Date,
            descending: true,
            categories,
        };
        r.refresh();
        r
    }

    pub fn selected_summary(&self) -> Option<&Summary> {
        self.visible.get(self.selected).map(|&i| &self.all[i])
    }

    fn category_of(&self, s: &Summary) -> Option<&str> {
        let pid = s.problem_id.as_deref()?;
        self.categories
            .iter()
            .find(|(p, _)| p == pid)
            .map(|(_, c)| c.as_str())
    }

    /// Re-applies filters, search and sort, keeping the selected session selected.
    pub fn refresh(&mut self) {
        let keep = self.selected_summary().map(|s| s.id.clone());
        let passing: Vec<usize> = (0..self.all.len())
            .filter(|&i| {
                let s = &self.all[i];
                self.filter.matches(s)
                    && self
                        .category
                        .is_none_or(|c| self.category_of(s) == Some(CATEGORIES[c].0))
            })
            .collect();
        self.visible = if self.query.trim().is_empty() {
            let mut v = passing;
            let all = &self.all;
            v.sort_by(|&a, &b| {
                let (a, b) = (&all[a], &all[b]);
                let o = match self.sort {
                    SortKey::Date => a.created_at.cmp(&b.created_at),
                    SortKey::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
                    SortKey::Mode => a.mode().label().cmp(b.mode().label()),
                    SortKey::Time => a.spent_secs.cmp(&b.spent_secs),
                    SortKey::Status => a.status.label().cmp(b.status.label()),
                    SortKey::Overtime => a.overtime_secs.cmp(&b.overtime_secs),
                    SortKey::Score => a
                        .score
                        .partial_cmp(&b.score)
                        .unwrap_or(std::cmp::Ordering::Equal),
                };
                let o = o.then(a.created_at.cmp(&b.created_at));
                if self.descending { o.reverse() } else { o }
            });
            v
        } else {
            // Titles match fuzzily, best first; then sessions whose text contains the query
            // literally. Sorting resumes when the query is cleared.
            let titles: Vec<&str> = passing
                .iter()
                .map(|&i| self.all[i].title.as_str())
                .collect();
            let mut hits: Vec<usize> = fuzzy::rank(&self.query, &titles)
                .into_iter()
                .map(|k| passing[k])
                .collect();
            let needle = self.query.trim().to_lowercase();
            let mut taken = vec![false; self.all.len()];
            for &i in &hits {
                taken[i] = true;
            }
            let in_text: Vec<usize> = passing
                .iter()
                .copied()
                .filter(|&i| !taken[i] && self.all[i].excerpt.to_lowercase().contains(&needle))
                .collect();
            hits.extend(in_text);
            hits
        };
        self.selected = keep
            .and_then(|id| self.visible.iter().position(|&i| self.all[i].id == id))
            .unwrap_or(0);
    }

    pub fn move_by(&mut self, delta: isize) {
        if !self.visible.is_empty() {
            self.selected = self
                .selected
                .saturating_add_signed(delta)
                .min(self.visible.len() - 1);
        }
    }

    pub fn select_id(&mut self, id: &str) {
        if let Some(pos) = self.visible.iter().position(|&i| self.all[i].id == id) {
            self.selected = pos;
        }
    }

    pub fn next_sort(&mut self) {
        let i = SortKey::ALL
            .iter()
            .position(|k| *k == self.sort)
            .unwrap_or(0);
        self.sort = SortKey::ALL[(i + 1) % SortKey::ALL.len()];
        self.refresh();
    }

    pub fn cycle_mode(&mut self) {
        self.filter.mode = match self.filter.mode {
            None => Some(Mode::Interview),
            Some(Mode::Interview) => Some(Mode::Spec),
            Some(Mode::Spec) => None,
        };
        self.refresh();
    }

    pub fn cycle_status(&mut self) {
        self.filter.status = match self.filter.status {
            None => Some(Status::InProgress),
            Some(Status::InProgress) => Some(Status::Finished),
            Some(Status::Finished) => None,
        };
        self.refresh();
    }

    pub fn cycle_category(&mut self) {
        self.category = match self.category {
            None => Some(0),
            Some(i) if i + 1 < CATEGORIES.len() => Some(i + 1),
            Some(_) => None,
        };
        self.refresh();
    }

    /// Limits the list to attempts at the selected session's problem (or clears that filter).
    pub fn toggle_same_problem(&mut self) {
        self.filter.problem = match (&self.filter.problem, self.selected_summary()) {
            (Some(_), _) => None,
            (None, Some(s)) => s.problem_id.clone(),
            (None, None) => None,
        };
        self.refresh();
    }

    /// The most recent earlier attempt at the same problem, for comparison.
    pub fn previous_attempt(&self, of: &Summary) -> Option<&Summary> {
        let pid = of.problem_id.as_deref()?;
        self.all
            .iter()
            .filter(|s| s.problem_id.as_deref() == Some(pid) && s.created_at < of.created_at)
            .max_by_key(|s| s.created_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::summary::StepSummary;

    fn s(id: &str, title: &str, date: &str, spent: u64, status: Status, outline: &str) -> Listed {
        Listed::Ok(Summary {
            id: id.into(),
            title: title.into(),
            outline: outline.into(),
            problem_id: Some(title.to_lowercase().replace(' ', "-")),
            status,
            created_at: date.parse().unwrap(),
            updated_at: date.parse().unwrap(),
            total_minutes: 40,
            spent_secs: spent,
            planned_secs: 2400,
            overtime_secs: spent.saturating_sub(2400),
            paused_secs: 0,
            hints: 0,
            current_step: String::new(),
            retry_of: None,
            strict: false,
            score: None,
            steps: Vec::<StepSummary>::new(),
            excerpt: format!("{title} excerpt about sharding"),
        })
    }

    fn review() -> Review {
        let bank = Bank::load(
            std::path::Path::new("/nonexistent"),
            &crate::storage::embedded::framework().unwrap(),
        );
        Review::new(
            vec![
                s(
                    "a",
                    "URL shortener",
                    "2026-11-01T10:00:00Z",
                    2000,
                    Status::Finished,
                    "interview",
                ),
                s(
                    "b",
                    "News feed",
                    "2026-11-03T10:00:00Z",
                    2600,
                    Status::InProgress,
                    "interview",
                ),
                s(
                    "c",
                    "Cache spec",
                    "2026-11-02T10:00:00Z",
                    900,
                    Status::Finished,
                    "one-pager",
                ),
                s(
                    "d",
                    "URL shortener",
                    "2026-11-05T10:00:00Z",
                    2500,
                    Status::Finished,
                    "interview",
                ),
                Listed::Damaged {
                    path: "x.toml".into(),
                    reason: "bad".into(),
                },
            ],
            &bank,
        )
    }

    fn ids(r: &Review) -> Vec<&str> {
        r.visible.iter().map(|&i| r.all[i].id.as_str()).collect()
    }

    #[test]
    fn newest_first_then_any_column_either_way() {
        let mut r = review();
        assert_eq!(ids(&r), ["d", "b", "c", "a"]);
        assert_eq!(r.damaged.len(), 1);
        r.next_sort(); // title
        assert_eq!(r.sort, SortKey::Title);
        assert_eq!(
            ids(&r),
            ["d", "a", "b", "c"],
            "descending title, ties newest first"
        );
        r.descending = false;
        r.refresh();
        assert_eq!(ids(&r), ["c", "b", "a", "d"]);
        r.sort = SortKey::Overtime;
        r.refresh();
        assert_eq!(ids(&r)[3], "b");
    }

    #[test]
    fn filters_and_search_combine_and_keep_the_selection() {
        let mut r = review();
        r.select_id("a");
        r.cycle_mode();
        assert_eq!(ids(&r), ["d", "b", "a"]);
        assert_eq!(r.selected_summary().unwrap().id, "a");
        r.cycle_status();
        assert_eq!(ids(&r), ["b"]);
        r.cycle_status();
        r.cycle_status();
        r.query = "url".into();
        r.refresh();
        assert_eq!(ids(&r).len(), 2);
        r.query = "about shard".into();
        r.refresh();
        assert_eq!(ids(&r).len(), 3, "text matches literally");
        r.query = "zzzz".into();
        r.refresh();
        assert!(r.visible.is_empty());
        assert!(r.selected_summary().is_none());
    }

    #[test]
    fn same_problem_filter_and_previous_attempt() {
        let mut r = review();
        r.select_id("d");
        r.toggle_same_problem();
        assert_eq!(ids(&r), ["d", "a"]);
        let d = r.all.iter().find(|s| s.id == "d").unwrap().clone();
        assert_eq!(r.previous_attempt(&d).unwrap().id, "a");
        let a = r.all.iter().find(|s| s.id == "a").unwrap().clone();
        assert!(r.previous_attempt(&a).is_none());
    }
}
