//! Traceability that reads structure: whether each functional requirement reaches an endpoint
//! (by its path, parameters, body or description), an entity (by its name or fields) and a
//! component of the design (by the boxes and arrows that name what it acts on).
//!
//! Words are normalised as for coverage, abbreviations are expanded ("msg", "conv", "notif"),
//! words of one concept meet ("receive" and `deliver`, "find" and `search`, `DELETE` and
//! "remove"), and only the part of a requirement before a clause saying *when* counts ("Get
//! notified when someone follows you" is about notifications). A requirement reaches a section
//! when a target there shares a content word with it; the evidence is the target holding most
//! of what matters, each word weighted by how few other requirements share it: "Users can like
//! and comment on posts" shows `POST /v1/posts/{id}/likes`, not `POST /v1/posts`.
//!
//! Structure narrows what a shared word proves:
//! - Targets are read as coverage reads text: what a line negates, asks, rules out of scope or
//!   leaves as an option, and a design line that is only a list of terms, serves nothing.
//! - An endpoint must show the requirement's action ([`ACTIONS`]: `GET /events/{id}` does not
//!   search, query parameters do), and a `GET` does not serve a change ([`WRITES`]).
//! - What the system does on a clock, as a policy ([`BACKGROUND`]) or on its own machinery
//!   ([`MACHINERY`], a retry no one asks for) has no endpoint.
//! - Those gates come from what the requirement does, not what it is for ([`head`]): "notified
//!   of payment events" needs a notification, not a payment.
//! - An entity or component must hold what an action leaves behind ([`THINGS`]: a like, a
//!   payment, a notification), not only the thing acted on.
//! - An endpoint no design line names is served where the callers' arrow enters the design.
//!
//! Measured on the labelled corpus (`sdcoach coverage eval tests/fixtures/coverage`): 12.2% of
//! cells wrong (dev 9.4%, holdout 19.3%), against the goal of 5%. What is left is mostly
//! meaning that words do not carry: a manual retry endpoint is not the automatic retries, a
//! `Message` table does not hold group membership, a scheduler that never reads `paused` does
//! not serve pausing.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use super::text::{Analysed, Context, Field, Flags, Normaliser, lower, word_spans};
use super::{Evidence, marked_markdown};
use crate::domain::measure::has_number_with_unit;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trace {
    pub requirement: String,
    /// The endpoint that serves it, if any.
    pub endpoint: Option<Evidence>,
    /// The entity (or table) that holds what it acts on, if any.
    pub entity: Option<Evidence>,
    /// The component or arrow of the design that serves it, if any.
    pub component: Option<Evidence>,
}

impl Trace {
    pub fn complete(&self) -> bool {
        self.endpoint.is_some() && self.entity.is_some() && self.component.is_some()
    }

    /// What is missing, in words: "no endpoint, no component".
    pub fn gaps(&self) -> String {
        let mut g = Vec::new();
        if self.endpoint.is_none() {
            g.push("no endpoint");
        }
        if self.entity.is_none() {
            g.push("no entity");
        }
        if self.component.is_none() {
            g.push("no HLD component");
        }
        g.join(", ")
    }
}

/// The fields traceability reads, by what they hold.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sources<'a> {
    pub functional: &'a [Field<'a>],
    pub api: &'a [Field<'a>],
    /// Core entities and the data model.
    pub entities: &'a [Field<'a>],
    /// The high-level design: components and arrows.
    pub design: &'a [Field<'a>],
}

/// Words that say nothing about *what* a requirement is about.
const GENERIC: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "to",
    "for",
    "in",
    "on",
    "at",
    "by",
    "with",
    "from",
    "into",
    "via",
    "as",
    "is",
    "are",
    "be",
    "been",
    "it",
    "its",
    "their",
    "them",
    "they",
    "this",
    "that",
    "these",
    "those",
    "there",
    "which",
    "who",
    "what",
    "any",
    "all",
    "each",
    "every",
    "some",
    "one",
    "can",
    "could",
    "should",
    "must",
    "will",
    "would",
    "may",
    "might",
    "shall",
    "able",
    "allow",
    "allows",
    "let",
    "lets",
    "want",
    "wants",
    "need",
    "needs",
    "user",
    "users",
    "system",
    "platform",
    "service",
    "services",
    "svc",
    "api",
    "app",
    "apps",
    "server",
    "servers",
    "client",
    "clients",
    "data",
    "request",
    "requests",
    "get",
    "gets",
    "see",
    "view",
    "show",
    "manage",
    "handle",
    "make",
    "use",
    "using",
    "support",
    "supports",
    "provide",
    "give",
    "have",
    "has",
    "own",
    "their",
    "our",
    "we",
    "i",
    "you",
    "your",
    "my",
    "me",
    "new",
    "also",
    "only",
    "just",
    "e",
    "g",
    "eg",
    "etc",
    "other",
    "another",
    "someone",
    "people",
    "person",
    "page",
    "pages",
    "time",
    "way",
    "thing",
    "things",
    "able",
    "be",
    "do",
    "does",
    "more",
    "most",
    "than",
    "then",
    "so",
    "not",
    "no",
    "yes",
    "opt",
    "optional",
    "optionally",
    "quickly",
    "fast",
    "instantly",
    "automatically",
    "real",
    "v1",
    "v2",
    "id",
    "ids",
    "per",
    "over",
    "under",
    "close",
    "live",
    "look",
    "longer",
    "near",
    "about",
    "up",
    "out",
    "off",
    "via",
    "without",
    "within",
    "across",
    "around",
    "between",
    "after",
    "before",
    "how",
    "much",
    "many",
    "lot",
    "lots",
    "kind",
    "sure",
];

