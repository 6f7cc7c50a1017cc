//! Feedback without a model: which of a problem's key points the answer *states*, with the
//! sentence that earned each one, and whether each functional requirement is traced through the
//! API, the entities and the design.
//!
//! A key point is a set of [rules](rule); a rule fires when all its groups are found in one place
//! (a sentence, or a sentence and the next in the same paragraph or list, with the heading above
//! them as context) among words that are *stated*: not asked, negated, listed bare, out of scope,
//! offered as an option, or only a heading (see [`text::Context`]). A rule that would fire only
//! on such words makes the point *named*: shown, with the reason, but not credited.

pub mod rule;
pub mod text;
pub mod trace;

use std::collections::HashMap;
use std::ops::Range;

use rule::{Group, Rule, Term};
use serde::{Deserialize, Serialize};
use text::{Analysed, Context, FILLERS, Field, Flags, Normaliser};
use toml::Spanned;

pub use trace::{Sources, Trace, traceability, unmeasured_nfrs};

/// A concept a strong answer states, as a problem file gives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPoint {
    pub name: String,
    /// The ways the point can be stated (see [`rule`] and docs/question-bank.md);
    /// any one that fires covers it.
    #[serde(default)]
    pub rules: Vec<Spanned<String>>,
    /// Older problem files: phrases any one of which covers the point. Read as one rule with
    /// one group; `bank validate --strict` asks for `rules` instead.
    #[serde(default)]
    pub synonyms: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The answer states the idea.
    Covered,
    /// The idea's words are there, but only asked, negated, listed, out of scope…
    Named,
    Missed,
}

/// Where a verdict comes from: the sentence, its place, the words that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The step (section) id.
    pub step: String,
    /// The field's title.
    pub field: String,
    /// 1-based line in the field.
    pub line: usize,
    /// The sentence (or two) that matched.
    pub text: String,
    /// Byte ranges of `text` that matched a term.
    pub marks: Vec<(usize, usize)>,
    /// The heading or label the sentence sits under, when it took part in the match.
    pub under: Option<String>,
    /// `text` as inline Markdown with the matched words in bold.
    pub markdown: String,
}

