//! The judge measured: against a labelled corpus (answers written outside the bank's wording,
//! each key point and traceability cell labelled by hand, `tests/fixtures/coverage/README.md`),
//! and against the bank itself (each problem's reference answer must state all its key points,
//! and no key point may fire on more than [`MAX_FOREIGN`] other problems' references).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::coaching::{AnswerText, Coaching, answer_texts};
use super::coverage::Matcher;
use super::coverage::text::{Analysed, Field, Normaliser};
use super::coverage::trace::items;
use super::coverage::{Evidence, PointResult, Trace};
use super::outline::Outline;
use super::problem::Problem;
use super::session::Session;

/// One labelled answer, as a corpus file holds it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labelled {
    pub problem: String,
    pub style: String,
    pub author: String,
    pub note: String,
    /// The candidate's text by field key (see [`FIELD_ROLES`]).
    #[serde(default)]
    pub answer: BTreeMap<String, String>,
    /// Each key point by name: whether the answer states it.
    pub labels: BTreeMap<String, bool>,
    #[serde(default)]
    pub trace: Vec<TraceLabel>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraceLabel {
    pub requirement: String,
    pub endpoint: bool,
    pub entity: bool,
    pub component: bool,
}

/// Corpus field keys and the interview field role each fills.
pub const FIELD_ROLES: &[(&str, &str)] = &[
    ("functional", "functional"),
    ("non_functional", "non_functional"),
    ("capacity", "capacity"),
    ("entities", "entities"),
    ("api", "api"),
    ("data_flow", "data_flow"),
    ("hld", "architecture"),
    ("data_model", "data_model"),
    ("deep_dives", "deep_dives"),
];

/// A key point where the judge and the label disagree.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    pub point: String,
    /// What the label says.
    pub expected: bool,
    pub result: PointResult,
}

/// A traceability cell where the judge and the label disagree.
#[derive(Debug, Clone, Serialize)]
pub struct CellDisagreement {
    pub requirement: String,
    /// `endpoint`, `entity` or `component`.
    pub cell: &'static str,
    pub expected: bool,
    /// What the judge showed as serving it, when it said yes.
    pub evidence: Option<Evidence>,
}

/// One answer, judged.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub name: String,
    pub problem: String,
    pub style: String,
    pub counts: Counts,
    pub disagreements: Vec<Disagreement>,
    pub cells: usize,
    pub wrong_cells: Vec<CellDisagreement>,
}

/// True and false positives and negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub tn: usize,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        self.tn += o.tn;
    }

    /// Of the ✓ given, the share that are right (1 when none were given).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Of the points stated, the share that got a ✓ (1 when none were stated).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// ✓ given.
    pub fn credited(&self) -> usize {
        self.tp + self.fp
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Why a labelled answer could not be judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseError(pub String);

/// Builds the session a candidate would have saved with these texts, by corpus field key.
pub fn session_for<'t>(
    texts: impl IntoIterator<Item = (&'t str, &'t str)>,
    outline: &Outline,
    problem: &Problem,
) -> Result<Session, CaseError> {
    let mut session = Session::new_interview(
        "corpus".into(),
        outline,
        problem,
        45,
        BTreeMap::new(),
        jiff::Timestamp::UNIX_EPOCH,
    );
    for (key, text) in texts {
        let role = FIELD_ROLES
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, r)| *r)
            .ok_or_else(|| CaseError(format!("unknown answer field `{key}`")))?;
        let (si, fi) = outline
            .field_with_role(role)
            .ok_or_else(|| CaseError(format!("the outline has no `{role}` field")))?;
        text.clone_into(&mut session.sections[si].fields[fi].text);
        session.sections[si].skipped = false;
    }
    Ok(session)
}

