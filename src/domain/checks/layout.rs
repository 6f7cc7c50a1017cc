//! What part of a design each heading is, whatever a team's template calls it, and which
//! published layout a document follows.
//!
//! A heading's role comes from [`ALIASES`] (KEP, Rust and CockroachDB RFCs, ADR and MADR,
//! spec-kit, Google-style design docs, Prometheus proposals, service specs and sdcoach's own
//! outlines use different words for the same thing). A heading no alias names takes the role of
//! the heading above it ("### Story 1" under "User Stories", a KEP's `######` questions under
//! "Feature Enablement and Rollback"), unless it is one of [`OTHER`]: alternatives, status,
//! prior art and the like are not part of the design, and neither is what sits under them.

use super::super::outline::Outline;

/// A heading as compared: lower case, `&` as "and", hyphens, slashes and underscores as
/// spaces, parenthesised asides ("(Optional)", "*(mandatory)*", "(Priority: P1)") and other
/// punctuation dropped.
pub fn heading_key(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut depth = 0usize;
    for c in title.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '&' => out.push_str(" and "),
            '-' | '/' | '_' | '–' | '—' | ':' => out.push(' '),
            c if c.is_alphanumeric() || c.is_whitespace() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Headings (as [`heading_key`]s) for each role of `outline::ROLES`.
pub const ALIASES: &[(&str, &[&str])] = &[
    (
        "summary",
        &[
            "summary",
            "overview",
            "purpose",
            "abstract",
            "tldr",
            "tl dr",
            "executive summary",
        ],
    ),
    (
        "context",
        &[
            "context",
            "background",
            "motivation",
            "why",
            "problem",
            "problem statement",
            "context and problem",
            "context and problem statement",
            "context and scope",
            "current state",
            "where we are",
            "pitfalls of the current solution",
        ],
    ),
    (
        "goals",
        &[
            "goals",
            "goals and non goals",
            "objectives",
            "where we want to be",
        ],
    ),
    ("non_goals", &["non goals", "nongoals", "out of scope"]),
    (
        "functional",
        &[
            "functional requirements",
            "requirements",
            "user stories",
            "user story",
            "story",
            "user scenarios and testing",
            "edge cases",
            "use cases",
        ],
    ),
    (
        "non_functional",
        &[
            "non functional requirements",
            "nonfunctional requirements",
            "performance",
            "success criteria",
            "measurable outcomes",
            "service level objectives",
            "slos",
        ],
    ),
    (
        "architecture",
        &[
            "architecture",
            "architecture overview",
            "design",
            "detailed design",
            "design details",
            "technical design",
            "the actual design",
            "proposal",
            "reference level explanation",
            "how",
            "approach",
            "decision",
            "decision outcome",
            "solution",
            "high level design",
            "algorithm",
            "system context diagram",
        ],
    ),
    (
        "api",
        &[
            "api",
            "apis",
            "api design",
            "api and schema changes",
            "interfaces",
            "endpoints",
            "admin api",
        ],
    ),
    (
        "data_model",
        &[
            "data model",
            "data storage",
            "storage",
            "schema",
            "tiers",
            "resolution tiers",
        ],
    ),
    (
        "data_flow",
        &["data flow", "data flows", "data flows and state"],
    ),
    (
        "capacity",
        &[
            "capacity",
            "capacity and scaling",
            "capacity planning",
            "sizing",
            "scale",
            "scalability",
        ],
    ),
    (
        "failure_modes",
        &[
            "failure modes",
            "failure modes and slas",
            "failure handling",
            "error handling",
            "reliability",
            "troubleshooting",
        ],
    ),
    ("dependencies", &["dependencies"]),
    (
        "risks",
        &[
            "risks",
            "risks and mitigations",
            "risks and trade offs",
            "risks and open questions",
            "trade offs",
            "drawbacks",
            "consequences",
        ],
    ),
    (
        "migration",
        &[
            "migration",
            "migration and backward compatibility",
            "backward compatibility",
            "upgrade downgrade strategy",
            "version skew strategy",
        ],
    ),
    (
        "security",
        &[
            "security",
            "privacy",
            "security and privacy",
            "security considerations",
        ],
    ),
    (
        "observability",
        &["observability", "monitoring", "monitoring requirements"],
    ),
    (
        "testing",
        &[
            "testing",
            "testing plan",
            "test plan",
            "unit tests",
            "integration tests",
            "e2e tests",
            "confirmation",
        ],
    ),
    (
        "rollout",
        &[
            "rollout",
            "rollout plan",
            "rollout and rollback",
            "launch",
            "launch plan",
            "deployment",
            "deployment and rollback",
            "graduation criteria",
            "feature enablement and rollback",
            "action plan",
            "how we get there",
        ],
    ),
    (
        "open_questions",
        &["open questions", "open issues", "unresolved questions"],
    ),
    (
        "timeline",
        &[
            "timeline",
            "timeline and estimates",
            "milestones",
            "implementation history",
        ],
    ),
    ("entities", &["entities", "core entities", "key entities"]),
    ("appendix", &["appendix", "more information", "references"]),
];

/// Headings that are not part of the design: what sits under them has no role either.
pub const OTHER: &[&str] = &[
    "alternatives",
    "alternatives considered",
    "considered options",
    "rationale and alternatives",
    "pros and cons of the options",
    "status",
    "decision drivers",
    "guide level explanation",
    "prior art",
    "future possibilities",
    "notes constraints caveats",
    "production readiness review questionnaire",
    "conventions",
    "definitions",
    "glossary",
    "faq",
    "review and acceptance checklist",
    "cross cutting concerns",
];

/// What a heading says about the text under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    Role(&'static str),
    /// Not part of the design ([`OTHER`]).
    Other,
    /// No alias: it takes the role of the heading above.
    Unknown,
}

