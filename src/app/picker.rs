//! The problem picker: category and difficulty filters, a fuzzy search box, a selection.

use crate::domain::fuzzy;
use crate::domain::problem::{CATEGORIES, Difficulty};
use crate::storage::bank::Bank;

#[derive(Debug, Clone, Default)]
pub struct Picker {
    pub query: String,
    /// Index into `CATEGORIES`; `None` is "all".
    pub category: Option<usize>,
    pub difficulty: Option<Difficulty>,
    /// Indices into the bank's entries, in display order.
    pub visible: Vec<usize>,
    /// Position in `visible`.
    pub selected: usize,
}

impl Picker {
    pub fn new(bank: &Bank) -> Self {
        let mut p = Self::default();
        p.refresh(bank);
        p
    }

    /// Recomputes the visible list after a filter or the query changed, keeping the selected
    /// problem selected when it is still visible.
    pub fn refresh(&mut self, bank: &Bank) {
        let keep = self.selected_entry();
        let candidates: Vec<(usize, String)> = bank
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                let p = &e.problem;
                self.category
                    .is_none_or(|c| CATEGORIES[c].0 == p.category())
                    && self.difficulty.is_none_or(|d| d == p.difficulty)
            })
            .map(|(i, e)| {
                let p = &e.problem;
                let tags: Vec<&str> = p.tag_names().collect();
                (i, format!("{} {} {}", p.title, p.id(), tags.join(" ")))
            })
            .collect();
        let texts: Vec<&str> = candidates.iter().map(|(_, t)| t.as_str()).collect();
        self.visible = fuzzy::rank(&self.query, &texts)
            .into_iter()
            .map(|k| candidates[k].0)
            .collect();
        self.selected = keep
            .and_then(|e| self.visible.iter().position(|v| *v == e))
            .unwrap_or(0);
    }

    pub fn selected_entry(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn cycle_category(&mut self, forward: bool) {
        let n = CATEGORIES.len();
        self.category = match (self.category, forward) {
            (None, true) => Some(0),
            (None, false) => Some(n - 1),
            (Some(i), true) if i + 1 < n => Some(i + 1),
            (Some(i), false) if i > 0 => Some(i - 1),
            (Some(_), _) => None,
        };
    }

    pub fn cycle_difficulty(&mut self) {
        self.difficulty = match self.difficulty {
            None => Some(Difficulty::Easy),
            Some(Difficulty::Easy) => Some(Difficulty::Medium),
            Some(Difficulty::Medium) => Some(Difficulty::Hard),
            Some(Difficulty::Hard) => None,
        };
    }

    /// Picks a visible problem from a seed (the caller passes something that varies, such as
    /// the clock's nanoseconds).
    pub fn pick_random(&mut self, seed: u64) {
        if !self.visible.is_empty() {
            // splitmix64: spreads nearby seeds over the whole range.
            let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            self.selected = (z % self.visible.len() as u64) as usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::embedded;

    fn bank() -> Bank {
        let f = embedded::framework().unwrap();
        Bank::load(std::path::Path::new("/nonexistent"), &f)
    }

    #[test]
    fn filters_combine_and_search_narrows() {
        let bank = bank();
        let mut p = Picker::new(&bank);
        assert_eq!(p.visible.len(), bank.entries.len());
        p.difficulty = Some(Difficulty::Easy);
        p.refresh(&bank);
        assert!(
            p.visible
                .iter()
                .all(|&i| bank.entries[i].problem.difficulty == Difficulty::Easy)
        );
        p.difficulty = None;
        p.query = "shortener".into();
        p.refresh(&bank);
        assert_eq!(bank.entries[p.visible[0]].problem.id(), "url-shortener");
        p.query = "qqqzzz".into();
        p.refresh(&bank);
        assert!(p.visible.is_empty());
        assert_eq!(p.selected_entry(), None);
    }

    #[test]
    fn selection_survives_refresh_and_stays_in_range() {
        let bank = bank();
        let mut p = Picker::new(&bank);
        p.move_by(2);
        let chosen = p.selected_entry();
        p.refresh(&bank);
        assert_eq!(p.selected_entry(), chosen);
        p.move_by(1000);
        assert_eq!(p.selected, p.visible.len() - 1);
        p.move_by(-1000);
        assert_eq!(p.selected, 0);
    }

    #[test]
    fn category_cycle_wraps_through_all() {
        let mut p = Picker::default();
        for _ in 0..CATEGORIES.len() {
            p.cycle_category(true);
            assert!(p.category.is_some());
        }
        p.cycle_category(true);
        assert_eq!(p.category, None);
        p.cycle_category(false);
        assert_eq!(p.category, Some(CATEGORIES.len() - 1));
    }

    #[test]
    fn random_pick_stays_in_range_and_varies() {
        let bank = bank();
        let mut p = Picker::new(&bank);
        let mut seen = std::collections::BTreeSet::new();
        for seed in 0..50 {
            p.pick_random(seed);
            assert!(p.selected < p.visible.len());
            seen.insert(p.selected);
        }
        assert!(seen.len() > 1);
    }
}
