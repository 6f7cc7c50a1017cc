//! Hot paths against their targets (docs/performance.md):
//! - one keystroke (update + render) at 200x60 with soft wrap, with 1,000 and 10,000 lines
//!   already in the field: ≤ 1 ms and ≤ 16 ms; in Requirements, and in the High-Level Design
//!   diagram, whose arrows the guide panel lists; and at the top of a field that ends in a 1 MB
//!   line;
//! - exporting a full session to Markdown: ≤ 10 ms;
//! - judging the key points of a 2,000-line answer (the wrap-up's coverage): ≤ 5 ms;
//! - `sdcoach check` on a 10 MB design document (read, detect the layout, run every rule):
//!   < 1 s, and linear: a 1 MB document in about a tenth of that.
//!
//! Run: `cargo bench --bench hot_paths`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sdcoach::app::{App, Env, Msg, update};
use sdcoach::domain::clock::Now;
use sdcoach::domain::report::Report;
use sdcoach::storage::config::ThemeName;
use sdcoach::storage::paths::Dirs;
use sdcoach::ui::theme::Theme;

/// The start-up context with embedded defaults, data and config in `dir`.
fn env_in(dir: &std::path::Path) -> Env {
    Env::load(Dirs {
        data: dir.join("data"),
        config: dir.join("config"),
    })
    .unwrap()
}

/// An interview on `step` (0 = Requirements, 4 = High-Level Design, whose diagram's arrows the
/// guide panel lists) with `lines` lines already in its first field.
fn app_with_lines(dir: &std::path::Path, step: usize, lines: usize) -> (App, Now) {
    let env = env_in(dir);
    let now = Now {
        mono: Instant::now(),
        wall: "2026-11-24T10:00:00Z".parse().unwrap(),
    };
    let mut app = App::new(env, Theme::new(ThemeName::Default, false), now);
    app.finish_startup();
    app.start_practice("url-shortener", None, now).unwrap();
    app.overlay = None;
    let next = Msg::Key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL));
    // Ctrl-N passes over the skipped Data Flow step.
    while matches!(&app.screen, sdcoach::app::Screen::Practice(p) if p.current() < step) {
        update(&mut app, next.clone(), now);
    }
    let sdcoach::app::Screen::Practice(p) = &app.screen else {
        panic!("not practising");
    };
    assert_eq!(p.current(), step);
    app.overlay = None;
    let line = "Users should be able to shorten a long URL and share it; the redirect stays fast.";
    let text: String = (0..lines)
        .map(|i| format!("Service{i} -> Store{i}: {line}\n"))
        .collect();
    update(&mut app, Msg::Paste(text), now);
    (app, now)
}

fn keystroke(c: &mut Criterion) {
    // The last case types at the top of a field that ends in a 1 MB line (a pasted log, say),
    // off screen: nothing may wrap more of that line than the rows on screen.
    for (name, step, lines, huge_last_line) in [
        ("requirements", 0, 1_000usize, false),
        ("requirements", 0, 10_000, false),
        ("hld_diagram", 4, 1_000, false),
        ("hld_diagram", 4, 10_000, false),
        ("top_over_1mb_line", 0, 1_000, true),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (mut app, now) = app_with_lines(dir.path(), step, lines);
        if huge_last_line {
            update(&mut app, Msg::Paste("word ".repeat(200_000)), now);
            let top = KeyEvent::new(KeyCode::Home, KeyModifiers::CONTROL);
            update(&mut app, Msg::Key(top), now);
        }
        let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
        terminal.draw(|f| sdcoach::ui::render(&app, f)).unwrap();
        let letter = Msg::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE));
        let enter = Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        // Typing as a person does: a new line every 80 characters, so the line being edited
        // stays the length of a real one however many iterations run.
        let mut typed = 0u32;
        c.bench_function(&format!("keystroke_200x60_{name}_{lines}_lines"), |b| {
            b.iter(|| {
                typed += 1;
                let key = if typed.is_multiple_of(80) {
                    &enter
                } else {
                    &letter
                };
                let out = update(&mut app, key.clone(), now);
                if out.redraw {
                    terminal.draw(|f| sdcoach::ui::render(&app, f)).unwrap();
                }
                black_box(out)
            });
        });
    }
}

fn export(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let env = env_in(dir.path());
    let session: sdcoach::domain::session::Session =
        toml::from_str(include_str!("../tests/fixtures/session.toml")).unwrap();
    let problem = env.bank.get("url-shortener").unwrap();
    let templates = env.templates.as_ref().unwrap();
    c.bench_function("export_full_session", |b| {
        b.iter(|| {
            let report = Report::build(&session, &env.framework, &env.framework, Some(problem));
            black_box(templates.render("interview", &report).unwrap())
        });
    });
}

/// Every key point of the URL shortener judged against a 2,000-line answer: the reference
/// answers of the whole bank, one after another, spread over the steps' fields.
fn coverage(c: &mut Criterion) {
    use sdcoach::domain::coverage::{
        self, Matcher,
        text::{Analysed, Field, Normaliser},
    };
    let dir = tempfile::tempdir().unwrap();
    let env = env_in(dir.path());
    let mut by_role: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    let mut lines = 0;
    'fill: for p in env.bank.entries.iter().map(|e| &e.problem) {
        for (role, text) in p.reference_answer() {
            for line in text.lines() {
                by_role.entry(role).or_default().push(line.to_string());
                lines += 1;
                if lines == 2_000 {
                    break 'fill;
                }
            }
        }
    }
    assert_eq!(
        lines, 2_000,
        "the bank's references are shorter than expected"
    );
    let texts: Vec<(&str, String)> = by_role
        .into_iter()
        .map(|(r, l)| (r, l.join("\n")))
        .collect();
    let fields: Vec<Field> = texts
        .iter()
        .map(|(role, text)| Field {
            step: role,
            title: role,
            text,
        })
        .collect();
    let key_points = &env.bank.get("url-shortener").unwrap().key_points;
    // As after a save: the thread's normaliser has met most of these words before.
    c.bench_function("coverage_2000_lines", |b| {
        b.iter(|| black_box(coverage::coverage(&fields, key_points)));
    });
    // As the first judgement in a process: every word is normalised for the first time.
    c.bench_function("coverage_2000_lines_cold", |b| {
        b.iter(|| {
            let mut norm = Normaliser::default();
            let answer = Analysed::new(&fields, &mut norm);
            black_box(Matcher::new(&answer, &mut norm).coverage(key_points, &mut norm))
        });
    });
}

/// The labelled design documents, one after another until the text reaches `bytes`: every
/// heading style, tables, code, comments, lists and long paragraphs, in one document.
fn big_spec(bytes: usize) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/specs");
    let mut docs: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    docs.sort();
    let mut out = String::with_capacity(bytes + 64 * 1024);
    while out.len() < bytes {
        for d in &docs {
            out.push_str(d);
            out.push_str("\n\n");
        }
    }
    out
}

fn check(c: &mut Criterion) {
    use sdcoach::domain::checks::{self, Doc};
    let dir = tempfile::tempdir().unwrap();
    let env = env_in(dir.path());
    let layouts: Vec<_> = env.layouts.iter().collect();
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for mb in [1, 10] {
        let text = big_spec(mb * 1024 * 1024);
        group.bench_function(format!("check_{mb}mb_document"), |b| {
            b.iter(|| black_box(checks::run(&Doc::from_markdown(&text, &layouts))));
        });
    }
    group.finish();
}

criterion_group!(benches, keystroke, export, coverage, check);
criterion_main!(benches);
