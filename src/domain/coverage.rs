//! Feedback without a model: which of a problem's key points the answer mentions, and whether
//! each functional requirement is traced through the API, the entities and the design.

use serde::Serialize;

use super::checks::has_number_with_unit;
use super::problem::KeyPoint;

/// Whether `phrase` occurs in `text` (already lowercase) on word boundaries.
fn mentions(text: &str, phrase: &str) -> bool {
    let phrase = phrase.trim().to_lowercase();
    if phrase.is_empty() {
        return false;
    }
    text.match_indices(&phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub covered: Vec<String>,
    pub missed: Vec<String>,
}

/// Key points the text mentions through any synonym (or the key point's own name), matched
/// case-insensitively on word boundaries.
pub fn coverage(text: &str, key_points: &[KeyPoint]) -> Coverage {
    let text = text.to_lowercase();
    let (covered, missed): (Vec<&KeyPoint>, Vec<&KeyPoint>) = key_points
        .iter()
        .partition(|k| mentions(&text, &k.name) || k.synonyms.iter().any(|s| mentions(&text, s)));
    Coverage {
        covered: covered.into_iter().map(|k| k.name.clone()).collect(),
        missed: missed.into_iter().map(|k| k.name.clone()).collect(),
    }
}

/// Words that carry no meaning for tracing a requirement.
const STOPWORDS: &[&str] = &[
    "able", "about", "after", "also", "and", "any", "are", "be", "been", "can", "could", "does",
    "each", "for", "from", "get", "gets", "has", "have", "into", "its", "let", "more", "most",
    "must", "not", "one", "only", "other", "our", "should", "such", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "through", "user", "users", "using", "via",
    "want", "when", "where", "which", "will", "with", "within", "without", "would", "your",
    "system", "allow", "allows", "able",
];

/// A crude stem: one common English suffix off, keeping at least four letters, so "expiry",
/// "expires" and "expired" meet at "expir".
fn stem(word: &str) -> &str {
    for suffix in [
        "ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s", "y",
    ] {
        if let Some(stem) = word.strip_suffix(suffix)
            && stem.len() >= 4
        {
            return stem;
        }
    }
    word
}

/// Significant words of a line, lowercased and stemmed.
fn words(line: &str) -> Vec<String> {
    line.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !STOPWORDS.contains(w))
        .map(|w| stem(w).to_string())
        .collect()
}

fn shares_word(req: &[String], text: &str) -> bool {
    let other = words(text);
    req.iter().any(|w| other.contains(w))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trace {
    pub requirement: String,
    pub endpoint: bool,
    pub entity: bool,
    pub component: bool,
}

impl Trace {
    pub fn complete(&self) -> bool {
        self.endpoint && self.entity && self.component
    }

    /// What is missing, in words: "no endpoint, no component".
    pub fn gaps(&self) -> String {
        let mut g = Vec::new();
        if !self.endpoint {
            g.push("no endpoint");
        }
        if !self.entity {
            g.push("no entity");
        }
        if !self.component {
            g.push("no HLD component");
        }
        g.join(", ")
    }
}

fn items(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let t = l.trim();
            let t = ["- ", "* ", "+ "]
                .iter()
                .find_map(|m| t.strip_prefix(m))
                .unwrap_or(t);
            let digits = t.bytes().take_while(u8::is_ascii_digit).count();
            match t[digits..].strip_prefix(". ") {
                Some(rest) if digits > 0 => rest,
                _ => t,
            }
            .trim()
            .to_string()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// Each functional requirement (one per line) traced by shared words to the API text, the
/// entities text and the design (diagram) text.
pub fn traceability(functional: &str, api: &str, entities: &str, design: &str) -> Vec<Trace> {
    items(functional)
        .into_iter()
        .filter(|r| !words(r).is_empty())
        .map(|r| {
            let w = words(&r);
            Trace {
                endpoint: shares_word(&w, api),
                entity: shares_word(&w, entities),
                component: shares_word(&w, design),
                requirement: r,
            }
        })
        .collect()
}

/// Non-functional requirement lines without a number and a unit.
pub fn unmeasured_nfrs(non_functional: &str) -> Vec<String> {
    items(non_functional)
        .into_iter()
        .filter(|l| !has_number_with_unit(l))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kp(name: &str, syn: &[&str]) -> KeyPoint {
        KeyPoint {
            name: name.into(),
            synonyms: syn.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn key_points_match_synonyms_on_word_boundaries_ignoring_case() {
        let points = [
            kp("Base62 encoding", &["base62", "base 62"]),
            kp("Write-ahead log", &["write-ahead log", "wal"]),
            kp("Cache stampede", &["stampede", "thundering herd"]),
            kp("Sharding", &["shard key"]),
        ];
        let c = coverage(
            "We use BASE62 codes; a WAL keeps writes. Walrus is not a log.",
            &points,
        );
        assert_eq!(c.covered, ["Base62 encoding", "Write-ahead log"]);
        assert_eq!(c.missed, ["Cache stampede", "Sharding"]);
        let c = coverage("a thundering herd after expiry; sharding by user", &points);
        assert_eq!(
            c.covered,
            ["Cache stampede", "Sharding"],
            "the key point's own name counts"
        );
        assert!(coverage("", &points).covered.is_empty());
    }

    #[test]
    fn requirements_trace_through_api_entities_and_design() {
        let t = traceability(
            "- Users should be able to shorten a long URL\n- Users can see click analytics\n- Users should be able to",
            "POST /v1/urls {long_url} -> 201",
            "ShortUrl: code, long URL",
            "Client -> API Gateway -> URL Service",
        );
        assert_eq!(
            t.len(),
            2,
            "a line with no significant words is not a requirement"
        );
        assert!(t[0].complete(), "{t:?}");
        assert_eq!(t[1].requirement, "Users can see click analytics");
        assert!(!t[1].endpoint && !t[1].entity && !t[1].component);
        assert_eq!(t[1].gaps(), "no endpoint, no entity, no HLD component");
    }

    #[test]
    fn word_forms_meet_at_a_stem() {
        for (a, b) in [
            ("expiry", "expires"),
            ("redirected", "redirect"),
            ("uploading", "uploads"),
            ("analytics", "analytic"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
        let t = traceability(
            "- Set an expiry",
            "PATCH /v1/links/{code} {expires_at}",
            "Link: expires_at",
            "Expiry Worker -> DB",
        );
        assert!(t[0].complete());
    }

    #[test]
    fn nfrs_without_numbers_are_listed() {
        assert_eq!(
            unmeasured_nfrs("- p99 redirect < 50 ms\n- highly available\n- 99.99% uptime"),
            ["highly available"]
        );
    }
}