/// Words that begin a clause saying *when*, not *what*: the part after them does not trace.
const SUBORDINATORS: &[&str] = &[
    "when", "whenever", "if", "after", "before", "once", "while", "because", "unless", "until",
];

/// Abbreviations and everyday equivalents, to one spelling (before normalising).
const SAME: &[(&str, &str)] = &[
    ("msg", "message"),
    ("msgs", "messages"),
    ("conv", "conversation"),
    ("convs", "conversations"),
    ("convo", "conversation"),
    ("chat", "conversation"),
    ("chats", "conversations"),
    ("notif", "notification"),
    ("notifs", "notifications"),
    ("notify", "notification"),
    ("notified", "notification"),
    ("pref", "preference"),
    ("prefs", "preferences"),
    ("img", "image"),
    ("imgs", "images"),
    ("pic", "photo"),
    ("pics", "photos"),
    ("picture", "photo"),
    ("pictures", "photos"),
    ("vid", "video"),
    ("vids", "videos"),
    ("stats", "statistics"),
    ("stat", "statistics"),
    ("txn", "transaction"),
    ("txns", "transactions"),
    ("acct", "account"),
    ("cfg", "config"),
    ("configuration", "config"),
    ("repo", "repository"),
    ("auth", "authentication"),
    ("timeline", "feed"),
    ("timelines", "feeds"),
    ("trip", "ride"),
    ("trips", "rides"),
    ("link", "url"),
    ("links", "urls"),
    ("hist", "history"),
    ("sub", "subscription"),
    ("subs", "subscriptions"),
    ("info", "information"),
    ("addr", "address"),
    ("loc", "location"),
    ("pos", "position"),
    ("recv", "receive"),
    ("del", "delete"),
    ("upd", "update"),
];

/// Words that name one action or thing in requirements and designs alike, first word canonical:
/// "receive messages" is served by a `deliver` frame, "find events" by `GET /search`.
const CONCEPTS: &[&[&str]] = &[
    &["deliver", "delivery", "receive", "push", "incoming"],
    &["delete", "remove", "removal", "erase", "purge"],
    &["search", "find", "query", "lookup", "filter"],
    &["pay", "payment", "charge", "checkout", "purchase", "buy"],
    &["hold", "reserve", "reservation", "aside", "claim"],
    &[
        "notify",
        "notification",
        "alert",
        "email",
        "mail",
        "mailer",
        "emailer",
    ],
    &["redirect", "resolve", "forward", "302", "301"],
    &["edit", "update", "change", "modify", "patch", "put", "set"],
    &["cancel", "cancellation", "abort", "revoke"],
    &["upload", "publish", "submit"],
    &[
        "follow",
        "follower",
        "followee",
        "subscribe",
        "subscription",
    ],
    &["like", "vote", "upvote", "reaction", "react", "heart"],
    &["comment", "reply", "replies", "thread"],
    &["location", "position", "gps", "coordinate", "lat", "lng"],
    &[
        "count",
        "total",
        "number",
        "tally",
        "counter",
        "aggregate",
        "sum",
    ],
    &["analytics", "statistics", "metric", "report", "dashboard"],
    // Not `ack`: a delivery ack is a transport detail, a read receipt something users see.
    &["receipt", "seen", "acknowledgement"],
    &["limit", "throttle", "quota", "ratelimit"],
    &["schedule", "cron", "recurring", "timer", "run_at"],
    &["retry", "redeliver", "reattempt", "backoff", "attempt"],
    &[
        "offline",
        "missed",
        "reconnect",
        "sync",
        "catch",
        "gap",
        "backlog",
        "unread",
    ],
    &[
        "online",
        "connected",
        "socket",
        "websocket",
        "ws",
        "realtime",
        "connection",
    ],
    &["group", "member", "membership", "participant"],
    &[
        "history", "older", "earlier", "previous", "past", "scroll", "cursor", "paginate",
    ],
    &["shorten", "short", "shortener"],
    &["alias", "custom", "vanity"],
    &["expire", "expiry", "expiration", "ttl"],
    &["match", "assign", "dispatch", "pair"],
    &["price", "fare", "quote", "cost"],
    &[
        "store",
        "save",
        "persist",
        "keep",
        "archive",
        "retain",
        "retention",
    ],
    &["download", "fetch", "crawl", "visit"],
    &["robots", "politeness", "polite", "obey", "honor", "respect"],
    &["trend", "trending", "popular", "top", "hot"],
    &["run", "execute", "execution", "worker", "fleet"],
    &["payout", "settle", "settlement", "bank"],
    &["refund", "reverse", "chargeback"],
    &["cache", "redis", "memcached"],
    &["site", "host", "domain"],
];

/// Requirement words naming an action an endpoint must show to serve it, by its path, body or
/// method: `GET /events/{id}` does not search events, `POST /posts` does not like one.
const ACTIONS: &[&str] = &[
    "delete",
    "search",
    "pay",
    "hold",
    "cancel",
    "like",
    "comment",
    "retry",
    "refund",
    "payout",
    "notify",
    "analytics",
    "receipt",
];