/// The role a heading names: the whole heading, else the part before a `:` or ` - ` ("User
/// Story 1 - Receive events"), each with a trailing number dropped ("Story 2").
pub fn named(heading: &str) -> Named {
    let mut tries = vec![heading_key(heading)];
    for sep in [":", " - ", " – ", " — "] {
        if let Some((head, _)) = heading.split_once(sep) {
            tries.push(heading_key(head));
        }
    }
    for key in tries {
        let trimmed = key
            .trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ')
            .to_string();
        for k in [key.as_str(), trimmed.as_str()] {
            if let Some((role, _)) = ALIASES.iter().find(|(_, a)| a.contains(&k)) {
                return Named::Role(role);
            }
            if OTHER.contains(&k) {
                return Named::Other;
            }
        }
    }
    Named::Unknown
}

/// A published layout, known by the headings it uses (as [`heading_key`]s).
pub struct Layout {
    pub id: &'static str,
    pub title: &'static str,
    pub headings: &'static [&'static str],
}

pub const LAYOUTS: &[Layout] = &[
    Layout {
        id: "kep",
        title: "Kubernetes Enhancement Proposal",
        headings: &[
            "summary",
            "motivation",
            "goals",
            "non goals",
            "proposal",
            "user stories",
            "risks and mitigations",
            "design details",
            "test plan",
            "graduation criteria",
            "upgrade downgrade strategy",
            "version skew strategy",
            "production readiness review questionnaire",
            "implementation history",
            "drawbacks",
            "alternatives",
        ],
    },
    Layout {
        id: "rust-rfc",
        title: "Rust RFC",
        headings: &[
            "summary",
            "motivation",
            "guide level explanation",
            "reference level explanation",
            "drawbacks",
            "rationale and alternatives",
            "prior art",
            "unresolved questions",
            "future possibilities",
        ],
    },
    Layout {
        id: "crdb-rfc",
        title: "CockroachDB RFC",
        headings: &[
            "summary",
            "motivation",
            "technical design",
            "drawbacks",
            "rationale and alternatives",
            "unresolved questions",
        ],
    },
    Layout {
        id: "adr",
        title: "Architecture decision record",
        headings: &["status", "context", "decision", "consequences"],
    },
    Layout {
        id: "madr",
        title: "MADR",
        headings: &[
            "context and problem statement",
            "decision drivers",
            "considered options",
            "decision outcome",
            "consequences",
            "confirmation",
            "pros and cons of the options",
            "more information",
        ],
    },
    Layout {
        id: "spec-kit",
        title: "spec-kit feature specification",
        headings: &[
            "user scenarios and testing",
            "edge cases",
            "requirements",
            "functional requirements",
            "key entities",
            "success criteria",
            "measurable outcomes",
            "review and acceptance checklist",
        ],
    },
    Layout {
        id: "google",
        title: "Google-style design doc",
        headings: &[
            "context and scope",
            "goals and non goals",
            "the actual design",
            "system context diagram",
            "apis",
            "data storage",
            "alternatives considered",
            "cross cutting concerns",
        ],
    },
    Layout {
        id: "prometheus",
        title: "Prometheus proposal",
        headings: &[
            "why",
            "pitfalls of the current solution",
            "goals",
            "non goals",
            "how",
            "alternatives",
            "action plan",
        ],
    },
    Layout {
        id: "service-spec",
        title: "Service specification",
        headings: &[
            "purpose",
            "conventions",
            "definitions",
            "functional requirements",
            "non functional requirements",
            "interfaces",
            "failure handling",
            "capacity",
            "deployment and rollback",
            "risks",
            "open issues",
        ],
    },
];

