//! Reading an answer the way key-point rules need it.
//!
//! Text is cut into *tokens* (words, normalised so that case, hyphens, underscores, camel case,
//! plurals and inflections and British spelling do not matter), *units* (a sentence, a list item,
//! a table row, a heading) and *blocks* (a paragraph or a list, ended by a blank line or a
//! heading). Every token carries the context that keeps a mention from counting as stated: a
//! question, a negation, a keyword list, an out-of-scope or options heading, a heading itself.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Maps keyed by words: foldhash (randomly seeded per map) is several times faster than the
/// standard SipHash on short keys, and the analysis hashes every token of an answer.
pub type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;

/// Why a mention does not count as stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Context {
    /// "no CDN", "we won't shard", "a cache is overkill".
    Negated,
    /// "CDN?", "Should we shard by user?".
    Asked,
    /// A bare list of terms: "Redis, CDN, sharding, Kafka".
    Listed,
    /// Under an out-of-scope or non-goals label, or said to be out of scope.
    OutOfScope,
    /// Under an options or alternatives label, or considered and rejected.
    Option,
    /// A heading or label line: context for what is under it, not a statement.
    Heading,
}

impl Context {
    const ALL: [Context; 6] = [
        Context::Negated,
        Context::Asked,
        Context::Listed,
        Context::OutOfScope,
        Context::Option,
        Context::Heading,
    ];

    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// How the wrap-up says it: "mentioned only as a question".
    pub fn describe(self) -> &'static str {
        match self {
            Context::Negated => "mentioned only in a negation",
            Context::Asked => "mentioned only as a question",
            Context::Listed => "named only in a list of terms",
            Context::OutOfScope => "mentioned only as out of scope",
            Context::Option => "mentioned only as an option not chosen",
            Context::Heading => "only a heading, with nothing under it",
        }
    }
}

/// A set of [`Context`]s.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags(u8);

impl Flags {
    pub fn has(self, c: Context) -> bool {
        self.0 & c.bit() != 0
    }

    fn set(&mut self, c: Context) {
        self.0 |= c.bit();
    }

    fn unset(&mut self, c: Context) {
        self.0 &= !c.bit();
    }

    pub fn with(self, other: Flags) -> Flags {
        Flags(self.0 | other.0)
    }

    /// The contexts other than `allowed`, most telling first.
    pub fn without(self, allowed: Flags) -> impl Iterator<Item = Context> {
        let rest = self.0 & !allowed.0;
        Context::ALL
            .into_iter()
            .filter(move |c| rest & c.bit() != 0)
    }

    pub fn only(c: Context) -> Flags {
        Flags(c.bit())
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// One field of an answer: where it is and what it says.
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    /// The step (section) id, e.g. `hld`.
    pub step: &'a str,
    /// The field's title as the user sees it, e.g. "Data model".
    pub title: &'a str,
    pub text: &'a str,
}

#[derive(Debug, Clone)]
pub struct Token {
    /// Index into [`Analysed::words`].
    pub word: u32,
    /// Byte range in its field's text.
    pub span: Range<usize>,
    pub unit: u32,
    pub flags: Flags,
}

#[derive(Debug, Clone)]
pub struct Unit {
    pub field: usize,
    /// Byte range in the field's text.
    pub span: Range<usize>,
    /// 1-based line in the field where the unit starts.
    pub line: usize,
    pub block: u32,
    /// The list item or line (within its field) the unit belongs to.
    pub group: u32,
    pub heading: bool,
    /// The heading and the label line the unit sits under, if any.
    pub context: [Option<u32>; 2],
    pub tokens: Range<usize>,
}

/// An answer read once, ready for any number of rules.
pub struct Analysed<'a> {
    pub fields: &'a [Field<'a>],
    pub tokens: Vec<Token>,
    pub units: Vec<Unit>,
    /// Normalised words; tokens point into it.
    pub words: Vec<String>,
    ids: FastMap<String, u32>,
    /// Each token as written → its word id and its lower-case form (an index into `lowered`):
    /// a word met again costs one lookup, no allocation and no stemming.
    by_raw: FastMap<String, (u32, u32)>,
    /// Distinct lower-case forms as written.
    lowered: Vec<Lowered>,
    lower_index: FastMap<String, u32>,
    /// The tokens of each word, in order: word `w`'s are
    /// `posting_list[posting_starts[w]..posting_starts[w + 1]]`.
    posting_starts: Vec<u32>,
    posting_list: Vec<u32>,
    /// Words by the hashes of their one-deletion variants (and of themselves), sorted, for
    /// typo tolerance; built on first use. A hash collision only adds a candidate, which
    /// [`one_edit`] then rules out.
    deletions: OnceCell<Vec<(u64, u32)>>,
    /// Word ids in the order of their words, for prefix terms; built on first use.
    sorted: OnceCell<Vec<u32>>,
    /// Buffers one unit is read into, kept between units so reading allocates only for
    /// what it keeps.
    scratch: Scratch,
}

#[derive(Default)]
struct Scratch {
    spans: Vec<Range<usize>>,
    resolved: Vec<(u32, u32)>,
    own: Vec<Flags>,
    cues: Vec<Cues>,
}

/// A lower-case form of a word as written.
struct Lowered {
    text: String,
    /// The id of the word it first normalised to.
    word: u32,
    cues: Cues,
}

/// Which cue tables a lower-case word is in. Each distinct word of an answer is looked up
/// once, so marking clauses compares bits rather than scanning the tables per token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Cues(u8);

impl Cues {
    /// Begins a new clause ([`CLAUSE_WORDS`]).
    const CLAUSE: u8 = 1;
    /// Negates what follows it ([`NEGATION_CUES`]).
    const NEGATION: u8 = 1 << 1;
    /// Makes a negation cue before it a limit ([`COMPARATIVES`]).
    const COMPARATIVE: u8 = 1 << 2;
    /// Opens an option not taken or leaves a choice open: [`OPTION_CUES`], the first words
    /// of the two-word ones, and "whether".
    const OPTION: u8 = 1 << 3;
    /// The first word of a clause-wide phrase or a two-word negation cue.
    const PHRASE: u8 = 1 << 4;
    /// Says something in a keyword-list item ([`FUNCTION_WORDS`]).
    const FUNCTION: u8 = 1 << 5;
    /// May pass a verdict on the clause before ([`VERDICT_WORDS`]).
    const VERDICT: u8 = 1 << 6;

    fn of(word: &str) -> Cues {
        static TABLE: LazyLock<FastMap<&'static str, u8>> = LazyLock::new(|| {
            let mut m: FastMap<&'static str, u8> = FastMap::default();
            let mut add = |words: &mut dyn Iterator<Item = &'static str>, bit: u8| {
                for w in words {
                    *m.entry(w).or_default() |= bit;
                }
            };
            let firsts = |phrases: &'static [&'static [&'static str]]| {
                phrases.iter().filter_map(|p| p.first().copied())
            };
            add(&mut CLAUSE_WORDS.iter().copied(), Cues::CLAUSE);
            add(&mut NEGATION_CUES.iter().copied(), Cues::NEGATION);
            add(&mut COMPARATIVES.iter().copied(), Cues::COMPARATIVE);
            add(
                &mut OPTION_CUES
                    .iter()
                    .copied()
                    .chain(["could", "thought", "looked", "whether"]),
                Cues::OPTION,
            );
            add(
                &mut firsts(CLAUSE_NEGATIONS)
                    .chain(firsts(CLAUSE_OUT_OF_SCOPE))
                    .chain(firsts(CLAUSE_OPTIONS))
                    .chain(NEGATION_PAIRS.iter().map(|p| p[0])),
                Cues::PHRASE,
            );
            add(&mut FUNCTION_WORDS.iter().copied(), Cues::FUNCTION);
            add(&mut VERDICT_WORDS.iter().copied(), Cues::VERDICT);
            m
        });
        Cues(TABLE.get(word).copied().unwrap_or(0))
    }

    fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
}