/// Of [`ACTIONS`], those that leave a thing of their own behind: an entity or a component
/// that serves "like posts" holds the like (a `Like` table, a likes service), not only the
/// post; "delete a key" is served by the `Key` entity.
const THINGS: &[&str] = &[
    "like",
    "comment",
    "pay",
    "refund",
    "payout",
    "notify",
    "analytics",
    "receipt",
];

/// Verbs that change something: a `GET` endpoint does not serve "sends its location".
const WRITES: &[&str] = &[
    "send", "create", "add", "upload", "publish", "submit", "book", "reserve", "pay", "follow",
    "like", "comment", "delete", "edit", "cancel", "register", "write", "accept", "share", "block",
];

/// Words that make a requirement something the system does on its own, on a clock or as a
/// policy: no endpoint serves "refresh the lists every minute" or "obey robots.txt".
const BACKGROUND: &[&str] = &[
    "daily",
    "nightly",
    "hourly",
    "weekly",
    "automatically",
    "periodically",
    "respect",
    "obey",
    "honor",
    "honour",
    "politeness",
    "refresh",
    "recrawl",
    "revisit",
];

/// Words that name the system's own machinery: what runs on it has no endpoint.
const MACHINERY: &[&str] = &["worker", "workers", "fleet"];

/// Units that make "every …" a clock: "every minute", not "every click".
const PERIODS: &[&str] = &["minute", "hour", "day", "night", "week", "month"];

/// Verbs that only read: "see who follows me" is a read, whatever else it names.
const READS: &[&str] = &[
    "see", "view", "show", "list", "read", "browse", "get", "look", "check", "search", "find",
    "fetch", "display", "open", "load",
];

/// Maps normalised words to their concept's canonical word.
struct Lexicon {
    norm: Normaliser,
    concept: HashMap<String, String>,
    /// [`ACTIONS`], [`THINGS`] and [`WRITES`], normalised.
    actions: Vec<String>,
    things: Vec<String>,
    writes: Vec<String>,
    search: String,
}

impl Lexicon {
    fn new() -> Self {
        let mut norm = Normaliser::default();
        let mut concept = HashMap::new();
        for family in CONCEPTS {
            let head = norm.word(family[0]);
            for w in *family {
                concept.entry(norm.word(w)).or_insert_with(|| head.clone());
            }
        }
        let mut lex = Lexicon {
            norm,
            concept,
            actions: Vec::new(),
            things: Vec::new(),
            writes: Vec::new(),
            search: String::new(),
        };
        lex.things = THINGS.iter().map(|w| lex.word(w)).collect();
        lex.search = lex.word("search");
        lex.actions = ACTIONS.iter().map(|w| lex.word(w)).collect();
        lex.writes = WRITES.iter().map(|w| lex.word(w)).collect();
        lex
    }

    fn word(&mut self, raw: &str) -> String {
        let w = self.norm.word(raw);
        self.concept.get(&w).cloned().unwrap_or(w)
    }
}

/// A piece of text a requirement can reach: an endpoint, an entity line, a design line.
#[derive(Debug)]
struct Target<'a> {
    field: &'a Field<'a>,
    /// Byte range of the target in its field.
    span: Range<usize>,
    /// Normalised words with the byte range each came from and how much a match there counts.
    words: Vec<(String, Range<usize>, f64)>,
    /// A `GET` endpoint: it reads, so it cannot be what a requirement to act does.
    reads: bool,
    /// An endpoint with query parameters (`GET /events?city=&date=`): it searches.
    query: bool,
}

/// Where each field says a word only in a context that does not count (negated, asked, in a
/// list of terms, out of scope, an option not chosen), as coverage reads it, and lines that
/// open with a negation ("No public billing API: billing reads the daily files"): a design
/// does not serve a requirement with what it says it will not build.
struct Dismissed(Vec<Vec<usize>>);

