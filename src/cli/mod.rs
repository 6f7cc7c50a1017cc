//! The command line: `sdcoach` opens the app; subcommands start it somewhere else or do one
//! job without a terminal UI.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, CommandFactory, Parser, Subcommand};
use clap_complete::Shell;

use crate::app::{App, Env};
use crate::domain::clock::Now;
use crate::domain::corpus;
use crate::domain::problem::{Problem, category_title};
use crate::domain::report::Report;
use crate::storage::bank::load_problem_file;
use crate::storage::config::{MAX_MINUTES, MIN_MINUTES};
use crate::storage::paths::{Dirs, ensure_private_dir, files_with_suffix};
use crate::storage::sessions::write_atomic;
use crate::term;
use check::CheckArgs;
use sessions::SessionsCmd;

mod check;
mod coverage;
mod sessions;
use crate::ui::theme::Theme;

const EXAMPLES: &str = "\
Examples:
  sdcoach                              open the home screen
  sdcoach practice url-shortener       start a 40-minute mock interview
  sdcoach practice --minutes 60        pick a problem, 60 minutes in total
  sdcoach practice --resume            resume the last unfinished session
  sdcoach review                       browse, search and re-export saved sessions
  sdcoach sessions list --mode spec    list saved specs (also --problem ID, --since DATE)
  sdcoach sessions stats               which step you overrun, attempts, streak
  sdcoach export 20261124 -o out.md    export a session (any unique id prefix)
  sdcoach bank validate my.toml        check a problem file you wrote

Files:
  sessions  $SDCOACH_DATA_DIR/sessions (default ~/.local/share/sdcoach/sessions)
  config    $SDCOACH_CONFIG_DIR (default ~/.config/sdcoach): config.toml, question-bank/, templates/";

#[derive(Debug, Parser)]
#[command(name = "sdcoach", version, about = "Offline coach for system design interviews", after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a timed mock interview (or resume one)
    Practice(PracticeArgs),
    /// Draft a backend spec (untimed unless --minutes)
    Spec(SpecArgs),
    /// Run the spec checks on a session or on a Markdown spec; non-zero exit on errors
    Check(CheckArgs),
    /// Browse saved sessions: search, read, resume, retry, re-export, progress
    Review,
    /// Which key points an interview states, with the sentence that earned each; `eval`
    /// scores the judge against labelled answers
    Coverage(coverage::CoverageArgs),
    /// Capacity estimate: QPS, storage and bandwidth from daily users (powers of 10)
    Calc(CalcArgs),
    /// Print a reference card (fuzzy topic), or list them all
    Library {
        /// e.g. "cache stampede", "idempotency", "latency"
        topic: Vec<String>,
    },
    /// Saved sessions
    #[command(subcommand)]
    Sessions(SessionsCmd),
    /// Render a session to Markdown
    Export(ExportArgs),
    /// The question bank
    #[command(subcommand)]
    Bank(BankCmd),
    /// Export templates
    #[command(subcommand)]
    Templates(TemplatesCmd),
    /// Configuration
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Print shell completions
    Completions { shell: Shell },
}

#[derive(Debug, Args)]
pub struct PracticeArgs {
    /// Problem id (see `sdcoach bank list`); without it, the picker opens
    pub problem: Option<String>,
    /// Total minutes; step budgets scale with it
    #[arg(long, value_parser = clap::value_parser!(u32).range(i64::from(MIN_MINUTES)..=i64::from(MAX_MINUTES)))]
    pub minutes: Option<u32>,
    /// Strict mode: no hints, no library, no going back to earlier steps
    #[arg(long, conflicts_with = "resume")]
    pub strict: bool,
    /// Resume a session: the given id (or unique prefix), else the last unfinished one
    #[arg(long, num_args = 0..=1, default_missing_value = "", conflicts_with_all = ["problem", "minutes"])]
    pub resume: Option<String>,
}