/// Words that carry no concept; phrase matching may skip them ("lease a block of ids").
pub const FILLERS: &[&str] = &[
    "a", "an", "the", "of", "to", "for", "per", "each", "every", "our", "its", "their", "this",
    "that", "these", "those", "in", "on", "at", "by", "all", "any", "some", "it", "is", "are",
];

/// Words a bare keyword-list item does not contain: a phrase with one of these says something.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "then", "to", "of", "in", "on", "at", "for", "from", "by", "with", "into",
    "is", "are", "was", "were", "be", "been", "will", "would", "should", "can", "could", "we", "i",
    "it", "they", "this", "that", "which", "who", "when", "if", "so", "as", "than", "each",
    "every", "our", "their", "its", "not", "no", "goes", "go", "hits", "hit", "sends", "send",
    "returns", "return", "reads", "writes", "calls", "call", "via", "using", "per", "after",
    "before", "until", "because", "but",
];

/// Cue words whose clause, from the cue on, is negated.
const NEGATION_CUES: &[&str] = &[
    "no",
    "not",
    "never",
    "without",
    "none",
    "nor",
    "neither",
    "cannot",
    "can't",
    "won't",
    "don't",
    "doesn't",
    "didn't",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "shouldn't",
    "wouldn't",
    "needn't",
    "dont",
    "wont",
    "cant",
    "doesnt",
    "didnt",
    "isnt",
    "arent",
    "shouldnt",
    "wouldnt",
    "nothing",
];

/// Words after a cue that make it a limit or a comparison, not a negation: "no more than 100".
const COMPARATIVES: &[&str] = &[
    "more",
    "less",
    "fewer",
    "longer",
    "later",
    "greater",
    "higher",
    "lower",
    "exceed",
    "exceeding",
    "exceeds",
    "over",
    "above",
    "below",
    "under",
    "beyond",
    "than",
    "earlier",
    "sooner",
    "only",
    "just",
    "merely",
    "bigger",
    "larger",
    "smaller",
    "worse",
    "slower",
    "faster",
];

/// How many tokens after a cue a negation reaches (within its clause).
const NEGATION_REACH: usize = 10;

/// Phrases that negate their whole clause, wherever they stand in it: "a CDN is overkill".
const CLAUSE_NEGATIONS: &[&[&str]] = &[
    &["not", "needed"],
    &["not", "necessary"],
    &["not", "required"],
    &["not", "worth"],
    &["not", "an", "option"],
    &["unnecessary"],
    &["overkill"],
    &["no", "need"],
    &["isn't", "needed"],
    &["aren't", "needed"],
];

const CLAUSE_OUT_OF_SCOPE: &[&[&str]] = &[
    &["out", "of", "scope"],
    &["not", "in", "scope"],
    &["non", "goal"],
    &["out", "scope"],
];

const CLAUSE_OPTIONS: &[&[&str]] = &[&["rejected"], &["ruled", "out"], &["discarded"]];

/// Cues whose clause, from the cue on, names an option not taken: "we considered hashing".
const OPTION_CUES: &[&str] = &["considered", "alternatively", "contemplated"];

/// Two-word negation cues: "instead of X", "rather than X".
const NEGATION_PAIRS: &[[&str; 2]] = &[["instead", "of"], ["rather", "than"]];

/// Words that begin a new clause.
const CLAUSE_WORDS: &[&str] = &[
    "but", "because", "so", "since", "while", "whereas", "although", "though", "however", "except",
    "yet", "unless",
];

/// Label or heading words that put what is under them out of scope.
const OUT_OF_SCOPE_LABELS: &[&str] = &[
    "out of scope",
    "out-of-scope",
    "not in scope",
    "non-goals",
    "non goals",
    "nongoals",
    "oos",
    "future",
    "future work",
    "later",
    "v2",
    "nice to have",
    "nice-to-have",
    "deferred",
    "won't do",
    "wont do",
    "not doing",
    "excluded",
    "exclusions",
    "not now",
    "parking lot",
];

/// Label or heading words that make what is under them options, not choices.
const OPTION_LABELS: &[&str] = &[
    "options",
    "option",
    "alternatives",
    "alternative",
    "alternatives considered",
    "options considered",
    "considered",
    "rejected",
    "rejected options",
    "rejected alternatives",
    "not chosen",
    "other options",
    "possible approaches",
    "approaches",
];

/// How a sentence opens when it rejects the option it belongs to.
const REJECT_OPENERS: &[&str] = &[
    "rejected",
    "not chosen",
    "ruled out",
    "discarded",
    "dropped",
    "no go",
    "won't do",
    "nope",
];

/// How a sentence opens when it picks the option it belongs to.
const CHOOSE_OPENERS: &[&str] = &[
    "chosen",
    "chose",
    "choose",
    "going with",
    "go with",
    "picked",
    "pick",
    "selected",
    "winner",
    "decision",
    "we'll go with",
    "i'll go with",
    "we go with",
    "i go with",
];

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "eg", "ie", "etc", "vs", "approx", "incl", "esp", "resp", "cf", "w", "min",
    "max", "avg", "no", "fig", "mr", "ms", "dr",
];

/// Lower-case British spellings that the stemmer would not meet with the American ones.
const BRITISH: &[(&str, &str)] = &[
    ("colour", "color"),
    ("behaviour", "behavior"),
    ("behaviours", "behaviors"),
    ("favour", "favor"),
    ("favourite", "favorite"),
    ("honour", "honor"),
    ("labour", "labor"),
    ("neighbour", "neighbor"),
    ("neighbours", "neighbors"),
    ("neighbouring", "neighboring"),
    ("rumour", "rumor"),
    ("centre", "center"),
    ("centres", "centers"),
    ("metre", "meter"),
    ("metres", "meters"),
    ("litre", "liter"),
    ("fibre", "fiber"),
    ("theatre", "theater"),
    ("catalogue", "catalog"),
    ("catalogues", "catalogs"),
    ("dialogue", "dialog"),
    ("analogue", "analog"),
    ("defence", "defense"),
    ("licence", "license"),
    ("offence", "offense"),
    ("grey", "gray"),
    ("programme", "program"),
    ("programmes", "programs"),
    ("tyre", "tire"),
    ("cheque", "check"),
    ("enrol", "enroll"),
    ("fulfil", "fulfill"),
    ("fulfilment", "fulfillment"),
    ("judgement", "judgment"),
    ("acknowledgement", "acknowledgment"),
    ("ageing", "aging"),
    ("whilst", "while"),
    ("amongst", "among"),
];

/// Words ending in -ise that are not the British form of an -ize word.
const ISE_WORDS: &[&str] = &[
    "advise",
    "arise",
    "comprise",
    "compromise",
    "concise",
    "despise",
    "devise",
    "disguise",
    "enterprise",
    "exercise",
    "expertise",
    "franchise",
    "improvise",
    "merchandise",
    "noise",
    "otherwise",
    "paradise",
    "poise",
    "praise",
    "precise",
    "premise",
    "promise",
    "raise",
    "revise",
    "rise",
    "supervise",
    "surprise",
    "televise",
    "wise",
    "likewise",
    "clockwise",
    "cruise",
    "bruise",
    "treatise",
    "excise",
    "incise",
    "demise",
    "anise",
    "valise",
    "reprise",
    "guise",
    "chaise",
    "concise",
    "imprecise",
    "mise",
    "apprise",
    "reprise",
    "upraise",
];

