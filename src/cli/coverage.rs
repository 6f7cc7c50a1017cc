//! `sdcoach coverage SESSION`: each key point's verdict with its evidence; `sdcoach coverage
//! eval DIR`: the judge scored against a labelled corpus.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use crate::app::Env;
use crate::domain::coaching::Coaching;
use crate::domain::corpus::{self, CaseResult, Summary};
use crate::domain::coverage::{Evidence, Verdict};
use crate::storage::corpus::{has_answers, load_dir};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CoverageArgs {
    #[command(subcommand)]
    pub cmd: Option<CoverageCmd>,
    /// Session id (or unique prefix) of an interview
    pub session: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum CoverageCmd {
    /// Score the judge against labelled answers: precision, recall and F1 of key points,
    /// wrong traceability cells (see tests/fixtures/coverage/README.md)
    Eval {
        /// Folders of labelled answers (a folder of folders is read set by set)
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Also print every disagreement with the label, with the evidence
        #[arg(long, short)]
        verbose: bool,
        /// Only the answers to this problem
        #[arg(long)]
        problem: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(env: &Env, args: CoverageArgs, out: &mut impl Write) -> Result<i32> {
    match args.cmd {
        Some(CoverageCmd::Eval {
            dirs,
            verbose,
            problem,
            json,
        }) => eval(env, &dirs, verbose, problem.as_deref(), json, out),
        None => match args.session {
            Some(id) => session(env, &id, args.json, out),
            None => bail!("give a session id, or `eval DIR` (see `sdcoach coverage --help`)"),
        },
    }
}

/// `field, line N: text with «marked» words`.
pub fn quote(e: &Evidence) -> String {
    let text: String = e
        .segments()
        .into_iter()
        .map(|(s, marked)| if marked { format!("«{s}»") } else { s })
        .collect();
    format!("{}: {}", e.place(), text.trim())
}

fn session(env: &Env, id: &str, json: bool, out: &mut impl Write) -> Result<i32> {
    let id = env.store.resolve(id)?;
    let (session, outline, problem) = env.open_saved(&id)?;
    let problem = problem.with_context(|| {
        format!("session {id} has no problem from the bank (coverage needs a problem's key points)")
    })?;
    let coaching = Coaching::build(&session, outline, &problem);
    if json {
        serde_json::to_writer_pretty(&mut *out, &coaching.coverage)?;
        writeln!(out)?;
        return Ok(0);
    }
    let c = &coaching.coverage;
    writeln!(
        out,
        "{} · {} of {} key points stated\n",
        problem.title,
        c.covered.len(),
        c.points.len()
    )?;
    for p in &c.points {
        let mark = match p.verdict {
            Verdict::Covered => "✓",
            Verdict::Named => "~",
            Verdict::Missed => "✗",
        };
        match &p.why {
            Some(why) => writeln!(out, "{mark} {} — {why}", p.name)?,
            None => writeln!(out, "{mark} {}", p.name)?,
        }
        if let Some(e) = &p.evidence {
            writeln!(out, "    {}", quote(e))?;
        }
    }
    writeln!(
        out,
        "\nTraceability (requirement → endpoint, entity, component)"
    )?;
    for t in &coaching.traces {
        let cell = |e: &Option<Evidence>| if e.is_some() { "✓" } else { "✗" };
        writeln!(
            out,
            "{} {} {}  {}",
            cell(&t.endpoint),
            cell(&t.entity),
            cell(&t.component),
            t.requirement
        )?;
        for (what, e) in [
            ("endpoint", &t.endpoint),
            ("entity", &t.entity),
            ("component", &t.component),
        ] {
            if let Some(e) = e {
                writeln!(out, "    {what}: {}", quote(e))?;
            }
        }
    }
    Ok(0)
}

/// The folders to score: the folder itself when it holds answers, else its subfolders.
fn sets(dir: &Path) -> Result<Vec<PathBuf>> {
    if has_answers(dir)? {
        return Ok(vec![dir.to_path_buf()]);
    }
    let mut subs: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    subs.sort();
    if subs.is_empty() {
        bail!("{}: no labelled answers (*.toml) here", dir.display());
    }
    Ok(subs)
}

fn judge_dir(env: &Env, dir: &Path, only: Option<&str>) -> Result<Vec<CaseResult>> {
    let cases = load_dir(dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut results = Vec::new();
    for (name, case) in &cases {
        if only.is_some_and(|p| p != case.problem) {
            continue;
        }
        let problem = env.bank.get(&case.problem).with_context(|| {
            format!(
                "{}/{name}.toml: no problem `{}` in the bank",
                dir.display(),
                case.problem
            )
        })?;
        let r = corpus::judge(name, case, &env.framework, problem)
            .map_err(|e| anyhow::anyhow!("{}/{name}.toml: {}", dir.display(), e.0))?;
        results.push(r);
    }
    Ok(results)
}

fn print_summary(out: &mut impl Write, title: &str, s: &Summary) -> Result<()> {
    let c = &s.counts;
    writeln!(
        out,
        "{title}: {} answers to {} problems",
        s.answers, s.problems
    )?;
    writeln!(
        out,
        "  key points    precision {:.3}  recall {:.3}  F1 {:.3}   (tp {}, fp {}, fn {}, tn {})",
        s.precision, s.recall, s.f1, c.tp, c.fp, c.fn_, c.tn
    )?;
    writeln!(
        out,
        "  {:<12} {:>7} {:>7} {:>6} {:>6} {:>9} {:>7} {:>14}",
        "style", "answers", "stated", "✓", "wrong✓", "precision", "recall", "most ✓ / wrong"
    )?;
    for (style, st) in &s.styles {
        let k = &st.counts;
        writeln!(
            out,
            "  {style:<12} {:>7} {:>7} {:>6} {:>6} {:>9.3} {:>7.3} {:>14}",
            st.answers,
            k.tp + k.fn_,
            k.credited(),
            k.fp,
            k.precision(),
            k.recall(),
            format!("{} / {}", st.most_credited, st.most_false_credits)
        )?;
    }
    let share = if s.cells == 0 {
        0.0
    } else {
        100.0 * s.wrong_cells as f64 / s.cells as f64
    };
    writeln!(
        out,
        "  traceability  {} of {} cells wrong ({share:.1}%)",
        s.wrong_cells, s.cells
    )?;
    Ok(())
}

fn print_disagreements(out: &mut impl Write, results: &[CaseResult]) -> Result<()> {
    for r in results {
        for d in &r.disagreements {
            let said = if d.expected {
                "stated, not credited"
            } else {
                "credited, not stated"
            };
            writeln!(out, "{}: {said}: {}", r.name, d.point)?;
            if let Some(why) = &d.result.why {
                writeln!(out, "    why: {why}")?;
            }
            if let Some(e) = &d.result.evidence {
                writeln!(out, "    {}", quote(e))?;
            }
        }
        for w in &r.wrong_cells {
            let said = if w.expected { "missed" } else { "false" };
            writeln!(
                out,
                "{}: trace {said} {}: {}",
                r.name, w.cell, w.requirement
            )?;
            if let Some(e) = &w.evidence {
                writeln!(out, "    {}", quote(e))?;
            }
        }
    }
    Ok(())
}

fn eval(
    env: &Env,
    dirs: &[PathBuf],
    verbose: bool,
    only: Option<&str>,
    json: bool,
    out: &mut impl Write,
) -> Result<i32> {
    let mut all = Vec::new();
    let mut report = Vec::new();
    for dir in dirs {
        for set in sets(dir)? {
            let results = judge_dir(env, &set, only)?;
            report.push((
                set.display().to_string(),
                corpus::summarise(&results),
                results.clone(),
            ));
            all.extend(results);
        }
    }
    let total = corpus::summarise(&all);
    if json {
        let sets: Vec<serde_json::Value> = report
            .iter()
            .map(|(name, s, _)| serde_json::json!({ "set": name, "summary": s }))
            .collect();
        serde_json::to_writer_pretty(
            &mut *out,
            &serde_json::json!({ "sets": sets, "total": total, "answers": all }),
        )?;
        writeln!(out)?;
        return Ok(0);
    }
    for (name, s, results) in &report {
        if verbose {
            print_disagreements(out, results)?;
            writeln!(out)?;
        }
        print_summary(out, name, s)?;
        writeln!(out)?;
    }
    if report.len() > 1 {
        print_summary(out, "all", &total)?;
    }
    Ok(0)
}