impl Dismissed {
    /// `counts` are the contexts that still count: a heading, and in entities and endpoints a
    /// list of terms (`Notification, Campaign, Preference`, `job(id, team, cron)`) and a
    /// question mark (`{alias?}`).
    fn new(fields: &[Field<'_>], counts: Flags, norm: &mut Normaliser) -> Self {
        let analysed = Analysed::new(fields, norm);
        let mut starts = vec![Vec::new(); fields.len()];
        for t in &analysed.tokens {
            if t.flags.without(counts).next().is_some() {
                starts[analysed.units[t.unit as usize].field].push(t.span.start);
            }
        }
        for s in &mut starts {
            s.sort_unstable();
        }
        Dismissed(starts)
    }

    fn keep(&self, field: usize, words: &mut Vec<(String, Range<usize>, f64)>) {
        let starts = &self.0[field];
        words.retain(|(_, r, _)| starts.binary_search(&r.start).is_err());
    }
}

/// A line that opens by saying what is not there: "No dashboard endpoint", "Not HTTP".
fn negative_line(line: &str) -> bool {
    let first = line
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    matches!(
        lower(first).as_str(),
        "no" | "not" | "none" | "never" | "without"
    )
}

/// One normalised content word (or none, for words that say nothing).
fn content_word(raw: &str, norm: &mut Lexicon) -> Option<String> {
    let l = lower(raw);
    if GENERIC.contains(&l.as_str()) || l.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let same = SAME
        .iter()
        .find(|(a, _)| *a == l)
        .map_or(l.as_str(), |(_, b)| b);
    let w = norm.word(same);
    (!w.is_empty() && !GENERIC.contains(&w.as_str())).then_some(w)
}

/// The content words of `text` (a sub-range of a field), with their byte ranges in the field.
fn words_in(text: &str, range: Range<usize>, norm: &mut Lexicon) -> Vec<(String, Range<usize>)> {
    word_spans(&text[range.clone()])
        .into_iter()
        .filter_map(|r| {
            let abs = range.start + r.start..range.start + r.end;
            content_word(&text[abs.clone()], norm).map(|w| (w, abs))
        })
        .collect()
}

/// Strips a list marker (`- `, `* `, `+ `, `1. `, `1) `) and surrounding space.
fn strip_item(line: &str) -> (usize, &str) {
    let lead = line.len() - line.trim_start().len();
    let t = line.trim();
    for m in ["- [ ] ", "- [x] ", "- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(m) {
            let rest = rest.trim();
            return (line.find(rest).unwrap_or(lead), rest);
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = t[digits..]
            .strip_prefix(". ")
            .or_else(|| t[digits..].strip_prefix(") "))
    {
        let rest = rest.trim();
        return (line.find(rest).unwrap_or(lead), rest);
    }
    (lead, t)
}

/// Non-empty lines of a field, as (byte range of the content, content).
fn lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    for raw in text.split('\n') {
        let (offset, content) = strip_item(raw.trim_end_matches('\r'));
        if !content.is_empty() {
            out.push(at + offset..at + offset + content.len());
        }
        at += raw.len() + 1;
    }
    out
}

/// The items of a field (one per line, list markers stripped).
pub fn items(text: &str) -> Vec<String> {
    lines(text)
        .into_iter()
        .map(|r| text[r].to_string())
        .collect()
}

const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "WS", "WSS", "GRPC", "RPC", "SSE",
];

/// The endpoints of the API fields: each method with its path, parameters, body and the words
/// up to the next method on its line; a line with no method (RPC style, a WebSocket frame, a
/// note) is a target of its own.
fn endpoints<'a>(
    fields: &'a [Field<'a>],
    norm: &mut Lexicon,
    dismissed: &Dismissed,
) -> Vec<Target<'a>> {
    let mut out = Vec::new();
    for (fi, field) in fields.iter().enumerate() {
        let text = field.text;
        for line in lines(text) {
            if negative_line(&text[line.clone()]) {
                continue;
            }
            let spans: Vec<Range<usize>> = word_spans(&text[line.clone()])
                .into_iter()
                .map(|r| line.start + r.start..line.start + r.end)
                .collect();
            let starts: Vec<usize> = spans
                .iter()
                .enumerate()
                .filter(|(i, r)| is_method(text, r, *i == 0, line.end))
                .map(|(_, r)| r.start)
                .collect();
            let mut targets = Vec::new();
            if starts.is_empty() {
                let words = words_in(text, line.clone(), norm)
                    .into_iter()
                    .map(|(w, s)| (w, s, 1.0))
                    .collect();
                targets.push(Target {
                    field,
                    span: line.clone(),
                    words,
                    reads: false,
                    query: false,
                });
            }
            for (k, &start) in starts.iter().enumerate() {
                let end = starts.get(k + 1).copied().unwrap_or(line.end);
                targets.push(endpoint(field, start..end, norm));
            }
            for mut t in targets {
                dismissed.keep(fi, &mut t.words);
                out.push(t);
            }
        }
    }
    out
}

/// An HTTP method (or `WS`, `RPC` …) that starts an endpoint: written in capitals before a
/// path, a body or a WebSocket URL, or in any case before a path (`post /rides`), or in
/// capitals opening the line (`GET key`).
fn is_method(text: &str, word: &Range<usize>, first: bool, end: usize) -> bool {
    let w = &text[word.clone()];
    let next = text[word.end..end].trim_start();
    if METHODS.contains(&w) {
        first || next.starts_with(['/', '{', 'w'])
    } else {
        next.starts_with('/') && METHODS.iter().any(|m| m.eq_ignore_ascii_case(w))
    }
}

/// One `METHOD /path?params {body} description` endpoint.
fn endpoint<'a>(field: &'a Field<'a>, span: Range<usize>, norm: &mut Lexicon) -> Target<'a> {
    let text = field.text;
    let (start, end) = (span.start, span.end);
    // The path: the first run of non-space text after the method.
    let after = start
        + text[start..end]
            .find(char::is_whitespace)
            .unwrap_or(end - start);
    let path_start = after + (text[after..end].len() - text[after..end].trim_start().len());
    let path_end = text[path_start..end]
        .find(char::is_whitespace)
        .map_or(end, |i| path_start + i);
    // DELETE, PUT and PATCH say what is done (remove, edit); GET and POST say nothing more.
    let method = text[start..after].to_ascii_uppercase();
    let mut words: Vec<_> = match method.as_str() {
        "DELETE" | "PUT" | "PATCH" => words_in(text, start..after, norm)
            .into_iter()
            .map(|(w, r)| (w, r, 1.0))
            .collect(),
        _ => Vec::new(),
    };
    for (w, r) in words_in(text, path_start..path_end, norm) {
        // Parameters in braces or after `?` count a little less than resource names.
        let before = &text[path_start..r.start];
        let param = before.rfind('{') > before.rfind('}') || before.contains('?');
        words.push((w, r, if param { 0.9 } else { 1.0 }));
    }
    for (w, r) in words_in(text, path_end..end, norm) {
        words.push((w, r, 0.8));
    }
    Target {
        field,
        span,
        words,
        reads: method == "GET",
        query: text[path_start..path_end].contains('?'),
    }
}