impl Evidence {
    /// `text` cut into runs, each with whether it matched, whitespace runs (line breaks of a
    /// two-line match) shown as one space: what a screen or a terminal line prints.
    pub fn segments(&self) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        let mut at = 0;
        let mut push = |piece: &str, marked: bool| {
            let mut s = String::with_capacity(piece.len());
            for (i, w) in piece.split_whitespace().enumerate() {
                if i > 0 {
                    s.push(' ');
                }
                s.push_str(w);
            }
            if piece.starts_with(char::is_whitespace) && !s.is_empty() {
                s.insert(0, ' ');
            }
            if piece.ends_with(char::is_whitespace) && !s.is_empty() {
                s.push(' ');
            }
            if s.is_empty() && !piece.is_empty() {
                // Only whitespace between two marked words: one space.
                s.push(' ');
            }
            if !s.is_empty() {
                out.push((s, marked));
            }
        };
        for &(a, b) in &self.marks {
            if a < at || b > self.text.len() {
                continue;
            }
            push(&self.text[at..a], false);
            push(&self.text[a..b], true);
            at = b;
        }
        push(&self.text[at..], false);
        out
    }

    /// Where it is: `Field, line N`, with the heading it sits under when that took part.
    pub fn place(&self) -> String {
        match &self.under {
            Some(u) => format!("{}, line {} (under “{u}”)", self.field, self.line),
            None => format!("{}, line {}", self.field, self.line),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointResult {
    pub name: String,
    pub verdict: Verdict,
    /// What earned the ✓; for a point not covered, the closest near-miss, if any.
    pub evidence: Option<Evidence>,
    /// For a point not covered with a near-miss: why it did not count.
    pub why: Option<String>,
}

impl PointResult {
    pub fn covered(&self) -> bool {
        self.verdict == Verdict::Covered
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Every key point in the problem's order, with its verdict and evidence.
    pub points: Vec<PointResult>,
    /// Names of the points covered (for templates that only list them).
    pub covered: Vec<String>,
    /// Names of the points not covered, named ones included.
    pub missed: Vec<String>,
}

/// The rules of a key point, compiled: its `rules`, or for an older problem file its
/// `synonyms` as one group of alternatives.
pub fn compile(point: &KeyPoint, norm: &mut Normaliser) -> Vec<Rule> {
    if point.rules.is_empty() {
        return Rule::any_of(&point.synonyms, norm).into_iter().collect();
    }
    point
        .rules
        .iter()
        .filter_map(|r| Rule::parse(r.get_ref(), norm).ok())
        .collect()
}

/// Judges every key point against the answer's fields.
pub fn coverage(fields: &[Field<'_>], key_points: &[KeyPoint]) -> Coverage {
    Normaliser::shared(|norm| {
        let answer = Analysed::new(fields, norm);
        Matcher::new(&answer, norm).coverage(key_points, norm)
    })
}

/// A place a term was found.
#[derive(Debug, Clone)]
struct Hit {
    unit: u32,
    tokens: Range<usize>,
    flags: Flags,
    weak: bool,
    /// The term must be negated (`!`).
    negated_term: bool,
}

/// What a window may use.
#[derive(Debug, Clone, Copy)]
enum Strictness {
    /// Only stated words.
    Stated,
    /// Any words, to find why a point is only named.
    Any,
}

pub struct Matcher<'a> {
    answer: &'a Analysed<'a>,
    fillers: Vec<u32>,
}

/// A window where a rule fired: the anchor unit, and the hits it used.
#[derive(Debug, Clone)]
struct Firing {
    anchor: u32,
    hits: Vec<Hit>,
}

impl<'a> Matcher<'a> {
    pub fn new(answer: &'a Analysed<'a>, norm: &mut Normaliser) -> Self {
        let fillers = FILLERS
            .iter()
            .filter_map(|f| answer.id(&norm.word(f)))
            .collect();
        Self { answer, fillers }
    }

    /// Judges every key point (an answer read once can be judged for many problems).
    pub fn coverage(&self, key_points: &[KeyPoint], norm: &mut Normaliser) -> Coverage {
        let points: Vec<PointResult> = key_points
            .iter()
            .map(|k| self.judge(&k.name, &compile(k, norm)))
            .collect();
        let (covered, missed) = points
            .iter()
            .partition::<Vec<&PointResult>, _>(|p| p.covered());
        Coverage {
            covered: covered.iter().map(|p| p.name.clone()).collect(),
            missed: missed.iter().map(|p| p.name.clone()).collect(),
            points,
        }
    }

    /// The word ids a term word may be in the answer: itself, a typo of it, or (with `*`)
    /// any word it begins.
    fn ids(&self, word: &str, prefix: bool) -> Vec<u32> {
        let mut ids: Vec<u32> = self.answer.id(word).into_iter().collect();
        ids.extend(self.answer.near(word));
        if prefix {
            ids.extend(self.answer.with_prefix(word));
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The shapes a term can take in the answer, each a sequence of allowed word ids: as
    /// written, glued into one word ("web socket" → "websocket"), or a one-word term split
    /// in two or three ("multiget" → "multi get").
    fn patterns(&self, term: &Term) -> Vec<Vec<Vec<u32>>> {
        let n = term.words.len();
        let mut out = Vec::new();
        let direct: Vec<Vec<u32>> = term
            .words
            .iter()
            .enumerate()
            .map(|(i, w)| self.ids(w, term.prefix[i]))
            .collect();
        if direct.iter().all(|ids| !ids.is_empty()) {
            out.push(direct);
        }
        if n >= 2 {
            let glued = self.ids(&term.words.concat(), term.prefix[n - 1]);
            if !glued.is_empty() {
                out.push(vec![glued]);
            }
        }
        if n == 1 {
            // Cut the normalised word and, for a word the stemmer changes at its end
            // ("zookeeper" is "zookeep"), the word as written: "ZooKeeper" reads "zoo keeper".
            let written = term.written.to_lowercase();
            let mut forms = vec![term.words[0].as_str()];
            if written != term.words[0] && written.chars().all(char::is_alphanumeric) {
                forms.push(&written);
            }
            let find = |p: &str| self.answer.id(p).or_else(|| self.answer.surface(p));
            for w in forms {
                let cuts: Vec<usize> = w
                    .char_indices()
                    .map(|(i, _)| i)
                    .filter(|&i| i >= 2 && w.len() - i >= 2)
                    .collect();
                for &a in &cuts {
                    let (x, rest) = w.split_at(a);
                    if let Some(x) = find(x) {
                        if let Some(y) = find(rest) {
                            out.push(vec![vec![x], vec![y]]);
                        }
                        for &b in cuts.iter().filter(|&&b| b > a + 1) {
                            let (y, z) = w[a..].split_at(b - a);
                            if let (Some(y), Some(z)) = (find(y), find(z)) {
                                out.push(vec![vec![x], vec![y], vec![z]]);
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// Every place the term is found.
    fn term_hits(&self, term: &Term) -> Vec<Hit> {
        let tokens = &self.answer.tokens;
        let mut hits = Vec::new();
        for pattern in self.patterns(term) {
            for &first in &pattern[0] {
                'start: for &start in self.answer.postings(first) {
                    let start = start as usize;
                    let unit = tokens[start].unit;
                    let mut at = start;
                    for allowed in &pattern[1..] {
                        let mut next = at + 1;
                        let mut skipped = 0;
                        loop {
                            let Some(t) = tokens.get(next) else {
                                continue 'start;
                            };
                            if t.unit != unit {
                                continue 'start;
                            }
                            if allowed.contains(&t.word) {
                                break;
                            }
                            if skipped < 2 && self.fillers.contains(&t.word) {
                                skipped += 1;
                                next += 1;
                                continue;
                            }
                            continue 'start;
                        }
                        at = next;
                    }
                    let flags = tokens[start..=at]
                        .iter()
                        .fold(Flags::default(), |f, t| f.with(t.flags));
                    hits.push(Hit {
                        unit,
                        tokens: start..at + 1,
                        flags,
                        weak: term.weak,
                        negated_term: term.negated,
                    });
                }
            }
        }
        hits
    }

    fn group_hits(&self, group: &Group) -> HashMap<u32, Vec<Hit>> {
        let mut by_unit: HashMap<u32, Vec<Hit>> = HashMap::new();
        for term in &group.terms {
            for hit in self.term_hits(term) {
                by_unit.entry(hit.unit).or_default().push(hit);
            }
        }
        by_unit
    }

    /// Whether a hit counts at this strictness, for a rule that does or does not accept
    /// negated words. Heading hits count only as context (checked by the caller).
    fn usable(hit: &Hit, strict: Strictness, accepts_negation: bool) -> bool {
        if hit.negated_term && !hit.flags.has(Context::Negated) {
            return false;
        }
        match strict {
            Strictness::Any => true,
            Strictness::Stated => {
                let mut allowed = Flags::only(Context::Heading);
                if accepts_negation {
                    allowed = allowed.with(Flags::only(Context::Negated));
                }
                hit.flags.without(allowed).next().is_none()
            }
        }
    }

    /// The window anchored at `anchor`: the unit, the next one in the same list item (with its
    /// sub-items) or paragraph line, and the headings above the anchor.
    fn window(&self, anchor: u32) -> (Vec<u32>, Vec<u32>) {
        let units = &self.answer.units;
        let a = &units[anchor as usize];
        let mut body = vec![anchor];
        if let Some(next) = units.get(anchor as usize + 1)
            && next.block == a.block
            && next.field == a.field
            && next.group == a.group
            && !next.heading
        {
            body.push(anchor + 1);
        }
        let context = a.context.iter().flatten().copied().collect();
        (body, context)
    }

    /// The first window where every group of the rule has a usable hit.
    fn fire(
        &self,
        rule: &Rule,
        hits: &[HashMap<u32, Vec<Hit>>],
        strict: Strictness,
    ) -> Option<Firing> {
        let accepts_negation = rule.accepts_negation();
        let mut anchors: Vec<u32> = hits.iter().flat_map(|h| h.keys().copied()).collect();
        anchors.sort_unstable();
        anchors.dedup();
        let mut best: Option<Firing> = None;
        for anchor in anchors {
            let heading_anchor = self.answer.units[anchor as usize].heading;
            if heading_anchor && matches!(strict, Strictness::Stated) {
                continue;
            }
            let (body, context) = self.window(anchor);
            let mut used = Vec::new();
            let mut in_anchor = false;
            let mut ok = true;
            for group in hits {
                let pick = |units: &[u32]| {
                    units.iter().find_map(|u| {
                        group.get(u).and_then(|hs| {
                            hs.iter()
                                .find(|h| Self::usable(h, strict, accepts_negation))
                                .cloned()
                        })
                    })
                };
                let found = pick(&body).or_else(|| pick(&context));
                match found {
                    Some(h) => {
                        in_anchor |= h.unit == anchor;
                        used.push(h);
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok || !in_anchor || used.iter().all(|h| h.weak) {
                continue;
            }
            let single = used.iter().all(|h| h.unit == anchor);
            let better = match &best {
                None => true,
                Some(b) => single && b.hits.iter().any(|h| h.unit != b.anchor),
            };
            if better {
                best = Some(Firing { anchor, hits: used });
                if single {
                    break;
                }
            }
        }
        best
    }

    /// The window with the most groups found, for a point that was missed. A rule's first group
    /// is its concept ("hash" in `hash + collision`): a window without it is no near-miss, so
    /// an answer is never told it "mentions code but not 7 characters".
    fn partial(&self, rule: &Rule, hits: &[HashMap<u32, Vec<Hit>>]) -> Option<(usize, Firing)> {
        let accepts_negation = rule.accepts_negation();
        let mut best: Option<(usize, Firing)> = None;
        let anchors: Vec<u32> = {
            let mut a: Vec<u32> = hits.iter().flat_map(|h| h.keys().copied()).collect();
            a.sort_unstable();
            a.dedup();
            a
        };
        for anchor in anchors {
            if self.answer.units[anchor as usize].heading {
                continue;
            }
            let (body, context) = self.window(anchor);
            let mut used = Vec::new();
            let mut missing = None;
            for (gi, group) in hits.iter().enumerate() {
                let found = body.iter().chain(&context).find_map(|u| {
                    group.get(u).and_then(|hs| {
                        hs.iter()
                            .find(|h| Self::usable(h, Strictness::Stated, accepts_negation))
                            .cloned()
                    })
                });
                match found {
                    Some(h) => used.push(h),
                    None => {
                        missing.get_or_insert(gi);
                    }
                }
            }
            if missing == Some(0) || !used.iter().any(|h| h.unit == anchor) {
                continue;
            }
            if best.as_ref().is_none_or(|(_, b)| used.len() > b.hits.len())
                && let Some(gi) = missing
            {
                best = Some((gi, Firing { anchor, hits: used }));
            }
        }
        best
    }

    /// The verdict on one key point.
    pub fn judge(&self, name: &str, rules: &[Rule]) -> PointResult {
        let hits: Vec<Vec<HashMap<u32, Vec<Hit>>>> = rules
            .iter()
            .map(|r| r.groups.iter().map(|g| self.group_hits(g)).collect())
            .collect();
        let result = |verdict, evidence, why| PointResult {
            name: name.to_string(),
            verdict,
            evidence,
            why,
        };
        for (rule, h) in rules.iter().zip(&hits) {
            if let Some(f) = self.fire(rule, h, Strictness::Stated) {
                return result(Verdict::Covered, Some(self.evidence(&f)), None);
            }
        }
        for (rule, h) in rules.iter().zip(&hits) {
            if let Some(f) = self.fire(rule, h, Strictness::Any) {
                let allowed = if rule.accepts_negation() {
                    Flags::only(Context::Negated)
                } else {
                    Flags::default()
                };
                let reason = f
                    .hits
                    .iter()
                    .filter_map(|h| h.flags.without(allowed).next())
                    .min()
                    .unwrap_or(Context::Heading);
                return result(
                    Verdict::Named,
                    Some(self.evidence(&f)),
                    Some(reason.describe().to_string()),
                );
            }
        }
        let near = rules
            .iter()
            .zip(&hits)
            .filter(|(r, _)| r.groups.len() > 1)
            .filter_map(|(r, h)| self.partial(r, h).map(|(gi, f)| (r, gi, f)))
            .max_by_key(|(_, _, f)| f.hits.len());
        match near {
            Some((rule, gi, f)) => {
                let wanted = &rule.groups[gi].terms[0].written;
                let evidence = self.evidence(&f);
                let said: Vec<String> = evidence
                    .marks
                    .iter()
                    .map(|&(a, b)| evidence.text[a..b].to_string())
                    .collect();
                let why = format!(
                    "mentions {} but not {}",
                    quote_list(&said),
                    quote_list(std::slice::from_ref(wanted))
                );
                result(Verdict::Missed, Some(evidence), Some(why))
            }
            None => result(Verdict::Missed, None, None),
        }
    }

    fn evidence(&self, f: &Firing) -> Evidence {
        let a = self.answer;
        let anchor = &a.units[f.anchor as usize];
        let field = &a.fields[anchor.field];
        let last = f
            .hits
            .iter()
            .map(|h| h.unit)
            .filter(|&u| a.units[u as usize].field == anchor.field && u >= f.anchor)
            .filter(|&u| !a.units[u as usize].heading || u == f.anchor)
            .max()
            .unwrap_or(f.anchor);
        let span = anchor.span.start..a.units[last as usize].span.end.max(anchor.span.end);
        let text = field.text[span.clone()].to_string();
        let mut marks: Vec<(usize, usize)> = f
            .hits
            .iter()
            .filter(|h| (f.anchor..=last).contains(&h.unit))
            .map(|h| {
                let first = &a.tokens[h.tokens.start].span;
                let end = &a.tokens[h.tokens.end - 1].span;
                (first.start - span.start, end.end - span.start)
            })
            .collect();
        marks.sort_unstable();
        marks.dedup();
        let under = f
            .hits
            .iter()
            .find(|h| !(f.anchor..=last).contains(&h.unit))
            .map(|h| a.unit_text(h.unit).to_string());
        Evidence {
            step: field.step.to_string(),
            field: field.title.to_string(),
            line: anchor.line,
            markdown: marked_markdown(&text, &marks),
            text,
            marks,
            under,
        }
    }
}

fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("“{s}”")).collect();
    quoted.join(", ")
}

/// Inline Markdown: the text on one line, its Markdown characters escaped, marks in bold.
fn marked_markdown(text: &str, marks: &[(usize, usize)]) -> String {
    let escape = |s: &str| {
        let mut o = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '\n' | '\r' => o.push(' '),
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' => {
                    o.push('\\');
                    o.push(c);
                }
                c => o.push(c),
            }
        }
        o
    };
    let mut out = String::new();
    let mut at = 0;
    for &(a, b) in marks {
        if a < at {
            continue;
        }
        out.push_str(&escape(&text[at..a]));
        out.push_str("**");
        out.push_str(&escape(&text[a..b]));
        out.push_str("**");
        at = b;
    }
    out.push_str(&escape(&text[at..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml::Spanned;

    fn kp(name: &str, rules: &[&str]) -> KeyPoint {
        KeyPoint {
            name: name.into(),
            rules: rules
                .iter()
                .map(|r| Spanned::new(0..0, r.to_string()))
                .collect(),
            synonyms: Vec::new(),
        }
    }

    fn judge(text: &str, point: &KeyPoint) -> PointResult {
        let fields = [Field {
            step: "deep_dives",
            title: "Deep dives",
            text,
        }];
        coverage(&fields, std::slice::from_ref(point))
            .points
            .remove(0)
    }

    fn verdict(text: &str, point: &KeyPoint) -> Verdict {
        judge(text, point).verdict
    }

    #[test]
    fn a_rule_needs_every_group_in_one_place() {
        let p = kp(
            "Hash-based code with collision handling",
            &["hash | md5 | sha* + collision | collide | insert if absent"],
        );
        assert_eq!(
            verdict(
                "Take MD5 of the URL; on a collision, retry with a salt.",
                &p
            ),
            Verdict::Covered
        );
        assert_eq!(
            verdict("SHA-256 the long URL and keep 7 characters.", &p),
            Verdict::Missed
        );
        assert_eq!(
            verdict("We hash the URL.\n\nMuch later: collisions are rare.", &p),
            Verdict::Missed,
            "different paragraphs"
        );
        assert_eq!(
            verdict(
                "- hash the URL with sha256\n  - on collide: insert-if-absent and retry",
                &p
            ),
            Verdict::Covered,
            "an item and the item under it"
        );
        assert_eq!(
            verdict(
                "- hash the URL with sha256\n- collisions: see the id service",
                &p
            ),
            Verdict::Missed,
            "sibling items are separate statements"
        );
        let r = judge("SHA-256 the long URL.", &p);
        assert_eq!(r.why.as_deref(), Some("mentions “SHA” but not “collision”"));
    }

    #[test]
    fn context_keeps_words_from_counting() {
        let p = kp("CDN or edge caching", &["cdn | edge cache"]);
        for (text, why) in [
            ("CDN? Not sure yet.", "question"),
            ("No CDN: traffic is small.", "negation"),
            ("Redis cache, CDN, sharding, read replicas, Kafka", "list"),
            ("Out of scope: CDN and analytics", "out of scope"),
            ("## CDN\n\n## Database\nPostgres", "bare heading"),
        ] {
            let r = judge(text, &p);
            assert_eq!(r.verdict, Verdict::Named, "{why}: {r:?}");
            assert!(r.why.is_some());
        }
        assert_eq!(
            verdict("Put a CDN in front of the redirect service.", &p),
            Verdict::Covered
        );
        let r = judge(
            "## CDN\nCache redirects for 60 s.",
            &PointResultProbe::edge(),
        );
        assert_eq!(
            r.verdict,
            Verdict::Covered,
            "a heading gives context to what is under it"
        );
        assert_eq!(r.evidence.unwrap().under.as_deref(), Some("CDN"));
    }

    struct PointResultProbe;
    impl PointResultProbe {
        fn edge() -> KeyPoint {
            kp("Edge caching of redirects", &["cdn | edge + redirect*"])
        }
    }

    #[test]
    fn word_forms_meet() {
        let p = kp("Acks all", &["acks all | acks=all"]);
        assert_eq!(
            verdict("Producer uses ack all for durability", &p),
            Verdict::Covered
        );
        let p = kp("Coordination service", &["zookeeper", "cloudfront"]);
        assert_eq!(verdict("Locks live in ZooKeeper.", &p), Verdict::Covered);
        assert_eq!(
            verdict("Serve images from CloudFront.", &p),
            Verdict::Covered
        );
        let p = kp("Multi-get", &["multiget"]);
        assert_eq!(
            verdict("batch lookups with multi-get", &p),
            Verdict::Covered
        );
        assert_eq!(
            verdict("batch lookups with multi get", &p),
            Verdict::Covered
        );
        let p = kp("WebSocket", &["web socket"]);
        assert_eq!(
            verdict("clients hold WebSockets open", &p),
            Verdict::Covered
        );
        let p = kp("Idempotency", &["idempotency key"]);
        assert_eq!(
            verdict("send an idempotancy key with each retry", &p),
            Verdict::Covered
        );
        let p = kp("Keyspace", &["62^7"]);
        assert_eq!(verdict("62^7 ≈ 3.5T codes", &p), Verdict::Covered);
        let p = kp("Lease blocks", &["lease block"]);
        assert_eq!(
            verdict("each server leases a block of 1000 ids", &p),
            Verdict::Covered
        );
    }

    #[test]
    fn weak_terms_need_a_strong_partner_and_negated_terms_need_a_negation() {
        let p = kp("Async click analytics", &["~kafka | ~queue + click*"]);
        assert_eq!(verdict("Kafka for the queue", &p), Verdict::Missed);
        assert_eq!(verdict("Publish clicks to Kafka", &p), Verdict::Covered);
        let p = kp("Never recycle codes", &["!recycle | !reuse + code"]);
        assert_eq!(verdict("We recycle expired codes.", &p), Verdict::Missed);
        assert_eq!(
            verdict("Never reuse an expired code.", &p),
            Verdict::Covered
        );
    }

    #[test]
    fn evidence_marks_the_words_that_matched() {
        let p = kp("Base62", &["base62 | base 62"]);
        let r = judge("Encode the id in Base-62 so codes stay short.", &p);
        let e = r.evidence.unwrap();
        assert_eq!(e.line, 1);
        assert_eq!(&e.text[e.marks[0].0..e.marks[0].1], "Base-62");
        assert_eq!(
            e.markdown,
            "Encode the id in **Base-62** so codes stay short."
        );
        assert_eq!(e.field, "Deep dives");
    }

    #[test]
    fn markdown_of_evidence_is_escaped() {
        assert_eq!(
            marked_markdown("a_b | *c*", &[(6, 9)]),
            "a\\_b \\| **\\*c\\***"
        );
    }
}
