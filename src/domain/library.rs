//! Reference cards: short, opinionated notes on backend patterns, suggested per framework step
//! and per problem tag.

use serde::Deserialize;

use super::problem::TAGS;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub when_to_use: Vec<String>,
    pub trade_offs: Vec<String>,
    pub defaults: Vec<String>,
    pub pitfalls: Vec<String>,
    pub related: Vec<String>,
    /// Framework step ids where the card is suggested.
    pub steps: Vec<String>,
    /// Problem tags the card is suggested for.
    pub tags: Vec<String>,
}

impl Card {
    /// The card as text: title, summary, then each list under its heading.
    pub fn sections(&self) -> [(&'static str, &[String]); 5] {
        [
            ("When to use", &self.when_to_use),
            ("Trade-offs", &self.trade_offs),
            ("Defaults", &self.defaults),
            ("Pitfalls", &self.pitfalls),
            ("Related", &self.related),
        ]
    }

    /// Problems with the card's content, as messages.
    pub fn problems(&self, all: &[Card], step_ids: &[&str]) -> Vec<String> {
        let mut p = Vec::new();
        for (name, list) in self.sections() {
            if list.iter().all(|l| l.trim().is_empty()) {
                p.push(format!("{}: `{name}` is empty", self.id));
            }
        }
        if self.summary.trim().is_empty() {
            p.push(format!("{}: the summary is empty", self.id));
        }
        for r in &self.related {
            if !all.iter().any(|c| &c.id == r) || r == &self.id {
                p.push(format!("{}: related card `{r}` does not exist", self.id));
            }
        }
        for s in &self.steps {
            if !step_ids.contains(&s.as_str()) {
                p.push(format!("{}: unknown step `{s}`", self.id));
            }
        }
        for t in &self.tags {
            if !TAGS.contains(&t.as_str()) {
                p.push(format!("{}: tag `{t}` is not in the vocabulary", self.id));
            }
        }
        p
    }
}

/// Cards for a step and a problem's tags, most relevant first: a card matching both the step
/// and a tag, then one matching a tag (it is about this problem), then one matching the step.
pub fn suggested<'a>(cards: &'a [Card], step: &str, tags: &[&str]) -> Vec<&'a Card> {
    let mut scored: Vec<(u8, &Card)> = cards
        .iter()
        .filter_map(|c| {
            let by_step = c.steps.iter().any(|s| s == step);
            let by_tag = c.tags.iter().any(|t| tags.contains(&t.as_str()));
            match (by_step, by_tag) {
                (true, true) => Some((0, c)),
                (false, true) => Some((1, c)),
                (true, false) => Some((2, c)),
                (false, false) => None,
            }
        })
        .collect();
    scored.sort_by_key(|(rank, c)| (*rank, c.title.clone()));
    scored.into_iter().map(|(_, c)| c).collect()
}
