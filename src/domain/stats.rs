//! Progress statistics over saved sessions: attempts, which step runs over, trends, streaks,
//! and step-by-step comparison of two attempts. Pure: summaries and a date in, numbers out.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::outline::Outline;
use super::session::Status;
use super::summary::Summary;

/// A problem as statistics need it: id, title, category.
pub struct ProblemRef<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub category: &'a str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub sessions: usize,
    pub interviews: usize,
    /// Interviews finished.
    pub finished: usize,
    pub per_problem: Vec<ProblemAttempts>,
    pub per_category: Vec<(String, usize)>,
    pub not_attempted: Vec<String>,
    pub steps: Vec<StepStats>,
    /// The step whose time most often runs over (by average overrun), if any ran over.
    pub most_overrun: Option<String>,
    /// Hints taken per interview, oldest first (the last `TREND` interviews).
    pub hints_trend: Vec<usize>,
    /// Average self-score of the last `TREND` scored interviews, oldest first.
    pub scores_trend: Vec<f64>,
    pub last_practised: Option<Timestamp>,
    /// Consecutive ISO weeks with at least one interview, ending this week or last week.
    pub weekly_streak: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProblemAttempts {
    pub id: String,
    pub title: String,
    pub attempts: usize,
    pub last: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepStats {
    pub id: String,
    pub title: String,
    /// Interviews in which the step ran (not skipped, some time spent).
    pub sessions: usize,
    pub planned_secs: u64,
    pub spent_secs: u64,
    /// Sessions in which the step went over its budget.
    pub overruns: usize,
    /// Average seconds over (negative: under) budget per session.
    pub average_delta_secs: i64,
    /// Spent ÷ planned for the last `TREND` sessions, oldest first (1.0 = on budget).
    pub trend: Vec<f64>,
}

/// How many recent sessions trends cover.
pub const TREND: usize = 12;

fn week(ts: Timestamp) -> (i16, i8) {
    let date: Date = ts.to_zoned_datetime(TimeZone::UTC).date();
    let iso = date.iso_week_date();
    (iso.year(), iso.week())
}

/// Weeks from `a` to `b` (b later), counting ISO weeks.
fn weeks_between(a: (i16, i8), b: (i16, i8)) -> i64 {
    let monday = |(y, w): (i16, i8)| {
        jiff::civil::ISOWeekDate::new(y, w, jiff::civil::Weekday::Monday)
            .map(|d| d.date())
            .ok()
    };
    match (monday(a), monday(b)) {
        (Some(a), Some(b)) => (b - a).get_days() as i64 / 7,
        _ => i64::MAX,
    }
}

pub fn compute(
    summaries: &[Summary],
    problems: &[ProblemRef],
    framework: &Outline,
    now: Timestamp,
) -> Stats {
    let mut interviews: Vec<&Summary> = summaries
        .iter()
        .filter(|s| s.outline == framework.id)
        .collect();
    interviews.sort_by_key(|s| s.created_at);

    let mut per_problem: BTreeMap<&str, ProblemAttempts> = BTreeMap::new();
    for s in &interviews {
        let Some(pid) = s.problem_id.as_deref() else {
            continue;
        };
        let e = per_problem.entry(pid).or_insert_with(|| ProblemAttempts {
            id: pid.to_string(),
            title: s.title.clone(),
            attempts: 0,
            last: s.created_at,
        });
        e.attempts += 1;
        e.last = e.last.max(s.created_at);
    }
    let mut per_category: BTreeMap<&str, usize> = BTreeMap::new();
    for p in per_problem.values() {
        let cat = problems
            .iter()
            .find(|r| r.id == p.id)
            .map_or("unknown", |r| r.category);
        *per_category.entry(cat).or_default() += p.attempts;
    }
    let not_attempted = problems
        .iter()
        .filter(|p| !per_problem.contains_key(p.id))
        .map(|p| p.title.to_string())
        .collect();

    let steps: Vec<StepStats> = framework
        .sections
        .iter()
        .map(|def| {
            let runs: Vec<(u64, u64)> = interviews
                .iter()
                .filter_map(|s| s.steps.iter().find(|x| x.id == def.id))
                .filter(|x| !x.skipped && x.spent_secs > 0)
                .map(|x| (x.planned_secs, x.spent_secs))
                .collect();
            let planned: u64 = runs.iter().map(|r| r.0).sum();
            let spent: u64 = runs.iter().map(|r| r.1).sum();
            let n = runs.len().max(1) as i64;
            StepStats {
                id: def.id.clone(),
                title: def.title.clone(),
                sessions: runs.len(),
                planned_secs: planned,
                spent_secs: spent,
                overruns: runs.iter().filter(|r| r.1 > r.0).count(),
                average_delta_secs: (spent as i64 - planned as i64) / n,
                trend: runs
                    .iter()
                    .rev()
                    .take(TREND)
                    .rev()
                    .map(|(p, s)| if *p == 0 { 1.0 } else { *s as f64 / *p as f64 })
                    .collect(),
            }
        })
        .collect();
    let most_overrun = steps
        .iter()
        .filter(|s| s.average_delta_secs > 0)
        .max_by_key(|s| s.average_delta_secs)
        .map(|s| s.id.clone());

    let mut weeks: Vec<(i16, i8)> = interviews.iter().map(|s| week(s.created_at)).collect();
    weeks.sort_unstable();
    weeks.dedup();
    let this_week = week(now);
    let mut streak = 0u32;
    if let Some(&latest) = weeks.last()
        && weeks_between(latest, this_week) <= 1
    {
        streak = 1;
        for pair in weeks.windows(2).rev() {
            if weeks_between(pair[0], pair[1]) == 1 {
                streak += 1;
            } else {
                break;
            }
        }
    }

    Stats {
        sessions: summaries.len(),
        interviews: interviews.len(),
        finished: summaries
            .iter()
            .filter(|s| s.status == Status::Finished)
            .count(),
        per_problem: {
            let mut v: Vec<ProblemAttempts> = per_problem.into_values().collect();
            v.sort_by(|a, b| b.attempts.cmp(&a.attempts).then(a.title.cmp(&b.title)));
            v
        },
        per_category: per_category
            .into_iter()
            .map(|(c, n)| (c.to_string(), n))
            .collect(),
        not_attempted,
        steps,
        most_overrun,
        hints_trend: interviews
            .iter()
            .rev()
            .take(TREND)
            .rev()
            .map(|s| s.hints)
            .collect(),
        scores_trend: {
            let scored: Vec<f64> = interviews.iter().filter_map(|s| s.score).collect();
            scored[scored.len().saturating_sub(TREND)..].to_vec()
        },
        last_practised: interviews.last().map(|s| s.created_at),
        weekly_streak: streak,
    }
}

/// One row of a step-by-step comparison of two attempts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareRow {
    pub step: String,
    pub spent: [u64; 2],
    pub chars: [usize; 2],
}