/// Fewer headings of the best layout than this, and the document fits none.
pub const MIN_MATCHES: usize = 3;

/// The layout a document follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub id: String,
    pub title: String,
    /// How many of the layout's headings the document has.
    pub matched: usize,
    /// The layout's headings, as written in it (for a mismatch finding).
    pub expected: Vec<String>,
    /// The sdcoach outline it is, if it is one.
    pub outline: Option<usize>,
}

impl Detected {
    pub fn fits(&self) -> bool {
        self.matched >= MIN_MATCHES
    }
}

/// The layout whose headings a document has most of: a published one, or one of `outlines`
/// (sdcoach's own, by their section and field titles). On a tie the outline wins, then the
/// earlier layout. Headings in other words still get their roles ([`named`]); a layout is
/// known by its own words.
pub fn detect(headings: &[String], outlines: &[&Outline]) -> Detected {
    let keys: Vec<String> = headings.iter().map(|h| heading_key(h)).collect();
    let has = |k: &str| keys.iter().any(|h| h == k);
    let mut best: Option<Detected> = None;
    let mut consider = |d: Detected| {
        if best.as_ref().is_none_or(|b| d.matched > b.matched) {
            best = Some(d);
        }
    };
    for (i, o) in outlines.iter().enumerate() {
        let matched = o
            .sections
            .iter()
            .filter(|s| {
                has(&heading_key(&s.title)) || s.fields.iter().any(|f| has(&heading_key(&f.title)))
            })
            .count();
        consider(Detected {
            id: o.id.clone(),
            title: o.title.clone(),
            matched,
            expected: o.sections.iter().map(|s| s.title.clone()).collect(),
            outline: Some(i),
        });
    }
    for l in LAYOUTS {
        let matched = l.headings.iter().filter(|h| has(h)).count();
        consider(Detected {
            id: l.id.to_string(),
            title: l.title.to_string(),
            matched,
            expected: l.headings.iter().map(|h| title_case(h)).collect(),
            outline: None,
        });
    }
    best.unwrap_or(Detected {
        id: String::new(),
        title: String::new(),
        matched: 0,
        expected: Vec::new(),
        outline: None,
    })
}

/// "graduation criteria" → "Graduation criteria".
fn title_case(key: &str) -> String {
    let mut c = key.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_name_roles_in_every_team_s_words() {
        for (heading, role) in [
            ("Motivation", "context"),
            ("Context and Problem Statement", "context"),
            ("Design Details", "architecture"),
            ("Reference-level explanation", "architecture"),
            ("Risks and Mitigations", "risks"),
            ("Drawbacks", "risks"),
            ("Feature Enablement and Rollback", "rollout"),
            ("Upgrade / Downgrade Strategy", "migration"),
            ("Non-Goals", "non_goals"),
            ("Requirements *(mandatory)*", "functional"),
            (
                "User Story 2 - Survive a receiver outage (Priority: P1)",
                "functional",
            ),
            ("Story 1", "functional"),
            ("API & Schema Changes", "api"),
            ("Success Criteria", "non_functional"),
        ] {
            assert_eq!(named(heading), Named::Role(role), "{heading}");
        }
        assert_eq!(named("Alternatives Considered"), Named::Other);
        assert_eq!(named("Notes/Constraints/Caveats (Optional)"), Named::Other);
        assert_eq!(named("Query routing"), Named::Unknown);
    }

    #[test]
    fn a_document_is_read_as_the_layout_whose_headings_it_has() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let d = detect(
            &h(&["Title", "Status", "Context", "Decision", "Consequences"]),
            &[],
        );
        assert_eq!((d.id.as_str(), d.matched, d.fits()), ("adr", 4, true));
        let d = detect(
            &h(&[
                "Summary",
                "Motivation",
                "Guide-level explanation",
                "Drawbacks",
                "Prior art",
            ]),
            &[],
        );
        assert_eq!(d.id, "rust-rfc");
        let d = detect(&h(&["Where we are", "Who signs off", "FAQ"]), &[]);
        assert!(!d.fits(), "{d:?}");
    }
}