/// The American spelling of a lower-case word, where it is a regular British variant.
fn americanise(word: &str) -> std::borrow::Cow<'_, str> {
    if let Some((_, us)) = BRITISH.iter().find(|(uk, _)| *uk == word) {
        return (*us).into();
    }
    // -ise, -ised, -ises, -ising, -isation(s), -iser(s) → -iz…; -yse → -yze.
    for (uk, us) in [
        ("isation", "ization"),
        ("yse", "yze"),
        ("ys", "yz"),
        ("is", "iz"),
    ] {
        let Some(at) = word.rfind(uk) else { continue };
        let (stem, rest) = (&word[..at], &word[at + uk.len()..]);
        let tail_ok = match uk {
            "isation" => matches!(rest, "" | "s"),
            "yse" => matches!(rest, "" | "s" | "d"),
            _ => matches!(rest, "e" | "ed" | "es" | "ing" | "er" | "ers"),
        };
        if !tail_ok || stem.chars().count() < 3 {
            continue;
        }
        let base = format!(
            "{stem}{uk}{}",
            if uk == "is" || uk == "ys" { "e" } else { "" }
        );
        if uk == "is" && ISE_WORDS.iter().any(|w| base.ends_with(w)) {
            return word.into();
        }
        return format!("{stem}{us}{rest}").into();
    }
    word.into()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Byte ranges of the words of `text`: runs of letters and digits, keeping `'` inside a word
/// ("don't"), `.` and `,` inside a number ("3.5", "1,000") and `^` inside a power ("62^7"), and
/// splitting camel case ("ShortUrl" → "Short", "Url").
pub fn word_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    word_spans_into(text, &mut spans);
    spans
}

/// [`word_spans`] into a buffer, which is cleared first.
fn word_spans_into(text: &str, spans: &mut Vec<Range<usize>>) {
    spans.clear();
    let bytes = text.as_bytes();
    // The character at a byte offset (always a boundary) and its length: most text is ASCII,
    // which needs no decoding.
    let char_at = |at: usize| -> Option<(char, usize)> {
        let b = *bytes.get(at)?;
        if b.is_ascii() {
            Some((char::from(b), 1))
        } else {
            text[at..].chars().next().map(|c| (c, c.len_utf8()))
        }
    };
    // The start of the word being read, and the character before the current one.
    let mut start: Option<usize> = None;
    let mut prev = ' ';
    let mut at = 0;
    while let Some((c, len)) = char_at(at) {
        if let Some(from) = start {
            let joins = if is_word_char(c) {
                !(prev.is_lowercase() && c.is_uppercase())
            } else {
                let next = char_at(at + len).map(|(n, _)| n);
                match c {
                    '\'' | '’' => prev.is_alphabetic() && next.is_some_and(char::is_alphabetic),
                    '.' | ',' => prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
                    '^' => prev.is_alphanumeric() && next.is_some_and(char::is_alphanumeric),
                    _ => false,
                }
            };
            if !joins {
                spans.push(from..at);
                start = is_word_char(c).then_some(at);
            }
        } else if is_word_char(c) {
            start = Some(at);
        }
        prev = c;
        at += len;
    }
    if let Some(from) = start {
        spans.push(from..text.len());
    }
}

