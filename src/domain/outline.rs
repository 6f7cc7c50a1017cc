//! Outlines: the ordered sections a session walks through (the interview framework today, the
//! spec templates later), and the arithmetic that turns shares into per-section time budgets.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

/// The id of the interview framework's outline (`assets/framework.toml`).
pub const INTERVIEW: &str = "interview";

/// What a field holds, independent of the outline it is in. Spec checks look for content by
/// role, and an export with another outline's template gathers text by role (an interview's
/// API step feeds a spec's "API & Schema Changes").
pub const ROLES: &[&str] = &[
    "summary",
    "context",
    "goals",
    "non_goals",
    "functional",
    "non_functional",
    "capacity",
    "entities",
    "api",
    "data_flow",
    "architecture",
    "data_model",
    "failure_modes",
    "dependencies",
    "risks",
    "migration",
    "security",
    "observability",
    "testing",
    "rollout",
    "open_questions",
    "timeline",
    "appendix",
    "deep_dives",
];

/// An outline as written in `assets/*.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outline {
    pub id: String,
    pub title: String,
    /// One line on what the outline is for (shown when choosing it).
    #[serde(default)]
    pub description: String,
    /// The total the section shares are written against, in minutes.
    pub default_minutes: u32,
    /// Whether a session runs against the clock unless told otherwise. Specs are untimed by
    /// default and take an optional time box.
    #[serde(default = "yes")]
    pub timed: bool,
    /// The order that works for writing (problem first, summary last), by section id. The
    /// sections themselves are in reading order, which exports keep. Empty: reading order.
    #[serde(default)]
    pub writing_order: Vec<String>,
    /// Checklists for the whole document (pre-review, pre-implementation).
    #[serde(default)]
    pub checklists: Vec<ChecklistDef>,
    /// Run the spec checks live while writing (spec outlines).
    #[serde(default)]
    pub checks: bool,
    pub sections: Vec<SectionDef>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistDef {
    pub id: String,
    pub title: String,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDef {
    pub id: String,
    pub title: String,
    /// Share of `default_minutes` (may be fractional).
    pub minutes: f64,
    /// One line on what the section produces.
    pub goal: String,
    /// An example line of good content.
    #[serde(default)]
    pub example: String,
    /// A spec section that must not be left empty (checked by `required-section`).
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub optional: bool,
    /// Where an optional section's time goes when it is skipped (split evenly).
    #[serde(default)]
    pub skip_to: Vec<String>,
    pub fields: Vec<FieldDef>,
    #[serde(default)]
    pub questions: Vec<String>,
    #[serde(default)]
    pub checklist: Vec<String>,
    #[serde(default)]
    pub tips: Vec<String>,
    #[serde(default)]
    pub pitfalls: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub placeholder: String,
    /// Lines of this field are read as `A -> B: label` edges.
    #[serde(default)]
    pub diagram: bool,
    /// What the field holds (one of [`ROLES`]).
    #[serde(default)]
    pub role: Option<String>,
}

impl Outline {
    /// Checks the internal consistency that serde cannot: unique ids, known `skip_to` targets,
    /// positive shares, at least one field per section.
    pub fn validate(&self) -> Result<(), String> {
        if self.sections.is_empty() {
            return Err(format!("outline `{}` has no sections", self.id));
        }
        if self.default_minutes == 0 {
            return Err(format!(
                "outline `{}`: default_minutes must be > 0",
                self.id
            ));
        }
        let mut seen = BTreeMap::new();
        for (i, s) in self.sections.iter().enumerate() {
            if seen.insert(s.id.as_str(), i).is_some() {
                return Err(format!("duplicate section id `{}`", s.id));
            }
            if !(s.minutes.is_finite() && s.minutes >= 0.0) {
                return Err(format!("section `{}`: minutes must be >= 0", s.id));
            }
            if s.fields.is_empty() {
                return Err(format!("section `{}` has no fields", s.id));
            }
            let mut fields = BTreeMap::new();
            for f in &s.fields {
                if fields.insert(f.id.as_str(), ()).is_some() {
                    return Err(format!("section `{}`: duplicate field id `{}`", s.id, f.id));
                }
                if let Some(role) = &f.role
                    && !ROLES.contains(&role.as_str())
                {
                    return Err(format!(
                        "section `{}`, field `{}`: unknown role `{role}` (roles: {})",
                        s.id,
                        f.id,
                        ROLES.join(", ")
                    ));
                }
            }
            if !s.skip_to.is_empty() && !s.optional {
                return Err(format!("section `{}`: skip_to needs optional = true", s.id));
            }
        }
        let mut ordered: Vec<&str> = self.writing_order.iter().map(String::as_str).collect();
        if !ordered.is_empty() {
            ordered.sort_unstable();
            let mut all: Vec<&str> = self.sections.iter().map(|s| s.id.as_str()).collect();
            all.sort_unstable();
            if ordered != all {
                return Err(format!(
                    "outline `{}`: writing_order must list every section exactly once",
                    self.id
                ));
            }
        }
        for s in &self.sections {
            for target in &s.skip_to {
                if !seen.contains_key(target.as_str()) || target == &s.id {
                    return Err(format!(
                        "section `{}`: unknown skip_to target `{target}`",
                        s.id
                    ));
                }
            }
        }
        Ok(())
    }

    /// Where a role's field is: (section, field) of the first field with that role.
    pub fn field_with_role(&self, role: &str) -> Option<(usize, usize)> {
        self.sections.iter().enumerate().find_map(|(si, s)| {
            s.fields
                .iter()
                .position(|f| f.role.as_deref() == Some(role))
                .map(|fi| (si, fi))
        })
    }

    pub fn section_index(&self, id: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.id == id)
    }

    /// Section indices in writing order.
    pub fn writing_positions(&self) -> Vec<usize> {
        if self.writing_order.is_empty() {
            (0..self.sections.len()).collect()
        } else {
            self.writing_order
                .iter()
                .filter_map(|id| self.section_index(id))
                .collect()
        }
    }

    /// Per-section budgets for a chosen total.
    ///
    /// Shares scale linearly with `total_minutes`; an entry in `overrides` (minutes, by section
    /// id) replaces the scaled share of that section. Skipped sections get zero and their budget
    /// is split evenly between their `skip_to` targets (or, with none, across all kept sections).
    pub fn budgets(
        &self,
        total_minutes: u32,
        overrides: &BTreeMap<String, u32>,
        skipped: &[bool],
    ) -> Vec<Duration> {
        let scale = f64::from(total_minutes) / f64::from(self.default_minutes.max(1));
        let mut secs: Vec<f64> = self
            .sections
            .iter()
            .map(|s| match overrides.get(&s.id) {
                Some(m) => f64::from(*m) * 60.0,
                None => s.minutes * scale * 60.0,
            })
            .collect();
        for (i, s) in self.sections.iter().enumerate() {
            if !skipped.get(i).copied().unwrap_or(false) {
                continue;
            }
            let freed = std::mem::take(&mut secs[i]);
            let targets: Vec<usize> = if s.skip_to.is_empty() {
                (0..self.sections.len())
                    .filter(|j| !skipped.get(*j).copied().unwrap_or(false))
                    .collect()
            } else {
                s.skip_to
                    .iter()
                    .filter_map(|t| self.section_index(t))
                    .filter(|j| !skipped.get(*j).copied().unwrap_or(false))
                    .collect()
            };
            if targets.is_empty() {
                continue;
            }
            let share = freed / targets.len() as f64;
            for j in targets {
                secs[j] += share;
            }
        }
        secs.into_iter()
            .map(|s| Duration::from_secs(s.round() as u64))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline() -> Outline {
        crate::storage::embedded::framework().expect("embedded framework parses")
    }

    fn mins(d: &[Duration]) -> Vec<f64> {
        d.iter().map(|d| d.as_secs_f64() / 60.0).collect()
    }

    #[test]
    fn default_budgets_match_the_framework_shares() {
        let o = outline();
        let b = o.budgets(40, &BTreeMap::new(), &[false; 6]);
        assert_eq!(mins(&b), vec![5.0, 2.0, 5.0, 5.0, 13.0, 10.0]);
    }

    #[test]
    fn budgets_scale_with_the_total() {
        let o = outline();
        let b = o.budgets(60, &BTreeMap::new(), &[false; 6]);
        assert_eq!(mins(&b), vec![7.5, 3.0, 7.5, 7.5, 19.5, 15.0]);
        let total: u64 = b.iter().map(Duration::as_secs).sum();
        assert_eq!(total, 60 * 60);
    }

    #[test]
    fn skipped_data_flow_goes_to_hld_and_deep_dives() {
        let o = outline();
        let skipped = [false, false, false, true, false, false];
        let b = o.budgets(40, &BTreeMap::new(), &skipped);
        assert_eq!(mins(&b), vec![5.0, 2.0, 5.0, 0.0, 15.5, 12.5]);
        let total: u64 = b.iter().map(Duration::as_secs).sum();
        assert_eq!(total, 40 * 60);
    }

    #[test]
    fn overrides_replace_a_scaled_share() {
        let o = outline();
        let overrides = BTreeMap::from([("requirements".to_string(), 8)]);
        let b = o.budgets(40, &overrides, &[false; 6]);
        assert_eq!(mins(&b)[0], 8.0);
        assert_eq!(mins(&b)[1], 2.0);
    }

    #[test]
    fn validate_rejects_bad_skip_targets_and_duplicates() {
        let mut o = outline();
        assert!(o.validate().is_ok());
        o.sections[3].skip_to.push("nowhere".into());
        assert!(o.validate().unwrap_err().contains("nowhere"));
        let mut o = outline();
        o.sections[1].id = "requirements".into();
        assert!(o.validate().unwrap_err().contains("duplicate section"));
    }
}
