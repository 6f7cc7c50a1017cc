//! The question bank's problem schema and the checks serde cannot express.
//!
//! The file format is documented in `docs/question-bank.md`; keep the two in step.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::arrows;
pub use super::coverage::KeyPoint;
use super::coverage::rule::Rule;
use super::coverage::text::Normaliser;
use super::outline::Outline;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
}

/// The categories a problem can belong to, in display order.
pub const CATEGORIES: [(&str, &str); 6] = [
    ("core", "Core distributed systems"),
    ("social", "Social and content platforms"),
    ("search", "Search and query"),
    ("commerce", "E-commerce and transactions"),
    ("infrastructure", "Infrastructure"),
    ("data", "Data processing"),
];

pub fn category_title(id: &str) -> &str {
    CATEGORIES
        .iter()
        .find(|(c, _)| *c == id)
        .map_or(id, |(_, title)| title)
}

/// The documented tag vocabulary (`docs/question-bank.md`). One name for one thing.
pub const TAGS: &[&str] = &[
    "aggregation",
    "api-design",
    "batch",
    "caching",
    "cdn",
    "collaboration",
    "concurrency",
    "consensus",
    "consistency",
    "crawling",
    "fan-out",
    "geospatial",
    "hashing",
    "idempotency",
    "indexing",
    "matching",
    "media",
    "messaging",
    "notifications",
    "observability",
    "payments",
    "personalization",
    "queues",
    "ranking",
    "rate-limiting",
    "real-time",
    "replication",
    "scheduling",
    "search",
    "security",
    "sharding",
    "storage",
    "streaming",
    "transactions",
];

/// The minimums a built-in problem meets (`docs/content-review.md`): `(what, count, at least)`.
const MINIMUMS: &[(&str, usize)] = &[
    ("clarifying_questions", 4),
    ("reference.functional", 3),
    ("reference.out_of_scope", 1),
    ("reference.non_functional", 4),
    ("reference.capacity", 3),
    ("reference.entities", 3),
    ("reference.api", 2),
    ("reference.hld", 6),
    ("reference.data_model", 2),
    ("follow_ups", 6),
    ("curveballs", 2),
    ("key_points", 10),
    ("rubric.mid", 2),
    ("rubric.senior", 2),
    ("rubric.staff", 2),
];

/// One problem file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    pub id: Spanned<String>,
    pub title: String,
    pub category: Spanned<String>,
    pub difficulty: Difficulty,
    pub tags: Vec<Spanned<String>>,
    /// Whether the optional Data Flow step applies (data-processing systems).
    pub data_flow: bool,
    /// The interviewer's opening prompt.
    pub prompt: String,
    pub clarifying_questions: Vec<String>,
    /// Progressive hints per framework step id: a nudge first, then stronger ones.
    pub hints: BTreeMap<Spanned<String>, Vec<String>>,
    pub reference: Reference,
    pub follow_ups: Vec<FollowUp>,
    pub curveballs: Vec<Curveball>,
    pub key_points: Vec<KeyPoint>,
    pub rubric: Rubric,
}

/// The reference outline, revealed at wrap-up.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub functional: Vec<String>,
    pub out_of_scope: Vec<String>,
    pub non_functional: Vec<String>,
    /// Worked arithmetic, one line each.
    pub capacity: Vec<String>,
    pub entities: Vec<String>,
    pub api: Vec<String>,
    #[serde(default)]
    pub data_flow: Vec<String>,
    /// Edges in the arrow syntax (`Client -> API Gateway: HTTPS`).
    pub hld: Vec<Spanned<String>>,
    pub data_model: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    pub question: String,
    pub key_points: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CurveballKind {
    RequirementChange,
    Failure,
    Scale,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Curveball {
    pub kind: CurveballKind,
    pub prompt: String,
    pub good_response: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    pub mid: Vec<String>,
    pub senior: Vec<String>,
    pub staff: Vec<String>,
}

/// A semantic error with the byte span it points at (for file:line:column reporting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpannedError {
    pub message: String,
    pub span: Option<std::ops::Range<usize>>,
}

