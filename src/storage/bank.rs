//! The question bank: built-in problems, plus `<config>/question-bank/*.toml` files that add
//! problems or replace a built-in one with the same id. A broken user file is skipped and
//! reported; it never hides the others.

use std::path::Path;

use super::embedded;
use super::located::Located;
use super::paths::{files_with_suffix, read_text};
use crate::domain::outline::Outline;
use crate::domain::problem::Problem;

/// Parses and validates one problem file; the first error points at file, line and column.
pub fn parse_problem(path: &str, source: &str, framework: &Outline) -> Result<Problem, Located> {
    let problem: Problem =
        toml::from_str(source).map_err(|e| Located::from_toml(path, source, &e))?;
    match problem.validate(framework).into_iter().next() {
        Some(err) => Err(Located::at(path, source, err.span, &err.message)),
        None => Ok(problem),
    }
}

/// Reads and parses a problem file from disk.
pub fn load_problem_file(path: &Path, framework: &Outline) -> Result<Problem, Located> {
    let shown = path.display().to_string();
    let source = read_text(path).map_err(|e| Located::at(&shown, "", None, &format!("{e:#}")))?;
    parse_problem(&shown, &source, framework)
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub problem: Problem,
    /// Where it came from: `built-in` or the user file's path.
    pub source: String,
}

#[derive(Debug, Clone, Default)]
pub struct Bank {
    /// Sorted by category order, difficulty, then title.
    pub entries: Vec<Entry>,
    /// Files that could not be used, with the reason.
    pub skipped: Vec<Located>,
}

impl Bank {
    /// Built-in problems plus the user's directory (which may be absent).
    pub fn load(user_dir: &Path, framework: &Outline) -> Self {
        let mut bank = Bank::default();
        for (_, parsed) in embedded::problems() {
            match parsed {
                Ok(problem) => bank.entries.push(Entry {
                    problem,
                    source: "built-in".into(),
                }),
                Err(e) => bank.skipped.push(e),
            }
        }
        match files_with_suffix(user_dir, ".toml") {
            Ok(files) => {
                for path in files {
                    match load_problem_file(&path, framework) {
                        Ok(problem) => bank.insert(Entry {
                            problem,
                            source: path.display().to_string(),
                        }),
                        Err(e) => bank.skipped.push(e),
                    }
                }
            }
            Err(e) => bank.skipped.push(Located::at(
                &user_dir.display().to_string(),
                "",
                None,
                &format!("{e:#}"),
            )),
        }
        bank.sort();
        bank
    }

    /// Adds a problem, replacing one with the same id.
    fn insert(&mut self, entry: Entry) {
        match self
            .entries
            .iter_mut()
            .find(|e| e.problem.id() == entry.problem.id())
        {
            Some(existing) => *existing = entry,
            None => self.entries.push(entry),
        }
    }

    fn sort(&mut self) {
        use crate::domain::problem::CATEGORIES;
        let rank = |c: &str| {
            CATEGORIES
                .iter()
                .position(|(id, _)| *id == c)
                .unwrap_or(CATEGORIES.len())
        };
        self.entries.sort_by(|a, b| {
            let (a, b) = (&a.problem, &b.problem);
            rank(a.category())
                .cmp(&rank(b.category()))
                .then(a.difficulty.cmp(&b.difficulty))
                .then(a.title.cmp(&b.title))
        });
    }