fn trace_cells(t: &Trace) -> [(&'static str, Option<&Evidence>); 3] {
    [
        ("endpoint", t.endpoint.as_ref()),
        ("entity", t.entity.as_ref()),
        ("component", t.component.as_ref()),
    ]
}

/// Judges one labelled answer and compares with its labels.
pub fn judge(
    name: &str,
    case: &Labelled,
    outline: &Outline,
    problem: &Problem,
) -> Result<CaseResult, CaseError> {
    for label in case.labels.keys() {
        if !problem.key_points.iter().any(|k| &k.name == label) {
            return Err(CaseError(format!(
                "label for `{label}`, which is not a key point of {}",
                problem.id()
            )));
        }
    }
    let texts = case.answer.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let session = session_for(texts, outline, problem)?;
    let coaching = Coaching::build(&session, outline, problem);
    let mut counts = Counts::default();
    let mut disagreements = Vec::new();
    for result in &coaching.coverage.points {
        let expected = *case
            .labels
            .get(&result.name)
            .ok_or_else(|| CaseError(format!("no label for key point `{}`", result.name)))?;
        let got = result.covered();
        match (expected, got) {
            (true, true) => counts.tp += 1,
            (false, true) => counts.fp += 1,
            (true, false) => counts.fn_ += 1,
            (false, false) => counts.tn += 1,
        }
        if expected != got {
            disagreements.push(Disagreement {
                point: result.name.clone(),
                expected,
                result: result.clone(),
            });
        }
    }
    let mut wrong_cells = Vec::new();
    let mut cells = 0;
    let functional = case.answer.get("functional").map_or("", String::as_str);
    let lines = items(functional);
    for label in &case.trace {
        if !lines.contains(&label.requirement) {
            return Err(CaseError(format!(
                "requirement `{}` is not a line of the answer's functional requirements",
                label.requirement
            )));
        }
        // A line with no words that could trace it ("make it fast") reaches nothing.
        let untraced = Trace {
            requirement: label.requirement.clone(),
            endpoint: None,
            entity: None,
            component: None,
        };
        let found = coaching
            .traces
            .iter()
            .find(|t| t.requirement == label.requirement)
            .unwrap_or(&untraced);
        for ((cell, got), expected) in
            trace_cells(found)
                .into_iter()
                .zip([label.endpoint, label.entity, label.component])
        {
            cells += 1;
            if got.is_some() != expected {
                wrong_cells.push(CellDisagreement {
                    requirement: label.requirement.clone(),
                    cell,
                    expected,
                    evidence: got.cloned(),
                });
            }
        }
    }
    Ok(CaseResult {
        name: name.to_string(),
        problem: case.problem.clone(),
        style: case.style.clone(),
        counts,
        disagreements,
        cells,
        wrong_cells,
    })
}

/// The most other problems' reference answers one key point may fire on: a point that fires
/// on more is a word, not a concept of this problem.
pub const MAX_FOREIGN: usize = 2;

/// The coaching a problem's own reference answer gets.
pub fn reference_coaching(problem: &Problem, outline: &Outline) -> Result<Coaching, CaseError> {
    let answer = problem.reference_answer();
    let texts = answer.iter().map(|(k, v)| (*k, v.as_str()));
    let session = session_for(texts, outline, problem)?;
    Ok(Coaching::build(&session, outline, problem))
}

/// The key points a problem's own reference answer does not state, with why.
pub fn unstated_by_reference(
    problem: &Problem,
    outline: &Outline,
) -> Result<Vec<PointResult>, CaseError> {
    Ok(reference_coaching(problem, outline)?
        .coverage
        .points
        .into_iter()
        .filter(|p| !p.covered())
        .collect())
}

/// A key point that fires on too many other problems' references.
#[derive(Debug, Clone, Serialize)]
pub struct Unspecific {
    pub problem: String,
    pub point: String,
    /// The other problems whose reference answers it fires on, with what it fired on.
    pub fires_on: Vec<FiredOn>,
}

/// A problem id and the evidence a key point fired on in its reference answer.
pub type FiredOn = (String, Option<Evidence>);

/// Every key point of `problems` that fires on more than [`MAX_FOREIGN`] of the others'
/// reference answers.
pub fn unspecific(problems: &[&Problem], outline: &Outline) -> Result<Vec<Unspecific>, CaseError> {
    let mut fires: BTreeMap<(usize, usize), Vec<FiredOn>> = BTreeMap::new();
    let mut norm = Normaliser::default();
    for host in problems {
        let answer = host.reference_answer();
        let texts = answer.iter().map(|(k, v)| (*k, v.as_str()));
        let session = session_for(texts, outline, host)?;
        let texts = answer_texts(&session, outline);
        let fields: Vec<Field> = texts.iter().map(AnswerText::field).collect();
        let read = Analysed::new(&fields, &mut norm);
        let matcher = Matcher::new(&read, &mut norm);
        for (pi, p) in problems.iter().enumerate() {
            if p.id() == host.id() {
                continue;
            }
            let c = matcher.coverage(&p.key_points, &mut norm);
            for (ki, point) in c.points.into_iter().enumerate() {
                if point.covered() {
                    fires
                        .entry((pi, ki))
                        .or_default()
                        .push((host.id().to_string(), point.evidence));
                }
            }
        }
    }
    Ok(fires
        .into_iter()
        .filter(|(_, on)| on.len() > MAX_FOREIGN)
        .map(|((pi, ki), fires_on)| Unspecific {
            problem: problems[pi].id().to_string(),
            point: problems[pi].key_points[ki].name.clone(),
            fires_on,
        })
        .collect())
}

/// The figures over a set of judged answers.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub answers: usize,
    pub problems: usize,
    pub counts: Counts,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Per style: answers, counts, and the most ✓ any one answer of that style got.
    pub styles: BTreeMap<String, StyleSummary>,
    pub cells: usize,
    pub wrong_cells: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct StyleSummary {
    pub answers: usize,
    pub counts: Counts,
    pub most_credited: usize,
    pub most_false_credits: usize,
}

pub fn summarise(results: &[CaseResult]) -> Summary {
    let mut s = Summary {
        answers: results.len(),
        ..Summary::default()
    };
    let mut problems: Vec<&str> = results.iter().map(|r| r.problem.as_str()).collect();
    problems.sort_unstable();
    problems.dedup();
    s.problems = problems.len();
    for r in results {
        s.counts.add(r.counts);
        s.cells += r.cells;
        s.wrong_cells += r.wrong_cells.len();
        let style = s.styles.entry(r.style.clone()).or_default();
        style.answers += 1;
        style.counts.add(r.counts);
        style.most_credited = style.most_credited.max(r.counts.credited());
        style.most_false_credits = style.most_false_credits.max(r.counts.fp);
    }
    s.precision = s.counts.precision();
    s.recall = s.counts.recall();
    s.f1 = s.counts.f1();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_give_precision_recall_and_f1() {
        let c = Counts {
            tp: 9,
            fp: 1,
            fn_: 3,
            tn: 7,
        };
        assert!((c.precision() - 0.9).abs() < 1e-9);
        assert!((c.recall() - 0.75).abs() < 1e-9);
        assert!((c.f1() - 2.0 * 0.9 * 0.75 / 1.65).abs() < 1e-9);
        assert_eq!(Counts::default().precision(), 1.0);
    }

    #[test]
    fn a_labelled_answer_is_judged_against_its_labels() {
        let outline = crate::storage::embedded::framework().unwrap();
        let problem = crate::storage::embedded::problem("url-shortener");
        let mut labels: BTreeMap<String, bool> = problem
            .key_points
            .iter()
            .map(|k| (k.name.clone(), false))
            .collect();
        labels.insert("Base62 encoding".into(), true);
        let case = Labelled {
            problem: "url-shortener".into(),
            style: "terse".into(),
            author: "t".into(),
            note: "n".into(),
            answer: [
                ("functional".to_string(), "- shorten a link".to_string()),
                (
                    "deep_dives".to_string(),
                    "Codes are base62 of an id.".to_string(),
                ),
            ]
            .into(),
            labels,
            trace: vec![TraceLabel {
                requirement: "shorten a link".into(),
                endpoint: false,
                entity: false,
                component: false,
            }],
        };
        let r = judge("x", &case, &outline, &problem).unwrap();
        assert_eq!(r.counts.tp, 1);
        assert_eq!(r.cells, 3);
        let mut bad = case.clone();
        bad.answer.insert("diagram".into(), String::new());
        assert!(judge("x", &bad, &outline, &problem).is_err());
        let mut bad = case;
        bad.labels.remove("Base62 encoding");
        let e = judge("x", &bad, &outline, &problem).unwrap_err();
        assert!(e.0.contains("no label"), "{e:?}");
    }
}