impl SpannedError {
    fn at<T>(value: &Spanned<T>, message: String) -> Self {
        Self {
            message,
            span: Some(value.span()),
        }
    }

    fn whole(message: String) -> Self {
        Self {
            message,
            span: None,
        }
    }
}

pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

impl Problem {
    /// What keeps a valid problem from being complete enough for the built-in bank: counts
    /// below the minimums, tags outside the vocabulary, blank lines, missing hints for a step.
    /// `bank validate --strict` reports these; the built-in bank must have none.
    pub fn completeness(&self, framework: &Outline) -> Vec<String> {
        let r = &self.reference;
        let counts = [
            self.clarifying_questions.len(),
            r.functional.len(),
            r.out_of_scope.len(),
            r.non_functional.len(),
            r.capacity.len(),
            r.entities.len(),
            r.api.len(),
            r.hld.len(),
            r.data_model.len(),
            self.follow_ups.len(),
            self.curveballs.len(),
            self.key_points.len(),
            self.rubric.mid.len(),
            self.rubric.senior.len(),
            self.rubric.staff.len(),
        ];
        let mut issues: Vec<String> = MINIMUMS
            .iter()
            .zip(counts)
            .filter(|((_, min), n)| n < min)
            .map(|((what, min), n)| format!("{what} has {n}, needs at least {min}"))
            .collect();
        for (i, f) in self.follow_ups.iter().enumerate() {
            if f.key_points.len() < 3 {
                issues.push(format!("follow_ups[{i}] needs at least 3 key_points"));
            }
        }
        for (i, c) in self.curveballs.iter().enumerate() {
            if c.good_response.len() < 2 {
                issues.push(format!(
                    "curveballs[{i}] needs at least 2 good_response lines"
                ));
            }
        }
        for kp in &self.key_points {
            if kp.rules.is_empty() {
                issues.push(format!(
                    "key point `{}` uses `synonyms`; write `rules` (docs/question-bank.md)",
                    kp.name
                ));
            }
        }
        for s in &framework.sections {
            if s.optional && !self.data_flow {
                continue;
            }
            if self.hints_for(&s.id).len() < 2 {
                issues.push(format!("hints.{} needs at least 2 hints", s.id));
            }
        }
        if self.data_flow && r.data_flow.len() < 3 {
            issues.push("reference.data_flow needs at least 3 steps".into());
        }
        for tag in self.tag_names() {
            if !TAGS.contains(&tag) {
                issues.push(format!("tag `{tag}` is not in the documented vocabulary"));
            }
        }
        let texts = self
            .clarifying_questions
            .iter()
            .chain(&r.functional)
            .chain(&r.out_of_scope)
            .chain(&r.non_functional)
            .chain(&r.capacity)
            .chain(&r.entities)
            .chain(&r.api)
            .chain(&r.data_flow)
            .chain(&r.data_model)
            .chain(
                self.rubric
                    .mid
                    .iter()
                    .chain(&self.rubric.senior)
                    .chain(&self.rubric.staff),
            )
            .chain(self.hints.values().flatten());
        if texts.into_iter().any(|t| t.trim().is_empty()) {
            issues.push("a list has an empty line".into());
        }
        issues
    }

    pub fn id(&self) -> &str {
        self.id.get_ref()
    }

