//! The wrap-up review of an interview, built once from the saved text: key-point coverage,
//! traceability, unmeasured NFRs, the follow-ups and curveballs with the answers written under
//! them, and the self-scores against the rubric. The wrap-up screen and the export both use it.

use serde::Serialize;

use super::coverage::text::Field;
use super::coverage::{self, Coverage, Sources, Trace};
use super::outline::Outline;
use super::problem::{CurveballKind, Problem};
use super::session::Session;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coaching {
    pub coverage: Coverage,
    pub traces: Vec<Trace>,
    pub unmeasured_nfrs: Vec<String>,
    pub follow_ups: Vec<Asked>,
    pub curveballs: Vec<Asked>,
    pub scores: Vec<Score>,
    pub strict: bool,
}

/// A question put to the candidate and what they wrote under it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Asked {
    pub kind: String,
    pub question: String,
    pub answer: String,
    /// The answer as Markdown that keeps its lines (see `report::markdown_block`).
    pub answer_markdown: String,
    /// What a strong answer covers (follow-ups) or does (curveballs).
    pub expected: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub step: String,
    pub title: String,
    /// 0-3, if given.
    pub score: Option<u8>,
}

/// All text of the fields with a role, joined.
fn role_text(session: &Session, outline: &Outline, role: &str) -> String {
    outline
        .sections
        .iter()
        .flat_map(|s| {
            s.fields
                .iter()
                .filter(move |f| f.role.as_deref() == Some(role))
                .map(move |f| session.field_text(&s.id, &f.id).unwrap_or_default())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a line is one the app wrote into Deep Dives (a follow-up or a curveball).
fn is_marker(line: &str) -> bool {
    line.starts_with("Q: ") || line.starts_with("Curveball: ")
}

/// One field of the candidate's answer, with the role its outline gives it.
#[derive(Debug, Clone)]
pub struct AnswerText<'a> {
    pub role: Option<&'a str>,
    pub step: &'a str,
    pub title: &'a str,
    pub text: String,
}

impl AnswerText<'_> {
    pub fn field(&self) -> Field<'_> {
        Field {
            step: self.step,
            title: self.title,
            text: &self.text,
        }
    }
}

/// The candidate's words, field by field. The questions the app wrote into Deep Dives are not
/// the candidate's words: they become empty lines, so lines keep their numbers.
pub fn answer_texts<'a>(session: &Session, outline: &'a Outline) -> Vec<AnswerText<'a>> {
    outline
        .sections
        .iter()
        .flat_map(|s| {
            s.fields.iter().map(move |f| {
                let text = session.field_text(&s.id, &f.id).unwrap_or_default();
                let text = text
                    .split('\n')
                    .map(|l| if is_marker(l) { "" } else { l })
                    .collect::<Vec<_>>()
                    .join("\n");
                AnswerText {
                    role: f.role.as_deref(),
                    step: s.id.as_str(),
                    title: f.title.as_str(),
                    text,
                }
            })
        })
        .collect()
}