/// One target per line (entities, data model, design lines), every word counting fully.
fn line_targets<'a>(
    fields: &'a [Field<'a>],
    norm: &mut Lexicon,
    dismissed: &Dismissed,
) -> Vec<Target<'a>> {
    let mut out = Vec::new();
    for (fi, field) in fields.iter().enumerate() {
        for r in lines(field.text) {
            if negative_line(&field.text[r.clone()]) {
                continue;
            }
            let mut words = words_in(field.text, r.clone(), norm)
                .into_iter()
                .map(|(w, s)| (w, s, 1.0))
                .collect();
            dismissed.keep(fi, &mut words);
            out.push(Target {
                field,
                span: r,
                words,
                reads: false,
                query: false,
            });
        }
    }
    out
}

/// A requirement's words that trace it, each with its weight.
struct Requirement {
    text: String,
    words: Vec<(String, f64)>,
    /// An endpoint must show one of these actions ([`ACTIONS`]).
    actions: Vec<String>,
    /// An entity or a component must hold one of these ([`THINGS`]).
    things: Vec<String>,
    /// It changes something ([`WRITES`], and no verb of [`READS`]): no `GET` serves it.
    writes: bool,
    /// The system does it on its own ([`BACKGROUND`], "every minute", "once a day"): no
    /// endpoint serves it.
    background: bool,
}

impl Requirement {
    /// `gates` are the normalised words of the requirement's [`head`].
    fn new(text: &str, words: Vec<(String, f64)>, gates: &[String], norm: &Lexicon) -> Self {
        let among = |set: &[String]| gates.iter().filter(|w| set.contains(w)).cloned().collect();
        let actions = among(&norm.actions);
        let things = among(&norm.things);
        let raw: Vec<String> = word_spans(text)
            .into_iter()
            .map(|r| lower(&text[r]))
            .collect();
        let reads = raw.iter().any(|w| READS.contains(&w.as_str()));
        let background = raw.iter().any(|w| BACKGROUND.contains(&w.as_str()))
            || raw.windows(2).any(|p| {
                matches!(p[0].as_str(), "every" | "once" | "twice")
                    && (PERIODS.contains(&p[1].as_str()) || p[1] == "a")
            });
        let writes = !reads && words.iter().any(|(w, _)| norm.writes.contains(w));
        // The system's own machinery: "run jobs on the shared worker fleet", and a retry no
        // one asks for ("retry failures"; a user's "retry a payment" also pays).
        let machinery = raw.iter().any(|w| MACHINERY.contains(&w.as_str()))
            && !raw.iter().any(|w| w == "history");
        let bare_retry = raw.iter().any(|w| w.starts_with("retr"))
            && !reads
            && !words.iter().any(|(w, _)| norm.writes.contains(w));
        let background = background || machinery || bare_retry;
        Requirement {
            text: text.to_string(),
            words,
            actions,
            things,
            writes,
            background,
        }
    }

    /// Whether a target can serve the requirement at all: an endpoint shows the action (query
    /// parameters show a search) and does not only read what the requirement changes; an
    /// entity or a component holds the thing the action leaves.
    fn admits(&self, target: &Target<'_>, endpoint: bool, norm: &Lexicon) -> bool {
        let shows = |a: &String| {
            target.words.iter().any(|(w, _, _)| same_word(w, a))
                || (endpoint && target.query && *a == norm.search)
        };
        if endpoint {
            (self.actions.is_empty() || self.actions.iter().any(shows))
                && !(self.writes && target.reads)
        } else {
            self.things.is_empty() || self.things.iter().any(shows)
        }
    }
}

/// Prepositions that open what a requirement is for or about rather than what it does:
/// "count clicks *for advertiser dashboards*", "notified *of payment events*". Not "by" or
/// "with": "receive the tickets by email" needs the channel.
const TAIL: &[&str] = &["for", "in", "into", "of", "on", "to"];

/// The start of a requirement up to its first [`TAIL`] preposition after a word: the part
/// that says what it does, where its gates ([`ACTIONS`], [`THINGS`]) come from.
fn head(text: &str) -> &str {
    let spans = word_spans(text);
    spans
        .iter()
        .skip(1)
        .find(|r| TAIL.contains(&lower(&text[(*r).clone()]).as_str()))
        .map_or(text, |r| &text[..r.start])
}

/// The words of a requirement before any clause that says when: "Get notified when someone
/// follows you" is about notifications.
fn requirement_words(text: &str, norm: &mut Lexicon) -> Vec<String> {
    let spans = word_spans(text);
    let cut = spans
        .iter()
        .position(|r| SUBORDINATORS.contains(&lower(&text[r.clone()]).as_str()))
        .filter(|&i| {
            spans[..i]
                .iter()
                .any(|r| content_word(&text[r.clone()], norm).is_some())
        })
        .unwrap_or(spans.len());
    let mut words: Vec<String> = Vec::new();
    for r in &spans[..cut] {
        if let Some(w) = content_word(&text[r.clone()], norm)
            && !words.contains(&w)
        {
            words.push(w);
        }
    }
    words
}

/// Two normalised words name the same thing: equal, or one a prefix of the other of at least
/// four letters ("advert" and "advertis", "bill" and "billing").
fn same_word(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short == long || (short.len() >= 4 && long.starts_with(short))
}

