//! The capacity calculator: daily users and actions in, average and peak QPS, storage and
//! bandwidth out. Traffic and sizes use powers of ten (1 KB = 1,000 bytes; 1M = 10^6), which is
//! what back-of-the-envelope estimates use and what the output says.

use serde::Serialize;

pub const SECONDS_PER_DAY: f64 = 86_400.0;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Input {
    pub dau: f64,
    pub reads_per_user: f64,
    pub writes_per_user: f64,
    /// Peak traffic as a multiple of the average.
    pub peak: f64,
    /// Bytes per written object (also what a read returns).
    pub size_bytes: f64,
    pub retention_days: f64,
    pub replication: f64,
}

impl Default for Input {
    fn default() -> Self {
        Self {
            dau: 10_000_000.0,
            reads_per_user: 10.0,
            writes_per_user: 1.0,
            peak: 3.0,
            size_bytes: 1_000.0,
            retention_days: 5.0 * 365.0,
            replication: 3.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Output {
    pub avg_read_qps: f64,
    pub peak_read_qps: f64,
    pub avg_write_qps: f64,
    pub peak_write_qps: f64,
    /// Bytes stored per day, replicas included.
    pub storage_per_day: f64,
    pub storage_per_year: f64,
    /// Bytes kept over the whole retention, replicas included.
    pub storage_retained: f64,
    /// Bytes per second written (average, then peak).
    pub ingress: f64,
    pub peak_ingress: f64,
    /// Bytes per second read.
    pub egress: f64,
    pub peak_egress: f64,
}

pub fn compute(i: &Input) -> Output {
    let reads_day = i.dau * i.reads_per_user;
    let writes_day = i.dau * i.writes_per_user;
    let avg_read_qps = reads_day / SECONDS_PER_DAY;
    let avg_write_qps = writes_day / SECONDS_PER_DAY;
    let storage_per_day = writes_day * i.size_bytes * i.replication;
    Output {
        avg_read_qps,
        peak_read_qps: avg_read_qps * i.peak,
        avg_write_qps,
        peak_write_qps: avg_write_qps * i.peak,
        storage_per_day,
        storage_per_year: storage_per_day * 365.0,
        storage_retained: storage_per_day * i.retention_days,
        ingress: avg_write_qps * i.size_bytes,
        peak_ingress: avg_write_qps * i.size_bytes * i.peak,
        egress: avg_read_qps * i.size_bytes,
        peak_egress: avg_read_qps * i.size_bytes * i.peak,
    }
}

/// Three significant digits below 1,000 (1.16, 34.7, 110), whole numbers above (1,235),
/// trailing zeros dropped.
fn sig3(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let digits = x.abs().log10().floor() as i32;
    let decimals = (2 - digits).clamp(0, 3) as usize;
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    // Thousands separators for the integer part.
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let mut grouped = String::new();
    for (n, c) in int.chars().rev().enumerate() {
        if n > 0 && n % 3 == 0 && c != '-' {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let int: String = grouped.chars().rev().collect();
    if frac.is_empty() {
        int
    } else {
        format!("{int}.{frac}")
    }
}

/// Counts with K/M/B (powers of ten): 11574 → "11.6K".
pub fn count(x: f64) -> String {
    for (div, suffix) in [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")] {
        if x.abs() >= div {
            return format!("{}{suffix}", sig3(x / div));
        }
    }
    sig3(x)
}

/// Bytes with KB/MB/GB/TB/PB (powers of ten): 3e11 → "300 GB".
pub fn bytes(x: f64) -> String {
    for (div, unit) in [
        (1e18, "EB"),
        (1e15, "PB"),
        (1e12, "TB"),
        (1e9, "GB"),
        (1e6, "MB"),
        (1e3, "KB"),
    ] {
        if x.abs() >= div {
            return format!("{} {unit}", sig3(x / div));
        }
    }
    format!("{} B", sig3(x))
}

/// The result as lines ready to paste into a Capacity field: each shows its arithmetic.
pub fn lines(i: &Input, o: &Output) -> Vec<String> {
    let per = |n: f64, what: &str| {
        if n == 1.0 {
            format!("1 {what}")
        } else {
            format!("{} {what}s", sig3(n))
        }
    };
    vec![
        format!(
            "Reads: {} DAU × {}/day ÷ 86,400 s ≈ {}/s average; peak ×{} ≈ {}/s",
            count(i.dau),
            per(i.reads_per_user, "read"),
            count(o.avg_read_qps),
            sig3(i.peak),
            count(o.peak_read_qps)
        ),
        format!(
            "Writes: {} DAU × {}/day ÷ 86,400 s ≈ {}/s average; peak ×{} ≈ {}/s",
            count(i.dau),
            per(i.writes_per_user, "write"),
            count(o.avg_write_qps),
            sig3(i.peak),
            count(o.peak_write_qps)
        ),
        format!(
            "Storage: {} writes/day × {} × {} replicas ≈ {}/day ≈ {}/year; {} over {} days",
            count(i.dau * i.writes_per_user),
            bytes(i.size_bytes),
            sig3(i.replication),
            bytes(o.storage_per_day),
            bytes(o.storage_per_year),
            bytes(o.storage_retained),
            sig3(i.retention_days)
        ),
        format!(
            "Bandwidth: in ≈ {}/s ({}/s peak), out ≈ {}/s ({}/s peak); units are powers of 10",
            bytes(o.ingress),
            bytes(o.peak_ingress),
            bytes(o.egress),
            bytes(o.peak_egress)
        ),
    ]
}

/// Parses a count with an optional K/M/B/T suffix: "100M", "2.5k", "1,000".
pub fn parse_count(s: &str) -> Result<f64, String> {
    let t = s.trim().replace(['_', ','], "");
    let (num, mult) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 1e3),
        Some('M') => (&t[..t.len() - 1], 1e6),
        Some('B') | Some('G') => (&t[..t.len() - 1], 1e9),
        Some('T') => (&t[..t.len() - 1], 1e12),
        _ => (t.as_str(), 1.0),
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number (examples: 100M, 2.5K, 40)"))?;
    finite_non_negative(v * mult, s)
}

/// Parses a size: "1KB", "512 B", "2.5MB", "1 GB" (powers of ten; KiB/MiB are powers of two).
pub fn parse_size(s: &str) -> Result<f64, String> {
    let t = s.trim().replace(['_', ','], "");
    let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "tb" | "t" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(format!(
                "`{s}`: unknown size unit `{other}` (B, KB, MB, GB, TB, KiB, MiB, GiB)"
            ));
        }
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a size (examples: 1KB, 250 B, 2MB)"))?;
    finite_non_negative(v * mult, s)
}

/// Parses a duration in days: "5y", "18mo", "30d", "2w" (a year is 365 days, a month 30).
pub fn parse_days(s: &str) -> Result<f64, String> {
    let t = s.trim().to_ascii_lowercase();
    let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let mult = match unit.trim() {
        "d" | "day" | "days" | "" => 1.0,
        "w" | "week" | "weeks" => 7.0,
        "mo" | "month" | "months" => 30.0,
        "y" | "yr" | "year" | "years" => 365.0,
        other => return Err(format!("`{s}`: unknown unit `{other}` (d, w, mo, y)")),
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a duration (examples: 30d, 18mo, 5y)"))?;
    finite_non_negative(v * mult, s)
}

fn finite_non_negative(v: f64, s: &str) -> Result<f64, String> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(format!("`{s}` must be a finite number ≥ 0"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= b.abs() * 1e-9 + 1e-9
    }

    #[test]
    fn hand_computed_case_100m_dau() {
        // 100M DAU, 10 reads and 1 write a day, 1 KB, 5 years, ×3 peak, 3 replicas.
        let i = Input {
            dau: 100e6,
            reads_per_user: 10.0,
            writes_per_user: 1.0,
            peak: 3.0,
            size_bytes: 1e3,
            retention_days: 5.0 * 365.0,
            replication: 3.0,
        };
        let o = compute(&i);
        assert!(close(o.avg_read_qps, 1e9 / 86_400.0)); // ≈ 11,574/s
        assert!(close(o.peak_read_qps, 3e9 / 86_400.0)); // ≈ 34,722/s
        assert!(close(o.avg_write_qps, 1e8 / 86_400.0)); // ≈ 1,157/s
        assert!(close(o.storage_per_day, 3e11)); // 100M × 1 KB × 3 = 300 GB
        assert!(close(o.storage_per_year, 3e11 * 365.0)); // ≈ 110 TB
        assert!(close(o.storage_retained, 3e11 * 1825.0)); // ≈ 548 TB
        assert!(close(o.ingress, 1e11 / 86_400.0)); // ≈ 1.16 MB/s
        assert!(close(o.peak_egress, 3e12 / 86_400.0)); // ≈ 34.7 MB/s
        let l = lines(&i, &o);
        assert_eq!(
            l[0],
            "Reads: 100M DAU × 10 reads/day ÷ 86,400 s ≈ 11.6K/s average; peak ×3 ≈ 34.7K/s"
        );
        assert_eq!(
            l[1],
            "Writes: 100M DAU × 1 write/day ÷ 86,400 s ≈ 1.16K/s average; peak ×3 ≈ 3.47K/s"
        );
        assert_eq!(
            l[2],
            "Storage: 100M writes/day × 1 KB × 3 replicas ≈ 300 GB/day ≈ 110 TB/year; 548 TB over 1,825 days"
        );
        assert_eq!(
            l[3],
            "Bandwidth: in ≈ 1.16 MB/s (3.47 MB/s peak), out ≈ 11.6 MB/s (34.7 MB/s peak); units are powers of 10"
        );
    }

    #[test]
    fn human_scaling() {
        assert_eq!(count(999.0), "999");
        assert_eq!(count(1_000.0), "1K");
        assert_eq!(count(11_574.07), "11.6K");
        assert_eq!(count(2.5e9), "2.5B");
        assert_eq!(bytes(512.0), "512 B");
        assert_eq!(bytes(1.5e15), "1.5 PB");
        assert_eq!(sig3(1234.6), "1,235");
        assert_eq!(sig3(0.5), "0.5");
    }

    #[test]
    fn parsing_units_and_bad_input() {
        assert_eq!(parse_count("100M"), Ok(1e8));
        assert_eq!(parse_count("2.5k"), Ok(2500.0));
        assert_eq!(parse_count("1,000"), Ok(1000.0));
        assert_eq!(parse_size("1KB"), Ok(1000.0));
        assert_eq!(parse_size("2 MiB"), Ok(2.0 * 1024.0 * 1024.0));
        assert_eq!(parse_days("5y"), Ok(1825.0));
        assert_eq!(parse_days("18mo"), Ok(540.0));
        assert!(parse_count("lots").unwrap_err().contains("not a number"));
        assert!(
            parse_size("3 parsecs")
                .unwrap_err()
                .contains("unknown size unit")
        );
        assert!(parse_days("-2d").is_err());
        assert!(parse_count("1e400").is_err());
    }

    proptest! {
        #[test]
        fn never_panics_and_stays_consistent(dau in 0.0..1e12f64, r in 0.0..1e4f64, w in 0.0..1e4f64,
                                             peak in 1.0..20.0f64, size in 0.0..1e9f64) {
            let i = Input { dau, reads_per_user: r, writes_per_user: w, peak, size_bytes: size,
                            retention_days: 365.0, replication: 3.0 };
            let o = compute(&i);
            prop_assert!(o.peak_read_qps >= o.avg_read_qps);
            prop_assert!(close(o.storage_per_year, o.storage_per_day * 365.0));
            let l = lines(&i, &o);
            prop_assert_eq!(l.len(), 4);
        }
    }
}