#[derive(Debug, Args)]
pub struct SpecArgs {
    /// Outline: one-pager or full-spec
    #[arg(long, short, default_value = "one-pager")]
    pub template: String,
    /// Title of the spec (asked for when missing)
    #[arg(long)]
    pub title: Option<String>,
    /// Time box in minutes (the one-pager challenge is 30)
    #[arg(long, value_parser = clap::value_parser!(u32).range(i64::from(MIN_MINUTES)..=i64::from(MAX_MINUTES)))]
    pub minutes: Option<u32>,
}

#[derive(Debug, Args)]
pub struct CalcArgs {
    /// Daily active users (100M, 2.5K, 40000)
    #[arg(long)]
    pub dau: String,
    /// Reads per user per day
    #[arg(long, default_value = "10")]
    pub reads: String,
    /// Writes per user per day
    #[arg(long, default_value = "1")]
    pub writes: String,
    /// Size of one written object (1KB, 250B, 2MB; powers of 10)
    #[arg(long, default_value = "1KB")]
    pub size: String,
    /// How long data is kept (30d, 18mo, 5y)
    #[arg(long, default_value = "5y")]
    pub retention: String,
    /// Peak traffic as a multiple of the average
    #[arg(long, default_value = "3")]
    pub peak: String,
    /// Copies of every object
    #[arg(long, default_value = "3")]
    pub replication: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Session id or unique prefix
    pub id: String,
    /// Template name (see `sdcoach templates list`)
    #[arg(long, short, default_value = "interview")]
    pub template: String,
    /// Write to this file instead of standard output
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum BankCmd {
    /// List problems with category and difficulty
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one problem's prompt and metadata
    Show { id: String },
    /// Check problem files (default: the built-in bank and your question-bank folder)
    Validate {
        paths: Vec<PathBuf>,
        /// Also require what the built-in bank requires: minimum counts, documented tags, hints
        /// for every step (see docs/content-review.md)
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCmd {
    /// List export templates and where each comes from
    List,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print where config, data and the log live
    Path,
}

/// Runs the command line; returns the process exit code.
pub fn main() -> Result<i32> {
    let cli = Cli::parse();
    let dirs = Dirs::from_env()?;
    let _log = init_logging(&dirs);
    let mut out = std::io::stdout().lock();
    match cli.command {
        None => interactive(dirs, None),
        Some(Command::Practice(args)) => interactive(dirs, Some(Start::Practice(args))),
        Some(Command::Spec(args)) => interactive(dirs, Some(Start::Spec(args))),
        Some(Command::Review) => interactive(dirs, Some(Start::Review)),
        Some(Command::Calc(args)) => calc(&args, &mut out),
        Some(Command::Library { topic }) => {
            let env = Env::load(dirs)?;
            library(&env, &topic.join(" "), &mut out)
        }
        Some(Command::Check(args)) => {
            let env = Env::load(dirs)?;
            check::run(&env, &args, &mut out)
        }
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut Cli::command(), "sdcoach", &mut out);
            Ok(0)
        }
        Some(Command::Config(ConfigCmd::Path)) => {
            writeln!(out, "config   {}", dirs.config_file().display())?;
            writeln!(out, "problems {}", dirs.user_problems().display())?;
            writeln!(out, "templates {}", dirs.user_templates().display())?;
            writeln!(out, "sessions {}", dirs.sessions().display())?;
            writeln!(out, "exports  {}", dirs.exports().display())?;
            writeln!(out, "log      {}", dirs.log_file().display())?;
            Ok(0)
        }
        Some(Command::Coverage(args)) => {
            let env = Env::load(dirs)?;
            coverage::run(&env, args, &mut out)
        }
        Some(Command::Sessions(cmd)) => {
            let env = Env::load(dirs)?;
            sessions::run(&env, cmd, &mut out)
        }
        Some(Command::Export(args)) => {
            let env = Env::load(dirs)?;
            export(&env, &args, &mut out)
        }
        Some(Command::Bank(cmd)) => {
            let env = Env::load(dirs)?;
            bank(&env, cmd, &mut out)
        }
        Some(Command::Templates(TemplatesCmd::List)) => {
            let env = Env::load(dirs)?;
            let templates = env.templates.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
            for (name, origin) in templates.names() {
                writeln!(out, "{name:<16} {origin}")?;
            }
            for (name, err) in templates.broken() {
                eprintln!("skipped template `{name}`:\n{err}\n");
            }
            Ok(if templates.broken().is_empty() { 0 } else { 1 })
        }
    }
}

/// Logs go to a file in the data dir, never to the terminal.
fn init_logging(dirs: &Dirs) -> Option<()> {
    ensure_private_dir(&dirs.data).ok()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dirs.log_file())
        .ok()?;
    let filter = tracing_subscriber::EnvFilter::try_from_env("SDCOACH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()
}

/// Where the interactive app starts.
enum Start {
    Practice(PracticeArgs),
    Spec(SpecArgs),
    Review,
}

fn interactive(dirs: Dirs, start: Option<Start>) -> Result<i32> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        bail!(
            "sdcoach needs a terminal for its screens; see `sdcoach --help` for commands that print"
        );
    }
    let env = Env::load(dirs)?;
    let theme = Theme::from_env(env.config.theme);
    let now = Now::system();
    let mut app = App::new(env, theme, now);
    app.panic_on_f12 = std::env::var_os("SDCOACH_TEST_PANIC").is_some();
    if let Some(Start::Spec(args)) = &start {
        if !app
            .env
            .spec_outlines()
            .iter()
            .any(|o| o.id == args.template)
        {
            bail!(
                "no spec template `{}` (use one-pager or full-spec)",
                args.template
            );
        }
        match &args.title {
            Some(title) => app.start_spec(&args.template, title, args.minutes, now)?,
            None => {
                let outline = app
                    .env
                    .spec_outlines()
                    .iter()
                    .position(|o| o.id == args.template)
                    .unwrap_or(0);
                app.screen = crate::app::Screen::SpecSetup {
                    outline,
                    title: String::new(),
                };
            }
        }
    }
    if let Some(Start::Review) = &start {
        app.open_review(None)?;
    }
    if let Some(Start::Practice(args)) = start {
        if let Some(id) = args.resume {
            let id = if id.is_empty() {
                app.env
                    .store
                    .latest_unfinished()?
                    .map(|s| s.id)
                    .context("no unfinished session to resume (see `sdcoach sessions list`)")?
            } else {
                id
            };
            app.resume(&id, now)?;
        } else if let Some(problem) = args.problem {
            if args.strict {
                app.start_strict(&problem, args.minutes, now)?;
            } else {
                app.start_practice(&problem, args.minutes, now)?;
            }
        } else {
            app.screen = crate::app::Screen::Picker(crate::app::picker::Picker::new(&app.env.bank));
            if let Some(m) = args.minutes {
                app.env.config.total_minutes = m;
            }
        }
    }
    term::run(app)?;
    Ok(0)
}