/// A target's share of a requirement's weight (0-1), and the byte ranges that matched.
type Scored = (f64, Vec<Range<usize>>);

/// How much of what matters for `req` the target holds.
fn score(req: &Requirement, target: &Target<'_>) -> Scored {
    let total: f64 = req.words.iter().map(|(_, w)| w).sum();
    if total == 0.0 {
        return (0.0, Vec::new());
    }
    let mut got = 0.0;
    let mut marks = Vec::new();
    for (word, weight) in &req.words {
        let best = target
            .words
            .iter()
            .filter(|(w, _, _)| same_word(w, word))
            .max_by(|a, b| a.2.total_cmp(&b.2));
        if let Some((_, r, loc)) = best {
            got += weight * loc;
            marks.push(r.clone());
        }
    }
    (got / total, marks)
}

/// The target that holds most of what matters for a requirement, if any holds a word of it.
///
/// One shared content word is enough: measured on the labelled corpus, demanding a share of
/// the requirement's weight (0.1 to 0.5) turned far more served requirements into misses than
/// it removed false traces, because answers serve "receive messages" with a `deliver` frame
/// and "get a value" with a cache node; words alone cannot see that.
fn reach<'t, 'a>(
    req: &Requirement,
    targets: &'t [Target<'a>],
    endpoint: bool,
    norm: &Lexicon,
) -> Option<(&'t Target<'a>, Evidence)> {
    let mut best: Option<(&Target<'_>, Scored)> = None;
    for t in targets.iter().filter(|t| req.admits(t, endpoint, norm)) {
        let s = score(req, t);
        // On a tie the target with fewer other words is the more specific; then the first.
        let better = best.as_ref().is_none_or(|(b, (share, _))| {
            s.0 > *share || (s.0 == *share && t.words.len() < b.words.len())
        });
        if better {
            best = Some((t, s));
        }
    }
    let (target, (share, marks)) = best?;
    if share <= 0.0 {
        return None;
    }
    Some((target, evidence(target, marks)))
}

/// A target shown as evidence, `marks` (byte ranges in its field) highlighted.
fn evidence(target: &Target<'_>, marks: Vec<Range<usize>>) -> Evidence {
    let field = target.field;
    let text = field.text[target.span.clone()].to_string();
    let mut marks: Vec<(usize, usize)> = marks
        .into_iter()
        .map(|r| (r.start - target.span.start, r.end - target.span.start))
        .collect();
    marks.sort_unstable();
    marks.dedup();
    Evidence {
        step: field.step.to_string(),
        field: field.title.to_string(),
        line: field.text[..target.span.start].matches('\n').count() + 1,
        markdown: marked_markdown(&text, &marks),
        text,
        marks,
        under: None,
    }
}

/// Who sends requests into a design: the first box of an arrow line that starts here takes
/// the API's traffic (`Client -> LB -> Link Service`, `Services (with our client library) ->
/// cache nodes`).
const CALLERS: &[&str] = &[
    "client",
    "clients",
    "app",
    "apps",
    "browser",
    "browsers",
    "phone",
    "phones",
    "mobile",
    "user",
    "users",
    "web",
    "frontend",
    "caller",
    "callers",
    "sdk",
    "library",
    "producer",
    "producers",
    "consumer",
    "consumers",
    "rider",
    "riders",
    "driver",
    "drivers",
    "merchant",
    "merchants",
    "admin",
    "admins",
    "customer",
    "customers",
    "services",
];

/// The arrow line where requests enter the design, with the caller marked: what serves an
/// endpoint when no box names what the endpoint acts on.
fn entry<'t, 'a>(design: &'t [Target<'a>]) -> Option<Evidence> {
    design.iter().find_map(|t| {
        let line = &t.field.text[t.span.clone()];
        let arrow = line.find("->").or_else(|| line.find('→'))?;
        let caller = word_spans(&line[..arrow])
            .into_iter()
            .find(|r| CALLERS.contains(&lower(&line[r.clone()]).as_str()))?;
        let at = t.span.start;
        let mark = at + caller.start..at + caller.end;
        Some(evidence(t, std::iter::once(mark).collect()))
    })
}

/// The words of an endpoint, as a requirement of their own: what its path and body name.
fn as_requirement(endpoint: &Target<'_>) -> Requirement {
    let mut words: Vec<(String, f64)> = Vec::new();
    for (w, _, _) in &endpoint.words {
        if !words.iter().any(|(x, _)| x == w) {
            words.push((w.clone(), 1.0));
        }
    }
    Requirement {
        text: endpoint.field.text[endpoint.span.clone()].to_string(),
        words,
        actions: Vec::new(),
        things: Vec::new(),
        writes: false,
        background: false,
    }
}

