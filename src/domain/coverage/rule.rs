//! Key-point rules: the small language a problem file states a concept in.
//!
//! ```text
//! rule  = group { "+" group }      every group must be stated in one place (a sentence, or a
//!                                  sentence and the next, under the same heading)
//! group = term { "|" term }        any one of the alternatives
//! term  = [ "!" | "~" ] word [ "*" ] { word [ "*" ] }
//! ```
//!
//! Words are compared after normalising (see `text`): case, hyphens, underscores, spacing and
//! camel case, plurals and inflections, British spelling and single typos in long words do not
//! matter. A word followed by `*` matches any word it begins (`sha*`: sha1, sha256). A `~` term is weak: a
//! rule whose terms found are all weak does not fire ("kafka" alone names a tool, not a
//! design). A `!` term must be negated to count ("never !reuse codes"), and makes the whole rule
//! accept negated words.

use super::text::{Normaliser, word_spans};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as written in the rule, without its markers.
    pub written: String,
    /// Its normalised words.
    pub words: Vec<String>,
    /// For each word, whether it matches any word it begins (`*`).
    pub prefix: Vec<bool>,
    pub weak: bool,
    pub negated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub groups: Vec<Group>,
}

/// The most groups a rule may have: more would never be stated in one place.
pub const MAX_GROUPS: usize = 4;

impl Rule {
    /// Parses one rule; the error says what is wrong in words.
    pub fn parse(source: &str, norm: &mut Normaliser) -> Result<Rule, String> {
        let mut groups = Vec::new();
        for (gi, group) in source.split('+').enumerate() {
            let mut terms = Vec::new();
            for raw in group.split('|') {
                let mut t = raw.trim();
                if t.is_empty() {
                    return Err(format!(
                        "group {} of `{source}` has an empty alternative (two `|` in a row, or one at an end)",
                        gi + 1
                    ));
                }
                let (mut weak, mut negated) = (false, false);
                loop {
                    if let Some(rest) = t.strip_prefix('~') {
                        weak = true;
                        t = rest.trim_start();
                    } else if let Some(rest) = t.strip_prefix('!') {
                        negated = true;
                        t = rest.trim_start();
                    } else {
                        break;
                    }
                }
                let spans = word_spans(t);
                if spans.is_empty() {
                    return Err(format!("`{t}` has no words to match"));
                }
                let mut prefix = Vec::with_capacity(spans.len());
                for (i, r) in spans.iter().enumerate() {
                    let after = &t[r.end..spans.get(i + 1).map_or(t.len(), |n| n.start)];
                    let glued = after == "*" && i + 1 < spans.len();
                    if glued || (after.contains('*') && !after.starts_with('*')) {
                        return Err(format!("`{t}`: `*` must follow a word directly and end it"));
                    }
                    prefix.push(after.starts_with('*'));
                }
                if t.trim_start().starts_with('*') {
                    return Err(format!("`{t}`: `*` must follow a word directly"));
                }
                terms.push(Term {
                    written: t.replace('*', ""),
                    words: spans.iter().map(|r| norm.word(&t[r.clone()])).collect(),
                    prefix,
                    weak,
                    negated,
                });
            }
            groups.push(Group { terms });
        }
        if groups.len() > MAX_GROUPS {
            return Err(format!(
                "`{source}` has {} groups joined by `+`; at most {MAX_GROUPS} can be stated in one place",
                groups.len()
            ));
        }
        Ok(Rule { groups })
    }

    /// A rule with one group: any of `terms` (how `synonyms` of older problem files read).
    pub fn any_of(terms: &[String], norm: &mut Normaliser) -> Option<Rule> {
        let terms: Vec<Term> = terms
            .iter()
            .filter_map(|t| {
                let words = norm.phrase(t);
                (!words.is_empty()).then(|| Term {
                    written: t.trim().to_string(),
                    prefix: vec![false; words.len()],
                    words,
                    weak: false,
                    negated: false,
                })
            })
            .collect();
        (!terms.is_empty()).then(|| Rule {
            groups: vec![Group { terms }],
        })
    }

    /// Whether the rule is about something *not* done ("never reuse codes").
    pub fn accepts_negation(&self) -> bool {
        self.groups
            .iter()
            .any(|g| g.terms.iter().any(|t| t.negated))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Rule, String> {
        Rule::parse(s, &mut Normaliser::default())
    }

    #[test]
    fn rules_are_groups_of_alternatives() {
        let r = parse("hash | md5 | sha* + collision | insert if absent").unwrap();
        assert_eq!(r.groups.len(), 2);
        assert_eq!(r.groups[0].terms.len(), 3);
        assert_eq!(r.groups[0].terms[2].prefix, [true]);
        assert_eq!(r.groups[0].terms[2].words, ["sha"]);
        assert_eq!(r.groups[1].terms[1].words, ["insert", "if", "absent"]);
        assert!(!r.accepts_negation());
        let r = parse("look* up | read-only cop*").unwrap();
        assert_eq!(r.groups[0].terms[0].prefix, [true, false]);
        assert_eq!(r.groups[0].terms[1].prefix, [false, false, true]);
        let r = parse("~kafka | click events + !drop").unwrap();
        assert!(r.groups[0].terms[0].weak);
        assert!(r.groups[1].terms[0].negated);
        assert!(r.accepts_negation());
    }

    #[test]
    fn malformed_rules_say_why() {
        for (bad, says) in [
            ("a || b", "empty alternative"),
            ("a + ", "empty alternative"),
            ("sh*rd", "must follow a word"),
            ("* a", "must follow a word"),
            ("?? | a", "no words"),
            ("a + b + c + d + e", "at most 4"),
        ] {
            let err = parse(bad).unwrap_err();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }
}
