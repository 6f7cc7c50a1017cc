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
    use crate::domain::problem::TAGS;

    fn framework() -> Outline {
        embedded::framework().unwrap()
    }

    #[test]
    fn every_built_in_problem_is_complete() {
        let f = framework();
        let problems = embedded::problems();
        assert!(problems.len() >= 6, "ship at least 6 problems");
        let mut ids = std::collections::BTreeSet::new();
        for (name, parsed) in problems {
            let p = parsed.unwrap_or_else(|e| panic!("{e}"));
            assert!(ids.insert(p.id().to_string()), "duplicate id {}", p.id());
            assert_eq!(format!("{}.toml", p.id()), name, "file name matches id");
            let r = &p.reference;
            let min = |what: &str, n: usize, at_least: usize| {
                assert!(
                    n >= at_least,
                    "{}: {what} has {n}, needs {at_least}",
                    p.id()
                );
            };
            min("clarifying_questions", p.clarifying_questions.len(), 4);
            min("reference.functional", r.functional.len(), 3);
            min("reference.out_of_scope", r.out_of_scope.len(), 1);
            min("reference.non_functional", r.non_functional.len(), 4);
            min("reference.capacity", r.capacity.len(), 3);
            min("reference.entities", r.entities.len(), 3);
            min("reference.api", r.api.len(), 2);
            min("reference.hld", r.hld.len(), 6);
            min("reference.data_model", r.data_model.len(), 2);
            min("follow_ups", p.follow_ups.len(), 6);
            min("curveballs", p.curveballs.len(), 2);
            min("key_points", p.key_points.len(), 10);
            min("rubric.mid", p.rubric.mid.len(), 2);
            min("rubric.senior", p.rubric.senior.len(), 2);
            min("rubric.staff", p.rubric.staff.len(), 2);
            for f_up in &p.follow_ups {
                min("follow-up key_points", f_up.key_points.len(), 3);
            }
            for c in &p.curveballs {
                min("curveball good_response", c.good_response.len(), 2);
            }
            for s in &f.sections {
                if s.id == "data_flow" && !p.data_flow {
                    continue;
                }
                min(&format!("hints.{}", s.id), p.hints_for(&s.id).len(), 2);
            }
            for tag in p.tag_names() {
                assert!(
                    TAGS.contains(&tag),
                    "{}: tag `{tag}` is not documented",
                    p.id()
                );
            }
            let texts = p
                .clarifying_questions
                .iter()
                .chain(&r.functional)
                .chain(&r.non_functional)
                .chain(&r.capacity)
                .chain(&r.entities)
                .chain(&r.api)
                .chain(&r.data_model);
            for t in texts {
                assert!(!t.trim().is_empty(), "{}: empty line", p.id());
            }
        }
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
            let src = super::embedded::problems_source(&name).unwrap();
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
        let src = super::embedded::problems_source("url-shortener.toml").unwrap();
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