pub fn compare(a: &Summary, b: &Summary, outline: &Outline) -> Vec<CompareRow> {
    outline
        .sections
        .iter()
        .map(|def| {
            let pick = |s: &Summary| {
                s.steps
                    .iter()
                    .find(|x| x.id == def.id)
                    .map_or((0, 0), |x| (x.spent_secs, x.chars))
            };
            let (sa, ca) = pick(a);
            let (sb, cb) = pick(b);
            CompareRow {
                step: def.title.clone(),
                spent: [sa, sb],
                chars: [ca, cb],
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::summary::StepSummary;

    fn summary(
        id: &str,
        problem: &str,
        date: &str,
        steps: &[(&str, u64, u64)],
        hints: usize,
    ) -> Summary {
        Summary {
            id: id.into(),
            title: problem.into(),
            outline: "interview".into(),
            problem_id: Some(problem.into()),
            status: Status::Finished,
            created_at: date.parse().unwrap(),
            updated_at: date.parse().unwrap(),
            total_minutes: 40,
            spent_secs: steps.iter().map(|s| s.2).sum(),
            planned_secs: steps.iter().map(|s| s.1).sum(),
            overtime_secs: 0,
            paused_secs: 0,
            hints,
            current_step: "deep_dives".into(),
            retry_of: None,
            strict: false,
            score: None,
            steps: steps
                .iter()
                .map(|(id, p, s)| StepSummary {
                    id: (*id).into(),
                    planned_secs: *p,
                    spent_secs: *s,
                    skipped: false,
                    chars: (*s as usize) / 10,
                })
                .collect(),
            excerpt: String::new(),
        }
    }

    fn framework() -> Outline {
        crate::storage::embedded::framework().unwrap()
    }

    #[test]
    fn attempts_categories_and_untried_problems() {
        let s = [
            summary("a", "url-shortener", "2026-11-02T10:00:00Z", &[], 0),
            summary("b", "url-shortener", "2026-11-09T10:00:00Z", &[], 0),
            summary("c", "news-feed", "2026-11-10T10:00:00Z", &[], 0),
        ];
        let problems = [
            ProblemRef {
                id: "url-shortener",
                title: "URL shortener",
                category: "core",
            },
            ProblemRef {
                id: "news-feed",
                title: "News feed",
                category: "social",
            },
            ProblemRef {
                id: "chat",
                title: "Chat",
                category: "social",
            },
        ];
        let st = compute(
            &s,
            &problems,
            &framework(),
            "2026-11-24T10:00:00Z".parse().unwrap(),
        );
        assert_eq!(st.per_problem[0].id, "url-shortener");
        assert_eq!(st.per_problem[0].attempts, 2);
        assert_eq!(
            st.per_problem[0].last,
            "2026-11-09T10:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(
            st.per_category,
            vec![("core".into(), 2), ("social".into(), 1)]
        );
        assert_eq!(st.not_attempted, vec!["Chat".to_string()]);
        assert_eq!(
            st.last_practised,
            Some("2026-11-10T10:00:00Z".parse().unwrap())
        );
    }

    #[test]
    fn the_step_that_runs_over_most_is_found_with_its_trend() {
        let s = [
            summary(
                "a",
                "p",
                "2026-11-02T10:00:00Z",
                &[("requirements", 300, 420), ("api", 300, 200)],
                2,
            ),
            summary(
                "b",
                "p",
                "2026-11-03T10:00:00Z",
                &[("requirements", 300, 360), ("api", 300, 330)],
                0,
            ),
        ];
        let st = compute(
            &s,
            &[],
            &framework(),
            "2026-11-04T10:00:00Z".parse().unwrap(),
        );
        let req = st.steps.iter().find(|x| x.id == "requirements").unwrap();
        assert_eq!(
            (req.sessions, req.overruns, req.average_delta_secs),
            (2, 2, 90)
        );
        assert_eq!(req.trend, vec![1.4, 1.2]);
        let api = st.steps.iter().find(|x| x.id == "api").unwrap();
        assert_eq!((api.overruns, api.average_delta_secs), (1, -35));
        assert_eq!(st.most_overrun.as_deref(), Some("requirements"));
        assert_eq!(st.hints_trend, vec![2, 0]);
        assert!(st.scores_trend.is_empty());
    }

    #[test]
    fn weekly_streak_counts_back_from_this_or_last_week() {
        let at = |d: &str| summary(d, "p", d, &[], 0);
        // Weeks 45, 46, 47 of 2026 (Nov 2-8, 9-15, 16-22); "now" is in week 48.
        let s = [
            at("2026-11-03T10:00:00Z"),
            at("2026-11-10T10:00:00Z"),
            at("2026-11-17T10:00:00Z"),
        ];
        let now: Timestamp = "2026-11-24T10:00:00Z".parse().unwrap();
        assert_eq!(compute(&s, &[], &framework(), now).weekly_streak, 3);
        let gap = [at("2026-10-20T10:00:00Z"), at("2026-11-17T10:00:00Z")];
        assert_eq!(compute(&gap, &[], &framework(), now).weekly_streak, 1);
        let old = [at("2026-11-03T10:00:00Z")];
        assert_eq!(compute(&old, &[], &framework(), now).weekly_streak, 0);
        // Across a year boundary: 2025-W52 (Dec 22-28) then 2026-W01 (Dec 29 - Jan 4).
        let ny = [at("2025-12-23T10:00:00Z"), at("2025-12-30T10:00:00Z")];
        assert_eq!(
            compute(
                &ny,
                &[],
                &framework(),
                "2026-01-05T10:00:00Z".parse().unwrap()
            )
            .weekly_streak,
            2
        );
    }

    #[test]
    fn two_attempts_compare_step_by_step() {
        let a = summary(
            "a",
            "p",
            "2026-11-02T10:00:00Z",
            &[("requirements", 300, 400)],
            0,
        );
        let b = summary(
            "b",
            "p",
            "2026-11-09T10:00:00Z",
            &[("requirements", 300, 250), ("api", 300, 100)],
            0,
        );
        let rows = compare(&a, &b, &framework());
        assert_eq!(rows[0].step, "Requirements");
        assert_eq!(rows[0].spent, [400, 250]);
        assert_eq!(rows[0].chars, [40, 25]);
        assert_eq!(rows[2].spent, [0, 100]);
    }
}
