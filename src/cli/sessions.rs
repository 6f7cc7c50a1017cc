//! `sdcoach sessions …`: list, show, delete, restore, stats, and a hidden generator of
//! synthetic sessions for benchmarks.

use std::io::Write;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use jiff::Timestamp;

use crate::app::Env;
use crate::domain::clock::fmt_clock;
use crate::domain::session::{Session, Status};
use crate::domain::stats;
use crate::domain::summary::{Filter, Mode, Summary};
use crate::storage::paths::ensure_private_dir;
use crate::storage::sessions::{Damaged, split};

#[derive(Debug, Subcommand)]
pub enum SessionsCmd {
    /// List saved sessions, newest first (damaged files are listed with the reason)
    List {
        #[arg(long)]
        json: bool,
        /// Only attempts at this problem id
        #[arg(long)]
        problem: Option<String>,
        /// Only interviews or only specs
        #[arg(long, value_enum)]
        mode: Option<Mode>,
        /// Only sessions started on or after this date (YYYY-MM-DD, UTC)
        #[arg(long)]
        since: Option<jiff::civil::Date>,
    },
    /// Show one session: steps, time planned and used, hints
    Show { id: String },
    /// Move a session to the trash folder (restore brings it back)
    Delete { id: String },
    /// Bring a session back from the trash
    Restore { id: String },
    /// Progress over time: attempts, which step runs over, streaks
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Write N synthetic sessions (for benchmarks)
    #[command(hide = true)]
    Generate {
        count: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

pub fn run(env: &Env, cmd: SessionsCmd, out: &mut impl Write) -> Result<i32> {
    match cmd {
        SessionsCmd::List {
            json,
            problem,
            mode,
            since,
        } => {
            let since = since
                .map(|d| {
                    d.to_zoned_datetime(jiff::tz::TimeZone::UTC)
                        .map(|z| z.timestamp())
                })
                .transpose()
                .context("--since")?;
            let filter = Filter {
                mode,
                problem,
                since,
                status: None,
            };
            list(env, &filter, json, out)
        }
        SessionsCmd::Show { id } => show(env, &id, out),
        SessionsCmd::Delete { id } => {
            let id = env.store.resolve(&id)?;
            let to = env.store.trash(&id)?;
            writeln!(out, "moved {id} to {}", to.display())?;
            writeln!(out, "bring it back with: sdcoach sessions restore {id}")?;
            Ok(0)
        }
        SessionsCmd::Restore { id } => {
            let to = env.store.restore(&id)?;
            writeln!(out, "restored {}", to.display())?;
            Ok(0)
        }
        SessionsCmd::Stats { json } => stats(env, json, out),
        SessionsCmd::Generate { count, seed } => generate(env, count, seed, out),
    }
}

fn summaries(env: &Env) -> Result<(Vec<Summary>, Vec<Damaged>)> {
    Ok(split(env.store.list()?))
}

fn list(env: &Env, filter: &Filter, json: bool, out: &mut impl Write) -> Result<i32> {
    let (all, damaged) = summaries(env)?;
    let shown: Vec<&Summary> = all.iter().filter(|s| filter.matches(s)).collect();
    if json {
        #[derive(serde::Serialize)]
        struct Json<'a> {
            sessions: Vec<&'a Summary>,
            damaged: &'a [Damaged],
        }
        let j = Json {
            sessions: shown,
            damaged: &damaged,
        };
        serde_json::to_writer_pretty(&mut *out, &j)?;
        writeln!(out)?;
        return Ok(if damaged.is_empty() { 0 } else { 1 });
    }
    if all.is_empty() && damaged.is_empty() {
        writeln!(out, "no sessions yet in {}", env.store.dir().display())?;
        return Ok(0);
    }
    let mut buf = Vec::with_capacity(shown.len() * 100);
    for s in &shown {
        writeln!(
            buf,
            "{:<44} {}  {:<9} {:<11} {:>8}  {}",
            s.id,
            s.created_at.strftime("%Y-%m-%d %H:%M"),
            s.mode().label(),
            s.status.label(),
            fmt_clock(Duration::from_secs(s.spent_secs)),
            s.title
        )?;
    }
    out.write_all(&buf)?;
    for d in &damaged {
        writeln!(
            out,
            "DAMAGED {}: {}",
            d.path,
            d.reason.lines().next().unwrap_or_default()
        )?;
    }
    Ok(if damaged.is_empty() { 0 } else { 1 })
}

fn show(env: &Env, id: &str, out: &mut impl Write) -> Result<i32> {
    let id = env.store.resolve(id)?;
    let s = env.store.load(&id)?;
    let summary = Summary::of(&s);
    let outline = env.outline(&s.outline);
    writeln!(out, "{}\n", s.title)?;
    writeln!(out, "id:       {}", s.id)?;
    writeln!(out, "mode:     {} ({})", summary.mode().label(), s.outline)?;
    writeln!(out, "status:   {}", s.status.label())?;
    writeln!(
        out,
        "started:  {}",
        s.created_at.strftime("%Y-%m-%d %H:%M UTC")
    )?;
    writeln!(
        out,
        "updated:  {}",
        s.updated_at.strftime("%Y-%m-%d %H:%M UTC")
    )?;
    if let Some(r) = &s.retry_of {
        writeln!(out, "retry of: {r}")?;
    }
    writeln!(
        out,
        "time:     {} used{}{}",
        fmt_clock(Duration::from_secs(summary.spent_secs)),
        if s.timed() {
            format!(
                " of {} planned",
                fmt_clock(Duration::from_secs(summary.planned_secs))
            )
        } else {
            String::new()
        },
        if summary.paused_secs > 0 {
            format!(
                ", {} paused",
                fmt_clock(Duration::from_secs(summary.paused_secs))
            )
        } else {
            String::new()
        }
    )?;
    writeln!(out, "hints:    {}\n", s.hints.len())?;
    writeln!(
        out,
        "{:<36} {:>8} {:>8} {:>8}",
        "step", "planned", "used", "chars"
    )?;
    for st in &summary.steps {
        let title = outline
            .and_then(|o| o.sections.iter().find(|d| d.id == st.id))
            .map_or(st.id.as_str(), |d| d.title.as_str());
        if st.skipped {
            writeln!(out, "{title:<36} {:>8} {:>8} {:>8}", "-", "skipped", "-")?;
        } else {
            writeln!(
                out,
                "{title:<36} {:>8} {:>8} {:>8}",
                fmt_clock(Duration::from_secs(st.planned_secs)),
                fmt_clock(Duration::from_secs(st.spent_secs)),
                st.chars
            )?;
        }
    }
    Ok(0)
}

fn stats(env: &Env, json: bool, out: &mut impl Write) -> Result<i32> {
    let (all, _) = summaries(env)?;
    let problems = env.bank.problem_refs();
    let st = stats::compute(&all, &problems, &env.framework, Timestamp::now());
    if json {
        serde_json::to_writer_pretty(&mut *out, &st)?;
        writeln!(out)?;
        return Ok(0);
    }
    writeln!(
        out,
        "{} sessions ({} interviews, {} of them finished) · weekly streak {} · last practised {}",
        st.sessions,
        st.interviews,
        st.finished,
        st.weekly_streak,
        st.last_practised
            .map_or("never".to_string(), |t| t.strftime("%Y-%m-%d").to_string())
    )?;
    writeln!(
        out,
        "\nstep                 runs  overruns  average vs budget"
    )?;
    for s in &st.steps {
        let sign = if s.average_delta_secs >= 0 { "+" } else { "-" };
        writeln!(
            out,
            "{:<20} {:>4}  {:>8}  {sign}{}{}",
            s.title,
            s.sessions,
            s.overruns,
            fmt_clock(Duration::from_secs(s.average_delta_secs.unsigned_abs())),
            if st.most_overrun.as_deref() == Some(s.id.as_str()) {
                "  ← runs over most"
            } else {
                ""
            }
        )?;
    }
    writeln!(out, "\nattempts per problem")?;
    for p in &st.per_problem {
        writeln!(out, "{:>4}  {}", p.attempts, p.title)?;
    }
    writeln!(out, "\nnot attempted yet: {}", st.not_attempted.len())?;
    for t in &st.not_attempted {
        writeln!(out, "      {t}")?;
    }
    Ok(0)
}

/// Writes `count` plausible sessions spread over a year, fast (plain writes: benchmark data,
/// not user data). Deterministic for a seed.
fn generate(env: &Env, count: usize, seed: u64, out: &mut impl Write) -> Result<i32> {
    if env.bank.entries.is_empty() {
        bail!("the question bank is empty");
    }
    ensure_private_dir(env.store.dir())?;
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let start: Timestamp = "2025-11-24T08:00:00Z".parse().context("start date")?;
    let words = [
        "cache",
        "shard",
        "replica",
        "queue",
        "idempotency",
        "p99",
        "latency",
        "fan-out",
        "partition",
        "consistency",
        "retry",
        "backoff",
        "index",
        "CDN",
        "token",
        "lease",
    ];
    for i in 0..count {
        let problem = &env.bank.entries[next() as usize % env.bank.entries.len()].problem;
        let offset = jiff::SignedDuration::from_secs((next() % (365 * 86_400)) as i64);
        let wall = start.checked_add(offset).unwrap_or(start);
        let id = format!("{}-{i:05}-{}", wall.strftime("%Y%m%d-%H%M%S"), problem.id());
        let mut s =
            Session::new_interview(id, &env.framework, problem, 40, Default::default(), wall);
        for sec in &mut s.sections {
            if sec.skipped {
                continue;
            }
            sec.spent_ms = sec.planned_secs * 1000 * (60 + next() % 80) / 100;
            for f in &mut sec.fields {
                let n = 20 + next() % 120;
                f.text = (0..n)
                    .map(|_| words[next() as usize % words.len()])
                    .collect::<Vec<_>>()
                    .join(" ");
            }
        }
        s.status = if next() % 10 == 0 {
            Status::InProgress
        } else {
            Status::Finished
        };
        s.updated_at = wall;
        let text = toml::to_string(&s).context("serialising a generated session")?;
        std::fs::write(env.store.path(&s.id)?, text)?;
    }
    writeln!(
        out,
        "wrote {count} sessions to {}",
        env.store.dir().display()
    )?;
    Ok(0)
}
