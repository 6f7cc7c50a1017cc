//! The spec checks measured against a labelled corpus of design documents
//! (`tests/fixtures/specs/README.md`): which reports match a real gap, which gaps were missed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::markdown;

/// A document's labels, as `NAME.toml` beside `NAME.md` holds them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub layout: String,
    pub note: String,
    #[serde(default)]
    pub section: Vec<SectionLabel>,
    #[serde(default)]
    pub finding: Vec<Label>,
    #[serde(default)]
    pub quiet: Vec<Label>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionLabel {
    pub heading: String,
    pub line: usize,
    pub role: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub rule: String,
    /// 1-based; 0 for the whole document.
    pub line: usize,
    pub why: String,
}

/// Rules about the whole document: a report matches whatever its line.
const DOCUMENT_RULES: &[&str] = &[
    "no-failure-handling",
    "outline-mismatch",
    "goals-without-non-goals",
    "no-rollback",
];

/// Rules about a section: a report matches anywhere in the labelled section.
const SECTION_RULES: &[&str] = &["required-section", "capacity-hand-wavy"];

/// What the checks reported: a rule and the line it pointed at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub rule: String,
    pub line: Option<usize>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RuleScore {
    /// Reports counted: each false one, and one per labelled gap matched (several reports of
    /// one gap, as for each endpoint of one listing, count once).
    pub reports: usize,
    pub matched: usize,
    /// Labelled gaps.
    pub findings: usize,
}

impl RuleScore {
    fn add(&mut self, o: RuleScore) {
        self.reports += o.reports;
        self.matched += o.matched;
        self.findings += o.findings;
    }

    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.reports)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.findings)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// One document scored.
#[derive(Debug, Clone, Serialize)]
pub struct DocScore {
    pub name: String,
    pub rules: BTreeMap<String, RuleScore>,
    /// Reports that match no labelled gap.
    pub false_reports: Vec<Report>,
    /// Labelled gaps no report matched, with why they are gaps.
    pub missed: Vec<(String, usize, String)>,
}

/// The lines a label covers: the block it points at, the section under a heading, or the
/// whole document.
fn extent(rule: &str, line: usize, md: &markdown::Markdown) -> Option<(usize, usize)> {
    if line == 0 || DOCUMENT_RULES.contains(&rule) {
        return None;
    }
    if SECTION_RULES.contains(&rule)
        && let Some(i) = md.headings.iter().position(|h| h.line == line)
    {
        let level = md.headings[i].level;
        let end = md.headings[i + 1..]
            .iter()
            .find(|h| h.level <= level)
            .map_or(usize::MAX, |h| h.line - 1);
        return Some((line, end));
    }
    let end = md
        .blocks
        .iter()
        .find(|b| b.line <= line && line <= b.last_line)
        .map_or(line, |b| b.last_line);
    Some((line, end))
}

/// Scores the reports on one document against its labels.
pub fn score(name: &str, text: &str, labels: &Labels, reports: &[Report]) -> DocScore {
    let md = markdown::read(text);
    let spans: Vec<Option<(usize, usize)>> = labels
        .finding
        .iter()
        .map(|l| extent(&l.rule, l.line, &md))
        .collect();
    let mut matched = vec![false; labels.finding.len()];
    let mut rules: BTreeMap<String, RuleScore> = BTreeMap::new();
    let mut false_reports = Vec::new();
    for r in reports {
        let fits = |i: usize| {
            labels.finding[i].rule == r.rule
                && match spans[i] {
                    None => true,
                    Some((from, to)) => r.line.is_some_and(|l| from <= l && l <= to),
                }
        };
        let entry = rules.entry(r.rule.clone()).or_default();
        match (0..matched.len()).find(|&i| fits(i) && !matched[i]) {
            Some(i) => {
                matched[i] = true;
                entry.reports += 1;
                entry.matched += 1;
            }
            None if (0..matched.len()).any(fits) => {}
            None => {
                entry.reports += 1;
                false_reports.push(r.clone());
            }
        }
    }
    let mut missed = Vec::new();
    for (l, &m) in labels.finding.iter().zip(&matched) {
        rules.entry(l.rule.clone()).or_default().findings += 1;
        if !m {
            missed.push((l.rule.clone(), l.line, l.why.clone()));
        }
    }
    DocScore {
        name: name.to_string(),
        rules,
        false_reports,
        missed,
    }
}

/// Per-rule totals over documents, and the sum of them all.
pub fn totals(docs: &[DocScore]) -> (BTreeMap<String, RuleScore>, RuleScore) {
    let mut rules: BTreeMap<String, RuleScore> = BTreeMap::new();
    let mut all = RuleScore::default();
    for d in docs {
        for (rule, s) in &d.rules {
            rules.entry(rule.clone()).or_default().add(*s);
            all.add(*s);
        }
    }
    (rules, all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(rule: &str, line: usize) -> Label {
        Label {
            rule: rule.into(),
            line,
            why: String::new(),
        }
    }

    fn report(rule: &str, line: Option<usize>) -> Report {
        Report {
            rule: rule.into(),
            line,
        }
    }

    #[test]
    fn reports_match_blocks_sections_and_documents() {
        let text = "# T\n\n## Risks\n\n- one risk wrapped\n  over two lines\n- another\n\n## Capacity\n\nlots\n";
        let labels = Labels {
            layout: "other".into(),
            note: String::new(),
            section: Vec::new(),
            finding: vec![
                label("risk-unmitigated", 5),
                label("capacity-hand-wavy", 9),
                label("no-failure-handling", 0),
            ],
            quiet: Vec::new(),
        };
        let s = score(
            "t",
            text,
            &labels,
            &[
                report("risk-unmitigated", Some(6)),
                report("risk-unmitigated", Some(7)),
                report("capacity-hand-wavy", Some(11)),
                report("no-failure-handling", None),
                report("no-failure-handling", Some(3)),
            ],
        );
        let (rules, all) = totals(std::slice::from_ref(&s));
        assert_eq!(rules["risk-unmitigated"].reports, 2, "{s:?}");
        assert_eq!(rules["risk-unmitigated"].matched, 1);
        assert_eq!(s.false_reports, vec![report("risk-unmitigated", Some(7))]);
        assert_eq!(rules["capacity-hand-wavy"].matched, 1);
        // A second report of a matched document gap counts once.
        assert_eq!(rules["no-failure-handling"].reports, 1);
        assert_eq!((all.matched, all.reports, all.findings), (3, 4, 3));
        assert!(s.missed.is_empty());
        let s = score("t", text, &labels, &[]);
        assert_eq!(s.missed.len(), 3);
    }
}