fn export(env: &Env, args: &ExportArgs, out: &mut impl Write) -> Result<i32> {
    let id = env.store.resolve(&args.id)?;
    let session = env.store.load(&id)?;
    let problem = session.problem_id.as_deref().and_then(|p| env.bank.get(p));
    let templates = env.templates.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
    let own = env.outline(&session.outline).with_context(|| {
        format!(
            "session {id} uses outline `{}`, which this build does not have",
            session.outline
        )
    })?;
    let target = env.target_outline(&args.template, own);
    let report = Report::build(&session, own, target, problem);
    let text = templates.render(&args.template, &report)?;
    match &args.output {
        Some(path) => {
            write_atomic(path, text.as_bytes())?;
            eprintln!("wrote {}", path.display());
        }
        None => out.write_all(text.as_bytes())?,
    }
    Ok(0)
}

#[derive(serde::Serialize)]
struct BankRow<'a> {
    id: &'a str,
    title: &'a str,
    category: &'a str,
    difficulty: &'static str,
    tags: Vec<&'a str>,
    data_flow: bool,
    source: &'a str,
}

fn bank(env: &Env, cmd: BankCmd, out: &mut impl Write) -> Result<i32> {
    match cmd {
        BankCmd::List { json } => {
            let rows: Vec<BankRow> = env
                .bank
                .entries
                .iter()
                .map(|e| BankRow {
                    id: e.problem.id(),
                    title: &e.problem.title,
                    category: e.problem.category(),
                    difficulty: e.problem.difficulty.label(),
                    tags: e.problem.tag_names().collect(),
                    data_flow: e.problem.data_flow,
                    source: &e.source,
                })
                .collect();
            if json {
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)?;
            } else {
                for r in &rows {
                    writeln!(
                        out,
                        "{:<26} {:<32} {:<16} {}",
                        r.id, r.title, r.category, r.difficulty
                    )?;
                }
            }
            for e in &env.bank.skipped {
                eprintln!("skipped {}", e.headline());
            }
            Ok(0)
        }
        BankCmd::Show { id } => {
            let Some(p) = env.bank.get(&id) else {
                bail!("no problem with id `{id}` (see `sdcoach bank list`)");
            };
            let tags: Vec<&str> = p.tag_names().collect();
            writeln!(out, "{}\n", p.title)?;
            writeln!(out, "id:         {}", p.id())?;
            writeln!(out, "category:   {}", category_title(p.category()))?;
            writeln!(out, "difficulty: {}", p.difficulty.label())?;
            writeln!(out, "tags:       {}", tags.join(", "))?;
            writeln!(
                out,
                "data flow:  {}",
                if p.data_flow { "yes" } else { "no" }
            )?;
            writeln!(out, "\n{}", p.prompt.trim())?;
            Ok(0)
        }
        BankCmd::Validate { paths, strict } => {
            // Without paths: the bank as the app loads it. With paths: exactly those files.
            let (mut errors, mut checked): (Vec<String>, usize) = if paths.is_empty() {
                (
                    env.bank.skipped.iter().map(ToString::to_string).collect(),
                    env.bank.entries.len() + env.bank.skipped.len(),
                )
            } else {
                (Vec::new(), 0)
            };
            for path in &paths {
                let files = if path.is_dir() {
                    files_with_suffix(path, ".toml")?
                } else {
                    vec![path.clone()]
                };
                for file in files {
                    checked += 1;
                    match load_problem_file(&file, &env.framework) {
                        Err(e) => errors.push(e.to_string()),
                        Ok(p) if strict => {
                            let issues = strict_issues(&p, &env.framework);
                            if !issues.is_empty() {
                                errors.push(format!("{}: {}", file.display(), issues.join("; ")));
                            }
                        }
                        Ok(_) => {}
                    }
                }
            }
            if strict && paths.is_empty() {
                for e in &env.bank.entries {
                    let issues = strict_issues(&e.problem, &env.framework);
                    if !issues.is_empty() {
                        errors.push(format!(
                            "{} ({}): {}",
                            e.problem.id(),
                            e.source,
                            issues.join("; ")
                        ));
                    }
                }
                let all: Vec<&Problem> = env.bank.entries.iter().map(|e| &e.problem).collect();
                let unspecific = corpus::unspecific(&all, &env.framework)
                    .map_err(|e| anyhow::anyhow!("{}", e.0))?;
                for u in unspecific {
                    let mut e = format!(
                        "{}: key point `{}` fires on {} other problems' reference answers (at most {} may):",
                        u.problem,
                        u.point,
                        u.fires_on.len(),
                        corpus::MAX_FOREIGN
                    );
                    for (host, evidence) in &u.fires_on {
                        let quote = evidence.as_ref().map_or(String::new(), coverage::quote);
                        e.push_str(&format!("\n  {host}: {quote}"));
                    }
                    errors.push(e);
                }
            }
            for e in &errors {
                eprintln!("{e}\n");
            }
            if errors.is_empty() {
                writeln!(out, "ok: {checked} problem file(s) valid")?;
                Ok(0)
            } else {
                eprintln!("{} of {checked} problem file(s) invalid", errors.len());
                Ok(1)
            }
        }
    }
}

