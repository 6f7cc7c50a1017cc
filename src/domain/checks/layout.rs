//! What part of a design each heading is, whatever a team's template calls it, and which
//! published layout a document follows.
//!
//! A heading's role comes from [`ALIASES`] (KEP, Rust and CockroachDB RFCs, ADR and MADR,
//! spec-kit, Google-style design docs, Prometheus proposals, service specs and sdcoach's own
//! outlines use different words for the same thing). A heading no alias names takes the role of
//! the heading above it ("### Story 1" under "User Stories", a KEP's `######` questions under
//! "Feature Enablement and Rollback"), unless it is one of [`OTHER`]: alternatives, status,
//! prior art and the like are not part of the design, and neither is what sits under them.

use serde::Deserialize;

use super::super::outline::{Outline, ROLES};

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

/// A document layout: the sections a kind of design document has (a KEP, an ADR, sdcoach's
/// one-pager), as `assets/layouts/*.toml` and a user's `<config>/outlines/*.toml` write them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    pub id: String,
    pub title: String,
    /// One line on where the layout comes from.
    #[serde(default)]
    pub description: String,
    pub sections: Vec<LayoutSection>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutSection {
    /// The heading as the layout writes it.
    pub heading: String,
    /// Other headings that are this section (a team's own words for it).
    #[serde(default)]
    pub also: Vec<String>,
    /// What the section holds (one of `outline::ROLES`), for a heading whose words name
    /// another role or none; by default the role its words name.
    #[serde(default)]
    pub role: Option<String>,
    /// A document written with the layout may leave it out.
    #[serde(default)]
    pub optional: bool,
    /// Roles that stand in for the section when it is missing (a KEP states its
    /// non-functional requirements under Design Details).
    #[serde(default)]
    pub covered_by: Vec<String>,
    /// For a layout made from an sdcoach outline: its fields' titles and roles.
    #[serde(skip)]
    pub fields: Vec<(String, Option<String>)>,
}

impl LayoutSection {
    /// Every heading (as [`heading_key`]s) that is this section.
    pub fn keys(&self) -> Vec<String> {
        std::iter::once(&self.heading)
            .chain(&self.also)
            .chain(self.fields.iter().map(|(title, _)| title))
            .map(|h| heading_key(h))
            .collect()
    }

    /// The roles its content has: its fields', else its own, else what its heading names.
    pub fn roles(&self) -> Vec<String> {
        let fields: Vec<String> = self.fields.iter().filter_map(|(_, r)| r.clone()).collect();
        if !fields.is_empty() {
            return fields;
        }
        match (&self.role, named(&self.heading)) {
            (Some(r), _) => vec![r.clone()],
            (None, Named::Role(r)) => vec![r.to_string()],
            _ => Vec::new(),
        }
    }
}

impl Layout {
    /// An sdcoach outline as a layout: each section known by its title and its fields'
    /// titles; required as the outline says.
    pub fn from_outline(outline: &Outline) -> Self {
        Layout {
            id: outline.id.clone(),
            title: outline.title.clone(),
            description: outline.description.clone(),
            sections: outline
                .sections
                .iter()
                .map(|s| LayoutSection {
                    heading: s.title.clone(),
                    also: Vec::new(),
                    role: None,
                    optional: !s.required,
                    covered_by: Vec::new(),
                    fields: s
                        .fields
                        .iter()
                        .map(|f| (f.title.clone(), f.role.clone()))
                        .collect(),
                })
                .collect(),
        }
    }

    /// What serde cannot check: sections, known roles, no heading in two sections.
    pub fn validate(&self) -> Result<(), String> {
        if self.sections.is_empty() {
            return Err(format!("layout `{}` has no sections", self.id));
        }
        let mut seen = std::collections::HashSet::new();
        for s in &self.sections {
            for role in s.role.iter().chain(&s.covered_by) {
                if !ROLES.contains(&role.as_str()) {
                    return Err(format!(
                        "section `{}`: unknown role `{role}` (roles: {})",
                        s.heading,
                        ROLES.join(", ")
                    ));
                }
            }
            for key in s.keys() {
                if key.is_empty() {
                    return Err(format!("section `{}`: a heading has no words", s.heading));
                }
                if !seen.insert(key.clone()) {
                    return Err(format!(
                        "section `{}`: heading `{key}` is already another section's",
                        s.heading
                    ));
                }
            }
        }
        Ok(())
    }

    /// The layout's own word for what a heading holds, by [`heading_key`]: each heading of a
    /// section that sets `role` (a team's "Blast radius" is its risks). Built once per
    /// document, looked up per heading.
    pub fn own_roles(&self) -> std::collections::HashMap<String, &'static str> {
        self.sections
            .iter()
            .filter_map(|s| {
                let role = s.role.as_deref()?;
                let role = crate::domain::outline::ROLES.iter().find(|k| **k == role)?;
                Some(s.keys().into_iter().map(move |k| (k, *role)))
            })
            .flatten()
            .collect()
    }
}

