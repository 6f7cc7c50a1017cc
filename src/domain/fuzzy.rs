//! Fuzzy ranking for pickers and search boxes (nucleo-matcher, the matcher behind helix and
//! television). Pure: a query and candidate strings in, ranked indices out.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// Indices of the candidates that match `query`, best first; ties keep the input order. An empty
/// query matches everything in input order.
pub fn rank<S: AsRef<str>>(query: &str, candidates: &[S]) -> Vec<usize> {
    if query.trim().is_empty() {
        return (0..candidates.len()).collect();
    }
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut scored: Vec<(u32, usize)> = candidates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            pattern
                .score(Utf32Str::new(c.as_ref(), &mut buf), &mut matcher)
                .map(|score| (score, i))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::rank;

    #[test]
    fn ranks_closer_matches_first_and_drops_misses() {
        let c = [
            "News feed",
            "URL shortener",
            "Rate limiter",
            "Chat and messaging",
        ];
        assert_eq!(rank("url", &c), vec![1]);
        assert_eq!(rank("shrt", &c), vec![1]);
        assert!(rank("zzz", &c).is_empty());
        assert_eq!(rank("", &c), vec![0, 1, 2, 3]);
        assert_eq!(rank("CHAT", &c), vec![3]);
    }
}