/// The lower-case form of a word as written, with typographic apostrophes made plain.
pub fn lower(raw: &str) -> String {
    raw.chars()
        .map(|c| if c == '’' { '\'' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Turns written words into the form rules and answers meet in.
pub struct Normaliser {
    stemmer: Stemmer,
    cache: FastMap<String, String>,
}

impl Default for Normaliser {
    fn default() -> Self {
        Self {
            stemmer: Stemmer::create(Algorithm::English),
            cache: FastMap::default(),
        }
    }
}

/// How many words a [`Normaliser`] remembers before it starts afresh: far more than any
/// answer has, and a bound on what a long-running process keeps.
const CACHE_WORDS: usize = 200_000;

thread_local! {
    static SHARED: RefCell<Normaliser> = RefCell::new(Normaliser::default());
}

impl Normaliser {
    /// Runs `f` with this thread's normaliser. Its cache outlives the call: an answer judged
    /// after every save is mostly words normalised the time before, and stemming them again
    /// was a fifth of the cost. A call made from inside `f` gets a normaliser of its own.
    pub fn shared<R>(f: impl FnOnce(&mut Normaliser) -> R) -> R {
        SHARED.with(|cell| match cell.try_borrow_mut() {
            Ok(mut norm) => f(&mut norm),
            Err(_) => f(&mut Normaliser::default()),
        })
    }

    /// The normalised form of one word (as [`word_spans`] cuts it): lower case, numbers without
    /// thousands separators, no possessive, American spelling, Porter2 stem.
    pub fn word(&mut self, raw: &str) -> String {
        self.lowered(&lower(raw)).to_string()
    }

    /// [`Normaliser::word`] of a word already in lower case (see [`lower`]).
    fn lowered(&mut self, lowered: &str) -> &str {
        // Two lookups on a miss: the borrow checker does not let a returned hit outlive the
        // insert below (the get-or-insert case NLL does not accept yet).
        if self.cache.contains_key(lowered) {
            return &self.cache[lowered];
        }
        let normal = if lowered.chars().any(|c| c.is_ascii_digit()) {
            let mut n = lowered.replace(',', "");
            if n.len() > 2
                && n.ends_with('s')
                && n[..n.len() - 1].bytes().all(|b| b.is_ascii_digit())
            {
                n.pop(); // "1000s"
            }
            n
        } else {
            let base = lowered
                .strip_suffix("'s")
                .filter(|b| !b.is_empty())
                .unwrap_or(lowered);
            let us = americanise(base);
            self.stemmer.stem(&us).into_owned()
        };
        if self.cache.len() >= CACHE_WORDS {
            self.cache.clear();
        }
        self.cache.entry(lowered.to_string()).or_insert(normal)
    }

    /// The normalised words of a phrase.
    pub fn phrase(&mut self, text: &str) -> Vec<String> {
        word_spans(text)
            .into_iter()
            .map(|r| self.word(&text[r]))
            .collect()
    }
}

/// What a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    /// A Markdown heading or a bold-only line.
    Heading,
    /// A short line ending in `:` with nothing after it.
    Label,
    /// A list item, with its indent.
    Item(usize),
    /// A table row (separator rows are skipped).
    Row,
    /// A line with an arrow: each stands alone.
    Arrow,
    Text,
}

/// A run of lines the units come from.
#[derive(Debug, Clone)]
struct Piece {
    kind: LineKind,
    /// Content (without the list marker or `#`s), as a byte range of the field.
    content: Range<usize>,
    line: usize,
    /// Whether a blank line or a heading came before it.
    new_block: bool,
    /// The list item (with its indented lines and sub-items) or line it belongs to: a verdict
    /// anywhere in an item ("Rejected.", "Going with B") applies to all of it.
    group: u32,
}

fn strip_marker(line: &str) -> Option<(usize, usize)> {
    // Returns (indent, offset of the content) for list items.
    let indent = line.len() - line.trim_start().len();
    let t = &line[indent..];
    for m in ["- [ ] ", "- [x] ", "- [X] ", "- ", "* ", "+ ", "• ", "· "] {
        if t.starts_with(m) {
            return Some((indent, indent + m.len()));
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        for m in [". ", ") "] {
            if rest.starts_with(m) {
                return Some((indent, indent + digits + m.len()));
            }
        }
    }
    // "A) …", "b) …", "(c) …": options written as lettered items.
    let b = t.as_bytes();
    let lettered = match b {
        [l, b')', b' ', ..] if l.is_ascii_alphabetic() => Some(3),
        [b'(', l, b')', b' ', ..] if l.is_ascii_alphabetic() => Some(4),
        _ => None,
    };
    lettered.map(|n| (indent, indent + n))
}

fn token_count(text: &str) -> usize {
    word_spans(text).len()
}

fn is_label(content: &str) -> bool {
    let t = content.trim();
    t.len() > 1 && t.ends_with(':') && !t.ends_with("::") && (1..=6).contains(&token_count(t))
}

fn is_separator_row(t: &str) -> bool {
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// The lines of a field as pieces: list items and paragraphs gather their continuation lines.
fn pieces(text: &str) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut fence: Option<&str> = None;
    let mut new_block = true;
    let mut offset = 0;
    // Whether the last piece may take a continuation line: a hard-wrapped paragraph or item
    // (long lines not ending a sentence), never a short note line.
    let mut open = false;
    let mut prev_len = 0;
    // Open list items: (indent, group).
    let mut items: Vec<(usize, u32)> = Vec::new();
    let mut groups = 0u32;
    for (i, raw) in text.split('\n').enumerate() {
        let start = offset;
        offset += raw.len() + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim();
        let last_len = std::mem::replace(
            &mut prev_len,
            if trimmed.ends_with(['.', '?', '!', ':', ';']) {
                0
            } else {
                trimmed.chars().count()
            },
        );
        let lead = line.len() - line.trim_start().len();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            open = false;
            continue;
        }
        if trimmed.is_empty() {
            new_block = true;
            open = false;
            items.clear();
            continue;
        }
        let content_of = |from: usize| {
            let s = &line[from..];
            let l = s.len() - s.trim_start().len();
            start + from + l..start + line.trim_end().len()
        };
        let (kind, content) = if let Some(h) = trimmed.strip_prefix('#') {
            let hashes = 1 + h.bytes().take_while(|b| *b == b'#').count();
            (LineKind::Heading, content_of(lead + hashes))
        } else if trimmed.len() > 4
            && trimmed.starts_with("**")
            && trimmed.ends_with("**")
            && !trimmed[2..trimmed.len() - 2].contains("**")
        {
            let from = lead + 2;
            let r = content_of(from);
            (LineKind::Heading, r.start..r.end - 2)
        } else if trimmed.starts_with('|') {
            if is_separator_row(trimmed) {
                continue;
            }
            (LineKind::Row, content_of(lead))
        } else if trimmed
            .chars()
            .all(|c| matches!(c, '-' | '=' | '*' | '_' | ' '))
        {
            // A rule or a setext underline.
            open = false;
            continue;
        } else if let Some((indent, from)) = strip_marker(line) {
            let r = content_of(from);
            if is_label(&text[r.clone()]) {
                (LineKind::Label, r)
            } else {
                (LineKind::Item(indent), r)
            }
        } else if is_label(trimmed) {
            (LineKind::Label, content_of(lead))
        } else if trimmed.contains("->") || trimmed.contains('→') || trimmed.contains("=>") {
            (LineKind::Arrow, content_of(lead))
        } else {
            if open
                && last_len >= 60
                && let Some(last) = out.last_mut()
            {
                // A wrapped line continues the paragraph or list item before it.
                last.content.end = start + line.trim_end().len();
                continue;
            }
            (LineKind::Text, content_of(lead))
        };
        open = matches!(kind, LineKind::Item(_) | LineKind::Text);
        let heading = kind == LineKind::Heading;
        let item_indent = strip_marker(line).map(|(indent, _)| indent);
        let group = match item_indent {
            Some(indent) => {
                while items.last().is_some_and(|(i, _)| *i >= indent) {
                    items.pop();
                }
                let g = items.last().map_or_else(
                    || {
                        groups += 1;
                        groups
                    },
                    |(_, g)| *g,
                );
                items.push((indent, g));
                g
            }
            None if !heading && items.last().is_some_and(|(i, _)| lead > *i) => {
                items.last().map_or(0, |(_, g)| *g)
            }
            None => {
                items.clear();
                groups += 1;
                groups
            }
        };
        out.push(Piece {
            kind,
            content,
            line: i + 1,
            new_block: new_block || heading,
            group,
        });
        new_block = heading;
    }
    out
}

/// Sentence ranges inside `range` of `text`.
fn sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let s = &text[range.clone()];
    let mut out = Vec::new();
    let mut from = 0;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if matches!(c, b'.' | b'?' | b'!') {
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b'.' | b'?' | b'!' | b')' | b'"' | b'\'') {
                j += 1;
            }
            let at_end = j >= bytes.len();
            let spaced = at_end || bytes[j].is_ascii_whitespace();
            let word_before = s[from..i]
                .rsplit(|ch: char| ch.is_whitespace() || ch == '(')
                .next()
                .unwrap_or("")
                .to_lowercase();
            let abbreviation = c == b'.' && ABBREVIATIONS.contains(&word_before.as_str());
            if spaced && !abbreviation {
                push_trimmed(&mut out, s, from..j, range.start);
                from = j;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    push_trimmed(&mut out, s, from..s.len(), range.start);
    out
}

fn push_trimmed(out: &mut Vec<Range<usize>>, s: &str, r: Range<usize>, base: usize) {
    let piece = &s[r.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if piece.trim().is_empty() {
        return;
    }
    out.push(base + r.start + lead..base + r.end - trail);
}

fn phrase_at(words: &[&str], i: usize, phrase: &[&str]) -> bool {
    phrase
        .iter()
        .enumerate()
        .all(|(k, p)| words.get(i + k).is_some_and(|w| w == p))
}

fn label_flags(label: &str) -> Flags {
    let l = label
        .trim()
        .trim_end_matches(':')
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let mut f = Flags::default();
    // A phrase counts as whole words anywhere in the label, one word only at its start.
    let words: Vec<&str> = l.split(' ').collect();
    if OUT_OF_SCOPE_LABELS.iter().any(|x| {
        let n = x.split(' ').count();
        if n == 1 {
            words.first() == Some(x)
        } else {
            words.windows(n).any(|w| w.iter().copied().eq(x.split(' ')))
        }
    }) {
        f.set(Context::OutOfScope);
    }
    let first = l.split_whitespace().next().unwrap_or("");
    let last = l.split_whitespace().last().unwrap_or("");
    if OPTION_LABELS.iter().any(|x| l == *x)
        || matches!(first, "option" | "options" | "alternative" | "alternatives")
        || matches!(last, "options" | "alternatives" | "approaches")
    {
        f.set(Context::Option);
    }
    f
}

impl<'a> Analysed<'a> {
    pub fn new(fields: &'a [Field<'a>], norm: &mut Normaliser) -> Self {
        // About one word in six bytes of prose; a little more for code-like notes.
        let bytes: usize = fields.iter().map(|f| f.text.len()).sum();
        let mut a = Analysed {
            fields,
            tokens: Vec::with_capacity(bytes / 6),
            units: Vec::new(),
            words: Vec::new(),
            ids: FastMap::default(),
            by_raw: FastMap::default(),
            lowered: Vec::new(),
            lower_index: FastMap::default(),
            posting_starts: Vec::new(),
            posting_list: Vec::new(),
            deletions: OnceCell::new(),
            sorted: OnceCell::new(),
            scratch: Scratch::default(),
        };
        let mut block = 0u32;
        for (fi, field) in fields.iter().enumerate() {
            block += 1;
            a.read_field(fi, field.text, norm, &mut block);
        }
        a.index_postings();
        a
    }

    /// Fills the postings: a count of each word's tokens, their running sum, then the tokens.
    fn index_postings(&mut self) {
        let mut starts = vec![0u32; self.words.len() + 1];
        for t in &self.tokens {
            starts[t.word as usize + 1] += 1;
        }
        for w in 1..starts.len() {
            starts[w] += starts[w - 1];
        }
        let mut next = starts.clone();
        let mut list = vec![0u32; self.tokens.len()];
        for (i, t) in self.tokens.iter().enumerate() {
            let at = &mut next[t.word as usize];
            list[*at as usize] = i as u32;
            *at += 1;
        }
        self.posting_starts = starts;
        self.posting_list = list;
    }

    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.words.push(word.to_string());
        self.ids.insert(word.to_string(), id);
        id
    }

    fn read_field(&mut self, fi: usize, text: &str, norm: &mut Normaliser, block: &mut u32) {
        let mut heading: Option<(u32, Flags)> = None;
        let mut label: Option<(u32, Flags)> = None;
        // Runs of short sibling items: (indent, first unit, count).
        let mut run: Vec<u32> = Vec::new();
        let mut run_indent = None;
        let pieces = pieces(text);
        // Units of each list item or line, to apply an item's verdict to all of it.
        let mut grouped: Vec<(u32, u32)> = Vec::new();
        for piece in &pieces {
            if piece.new_block {
                *block += 1;
                label = None;
                self.close_run(&mut run);
            }
            let inherited = heading
                .map_or(Flags::default(), |h| h.1)
                .with(label.map_or(Flags::default(), |l| l.1));
            let context = [heading.map(|h| h.0), label.map(|l| l.0)];
            match piece.kind {
                LineKind::Heading | LineKind::Label => {
                    self.close_run(&mut run);
                    let scope = label_flags(&text[piece.content.clone()]);
                    let ctx = if piece.kind == LineKind::Heading {
                        [None, None]
                    } else {
                        [heading.map(|h| h.0), None]
                    };
                    let u = self.push_unit(
                        fi,
                        text,
                        piece.content.clone(),
                        piece.line,
                        *block,
                        true,
                        ctx,
                        inherited,
                        norm,
                    );
                    if piece.kind == LineKind::Heading {
                        heading = Some((u, scope));
                        label = None;
                    } else {
                        label = Some((u, scope.with(heading.map_or(Flags::default(), |h| h.1))));
                    }
                }
                kind => {
                    let mut content = piece.content.clone();
                    let mut flags = inherited;
                    // An inline label: "Out of scope: analytics", "Options: A, B".
                    if let Some(colon) = text[content.clone()].find(": ") {
                        let head = &text[content.start..content.start + colon];
                        if (1..=4).contains(&token_count(head)) && !head.contains("->") {
                            let scope = label_flags(head);
                            if !scope.is_empty() {
                                flags = flags.with(scope);
                                content.start += colon + 2;
                            }
                        }
                    }
                    let ranges = match kind {
                        LineKind::Row | LineKind::Arrow => vec![content.clone()],
                        _ => sentences(text, content.clone()),
                    };
                    // Lines from the piece's own start, so a long field is not rescanned per unit.
                    let line_of = |pos: usize| {
                        piece.line + text[piece.content.start..pos].matches('\n').count()
                    };
                    let mut first = None;
                    for r in ranges {
                        let u = self.push_unit(
                            fi,
                            text,
                            r.clone(),
                            line_of(r.start),
                            *block,
                            false,
                            context,
                            flags,
                            norm,
                        );
                        first.get_or_insert(u);
                        self.units[u as usize].group = piece.group;
                        grouped.push((piece.group, u));
                    }
                    match (kind, first) {
                        (LineKind::Item(indent), Some(u)) if self.is_short_item(u) => {
                            if run_indent != Some(indent) {
                                self.close_run(&mut run);
                                run_indent = Some(indent);
                            }
                            run.push(u);
                        }
                        _ => {
                            self.close_run(&mut run);
                            run_indent = None;
                        }
                    }
                }
            }
        }
        self.close_run(&mut run);
        self.apply_verdicts(&grouped);
    }

    /// "Option A: … Rejected." makes the whole item an option not taken; "… Going with B"
    /// makes the item chosen, whatever options heading it sits under.
    fn apply_verdicts(&mut self, grouped: &[(u32, u32)]) {
        let mut at = 0;
        while at < grouped.len() {
            let group = grouped[at].0;
            let end = at
                + grouped[at..]
                    .iter()
                    .take_while(|(g, _)| *g == group)
                    .count();
            let units: Vec<u32> = grouped[at..end].iter().map(|(_, u)| *u).collect();
            // The openers are ASCII: compare the start of each unit without lower-casing it.
            let opens = |cues: &[&str]| {
                units.iter().any(|&u| {
                    let t = self.unit_text(u).trim_start();
                    cues.iter().any(|c| {
                        t.get(..c.len()).is_some_and(|p| p.eq_ignore_ascii_case(c))
                            && !t[c.len()..].starts_with(char::is_alphanumeric)
                    })
                })
            };
            let rejected = opens(REJECT_OPENERS);
            let chosen = opens(CHOOSE_OPENERS);
            for &u in &units {
                let r = self.units[u as usize].tokens.clone();
                for t in &mut self.tokens[r] {
                    if chosen && !rejected {
                        t.flags.unset(Context::Option);
                    } else if rejected {
                        t.flags.set(Context::Option);
                    }
                }
            }
            at = end;
        }
    }

    /// A list item of at most two bare words.
    fn is_short_item(&self, u: u32) -> bool {
        let unit = &self.units[u as usize];
        let text = &self.fields[unit.field].text[unit.span.clone()];
        unit.tokens.len() <= 2 && is_bare(text, 2) && self.units.len() == u as usize + 1
    }

    /// Four or more short sibling items in a row are a keyword list.
    fn close_run(&mut self, run: &mut Vec<u32>) {
        if run.len() >= 4 {
            for &u in run.iter() {
                let r = self.units[u as usize].tokens.clone();
                for t in &mut self.tokens[r] {
                    t.flags.set(Context::Listed);
                }
            }
        }
        run.clear();
    }

    #[allow(clippy::too_many_arguments)]
    fn push_unit(
        &mut self,
        fi: usize,
        text: &str,
        span: Range<usize>,
        line: usize,
        block: u32,
        heading: bool,
        context: [Option<u32>; 2],
        flags: Flags,
        norm: &mut Normaliser,
    ) -> u32 {
        let u = self.units.len() as u32;
        let first = self.tokens.len();
        let s = &text[span.clone()];
        let Scratch {
            mut spans,
            mut resolved,
            mut own,
            mut cues,
        } = std::mem::take(&mut self.scratch);
        word_spans_into(s, &mut spans);
        resolved.clear();
        for r in &spans {
            resolved.push(self.resolve(&s[r.clone()], norm));
        }
        own.clear();
        own.resize(spans.len(), flags);
        // A unit of one word ("Persistence.", "Kafka") names a topic; it states nothing.
        let heading = heading || spans.len() == 1;
        if heading {
            for f in &mut own {
                f.set(Context::Heading);
            }
        }
        let lowers: Vec<&str> = resolved
            .iter()
            .map(|&(_, l)| self.lowered[l as usize].text.as_str())
            .collect();
        cues.clear();
        cues.extend(resolved.iter().map(|&(_, l)| self.lowered[l as usize].cues));
        mark_clauses(s, &spans, &lowers, &cues, &mut own);
        if is_keyword_list(s, &spans, &cues) {
            for f in &mut own {
                f.set(Context::Listed);
            }
        }
        self.tokens.reserve(spans.len());
        for ((r, &f), &(id, _)) in spans.iter().zip(&own).zip(&resolved) {
            self.tokens.push(Token {
                word: id,
                span: span.start + r.start..span.start + r.end,
                unit: u,
                flags: f,
            });
        }
        self.units.push(Unit {
            field: fi,
            span,
            line,
            block,
            group: 0,
            heading,
            context,
            tokens: first..self.tokens.len(),
        });
        self.scratch = Scratch {
            spans,
            resolved,
            own,
            cues,
        };
        u
    }

    /// The id of a normalised word, if the answer has it.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }

    /// The id of a word the answer wrote in this form (lower case, before normalising).
    pub fn surface(&self, word: &str) -> Option<u32> {
        self.lower_index
            .get(word)
            .map(|&l| self.lowered[l as usize].word)
    }

    /// A token's word id and lower-case form, normalising it the first time it is met.
    fn resolve(&mut self, raw: &str, norm: &mut Normaliser) -> (u32, u32) {
        if let Some(&hit) = self.by_raw.get(raw) {
            return hit;
        }
        let low = lower(raw);
        let l = match self.lower_index.get(&low) {
            Some(&l) => l,
            None => {
                let id = self.intern(norm.lowered(&low));
                let l = self.lowered.len() as u32;
                self.lower_index.insert(low.clone(), l);
                self.lowered.push(Lowered {
                    cues: Cues::of(&low),
                    text: low,
                    word: id,
                });
                l
            }
        };
        let id = self.lowered[l as usize].word;
        self.by_raw.insert(raw.to_string(), (id, l));
        (id, l)
    }

    /// Tokens that are the word `id`, in order.
    pub fn postings(&self, id: u32) -> &[u32] {
        let w = id as usize;
        &self.posting_list[self.posting_starts[w] as usize..self.posting_starts[w + 1] as usize]
    }

    /// Words of the answer that start with `prefix`.
    pub fn with_prefix(&self, prefix: &str) -> Vec<u32> {
        let sorted = self.sorted.get_or_init(|| {
            let mut ids: Vec<u32> = (0..self.words.len() as u32).collect();
            ids.sort_unstable_by(|&a, &b| self.words[a as usize].cmp(&self.words[b as usize]));
            ids
        });
        // Words that start with `prefix` sort together, from the first not below it.
        let from = sorted.partition_point(|&i| self.words[i as usize].as_str() < prefix);
        let mut ids: Vec<u32> = sorted[from..]
            .iter()
            .take_while(|&&i| self.words[i as usize].starts_with(prefix))
            .copied()
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Words of the answer one typo away from `word` (an edit, insertion, deletion or swap of
    /// one letter), for words of six letters or more that share the first letter.
    pub fn near(&self, word: &str) -> Vec<u32> {
        if word.chars().count() < 6 || word.chars().any(|c| c.is_ascii_digit()) {
            return Vec::new();
        }
        let mut buf = String::new();
        let index = self.deletions.get_or_init(|| {
            let mut index = Vec::new();
            for (i, w) in self.words.iter().enumerate() {
                if w.chars().count() >= 5 && !w.chars().any(|c| c.is_ascii_digit()) {
                    deletion_hashes(w, &mut buf, |h| index.push((h, i as u32)));
                }
            }
            index.sort_unstable();
            index
        });
        let mut hashes = Vec::new();
        deletion_hashes(word, &mut buf, |h| hashes.push(h));
        let mut out: Vec<u32> = hashes
            .into_iter()
            .flat_map(|h| {
                let from = index.partition_point(|&(x, _)| x < h);
                index[from..]
                    .iter()
                    .take_while(move |&&(x, _)| x == h)
                    .map(|&(_, i)| i)
            })
            .filter(|&i| {
                let w = &self.words[i as usize];
                w != word
                    && w.chars().next() == word.chars().next()
                    && one_edit(w, word)
                    && !stem_variant(w, word)
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn unit_text(&self, u: u32) -> &'a str {
        let unit = &self.units[u as usize];
        &self.fields[unit.field].text[unit.span.clone()]
    }
}

/// Calls `each` with the hash of `w` and of every form of it with one character deleted,
/// building each form in `buf`.
fn deletion_hashes(w: &str, buf: &mut String, mut each: impl FnMut(u64)) {
    use std::hash::BuildHasher;
    let hasher = foldhash::fast::FixedState::with_seed(0);
    each(hasher.hash_one(w));
    for (at, c) in w.char_indices() {
        buf.clear();
        buf.push_str(&w[..at]);
        buf.push_str(&w[at + c.len_utf8()..]);
        each(hasher.hash_one(buf.as_str()));
    }
}

/// Whether two normalised words are forms the stemmer kept apart on purpose ("replica" and
/// "replic" from "replicate", "expiri" and "expir"): one is the other plus a vowel.
fn stem_variant(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    long.strip_prefix(short)
        .is_some_and(|extra| extra.len() == 1 && extra.starts_with(['a', 'e', 'i', 'o', 'u', 'y']))
}

/// Whether `a` and `b` differ by one substitution, insertion, deletion or adjacent swap.
fn one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    match long.len() - short.len() {
        0 => {
            let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            match diff.as_slice() {
                [_] => true,
                [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
                _ => false,
            }
        }
        1 => {
            let skip = (0..short.len())
                .find(|&i| short[i] != long[i])
                .unwrap_or(short.len());
            short[skip..] == long[skip + 1..]
        }
        _ => false,
    }
}

/// Whether a phrase is at most `max` bare words: no function words, no digits.
fn is_bare(item: &str, max: usize) -> bool {
    let spans = word_spans(item);
    !spans.is_empty()
        && spans.len() <= max
        && spans
            .iter()
            .all(|r| !Cues::of(&lower(&item[r.clone()])).has(Cues::FUNCTION))
}

const LIST_SEPARATORS: [char; 6] = [',', ';', '/', '|', '·', '•'];
const LIST_JOINERS: [&str; 3] = [" and ", " & ", " + "];

/// A unit made of four or more short items between commas (or `/`, `;`, `|`, `·`, "and"):
/// "Redis cache, CDN, sharding, read replicas, Kafka". A label in front does not change that.
/// `spans` are the unit's words and `cues` theirs: items are judged on them, not re-read.
fn is_keyword_list(unit: &str, spans: &[Range<usize>], cues: &[Cues]) -> bool {
    if unit.trim_start().starts_with('|') || unit.contains("->") || unit.contains('→') {
        return false;
    }
    let start = match unit.find(": ") {
        Some(i) if spans.iter().take_while(|r| r.start < i).count() <= 4 => i + 2,
        _ => 0,
    };
    let end = start + unit[start..].trim_end_matches(['.', ';', ',']).len();
    let body = &unit[start..end];
    // Four items need three separators; most sentences have fewer.
    let separators = body.matches(LIST_SEPARATORS).count()
        + body
            .split(' ')
            .filter(|w| matches!(*w, "and" | "&" | "+"))
            .count();
    if separators < 3 {
        return false;
    }
    let (mut items, mut bare, mut numeric) = (0usize, 0usize, 0usize);
    let mut token = 0;
    let mut judge = |from: usize, to: usize| {
        let piece = &unit[from..to];
        let lead = piece.len() - piece.trim_start().len();
        let (from, to) = (from + lead, from + piece.trim_end().len());
        if from >= to {
            return;
        }
        items += 1;
        numeric += usize::from(unit[from..to].bytes().any(|b| b.is_ascii_digit()));
        while token < spans.len() && spans[token].end <= from {
            token += 1;
        }
        let inside = spans[token..]
            .iter()
            .zip(&cues[token..])
            .take_while(|(r, _)| r.start < to);
        let (mut words, mut function) = (0, false);
        for (_, c) in inside {
            words += 1;
            function |= c.has(Cues::FUNCTION);
        }
        bare += usize::from((1..=3).contains(&words) && !function);
    };
    let mut from = start;
    let mut at = start;
    while at < end {
        let rest = &unit[at..end];
        let cut = if rest.starts_with(LIST_SEPARATORS) {
            rest.chars().next().map(char::len_utf8)
        } else {
            LIST_JOINERS
                .iter()
                .find(|j| rest.starts_with(**j))
                .map(|j| j.len())
        };
        match cut {
            Some(len) => {
                judge(from, at);
                at += len;
                from = at;
            }
            None => at += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    judge(from, end);
    items >= 4 && bare * 4 >= items * 3 && numeric * 2 < items
}

/// Words a clause may be made of when it only passes a verdict on the clause before it:
/// "E2EE - no (v2)", "sync on reconnect - TBD", "Persistence: none".
const VERDICT_WORDS: &[&str] = &[
    "no",
    "none",
    "nope",
    "not",
    "never",
    "n",
    "a",
    "skip",
    "skipped",
    "yet",
    "now",
    "for",
    "v1",
    "v2",
    "later",
    "future",
    "out",
    "of",
    "scope",
    "nice",
    "to",
    "have",
    "tbd",
    "tba",
    "todo",
    "needed",
    "necessary",
    "required",
    "overkill",
    "unnecessary",
    "maybe",
    "dropped",
    "rejected",
    "here",
    "probably",
    "likely",
    "really",
    "is",
    "are",
    "it",
    "this",
    "that",
];

/// The verdict a clause made only of [`VERDICT_WORDS`] passes, if it passes one.
fn verdict(words: &[&str], cues: &[Cues]) -> Option<Context> {
    if words.is_empty() || !cues.iter().all(|c| c.has(Cues::VERDICT)) {
        return None;
    }
    let has = |set: &[&str]| words.iter().any(|w| set.contains(w));
    if has(&["tbd", "tba", "todo", "maybe"]) {
        Some(Context::Asked)
    } else if has(&[
        "no",
        "none",
        "nope",
        "not",
        "never",
        "skip",
        "skipped",
        "overkill",
        "unnecessary",
        "dropped",
        "rejected",
    ]) {
        Some(Context::Negated)
    } else if has(&["later", "future", "v2", "scope", "nice"]) {
        Some(Context::OutOfScope)
    } else {
        None
    }
}

/// Whether the `?` that ends `text` is an SQL placeholder (`WHERE follower_id = ?`,
/// `VALUES (?, ?)`), not a question.
fn placeholder(text: &str) -> bool {
    text.strip_suffix('?')
        .is_some_and(|before| before.trim_end().ends_with(['=', ',', '(', '<', '>']))
}

/// Marks questions, negations, out-of-scope and rejected options clause by clause.
fn mark_clauses(
    s: &str,
    spans: &[Range<usize>],
    words: &[&str],
    cues: &[Cues],
    flags: &mut [Flags],
) {
    let n = spans.len();
    // Text between token i-1 and token i (i == n: after the last).
    let gap = |i: usize| -> &str {
        let from = if i == 0 { 0 } else { spans[i - 1].end };
        let to = if i == n { s.len() } else { spans[i].start };
        &s[from..to]
    };
    let is_break = |g: &str| {
        // Most gaps are one space or one character ("rate-limit", "user_id"): look for the
        // two- and three-character breaks only where they fit.
        g != " "
            && (g.contains([
                ',', ';', ':', '(', ')', '[', ']', '—', '–', '?', '!', '.', '→',
            ]) || (g.len() >= 2 && g.contains("->"))
                || (g.len() >= 3 && g.contains(" - ")))
    };
    // Clause boundaries: punctuation between tokens, or a word that starts a new clause.
    let mut clauses: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for (i, cue) in cues.iter().enumerate().take(n).skip(1) {
        if cue.has(Cues::CLAUSE) || is_break(gap(i)) {
            clauses.push(start..i);
            start = i;
        }
    }
    if n > 0 {
        clauses.push(start..n);
    }
    let mark = |flags: &mut [Flags], r: Range<usize>, ctx: Context| {
        for f in &mut flags[r] {
            f.set(ctx);
        }
    };
    // A sentence ending in `?` is a question; one ending in `(CDN?)` only asks what is in
    // the parentheses, unless they hold the whole sentence.
    let end = s.trim_end().trim_end_matches(['"', '\'', '*']);
    let question = match end.strip_suffix(')') {
        Some(inner) => {
            inner.trim_end().ends_with('?')
                && inner
                    .rfind('(')
                    .is_none_or(|open| s[..open].trim().is_empty())
        }
        None => end.ends_with('?') && !placeholder(end),
    };
    for (ci, c) in clauses.iter().enumerate() {
        let c = c.clone();
        let w = &words[c.clone()];
        let wc = &cues[c.clone()];
        let g = gap(c.end);
        if question || g.find('?').is_some_and(|q| !placeholder(&g[..=q])) {
            mark(flags, c.clone(), Context::Asked);
        }
        let whole = |phrases: &[&[&str]]| {
            (0..w.len())
                .any(|i| wc[i].has(Cues::PHRASE) && phrases.iter().any(|p| phrase_at(w, i, p)))
        };
        for (phrases, ctx) in [
            (CLAUSE_NEGATIONS, Context::Negated),
            (CLAUSE_OUT_OF_SCOPE, Context::OutOfScope),
            (CLAUSE_OPTIONS, Context::Option),
        ] {
            if whole(phrases) {
                mark(flags, c.clone(), ctx);
            }
        }
        if let Some(ctx) = verdict(w, wc)
            && ci > 0
        {
            mark(flags, clauses[ci - 1].clone(), ctx);
        }
        // "Reconciliation against the ledger - out of scope for now": a clause set off by a
        // dash that opens with an out-of-scope phrase rules out the clause before it.
        let dashed = matches!(gap(c.start).trim(), "-" | "—" | "–");
        if ci > 0 && dashed && CLAUSE_OUT_OF_SCOPE.iter().any(|p| phrase_at(w, 0, p)) {
            mark(flags, clauses[ci - 1].clone(), Context::OutOfScope);
        }
        for i in 0..w.len() {
            let cue = wc[i];
            if !cue.has(Cues::NEGATION | Cues::PHRASE | Cues::OPTION) {
                continue;
            }
            let next = w.get(i + 1).copied();
            let before = i.checked_sub(1).map(|b| w[b]);
            let negates = cue.has(Cues::NEGATION)
                && !wc.get(i + 1).is_some_and(|x| x.has(Cues::COMPARATIVE))
                && !matches!(before, Some("if" | "or" | "whether" | "when"));
            let pair = cue.has(Cues::PHRASE)
                && NEGATION_PAIRS
                    .iter()
                    .any(|p| w[i] == p[0] && next == Some(p[1]));
            if negates || pair {
                let from = c.start + i + 1 + usize::from(pair);
                let to = (from + NEGATION_REACH).min(c.end);
                if from < to {
                    mark(flags, from..to, Context::Negated);
                }
            }
            if OPTION_CUES.contains(&w[i])
                || (w[i] == "could" && next == Some("also"))
                || (matches!(w[i], "thought" | "looked") && next == Some("about"))
            {
                mark(flags, c.start + i + 1..c.end, Context::Option);
            }
            if w[i] == "whether" {
                // "whether X or Y" leaves the choice open, to the end of the sentence.
                mark(flags, c.start + i + 1..n, Context::Asked);
            }
        }
    }
    // An inline label ("Fraud: no fraud filtering in v1") says what most of its content says.
    if let [first, rest @ ..] = clauses.as_slice()
        && !rest.is_empty()
        && first.len() <= 4
        && gap(first.end).contains(':')
    {
        let body = first.end..n;
        for ctx in [
            Context::Negated,
            Context::Asked,
            Context::OutOfScope,
            Context::Option,
        ] {
            let with = flags[body.clone()].iter().filter(|f| f.has(ctx)).count();
            if with * 2 >= body.len() {
                mark(flags, first.clone(), ctx);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(words: &str) -> Vec<String> {
        Normaliser::default().phrase(words)
    }

    #[test]
    fn words_split_on_case_hyphens_and_underscores_and_keep_numbers() {
        let t = "ShortUrl short_code multi-get 62^7 3.5 1,000 don't p99 IDs";
        let words: Vec<&str> = word_spans(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            words,
            [
                "Short", "Url", "short", "code", "multi", "get", "62^7", "3.5", "1,000", "don't",
                "p99", "IDs"
            ]
        );
    }

    #[test]
    fn the_shared_normaliser_remembers_and_may_be_used_from_inside_itself() {
        let outer = Normaliser::shared(|a| {
            let inner = Normaliser::shared(|b| b.word("Replicas"));
            (a.word("Replicas"), inner)
        });
        assert_eq!(outer.0, outer.1);
        assert!(Normaliser::shared(|n| n.cache.contains_key("replicas")));
    }

    #[test]
    fn forms_meet_after_normalising() {
        for (a, b) in [
            ("timeouts", "timeout"),
            ("circuit breakers", "circuit breaker"),
            ("operational transforms", "operational transform"),
            ("normalised", "normalized"),
            ("optimisation", "optimization"),
            ("behaviour", "behavior"),
            ("partitioned", "partitioning"),
            ("cancelled", "canceled"),
            ("analyse", "analyze"),
            ("1,000", "1000"),
            ("user's", "user"),
        ] {
            assert_eq!(norm(a), norm(b), "{a} / {b}");
        }
        for keep in ["promise", "exercise", "enterprise", "raise", "noise"] {
            assert_eq!(americanise(keep), keep);
        }
    }

    fn analyse(text: &str) -> Vec<(String, Flags)> {
        let fields = [Field {
            step: "s",
            title: "t",
            text,
        }];
        let a = Analysed::new(&fields, &mut Normaliser::default());
        a.tokens
            .iter()
            .map(|t| (text[t.span.clone()].to_lowercase(), t.flags))
            .collect()
    }

    fn flagged(text: &str, ctx: Context) -> Vec<String> {
        analyse(text)
            .into_iter()
            .filter(|(_, f)| f.has(ctx))
            .map(|(w, _)| w)
            .collect()
    }

    #[test]
    fn negations_reach_to_the_end_of_their_clause() {
        assert_eq!(flagged("No CDN, we use Redis.", Context::Negated), ["cdn"]);
        assert_eq!(
            flagged(
                "We will not shard the table because it fits.",
                Context::Negated
            ),
            ["shard", "the", "table"]
        );
        assert_eq!(
            flagged("A counter instead of hashing", Context::Negated),
            ["hashing"]
        );
        assert_eq!(flagged("A CDN is overkill here", Context::Negated).len(), 5);
        assert!(flagged("no more than 100 requests per minute", Context::Negated).is_empty());
        assert!(flagged("if not cached, read the replica", Context::Negated).is_empty());
    }

    #[test]
    fn questions_lists_and_scopes_are_marked() {
        assert_eq!(flagged("CDN? Probably later.", Context::Asked), ["cdn"]);
        assert_eq!(
            flagged(
                "Nightly reconciliation - out of scope for now",
                Context::OutOfScope
            )
            .len(),
            7
        );
        assert!(
            flagged(
                "SELECT post_id FROM posts WHERE author_id = ?",
                Context::Asked
            )
            .is_empty()
        );
        assert_eq!(
            flagged("Serve from Redis (CDN?) for now", Context::Asked),
            ["cdn"]
        );
        assert_eq!(
            flagged(
                "Redis cache, CDN, sharding, read replicas, Kafka",
                Context::Listed
            )
            .len(),
            7
        );
        assert!(
            flagged(
                "Reads hit the CDN, then the LB, then Redis, then Postgres",
                Context::Listed
            )
            .is_empty()
        );
        assert!(
            flagged(
                "Peak: 116K/s avg, 350K/s peak, 3 replicas, 24h TTL",
                Context::Listed
            )
            .is_empty()
        );
        assert_eq!(
            flagged(
                "Out of scope:\n- analytics\n- accounts\n\nWe cache links",
                Context::OutOfScope
            ),
            ["out", "of", "scope", "analytics", "accounts"]
        );
        assert_eq!(
            flagged("Out of scope: analytics dashboards", Context::OutOfScope),
            ["analytics", "dashboards"]
        );
        assert_eq!(
            flagged("We considered hashing but chose a counter", Context::Option),
            ["hashing"]
        );
        assert_eq!(
            flagged("- Redis\n- Kafka\n- CDN\n- Postgres", Context::Listed).len(),
            4
        );
        assert!(flagged("- Redis\n- Kafka\n- CDN", Context::Listed).is_empty());
    }

    #[test]
    fn headings_and_labels_are_context() {
        let a = analyse("## Caching\nRedis in front of the DB\nSharding:\n");
        let heads: Vec<&str> = a
            .iter()
            .filter(|(_, f)| f.has(Context::Heading))
            .map(|(w, _)| w.as_str())
            .collect();
        assert_eq!(heads, ["caching", "sharding"]);
    }

    #[test]
    fn keyword_lists_are_found_whatever_separates_their_items() {
        let list = |s: &str| {
            let spans = word_spans(s);
            let cues: Vec<Cues> = spans
                .iter()
                .map(|r| Cues::of(&lower(&s[r.clone()])))
                .collect();
            is_keyword_list(s, &spans, &cues)
        };
        assert!(list("Redis,CDN,sharding,Kafka"));
        assert!(list("Redis and CDN and sharding and Kafka"));
        assert!(list("Stack: Redis; CDN; sharding; Kafka."));
        assert!(list("Redis · CDN · read replicas + Kafka"));
        assert!(!list("Redis, then a CDN"));
        assert!(!list(
            "We cache in Redis, serve images from a CDN, and shard by user."
        ));
        assert!(
            !list("Costs: 1,000 rps, 2,000 rps, 3,000 rps, 4,000 rps"),
            "numbers, not terms"
        );
        assert!(!list("Client -> A, B, C, D"), "an arrow line");
    }

    #[test]
    fn typo_and_prefix_lookups_find_every_matching_word() {
        let text = "Casandra rows, partitioned partitions and a partial replay.";
        let fields = [Field {
            step: "hld",
            title: "Design",
            text,
        }];
        let mut norm = Normaliser::default();
        let a = Analysed::new(&fields, &mut norm);
        let words = |ids: Vec<u32>| -> Vec<&str> {
            ids.iter().map(|&i| a.words[i as usize].as_str()).collect()
        };
        assert_eq!(words(a.near(&norm.word("Cassandra"))), ["casandra"]);
        let mut prefixed = words(a.with_prefix("parti"));
        prefixed.sort_unstable();
        assert_eq!(prefixed, ["partial", "partit"]);
        assert!(a.with_prefix("zz").is_empty());
    }

    #[test]
    fn typos_are_one_edit_away() {
        assert!(one_edit("idempotency", "idempotancy"));
        assert!(one_edit("receive", "recieve"));
        assert!(one_edit("replica", "replicas"));
        assert!(!one_edit("shard", "share d"));
        assert!(!one_edit("abcdef", "abcfed"));
    }

    #[test]
    fn sentences_split_on_stops_not_on_abbreviations_or_decimals() {
        let t = "Use a CDN, e.g. CloudFront. Reads are 3.5x writes? Yes! Done";
        let s: Vec<&str> = sentences(t, 0..t.len())
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(
            s,
            [
                "Use a CDN, e.g. CloudFront.",
                "Reads are 3.5x writes?",
                "Yes!",
                "Done"
            ]
        );
    }
}