/// The lines under `marker` up to the next question marker.
fn answer_under(text: &str, marker: &str) -> String {
    let mut lines = text.lines().skip_while(|l| l.trim() != marker.trim());
    if lines.next().is_none() {
        return String::new();
    }
    lines
        .take_while(|l| !is_marker(l))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

fn asked(kind: &str, question: &str, deep: &str, marker: String, expected: &[String]) -> Asked {
    let answer = answer_under(deep, &marker);
    Asked {
        kind: kind.into(),
        question: question.to_string(),
        answer_markdown: super::report::markdown_block(&answer),
        answer,
        expected: expected.to_vec(),
    }
}

impl Coaching {
    pub fn build(session: &Session, outline: &Outline, problem: &Problem) -> Self {
        let texts = answer_texts(session, outline);
        let fields: Vec<Field> = texts.iter().map(AnswerText::field).collect();
        let with = |roles: &[&str]| -> Vec<Field> {
            texts
                .iter()
                .filter(|t| t.role.is_some_and(|r| roles.contains(&r)))
                .map(AnswerText::field)
                .collect()
        };
        let (functional, api, entities, design) = (
            with(&["functional"]),
            with(&["api"]),
            with(&["entities", "data_model"]),
            with(&["architecture"]),
        );
        let deep = role_text(session, outline, "deep_dives");
        Coaching {
            coverage: coverage::coverage(&fields, &problem.key_points),
            traces: coverage::traceability(Sources {
                functional: &functional,
                api: &api,
                entities: &entities,
                design: &design,
            }),
            unmeasured_nfrs: coverage::unmeasured_nfrs(&role_text(
                session,
                outline,
                "non_functional",
            )),
            follow_ups: session
                .follow_ups
                .iter()
                .filter_map(|&i| problem.follow_ups.get(i))
                .map(|f| {
                    asked(
                        "follow-up",
                        &f.question,
                        &deep,
                        format!("Q: {}", f.question),
                        &f.key_points,
                    )
                })
                .collect(),
            curveballs: session
                .curveballs
                .iter()
                .filter_map(|c| problem.curveballs.get(c.index).map(|p| (c, p)))
                .map(|(shown, c)| {
                    let kind = match c.kind {
                        CurveballKind::RequirementChange => "requirement change",
                        CurveballKind::Failure => "failure",
                        CurveballKind::Scale => "scale",
                    };
                    let marker = format!("Curveball: {}", shown.prompt);
                    asked(kind, &shown.prompt, &deep, marker, &c.good_response)
                })
                .collect(),
            scores: outline
                .sections
                .iter()
                .filter(|s| session.section(&s.id).is_some_and(|x| !x.skipped))
                .map(|s| Score {
                    step: s.id.clone(),
                    title: s.title.clone(),
                    score: session.scores.get(&s.id).copied(),
                })
                .collect(),
            strict: session.strict,
        }
    }

    /// The average self-score over the steps scored, if any.
    pub fn average_score(&self) -> Option<f64> {
        let given: Vec<u8> = self.scores.iter().filter_map(|s| s.score).collect();
        (!given.is_empty())
            .then(|| given.iter().map(|s| f64::from(*s)).sum::<f64>() / given.len() as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::embedded;
    use std::collections::BTreeMap;

    #[test]
    fn builds_coverage_traces_and_answers_under_questions() {
        let outline = embedded::framework().unwrap();
        let problem = embedded::problem("url-shortener");
        let mut s = Session::new_interview(
            "x".into(),
            &outline,
            &problem,
            40,
            BTreeMap::new(),
            "2026-11-24T10:00:00Z".parse().unwrap(),
        );
        let set = |s: &mut Session, sec: usize, field: usize, text: &str| {
            s.sections[sec].fields[field].text = text.into();
        };
        set(
            &mut s,
            0,
            0,
            "- Users should be able to shorten a long URL\n- Users can see analytics",
        );
        set(&mut s, 0, 1, "- redirect p99 < 50 ms\n- highly available");
        set(&mut s, 1, 0, "ShortUrl: code, long URL");
        set(&mut s, 2, 0, "POST /v1/urls {long_url}");
        set(&mut s, 4, 0, "Client -> URL Service -> Cache (Redis)");
        let q = &problem.follow_ups[0].question;
        set(
            &mut s,
            5,
            0,
            &format!("Q: {q}\nUse base62 codes.\nQ: another"),
        );
        s.follow_ups.push(0);
        s.scores.insert("requirements".into(), 2);
        s.scores.insert("api".into(), 3);
        let c = Coaching::build(&s, &outline, &problem);
        assert!(
            c.coverage
                .covered
                .iter()
                .any(|k| k.to_lowercase().contains("base62")),
            "{:?}",
            c.coverage
        );
        assert_eq!(c.traces.len(), 2);
        assert!(c.traces[0].complete(), "{:?}", c.traces[0]);
        assert!(!c.traces[1].complete());
        assert_eq!(c.unmeasured_nfrs, ["highly available"]);
        assert_eq!(c.follow_ups[0].answer, "Use base62 codes.");
        assert_eq!(c.scores.len(), 5, "Data Flow is skipped for this problem");
        assert_eq!(c.average_score(), Some(2.5));
    }
}