/// Fewer headings of the best layout than this, and the document fits none.
pub const MIN_MATCHES: usize = 3;

/// The layout a document follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub id: String,
    pub title: String,
    /// How many of the layout's sections the document has a heading for.
    pub matched: usize,
    /// The layout's headings, as written in it (for a mismatch finding).
    pub expected: Vec<String>,
    /// Which of the layouts it was (an index into the slice given to [`detect`]).
    pub index: Option<usize>,
    /// The user named the layout (`--outline`): one of its headings is enough.
    pub forced: bool,
}

impl Detected {
    pub fn fits(&self) -> bool {
        self.matched >= MIN_MATCHES || (self.forced && self.matched > 0)
    }
}

/// The layout whose sections a document has most headings for. On a tie the earlier layout
/// wins (sdcoach's outlines come first). Headings in other words still get their roles
/// ([`named`]); a layout is known by its own words. `headings` are the document's headings
/// as [`heading_key`]s (the caller has them already).
pub fn detect(headings: &[String], layouts: &[&Layout]) -> Detected {
    let keys: std::collections::HashSet<&String> = headings.iter().collect();
    let mut best = Detected {
        id: String::new(),
        title: String::new(),
        matched: 0,
        expected: Vec::new(),
        index: None,
        forced: false,
    };
    for (i, l) in layouts.iter().enumerate() {
        let matched = l
            .sections
            .iter()
            .filter(|s| s.keys().iter().any(|k| keys.contains(k)))
            .count();
        if best.index.is_none() || matched > best.matched {
            best = Detected {
                id: l.id.clone(),
                title: l.title.clone(),
                matched,
                expected: l.sections.iter().map(|s| s.heading.clone()).collect(),
                index: Some(i),
                forced: false,
            };
        }
    }
    best
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
        let layouts = crate::storage::embedded::layouts().unwrap();
        let all: Vec<&Layout> = layouts.iter().collect();
        let h = |v: &[&str]| v.iter().map(|s| heading_key(s)).collect::<Vec<_>>();
        let d = detect(
            &h(&["Title", "Status", "Context", "Decision", "Consequences"]),
            &all,
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
            &all,
        );
        assert_eq!(d.id, "rust-rfc");
        let d = detect(&h(&["Where we are", "Who signs off", "FAQ"]), &all);
        assert!(!d.fits(), "{d:?}");
        let mut forced = detect(&h(&["Decision", "FAQ"]), &all[..1]);
        assert!(!forced.fits());
        forced.forced = true;
        assert_eq!(forced.fits(), forced.matched > 0);
    }

    fn team_layout() -> Layout {
        toml::from_str(
            "id = \"team\"\ntitle = \"Team doc\"\n\n\
             [[sections]]\nheading = \"Why now\"\nrole = \"context\"\n\n\
             [[sections]]\nheading = \"Blast radius\"\nalso = [\"Hazards\"]\nrole = \"risks\"\n\n\
             [[sections]]\nheading = \"Plan\"\nrole = \"architecture\"\n\n\
             [[sections]]\nheading = \"Undo\"\nrole = \"rollout\"\ncovered_by = [\"migration\"]\n",
        )
        .unwrap()
    }

    #[test]
    fn a_layout_gives_its_headings_roles_and_requires_what_it_does_not_mark_optional() {
        use super::super::{Doc, run};
        let team = team_layout();
        team.validate().unwrap();
        let doc = "## Why now\n\nPages time out.\n\n## Hazards\n\n- The cache could serve stale prices.\n\n\
                   ## Plan\n\nCache reads for 30 s; on a miss, fall back to the database.\n";
        let f: Vec<(&str, String)> = run(&Doc::from_markdown(doc, &[&team]))
            .into_iter()
            .map(|f| (f.id, f.section_title))
            .collect();
        // "Hazards" is the team's risks section; "Undo" is missing.
        assert!(f.contains(&("risk-unmitigated", "Hazards".into())), "{f:?}");
        assert!(f.contains(&("required-section", "Undo".into())), "{f:?}");
        // A migration section stands in for the missing one.
        let covered = format!("{doc}\n## Upgrade / Downgrade Strategy\n\nRevert the deploy.\n");
        let f = run(&Doc::from_markdown(&covered, &[&team]));
        assert!(!f.iter().any(|f| f.id == "required-section"), "{f:?}");
        let mut broken = team_layout();
        broken.sections[1].also.push("Why now".into());
        assert!(
            broken
                .validate()
                .unwrap_err()
                .contains("already another section's")
        );
        broken.sections[1].covered_by.push("vibes".into());
        assert!(
            broken
                .validate()
                .unwrap_err()
                .contains("unknown role `vibes`")
        );
    }
}