/// What `bank validate --strict` asks of one problem beyond validity: the built-in minimums,
/// and a reference answer that states every key point.
fn strict_issues(problem: &Problem, framework: &crate::domain::outline::Outline) -> Vec<String> {
    let mut issues = problem.completeness(framework);
    match corpus::unstated_by_reference(problem, framework) {
        Ok(missed) => issues.extend(missed.into_iter().map(|p| {
            format!(
                "the reference answer does not state key point `{}`{}",
                p.name,
                p.why.map_or(String::new(), |w| format!(" ({w})"))
            )
        })),
        Err(e) => issues.push(e.0),
    }
    issues
}

fn calc(args: &CalcArgs, out: &mut impl Write) -> Result<i32> {
    use crate::domain::calc::{self, Input, parse_count, parse_days, parse_size};
    let named =
        |flag: &str, r: Result<f64, String>| r.map_err(|e| anyhow::anyhow!("--{flag}: {e}"));
    let input = Input {
        dau: named("dau", parse_count(&args.dau))?,
        reads_per_user: named("reads", parse_count(&args.reads))?,
        writes_per_user: named("writes", parse_count(&args.writes))?,
        peak: named("peak", parse_count(&args.peak))?,
        size_bytes: named("size", parse_size(&args.size))?,
        retention_days: named("retention", parse_days(&args.retention))?,
        replication: named("replication", parse_count(&args.replication))?,
    };
    if input.peak < 1.0 {
        bail!("--peak: the peak is a multiple of the average, at least 1");
    }
    let o = calc::compute(&input);
    if args.json {
        serde_json::to_writer_pretty(
            &mut *out,
            &serde_json::json!({ "input": input, "output": o }),
        )?;
        writeln!(out)?;
        return Ok(0);
    }
    let rate = |v: f64| format!("{}/s", calc::count(v));
    let bw = |v: f64| format!("{}/s", calc::bytes(v));
    let rows = [
        ("reads", rate(o.avg_read_qps), rate(o.peak_read_qps)),
        ("writes", rate(o.avg_write_qps), rate(o.peak_write_qps)),
        ("ingress", bw(o.ingress), bw(o.peak_ingress)),
        ("egress", bw(o.egress), bw(o.peak_egress)),
    ];
    writeln!(out, "{:<10} {:>14} {:>14}", "", "average", "peak")?;
    for (name, avg, peak) in rows {
        writeln!(out, "{name:<10} {avg:>14} {peak:>14}")?;
    }
    writeln!(out)?;
    writeln!(out, "storage per day   {}", calc::bytes(o.storage_per_day))?;
    writeln!(out, "storage per year  {}", calc::bytes(o.storage_per_year))?;
    writeln!(out, "over retention    {}", calc::bytes(o.storage_retained))?;
    writeln!(
        out,
        "\n(replicas included; K/M/B and KB/MB/GB are powers of 10)\n"
    )?;
    for line in calc::lines(&input, &o) {
        writeln!(out, "{line}")?;
    }
    Ok(0)
}

fn library(env: &Env, topic: &str, out: &mut impl Write) -> Result<i32> {
    let cards = &env.library;
    if topic.trim().is_empty() {
        for c in cards {
            writeln!(out, "{:<22} {}", c.id, c.title)?;
        }
        return Ok(0);
    }
    let texts: Vec<String> = cards
        .iter()
        .map(|c| format!("{} {}", c.id, c.title))
        .collect();
    let Some(&best) = crate::domain::fuzzy::rank(topic, &texts).first() else {
        bail!("no card matches `{topic}` (see `sdcoach library`)");
    };
    let c = &cards[best];
    writeln!(out, "{}\n", c.title)?;
    writeln!(out, "{}", c.summary)?;
    for (name, items) in c.sections() {
        writeln!(out, "\n{name}")?;
        for i in items {
            writeln!(out, "  - {i}")?;
        }
    }
    Ok(0)
}