    /// Every problem as statistics see it (id, title, category).
    pub fn problem_refs(&self) -> Vec<crate::domain::stats::ProblemRef<'_>> {
        self.entries
            .iter()
            .map(|e| crate::domain::stats::ProblemRef {
                id: e.problem.id(),
                title: &e.problem.title,
                category: e.problem.category(),
            })
            .collect()
    }

    pub fn get(&self, id: &str) -> Option<&Problem> {
        self.entries
            .iter()
            .map(|e| &e.problem)
            .find(|p| p.id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in bank ships at least this many problems, a fifth of them data-processing.
    const MIN_BUILT_IN: usize = 40;

    fn framework() -> Outline {
        embedded::framework().unwrap()
    }

    #[test]
    fn every_built_in_problem_is_complete() {
        let f = framework();
        let problems = embedded::problems();
        let mut ids = std::collections::BTreeSet::new();
        let mut data_flow = 0;
        let mut difficulties = std::collections::BTreeSet::new();
        for (name, parsed) in &problems {
            let p = parsed.as_ref().unwrap_or_else(|e| panic!("{e}"));
            assert!(ids.insert(p.id().to_string()), "duplicate id {}", p.id());
            assert_eq!(&format!("{}.toml", p.id()), name, "file name matches id");
            let issues = p.completeness(&f);
            assert!(issues.is_empty(), "{}: {issues:#?}", p.id());
            data_flow += usize::from(p.data_flow);
            difficulties.insert(p.difficulty);
        }
        assert!(
            problems.len() >= MIN_BUILT_IN,
            "ship at least {MIN_BUILT_IN} problems"
        );
        assert!(
            data_flow >= MIN_BUILT_IN / 5,
            "too few data-processing problems: {data_flow}"
        );
        assert!(
            difficulties.len() == 3 || problems.len() < 40,
            "easy, medium and hard"
        );
    }

    /// Every problem is consistent with its own reference answer (which states each
    /// of its key points) and specific (no point fires on more than two other problems'
    /// reference answers).
    #[test]
    fn key_points_are_stated_by_their_reference_and_specific() {
        use crate::domain::corpus::{unspecific, unstated_by_reference};
        let f = framework();
        let problems: Vec<Problem> = embedded::problems()
            .into_iter()
            .map(|(_, p)| p.unwrap())
            .collect();
        for p in &problems {
            let unstated = unstated_by_reference(p, &f).unwrap();
            assert!(
                unstated.is_empty(),
                "{}: reference misses {unstated:#?}",
                p.id()
            );
        }
        let all: Vec<&Problem> = problems.iter().collect();
        let loose: Vec<_> = unspecific(&all, &f)
            .unwrap()
            .into_iter()
            .map(|u| {
                format!(
                    "{}: {} fires on {} others",
                    u.problem,
                    u.point,
                    u.fires_on.len()
                )
            })
            .collect();
        assert!(loose.is_empty(), "{loose:#?}");
    }

    #[test]
    fn user_files_add_override_and_never_hide_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let builtin = embedded::problems();
        let (_, first) = &builtin[0];
        let first = first.as_ref().unwrap();
        // An override: same id, new title.
        let (name, source) = {
            let name = format!("{}.toml", first.id());
            let src = super::embedded::problem_source(&name).unwrap();
            let title_line = format!("title = {:?}", first.title);
            assert!(src.contains(&title_line), "{title_line}");
            (
                name,
                src.replacen(&title_line, "title = \"My own title\"", 1),
            )
        };
        std::fs::write(dir.path().join(&name), source).unwrap();
        std::fs::write(dir.path().join("broken.toml"), "id = \"x\"\ntitle = [\n").unwrap();
        let bank = Bank::load(dir.path(), &framework());
        assert_eq!(bank.entries.len(), builtin.len());
        assert_eq!(bank.get(first.id()).unwrap().title, "My own title");
        assert_eq!(bank.skipped.len(), 1);
        let err = bank.skipped[0].to_string();
        assert!(err.contains("broken.toml:"), "{err}");
    }

    #[test]
    fn unknown_fields_and_bad_values_point_at_the_line() {
        let f = framework();
        let src = super::embedded::problem_source("url-shortener.toml").unwrap();
        let bad = src.replacen("difficulty =", "dificulty =", 1);
        let e = parse_problem("u.toml", &bad, &f).unwrap_err();
        assert!(e.message.contains("dificulty"), "{e}");
        let line = bad
            .lines()
            .position(|l| l.starts_with("dificulty"))
            .unwrap()
            + 1;
        assert_eq!(e.line, line);

        let bad = src.replacen("category = \"core\"", "category = \"nope\"", 1);
        let e = parse_problem("u.toml", &bad, &f).unwrap_err();
        assert!(e.message.contains("unknown category `nope`"), "{e}");
        assert!(e.to_string().contains("^^^^^^"), "{e}");
    }
}
