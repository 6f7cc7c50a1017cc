//! Findings a document's authors turned off where they stand, in HTML comments a reader of the
//! rendered document never sees:
//!
//! - `<!-- sdcoach-disable-next-line RULE … -->`: the block or heading after the comment;
//! - `<!-- sdcoach-disable RULE … -->` … `<!-- sdcoach-enable RULE … -->`: the lines between
//!   (to the end of the document when nothing enables the rule again);
//! - `<!-- sdcoach-disable-file RULE … -->`: the whole document.
//!
//! No rule named means every rule. Rules are separated by spaces or commas; ` -- ` ends the
//! list and starts a reason. A directive that names an unknown rule, or an `enable` with no
//! open `disable`, hides nothing and is reported (`bad-suppression`), so a typo is not silent.

use super::markdown::{DIRECTIVE, Markdown};
use super::rules;

/// Lines on which one rule (or every rule, for `None`) is not reported.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Span {
    rule: Option<String>,
    from: usize,
    to: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suppressions {
    spans: Vec<Span>,
    /// Directives that hide nothing: (line, what is wrong).
    pub problems: Vec<(usize, String)>,
}

impl Suppressions {
    /// Reads the directives of a document.
    pub fn read(md: &Markdown) -> Self {
        // Where each block or heading starts and ends, by start line, for `next-line`.
        let mut extents: Vec<(usize, usize)> = md
            .blocks
            .iter()
            .map(|b| (b.line, b.last_line))
            .chain(md.headings.iter().map(|h| (h.line, h.line)))
            .collect();
        extents.sort_unstable();
        let mut out = Suppressions::default();
        // Ranges opened by `disable` and not yet closed: (rule, line).
        let mut open: Vec<(Option<String>, usize)> = Vec::new();
        for c in &md.comments {
            let mut words = c.text.split_whitespace();
            let Some(directive) = words.next().and_then(|w| w.strip_prefix(DIRECTIVE)) else {
                continue;
            };
            let names: Vec<String> = words
                .take_while(|w| *w != "--")
                .flat_map(|w| w.split(','))
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect();
            let unknown: Vec<&str> = names
                .iter()
                .map(String::as_str)
                .filter(|n| rules::get(n).is_none())
                .collect();
            if !unknown.is_empty() {
                let problem = format!(
                    "`{}` names no rule ({}); it hides nothing",
                    unknown.join(", "),
                    rules::ids()
                );
                out.problems.push((c.line, problem));
                continue;
            }
            // One entry per rule named; `None` for every rule.
            let targets: Vec<Option<String>> = if names.is_empty() {
                vec![None]
            } else {
                names.into_iter().map(Some).collect()
            };
            let mut span = |from: usize, to: usize| {
                for rule in &targets {
                    out.spans.push(Span {
                        rule: rule.clone(),
                        from,
                        to,
                    });
                }
            };
            match directive {
                "disable-next-line" => {
                    let at = extents.partition_point(|&(start, _)| start <= c.last_line);
                    if let Some(&(from, _)) = extents.get(at) {
                        let to = extents[at..]
                            .iter()
                            .take_while(|(start, _)| *start == from)
                            .map(|&(_, end)| end)
                            .max()
                            .unwrap_or(from);
                        span(from, to);
                    }
                }
                "disable-file" => span(0, usize::MAX),
                "disable" => open.extend(targets.into_iter().map(|t| (t, c.line))),
                "enable" => {
                    // `enable` with no rule closes every open range.
                    let before = open.len();
                    open.retain(|(rule, from)| {
                        let closes = targets == [None] || targets.contains(rule);
                        if closes {
                            out.spans.push(Span {
                                rule: rule.clone(),
                                from: *from,
                                to: c.line,
                            });
                        }
                        !closes
                    });
                    if open.len() == before {
                        let problem = "`sdcoach-enable` closes nothing: no `sdcoach-disable` of \
                                       the same rules is open before it";
                        out.problems.push((c.line, problem.to_string()));
                    }
                }
                other => {
                    let problem = format!(
                        "`sdcoach-{other}` is not a directive (disable-next-line, disable, \
                         enable, disable-file)"
                    );
                    out.problems.push((c.line, problem));
                }
            }
        }
        for (rule, from) in open {
            out.spans.push(Span {
                rule,
                from,
                to: usize::MAX,
            });
        }
        out
    }

    /// Whether a finding of `rule` on `line` (`None`: the whole document) is turned off.
    pub fn hides(&self, rule: &str, line: Option<usize>) -> bool {
        self.spans.iter().any(|s| {
            s.rule.as_deref().is_none_or(|r| r == rule)
                && match line {
                    Some(l) => s.from <= l && l <= s.to,
                    None => s.from == 0 && s.to == usize::MAX,
                }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Doc, run};

    const RISKY: &str = "## Risks\n\n- The cache could serve stale prices for hours.\n";

    fn rules_on(text: &str) -> Vec<(&'static str, Option<usize>)> {
        run(&Doc::from_markdown(text, &[]))
            .into_iter()
            .filter(|f| ["risk-unmitigated", "leftover-marker", "bad-suppression"].contains(&f.id))
            .map(|f| (f.id, f.line))
            .collect()
    }

    #[test]
    fn next_line_hides_the_block_after_the_comment_and_nothing_else() {
        assert_eq!(rules_on(RISKY), [("risk-unmitigated", Some(3))]);
        let text = "## Risks\n\n<!-- sdcoach-disable-next-line risk-unmitigated -- accepted -->\n\
                    - The cache could serve stale prices for hours.\n\
                    - The queue might fill up during a sale.\n";
        assert_eq!(rules_on(text), [("risk-unmitigated", Some(5))]);
        // Another rule named: the risk is still reported.
        let text = "## Risks\n\n<!-- sdcoach-disable-next-line leftover-marker -->\n\
                    - The cache could serve stale prices for hours.\n";
        assert_eq!(rules_on(text), [("risk-unmitigated", Some(4))]);
    }

    #[test]
    fn ranges_and_files_hide_what_they_name_until_enabled() {
        let text = "<!-- sdcoach-disable risk-unmitigated -->\n## Risks\n\n\
                    - The cache could serve stale prices for hours.\n\n\
                    <!-- sdcoach-enable risk-unmitigated -->\n\n\
                    - The queue might fill up during a sale.\n";
        assert_eq!(rules_on(text), [("risk-unmitigated", Some(8))]);
        let text = format!("<!-- sdcoach-disable-file -->\n{RISKY}TODO\n");
        assert_eq!(rules_on(&text), []);
        let text = format!("<!-- sdcoach-disable -->\n{RISKY}");
        assert_eq!(rules_on(&text), []);
    }

    #[test]
    fn a_directive_that_hides_nothing_is_reported_and_code_is_not_a_directive() {
        let text = format!("<!-- sdcoach-disable-next-line risk-unmitigatd -->\n{RISKY}");
        assert_eq!(
            rules_on(&text),
            [("bad-suppression", Some(1)), ("risk-unmitigated", Some(4))]
        );
        let text = format!("{RISKY}\n<!-- sdcoach-enable risk-unmitigated -->\n");
        assert_eq!(
            rules_on(&text),
            [("risk-unmitigated", Some(3)), ("bad-suppression", Some(5))]
        );
        let text = format!("<!-- sdcoach-silence -->\n{RISKY}");
        assert_eq!(rules_on(&text)[0].0, "bad-suppression");
        let text = format!("```\n<!-- sdcoach-disable-file -->\n```\n\n{RISKY}");
        assert_eq!(rules_on(&text), [("risk-unmitigated", Some(7))]);
    }
}