/// Each functional requirement (one per line) traced to the endpoints, entities and design.
pub fn traceability(sources: Sources<'_>) -> Vec<Trace> {
    let mut norm = Lexicon::new();
    let texts: Vec<String> = sources
        .functional
        .iter()
        .flat_map(|f| items(f.text))
        .collect();
    let words: Vec<Vec<String>> = texts
        .iter()
        .map(|t| requirement_words(t, &mut norm))
        .collect();
    // A word shared by many requirements says less about each of them.
    let mut df: HashMap<&str, usize> = HashMap::new();
    for ws in &words {
        for w in ws {
            *df.entry(w.as_str()).or_default() += 1;
        }
    }
    let n = words.len() as f64;
    let reqs: Vec<Requirement> = texts
        .iter()
        .zip(&words)
        .filter(|(_, ws)| !ws.is_empty())
        .map(|(t, ws)| {
            let weighted = ws
                .iter()
                .map(|w| (w.clone(), (1.0 + n / df[w.as_str()] as f64).ln()))
                .collect();
            let gates = requirement_words(head(t), &mut norm);
            Requirement::new(t, weighted, &gates, &norm)
        })
        .collect();
    let heading = Flags::only(Context::Heading);
    // In endpoints and entities a list is a record's fields and `?` an optional one.
    let lists = heading
        .with(Flags::only(Context::Listed))
        .with(Flags::only(Context::Asked));
    let d = Dismissed::new(sources.api, lists, &mut norm.norm);
    let endpoints = endpoints(sources.api, &mut norm, &d);
    let d = Dismissed::new(sources.entities, lists, &mut norm.norm);
    let entities = line_targets(sources.entities, &mut norm, &d);
    let d = Dismissed::new(sources.design, heading, &mut norm.norm);
    let design = line_targets(sources.design, &mut norm, &d);
    reqs.iter()
        .map(|r| {
            let endpoint = (!r.background)
                .then(|| reach(r, &endpoints, true, &norm))
                .flatten();
            // What the requirement's words do not reach, the endpoint that serves it may: the
            // entity its path names, the arrow that carries it ("receive messages" is served
            // by `GET /conversations/{id}/messages`, and so by the Message entity).
            let served = endpoint.as_ref().map(|(t, _)| as_requirement(t));
            let via = |targets: &[Target<'_>]| {
                reach(r, targets, false, &norm)
                    .or_else(|| {
                        served
                            .as_ref()
                            .and_then(|s| reach(s, targets, false, &norm))
                    })
                    .map(|(_, e)| e)
            };
            // An endpoint nothing in the design names is still served where requests enter.
            let component = via(&design).or_else(|| endpoint.as_ref().and_then(|_| entry(&design)));
            Trace {
                requirement: r.text.clone(),
                entity: via(&entities),
                component,
                endpoint: endpoint.map(|(_, e)| e),
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

    fn field<'a>(text: &'a str) -> Field<'a> {
        Field {
            step: "s",
            title: "t",
            text,
        }
    }

    fn trace(functional: &str, api: &str, entities: &str, design: &str) -> Vec<Trace> {
        let f = [field(functional)];
        let a = [field(api)];
        let e = [field(entities)];
        let d = [field(design)];
        traceability(Sources {
            functional: &f,
            api: &a,
            entities: &e,
            design: &d,
        })
    }

    #[test]
    fn requirements_trace_through_api_entities_and_design() {
        let t = trace(
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
        assert!(t[1].endpoint.is_none() && t[1].entity.is_none() && t[1].component.is_none());
        assert_eq!(t[1].gaps(), "no endpoint, no entity, no HLD component");
        let e = t[0].endpoint.as_ref().unwrap();
        assert_eq!(e.text, "POST /v1/urls {long_url} -> 201");
    }

    #[test]
    fn the_words_only_one_requirement_has_pick_the_evidence() {
        let t = trace(
            "- Users can publish posts\n- Users can read a feed of posts\n- Users can like and comment on posts",
            "POST /v1/posts {text}\nGET /v1/feed\nPOST /v1/posts/{id}/likes",
            "Post: id, author, text",
            "Client -> Post Service\nClient -> Feed Service",
        );
        let shown = |i: usize| t[i].endpoint.as_ref().map(|e| e.text.as_str());
        assert_eq!(shown(0), Some("POST /v1/posts {text}"));
        assert_eq!(shown(1), Some("GET /v1/feed"));
        assert_eq!(shown(2), Some("POST /v1/posts/{id}/likes"));
        let t = trace(
            "- Follow a user\n- Get notified when someone follows you",
            "POST /users/{id}/follow",
            "Follow: follower, followee",
            "App -> Follow Service",
        );
        assert!(t[0].complete());
        assert!(t[1].endpoint.is_none(), "the condition is not the feature");
    }

    #[test]
    fn abbreviations_meet_their_words() {
        let t = trace(
            "- send msgs in a conv",
            "WS /ws: send {conv_id, body}",
            "Message: conversation_id, body",
            "phone -> chat gateway",
        );
        assert!(t[0].complete(), "{t:?}");
    }

    #[test]
    fn words_of_one_concept_meet() {
        let t = trace(
            "- Receive messages while online\n- Remove a key",
            "deliver {seq, body}\nDELETE /v1/keys/{k}",
            "Message: seq, body\nKey: name",
            "Gateway -> phone: deliver",
        );
        assert_eq!(
            t[0].endpoint.as_ref().map(|e| e.text.as_str()),
            Some("deliver {seq, body}")
        );
        assert_eq!(t[1].endpoint.as_ref().map(|e| e.line), Some(2));
    }

    #[test]
    fn what_a_design_says_it_will_not_build_serves_nothing() {
        let t = trace(
            "- Exact daily counts per ad for billing\n- View click analytics",
            "GET /v1/ads/{id}\nNo public billing API: billing reads the daily files.",
            "Ad: id, advertiser",
            "Click stream -> counter\nAnalytics pipeline - out of scope for today",
        );
        assert!(t[0].endpoint.is_none(), "{:?}", t[0].endpoint);
        assert!(t[1].component.is_none(), "{:?}", t[1].component);
        // A keyword list in the design names components; it does not draw any.
        let t = trace(
            "- search events",
            "",
            "",
            "Redis, Kafka, Elasticsearch, CDN, sharding by event_id, seat map cache",
        );
        assert!(t[0].component.is_none(), "{:?}", t[0].component);
    }

    #[test]
    fn an_endpoint_serves_an_action_only_when_it_shows_it() {
        let t = trace(
            "- Users can search events\n- Users can like and comment on posts\n- Delete a key",
            "GET /events/{id}\nPOST /posts {text}\nGET /kv/{key}",
            "",
            "",
        );
        assert!(t.iter().all(|t| t.endpoint.is_none()), "{t:?}");
        let t = trace(
            "- Users can search events\n- Users can like posts\n- Delete a key",
            "GET /events?city=&date=\nPOST /posts/{id}/likes\nDELETE /kv/{key}",
            "",
            "",
        );
        assert!(t.iter().all(|t| t.endpoint.is_some()), "{t:?}");
    }

    #[test]
    fn a_get_does_not_serve_a_change() {
        let t = trace(
            "- driver app sends its location\n- see who follows me",
            "GET /drivers/{id}/location\nGET /users/{id}/followers",
            "",
            "",
        );
        assert!(t[0].endpoint.is_none(), "{:?}", t[0].endpoint);
        assert!(t[1].endpoint.is_some(), "a read of what a write made");
        let t = trace(
            "- post /drivers/me/loc sends location",
            "post /drivers/me/loc {lat,lng}",
            "",
            "",
        );
        assert!(
            t[0].endpoint.is_some(),
            "a method in lower case still starts an endpoint"
        );
    }

    #[test]
    fn the_system_s_own_machinery_needs_no_endpoint() {
        let t = trace(
            "- Run each job on the shared worker fleet\n- Retry failures\n- Users can retry a failed payment",
            "POST /jobs {run_at, retry_policy}\nPOST /runs/{id}/retry\nPOST /payments/{id}/retry",
            "",
            "",
        );
        assert!(t[0].endpoint.is_none() && t[1].endpoint.is_none(), "{t:?}");
        assert!(t[2].endpoint.is_some(), "a user's retry is asked for");
    }

    #[test]
    fn gates_come_from_what_a_requirement_does_not_what_it_is_for() {
        let t = trace(
            "- Merchants get notified of payment events\n- Count clicks for advertiser dashboards",
            "GET /v1/charges/{id}\nGET /ads/{id}/clicks?from=&to=",
            "Merchant, Charge\nClickCount: ad_id, minute, count",
            "",
        );
        assert!(t[0].endpoint.is_none(), "{:?}", t[0].endpoint);
        assert!(t[0].entity.is_none(), "{:?}", t[0].entity);
        assert!(t[1].endpoint.is_some(), "{:?}", t[1]);
        assert!(t[1].entity.is_some(), "{:?}", t[1]);
    }

    #[test]
    fn a_delivery_ack_is_not_a_read_receipt() {
        let t = trace(
            "- Read receipts",
            "WebSocket: send {conversation_id, body} -> ack {seq}",
            "Message (conversation_id, seq, body)",
            "",
        );
        assert!(t[0].endpoint.is_none() && t[0].entity.is_none(), "{t:?}");
        let t = trace(
            "- Read receipts",
            "POST /conversations/{id}/receipts {seq}",
            "Receipt (conversation_id, user_id, seq)",
            "",
        );
        assert!(t[0].endpoint.is_some() && t[0].entity.is_some(), "{t:?}");
    }

    #[test]
    fn what_the_system_does_on_a_clock_needs_no_endpoint() {
        let t = trace(
            "- Refresh the trending lists every minute\n- Obey robots.txt\n- Drivers send their location every 4 seconds",
            "GET /trending\nGET /robots\nPOST /drivers/location",
            "",
            "Cron job -> trending lists\nFetchers -> robots cache",
        );
        assert!(t[0].endpoint.is_none() && t[1].endpoint.is_none(), "{t:?}");
        assert!(t[0].component.is_some(), "a component still serves it");
        assert!(
            t[2].endpoint.is_some(),
            "every few seconds is a rate, not a clock"
        );
    }

    #[test]
    fn a_record_of_an_action_is_its_own_entity() {
        let t = trace(
            "- Users can like and comment on posts\n- Users can publish posts",
            "",
            "Post: id, author, text",
            "",
        );
        assert!(t[0].entity.is_none(), "{:?}", t[0].entity);
        assert!(t[1].entity.is_some());
    }

    #[test]
    fn requests_enter_the_design_where_the_callers_arrow_starts() {
        let t = trace(
            "- Get a value by key",
            "GET key",
            "Key (string), Value (bytes)",
            "Services (with our client library) -> cache nodes\nprimaries -> replicas (async)",
        );
        let c = t[0]
            .component
            .as_ref()
            .expect("served where requests enter");
        assert_eq!(c.line, 1);
        assert_eq!(c.marks.len(), 1, "the caller is marked: {c:?}");
        let t = trace("- Get a value by key", "", "", "Services -> cache nodes");
        assert!(
            t[0].component.is_none(),
            "no endpoint, nothing to enter for"
        );
    }

    #[test]
    fn nfrs_without_numbers_are_listed() {
        assert_eq!(
            unmeasured_nfrs("- p99 redirect < 50 ms\n- highly available\n- 99.99% uptime"),
            ["highly available"]
        );
    }
}
