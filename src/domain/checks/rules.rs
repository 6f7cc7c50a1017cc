//! The rules `sdcoach check` applies: id, default severity and what each one looks for. Each
//! rule's page (`docs/rules/ID.md`) is built into the binary: `sdcoach check --explain ID`
//! prints it, and SARIF output carries it as the rule's help.

use serde::Deserialize;

use super::{Finding, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// One line on what a finding of this rule means.
    pub summary: &'static str,
    /// The rule's documentation page, Markdown.
    pub doc: &'static str,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $severity:ident, $summary:literal;)*) => {
        $(pub const $name: Rule = Rule {
            id: $id,
            severity: Severity::$severity,
            summary: $summary,
            doc: include_str!(concat!("../../../docs/rules/", $id, ".md")),
        };)*
        /// Every rule, in the order `docs/specs.md` lists them.
        pub const RULES: &[Rule] = &[$($name),*];
    };
}

rules! {
    OUTLINE_MISMATCH = "outline-mismatch", Warning,
        "The headings fit no known layout, so sections may be read in the wrong role.";
    REQUIRED_SECTION = "required-section", Error,
        "A heading has nothing under it, or a required section of the outline is missing.";
    GOALS_WITHOUT_NON_GOALS = "goals-without-non-goals", Warning,
        "Goals are written and nothing says what is out of scope.";
    ACCEPTANCE_CRITERIA = "acceptance-criteria", Warning,
        "A functional requirement has no acceptance criterion and states no observable outcome.";
    NFR_UNMEASURABLE = "nfr-unmeasurable", Warning,
        "A non-functional requirement has no number with a unit or other measurable target.";
    NO_FAILURE_HANDLING = "no-failure-handling", Error,
        "Nothing in the design says what happens when a dependency is slow or down.";
    API_UNVERSIONED = "api-unversioned", Warning,
        "An HTTP endpoint has no version and nothing describes how the API is versioned.";
    API_NOT_IDEMPOTENT = "api-not-idempotent", Warning,
        "A POST that creates something does not say what a repeated call does.";
    CAPACITY_HAND_WAVY = "capacity-hand-wavy", Warning,
        "The capacity section has no numbers with units and no arithmetic.";
    NO_ROLLBACK = "no-rollback", Error,
        "The rollout never says how to undo the change.";
    ROLLBACK_MULTI_STEP = "rollback-multi-step", Warning,
        "The rollback takes several steps; under pressure one step is what works.";
    LEFTOVER_MARKER = "leftover-marker", Warning,
        "A TBD, TODO, FIXME, ??? or [NEEDS CLARIFICATION] is left in the document.";
    RISK_UNMITIGATED = "risk-unmitigated", Warning,
        "A risk of this design is named and nothing says how it is reduced.";
    BAD_SUPPRESSION = "bad-suppression", Warning,
        "An sdcoach-disable comment names no known rule or has nothing to close, so it hides nothing.";
}

/// The rule with this id.
pub fn get(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Every rule id, for messages that list them.
pub fn ids() -> String {
    RULES.iter().map(|r| r.id).collect::<Vec<_>>().join(", ")
}

/// What a team sets a rule to: off, or reported at a severity of its choosing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Warning,
    Error,
}

/// Applies a team's levels to findings: a rule set `off` is dropped, the others take the
/// severity set for them.
pub fn configure(findings: &mut Vec<Finding>, level: impl Fn(&str) -> Option<Level>) {
    findings.retain_mut(|f| match level(f.id) {
        Some(Level::Off) => false,
        Some(Level::Warning) => {
            f.severity = Severity::Warning;
            true
        }
        Some(Level::Error) => {
            f.severity = Severity::Error;
            true
        }
        None => true,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_page_that_starts_with_its_id_and_severity() {
        for r in RULES {
            assert!(
                r.doc.starts_with(&format!("# {}\n", r.id)),
                "docs/rules/{}.md must start with `# {}`",
                r.id,
                r.id
            );
            assert!(
                r.doc.contains(&format!("Severity: {}", r.severity.label())),
                "docs/rules/{}.md must state its severity ({})",
                r.id,
                r.severity.label()
            );
        }
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len(), "rule ids are unique");
    }
}
