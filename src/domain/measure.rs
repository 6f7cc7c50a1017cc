//! Quantities in text: whether a line states a number with a unit ("150 ms", "99.9%",
//! "300 RPS", "$200/month"). Spec checks and the wrap-up use it to find unmeasurable NFRs.

const UNITS: &[&str] = &[
    "ns",
    "µs",
    "us",
    "ms",
    "s",
    "sec",
    "secs",
    "second",
    "seconds",
    "min",
    "mins",
    "minute",
    "minutes",
    "h",
    "hr",
    "hrs",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "%",
    "rps",
    "qps",
    "tps",
    "rpm",
    "ops",
    "req",
    "reqs",
    "request",
    "requests",
    "msg",
    "msgs",
    "messages",
    "events",
    "b",
    "kb",
    "mb",
    "gb",
    "tb",
    "pb",
    "kib",
    "mib",
    "gib",
    "tib",
    "bytes",
    "users",
    "dau",
    "mau",
    "nines",
    "x",
    "connections",
    "rows",
    "writes",
    "reads",
    "items",
    "records",
    "$",
];

/// Whether the line states a number with a unit: `150 ms`, `99.9%`, `300 RPS`, `2 GB`,
/// `$200/month`, `10K req/s`.
pub fn has_number_with_unit(line: &str) -> bool {
    let l = line.to_lowercase();
    let chars: Vec<char> = l.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == ',') {
            i += 1;
        }
        // A digit inside a word (p95, v1, s3) is not a quantity.
        if start > 0 && chars[start - 1].is_alphabetic() {
            continue;
        }
        if start > 0 && chars[start - 1] == '$' {
            return true;
        }
        let mut j = i;
        if j < chars.len() && matches!(chars[j], 'k' | 'm' | 'b') {
            let next = chars.get(j + 1).copied();
            if next.is_none_or(|c| !c.is_alphabetic()) {
                j += 1;
            }
        }
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        let unit: String = chars[j..]
            .iter()
            .take_while(|c| c.is_alphabetic() || **c == '%' || **c == 'µ' || **c == '$')
            .collect();
        if UNITS.contains(&unit.as_str()) || (unit.is_empty() && j > i && chars[j - 1] == 'k') {
            return true;
        }
        if unit.is_empty() && chars.get(j) == Some(&'%') {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_need_units() {
        for ok in [
            "99.95%",
            "300 RPS",
            "2 GB/day",
            "$200/month",
            "10K req/s",
            "5 s",
            "1.5x",
        ] {
            assert!(has_number_with_unit(ok), "{ok}");
        }
        for bad in ["p99 fast", "v2 API", "S3 bucket", "fast", "3"] {
            assert!(!has_number_with_unit(bad), "{bad}");
        }
    }
}