    /// The reference answer as a candidate would have typed it, by corpus field key (see
    /// `corpus::FIELD_ROLES`): the outline the wrap-up reveals, with the points of a strong
    /// answer to each follow-up as the Deep Dives. Out-of-scope lines sit under their label, as
    /// a candidate would write them, so they must not earn a point.
    pub fn reference_answer(&self) -> Vec<(&'static str, String)> {
        let r = &self.reference;
        let bullets = |v: &[String]| {
            v.iter()
                .map(|l| format!("- {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let hld: Vec<String> = r.hld.iter().map(|l| l.get_ref().clone()).collect();
        let deep = self
            .follow_ups
            .iter()
            .map(|f| format!("Q: {}\n{}", f.question, bullets(&f.key_points)))
            .collect::<Vec<_>>()
            .join("\n\n");
        let mut fields = vec![
            (
                "functional",
                format!(
                    "{}\n\nOut of scope:\n{}",
                    bullets(&r.functional),
                    bullets(&r.out_of_scope)
                ),
            ),
            ("non_functional", bullets(&r.non_functional)),
            ("capacity", bullets(&r.capacity)),
            ("entities", bullets(&r.entities)),
            ("api", bullets(&r.api)),
            ("hld", hld.join("\n")),
            ("data_model", bullets(&r.data_model)),
            ("deep_dives", deep),
        ];
        if self.data_flow {
            let steps = r
                .data_flow
                .iter()
                .enumerate()
                .map(|(i, l)| format!("{}. {l}", i + 1))
                .collect::<Vec<_>>()
                .join("\n");
            fields.push(("data_flow", steps));
        }
        fields
    }

    pub fn category(&self) -> &str {
        self.category.get_ref()
    }

    pub fn tag_names(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().map(|t| t.get_ref().as_str())
    }

    /// Hints for a framework step, in the order they are revealed.
    pub fn hints_for(&self, step_id: &str) -> &[String] {
        self.hints
            .iter()
            .find(|(k, _)| k.get_ref() == step_id)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// Checks what serde cannot: id shape, known category and step ids, parsable reference
    /// arrows, and text that must not be blank. Returns every problem found.
    pub fn validate(&self, framework: &Outline) -> Vec<SpannedError> {
        let mut errors = Vec::new();
        if !is_valid_id(self.id()) {
            errors.push(SpannedError::at(
                &self.id,
                format!(
                    "id `{}` must be 1-64 characters of a-z, 0-9 and '-'",
                    self.id()
                ),
            ));
        }
        if !CATEGORIES.iter().any(|(c, _)| *c == self.category()) {
            let known: Vec<&str> = CATEGORIES.iter().map(|(c, _)| *c).collect();
            errors.push(SpannedError::at(
                &self.category,
                format!(
                    "unknown category `{}` (expected one of: {})",
                    self.category(),
                    known.join(", ")
                ),
            ));
        }
        for tag in &self.tags {
            if !is_valid_id(tag.get_ref()) {
                errors.push(SpannedError::at(
                    tag,
                    format!("tag `{}` must be lowercase kebab-case", tag.get_ref()),
                ));
            }
        }
        for step in self.hints.keys() {
            if framework.section_index(step.get_ref()).is_none() {
                let known: Vec<&str> = framework.sections.iter().map(|s| s.id.as_str()).collect();
                errors.push(SpannedError::at(
                    step,
                    format!(
                        "hints for unknown step `{}` (steps: {})",
                        step.get_ref(),
                        known.join(", ")
                    ),
                ));
            }
        }
        for line in &self.reference.hld {
            if arrows::parse_line(line.get_ref()).is_none() {
                errors.push(SpannedError::at(
                    line,
                    format!(
                        "reference hld line `{}` is not an edge like `A -> B: label`",
                        line.get_ref()
                    ),
                ));
            }
        }
        if self.data_flow && self.reference.data_flow.is_empty() {
            errors.push(SpannedError::whole(
                "data_flow = true needs reference.data_flow steps".into(),
            ));
        }
        for (name, text) in [("title", &self.title), ("prompt", &self.prompt)] {
            if text.trim().is_empty() {
                errors.push(SpannedError::whole(format!("`{name}` is empty")));
            }
        }
        let mut norm = Normaliser::default();
        for kp in &self.key_points {
            match (kp.rules.is_empty(), kp.synonyms.is_empty()) {
                (false, false) => errors.push(SpannedError::at(
                    &kp.rules[0],
                    format!(
                        "key point `{}` has both `rules` and `synonyms`; keep `rules`",
                        kp.name
                    ),
                )),
                (true, _) if Rule::any_of(&kp.synonyms, &mut norm).is_none() => {
                    errors.push(SpannedError::whole(format!(
                        "key point `{}` needs at least one rule",
                        kp.name
                    )));
                }
                _ => {}
            }
            for rule in &kp.rules {
                if let Err(e) = Rule::parse(rule.get_ref(), &mut norm) {
                    errors.push(SpannedError::at(
                        rule,
                        format!("key point `{}`: {e}", kp.name),
                    ));
                }
            }
        }
        errors
    }
}
