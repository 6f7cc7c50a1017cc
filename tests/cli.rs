//! The non-interactive commands, run as a user would run them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn run(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sdcoach"))
        .args(args)
        .env("SDCOACH_DATA_DIR", home.join("data"))
        .env("SDCOACH_CONFIG_DIR", home.join("config"))
        .output()
        .unwrap()
}

/// Puts the recorded URL-shortener session (a finished interview) in the data folder.
fn add_fixture_session(home: &Path) {
    let dir = home.join("data/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("20261124-093000-url-shortener.toml"),
        include_str!("fixtures/session.toml"),
    )
    .unwrap();
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn bank_list_show_and_validate_the_built_in_bank() {
    let home = tempfile::tempdir().unwrap();
    let o = run(home.path(), &["bank", "list"]);
    let (out, _) = text(&o);
    assert!(o.status.success());
    assert!(
        out.lines()
            .any(|l| l.starts_with("url-shortener") && l.contains("core") && l.ends_with("easy")),
        "{out}"
    );

    let o = run(home.path(), &["bank", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(rows.as_array().unwrap().len() >= 6);
    assert_eq!(rows[0]["source"], "built-in");

    let o = run(home.path(), &["bank", "show", "rate-limiter"]);
    assert!(text(&o).0.contains("difficulty: medium"));
    let o = run(home.path(), &["bank", "show", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("no problem with id `nope`"));

    let o = run(home.path(), &["bank", "validate"]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(text(&o).0.starts_with("ok: "));
}

#[test]
fn validate_names_file_line_and_column_with_a_snippet() {
    let home = tempfile::tempdir().unwrap();
    let bad = home.path().join("bad.toml");
    std::fs::write(&bad, "id = \"bad\"\ntitle = \"Bad\"\ncolour = \"red\"\n").unwrap();
    let o = run(home.path(), &["bank", "validate", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let (_, err) = text(&o);
    assert!(err.contains(&format!("{}:3:1: ", bad.display())), "{err}");
    assert!(err.contains("3 | colour = \"red\""), "{err}");
    assert!(err.contains("1 of 1 problem file(s) invalid"), "{err}");
}

#[test]
fn a_broken_user_problem_is_skipped_not_fatal() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/question-bank");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("broken.toml"), "id = [\n").unwrap();
    let o = run(home.path(), &["bank", "list"]);
    assert!(o.status.success());
    let (out, err) = text(&o);
    assert!(out.contains("url-shortener"));
    assert!(
        err.contains("skipped ") && err.contains("broken.toml:"),
        "{err}"
    );
    let o = run(home.path(), &["bank", "validate"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn sessions_list_reports_damaged_files_and_leaves_them_alone() {
    let home = tempfile::tempdir().unwrap();
    let o = run(home.path(), &["sessions", "list"]);
    assert!(text(&o).0.starts_with("no sessions yet"));
    let dir = home.path().join("data/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("x.toml"), "schema_version = 1\nid = 3\n").unwrap();
    let o = run(home.path(), &["sessions", "list"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).0.contains("DAMAGED"), "{:?}", text(&o));
    let o = run(home.path(), &["sessions", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["damaged"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("x.toml")
    );
    assert_eq!(v["sessions"].as_array().unwrap().len(), 0);
    assert_eq!(
        std::fs::read_to_string(dir.join("x.toml")).unwrap(),
        "schema_version = 1\nid = 3\n"
    );
}

#[test]
fn export_by_prefix_to_stdout_and_file() {
    let home = tempfile::tempdir().unwrap();
    add_fixture_session(home.path());
    let o = run(home.path(), &["export", "20261124"]);
    assert!(o.status.success(), "{:?}", text(&o));
    let md = text(&o).0;
    insta::assert_snapshot!("export_interview", md);

    let out = home.path().join("out.md");
    let o = run(
        home.path(),
        &["export", "2026", "-o", out.to_str().unwrap()],
    );
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(out).unwrap(), md);

    let o = run(home.path(), &["export", "2026", "--template", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("no template named `nope`"));
}

#[test]
fn a_broken_user_template_names_template_line_and_column() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/templates");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("mine.md.tera"), "# {{ title }}\n{% if %}\n").unwrap();
    let o = run(home.path(), &["templates", "list"]);
    assert_eq!(o.status.code(), Some(1));
    let (out, err) = text(&o);
    assert!(err.contains("mine.md.tera:2:"), "{err}");
    assert!(
        out.contains("interview"),
        "the built-in template still loads: {out}"
    );
    add_fixture_session(home.path());
    let o = run(home.path(), &["export", "2026", "--template", "mine"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("mine.md.tera:2:"), "{:?}", text(&o));
    assert!(run(home.path(), &["export", "2026"]).status.success());
}

#[test]
fn validating_a_folder_counts_each_file_once() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/question-bank");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("broken.toml"), "id = [\n").unwrap();
    let o = run(home.path(), &["bank", "validate", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o).1;
    assert!(err.contains("1 of 1 problem file(s) invalid"), "{err}");
    assert_eq!(err.matches("broken.toml:").count(), 1, "{err}");
}

#[test]
fn config_errors_point_at_the_line() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("config")).unwrap();
    std::fs::write(
        home.path().join("config/config.toml"),
        "total_minutes = 3\n",
    )
    .unwrap();
    let o = run(home.path(), &["config", "path"]);
    assert!(o.status.success());
    assert!(text(&o).0.contains("config.toml"));
}

#[test]
fn help_completions_and_no_terminal() {
    let home = tempfile::tempdir().unwrap();
    let o = run(home.path(), &["--help"]);
    assert!(text(&o).0.contains("Examples:"));
    let o = run(home.path(), &["completions", "bash"]);
    assert!(text(&o).0.contains("_sdcoach"));
    // No terminal on stdin (as in CI): a clear message, not a garbled screen.
    let o = run(home.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("needs a terminal"));
    let o = run(home.path(), &["practice", "--minutes", "2"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_template_example_in_the_docs_renders() {
    let home = tempfile::tempdir().unwrap();
    let docs = include_str!("../docs/templates.md");
    let start = docs.find("```jinja\n").unwrap() + "```jinja\n".len();
    let example = &docs[start..start + docs[start..].find("```\n").unwrap()];
    let dir = home.path().join("config/templates");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("mine.md.tera"), example).unwrap();
    add_fixture_session(home.path());
    let o = run(home.path(), &["export", "2026", "--template", "mine"]);
    assert!(o.status.success(), "{:?}", text(&o));
    let md = text(&o).0;
    assert!(
        md.starts_with("# URL shortener\n\n## Requirements (04:50 of 05:00)\n"),
        "{md}"
    );
    assert!(!md.contains("## Data Flow"));
}

#[test]
fn check_reports_findings_with_lines_and_fails_on_errors() {
    let home = tempfile::tempdir().unwrap();
    let good = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/spec-good.md");
    let o = run(home.path(), &["check", good]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(
        text(&o).0.ends_with("0 error(s), 0 warning(s)\n"),
        "{:?}",
        text(&o)
    );

    let bad = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/spec-bad.md");
    let o = run(home.path(), &["check", bad]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o).0;
    for expected in [
        format!("{bad}:11:1: warning goals-without-non-goals"),
        format!("{bad}:19:1: warning acceptance-criteria"),
        format!("{bad}:23:1: warning nfr-unmeasurable: no number and unit: Fast"),
        format!("{bad}:30:1: warning api-unversioned"),
        format!("{bad}:30:1: warning api-not-idempotent"),
        format!("{bad}:34:1: error no-rollback"),
        format!("{bad}:34:1: warning leftover-marker"),
        "error required-section: no `Failure Modes` section".to_string(),
        "error no-failure-handling: only the happy path: no timeout, retry, backoff, fallback or circuit breaker is mentioned [Failure Modes]".to_string(),
        format!("{bad}: read as One-page spec"),
    ] {
        assert!(out.contains(&expected), "missing {expected:?} in\n{out}");
    }
}

#[test]
fn check_shows_document_text_escaped_and_refuses_what_is_not_a_file() {
    let home = tempfile::tempdir().unwrap();
    let doc = home.path().join("doc.md");
    std::fs::write(&doc, "## Summary\n\nhello \u{1b}]0;pwned\u{7} TODO\n").unwrap();
    let o = run(home.path(), &["check", doc.to_str().unwrap()]);
    let out = text(&o).0;
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(out.contains("\\u{1b}]0;pwned\\u{7}"), "{out:?}");
    let missing = home.path().join("missing.md");
    let fifo = home.path().join("pipe.md");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for path in [&missing, &fifo] {
        let o = run(home.path(), &["check", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            text(&o).1.contains("not a readable regular file"),
            "{:?}",
            text(&o)
        );
    }
    // A folder is walked for Markdown; one with none is an error, not silence.
    let dir = home.path().join("adir.md");
    std::fs::create_dir(&dir).unwrap();
    let o = run(home.path(), &["check", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("no Markdown files"), "{:?}", text(&o));
}

#[test]
fn an_interview_exports_as_a_one_pager_and_a_full_spec() {
    let home = tempfile::tempdir().unwrap();
    add_fixture_session(home.path());
    for template in ["one-pager", "full-spec"] {
        let o = run(home.path(), &["export", "2026", "--template", template]);
        assert!(o.status.success(), "{:?}", text(&o));
        insta::assert_snapshot!(format!("export_interview_as_{template}"), text(&o).0);
    }
}

#[test]
fn sessions_show_filter_stats_delete_and_restore() {
    let home = tempfile::tempdir().unwrap();
    add_fixture_session(home.path());
    let dir = home.path().join("data/sessions");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/spec-session.toml"
        ),
        dir.join("20261124-093000-write-through-cache.toml"),
    )
    .unwrap();
    let o = run(home.path(), &["sessions", "list", "--mode", "spec"]);
    let out = text(&o).0;
    assert!(
        out.contains("write-through-cache") && !out.contains("url-shortener"),
        "{out}"
    );
    let o = run(
        home.path(),
        &[
            "sessions",
            "list",
            "--problem",
            "url-shortener",
            "--since",
            "2026-11-01",
        ],
    );
    assert_eq!(text(&o).0.lines().count(), 1);
    let o = run(home.path(), &["sessions", "list", "--since", "2026-12-01"]);
    assert_eq!(text(&o).0, "");

    let o = run(home.path(), &["sessions", "show", "20261124-093000-url"]);
    let out = text(&o).0;
    assert!(
        out.contains("Requirements") && out.contains("04:50") && out.contains("skipped"),
        "{out}"
    );

    let o = run(home.path(), &["sessions", "stats", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["interviews"], 1);
    assert_eq!(v["not_attempted"].as_array().unwrap().len(), 39);

    let o = run(home.path(), &["sessions", "delete", "20261124-093000-url"]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(!dir.join("20261124-093000-url-shortener.toml").exists());
    assert!(
        home.path()
            .join("data/trash/20261124-093000-url-shortener.toml")
            .exists()
    );
    let o = run(
        home.path(),
        &["sessions", "restore", "20261124-093000-url-shortener"],
    );
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(dir.join("20261124-093000-url-shortener.toml").exists());
}

#[test]
fn calc_prints_the_table_and_rejects_bad_input() {
    let home = tempfile::tempdir().unwrap();
    let o = run(
        home.path(),
        &[
            "calc",
            "--dau",
            "100M",
            "--reads",
            "10",
            "--writes",
            "1",
            "--size",
            "1KB",
            "--retention",
            "5y",
        ],
    );
    assert!(o.status.success());
    let out = text(&o).0;
    assert!(
        out.contains("reads             11.6K/s        34.7K/s"),
        "{out}"
    );
    assert!(out.contains("storage per year  110 TB"), "{out}");
    let o = run(
        home.path(),
        &["calc", "--dau", "100M", "--size", "3 furlongs"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o)
            .1
            .contains("--size: `3 furlongs`: unknown size unit"),
        "{:?}",
        text(&o)
    );
    let o = run(home.path(), &["calc", "--dau", "1M", "--peak", "0.5"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn library_lists_and_prints_cards() {
    let home = tempfile::tempdir().unwrap();
    let o = run(home.path(), &["library"]);
    assert!(text(&o).0.lines().count() >= 25);
    let o = run(home.path(), &["library", "retries", "jitter"]);
    let out = text(&o).0;
    assert!(
        out.starts_with("Retries with backoff and jitter\n"),
        "{out}"
    );
    assert!(out.contains("\nDefaults\n"));
    let o = run(home.path(), &["library", "zzzqqq"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn each_kind_of_bad_session_file_gets_a_clear_message_and_stays_untouched() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("data/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    let good = include_str!("fixtures/session.toml");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "a-utf8",
            b"schema_version = 1\nid = \"\xff\"\n".to_vec(),
            "not valid UTF-8",
        ),
        (
            "b-truncated",
            good.as_bytes()[..good.len() / 2].to_vec(),
            "b-truncated.toml:",
        ),
        (
            "c-newer",
            good.replacen("schema_version = 1", "schema_version = 7\nfuture = 1", 1)
                .into_bytes(),
            "newer sdcoach",
        ),
        (
            "d-unknown",
            good.replacen("status = ", "mood = \"good\"\nstatus = ", 1)
                .into_bytes(),
            "unknown field `mood`",
        ),
    ];
    for (name, bytes, _) in &cases {
        std::fs::write(dir.join(format!("{name}.toml")), bytes).unwrap();
    }
    let o = run(home.path(), &["sessions", "list"]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o).0;
    for (name, bytes, expected) in &cases {
        let line = out
            .lines()
            .find(|l| l.contains(&format!("{name}.toml")))
            .unwrap_or_else(|| panic!("{name} not listed:\n{out}"));
        assert!(
            line.starts_with("DAMAGED ") && line.contains(expected),
            "{name}: {line}"
        );
        assert_eq!(
            &std::fs::read(dir.join(format!("{name}.toml"))).unwrap(),
            bytes,
            "{name} was modified"
        );
    }
}

#[test]
fn text_in_a_skipped_step_is_still_exported() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("data/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    let fixture = include_str!("fixtures/session.toml").replacen(
        "id = \"data_flow\"\nplanned_secs = 0\nspent_ms = 0\nskipped = true\n\n[[sections.fields]]\nid = \"steps\"\ntext = \"\"",
        "id = \"data_flow\"\nplanned_secs = 0\nspent_ms = 0\nskipped = true\n\n[[sections.fields]]\nid = \"steps\"\ntext = \"written before skipping\"",
        1,
    );
    assert!(
        fixture.contains("written before skipping"),
        "fixture layout changed"
    );
    std::fs::write(dir.join("20261124-093000-url-shortener.toml"), fixture).unwrap();
    let o = run(home.path(), &["export", "2026"]);
    let md = text(&o).0;
    assert!(
        md.contains("## Data Flow (skipped)\n\n- written before skipping"),
        "{md}"
    );
}

/// The complete example at the end of docs/question-bank.md is a valid problem file.
#[test]
fn the_documented_example_problem_validates() {
    let doc = include_str!("../docs/question-bank.md");
    let example = doc
        .split("```toml\n")
        .last()
        .and_then(|rest| rest.split("\n```").next())
        .unwrap();
    assert!(example.contains("[[key_points]]") && example.contains("rules = "));
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("pastebin.toml");
    std::fs::write(&file, example).unwrap();
    let o = run(home.path(), &["bank", "validate", file.to_str().unwrap()]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(text(&o).0.starts_with("ok: 1 problem file(s) valid"));
}

/// A small tree of documents for the CI surface: one clean, one with warnings only, one with
/// an error.
fn spec_tree(root: &Path) {
    let docs = root.join("docs");
    std::fs::create_dir_all(docs.join("adr")).unwrap();
    std::fs::write(docs.join("good.md"), include_str!("fixtures/spec-good.md")).unwrap();
    std::fs::write(docs.join("bad.md"), include_str!("fixtures/spec-bad.md")).unwrap();
    std::fs::write(
        docs.join("adr/0001-queue.md"),
        "# Use a queue\n\n## Status\n\nAccepted\n\n## Context\n\nBursts of 4k writes/s.\n\n\
         ## Decision\n\nWrites go through a queue; consumers retry with backoff. Owner TBD.\n\n\
         ## Consequences\n\n- The queue could lag by minutes during a sale.\n",
    )
    .unwrap();
}

#[test]
fn check_takes_many_files_folders_and_patterns_and_exits_by_severity() {
    let home = tempfile::tempdir().unwrap();
    spec_tree(home.path());
    let docs = home.path().join("docs");
    let docs = docs.to_str().unwrap();
    // A folder: every Markdown file under it, errors make it fail.
    let o = run(home.path(), &["check", docs]);
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    let out = text(&o).0;
    assert!(
        out.ends_with("3 files: 3 error(s), 9 warning(s)\n"),
        "{out}"
    );
    assert!(out.contains("adr/0001-queue.md: read as Architecture decision record"));
    // A pattern, with warnings only: passes unless more warnings than allowed.
    let adr = format!("{docs}/adr/*.md");
    let o = run(home.path(), &["check", &adr]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    assert!(
        text(&o).0.ends_with("0 error(s), 2 warning(s)\n"),
        "{:?}",
        text(&o)
    );
    let o = run(home.path(), &["check", &adr, "--max-warnings", "1"]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(home.path(), &["check", &adr, "--max-warnings", "2"]);
    assert_eq!(o.status.code(), Some(0));
    // Errors only.
    let bad = format!("{docs}/bad.md");
    let o = run(home.path(), &["check", &bad, "--min-severity", "error"]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o).0;
    assert!(!out.contains("warning "), "{out}");
    assert!(out.ends_with("3 error(s), 0 warning(s)\n"), "{out}");
    // One unreadable target: the others are still checked, and the exit says so.
    let o = run(home.path(), &["check", &adr, "nowhere/x.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).0.contains("0001-queue.md:"), "{:?}", text(&o));
    assert!(
        text(&o)
            .1
            .contains("nowhere/x.md: not a readable regular file")
    );
    let o = run(home.path(), &["check", &format!("{docs}/*.txt")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("matches no file"), "{:?}", text(&o));
}

#[test]
fn check_prints_json_sarif_and_github_annotations() {
    let home = tempfile::tempdir().unwrap();
    spec_tree(home.path());
    let bad = home.path().join("docs/bad.md");
    let bad = bad.to_str().unwrap();

    let o = run(home.path(), &["check", bad, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["errors"], 3);
    assert_eq!(v["warnings"], 7);
    let file = &v["files"][0];
    assert_eq!(file["path"], bad);
    assert_eq!(file["layout"]["id"], "one-pager");
    let first = &file["findings"][0];
    for key in [
        "rule", "severity", "line", "column", "section", "message", "hint",
    ] {
        assert!(!first[key].is_null(), "{key} in {first}");
    }

    // SARIF 2.1.0: the properties the schema requires, rules described, results pointing
    // at a rule, a level the schema allows and a location with line and column.
    let o = run(home.path(), &["check", bad, "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run0 = &v["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "sdcoach");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 13);
    for r in rules {
        assert!(r["id"].is_string() && r["shortDescription"]["text"].is_string());
        assert!(r["help"]["text"].as_str().unwrap().starts_with("# "));
    }
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 10);
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(["error", "warning", "note", "none"].contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(
            loc["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with("file:///")
        );
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
    }

    let o = run(home.path(), &["check", bad, "--format", "github"]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o).0;
    assert!(
        out.contains(&format!(
            "::warning file={bad},line=11,col=1,title=goals-without-non-goals::goals are listed"
        )),
        "{out}"
    );
    assert!(out.contains("::error file="), "{out}");
    let doc = home.path().join("docs/odd.md");
    std::fs::write(&doc, "## Summary\n\n100% done, TODO: a,b\n").unwrap();
    let o = run(
        home.path(),
        &["check", doc.to_str().unwrap(), "--format", "github"],
    );
    assert!(text(&o).0.contains("100%25 done"), "{:?}", text(&o));
}

#[test]
fn check_follows_the_repository_config_and_the_document_s_suppressions() {
    let home = tempfile::tempdir().unwrap();
    spec_tree(home.path());
    let adr = home.path().join("docs/adr/0001-queue.md");
    let adr_s = adr.to_str().unwrap();
    let o = run(home.path(), &["check", adr_s]);
    let out = text(&o).0;
    assert!(out.contains("warning leftover-marker"), "{out}");
    assert!(out.contains("warning risk-unmitigated"), "{out}");

    std::fs::write(
        home.path().join("docs/.sdcoach.toml"),
        "[check.rules]\nrisk-unmitigated = \"off\"\n\n[[check.overrides]]\nfiles = [\"adr/*.md\"]\n\
         rules = { leftover-marker = \"error\" }\n",
    )
    .unwrap();
    let o = run(home.path(), &["check", adr_s]);
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    let out = text(&o).0;
    assert!(out.contains("error leftover-marker"), "{out}");
    assert!(!out.contains("risk-unmitigated"), "{out}");
    let o = run(home.path(), &["check", adr_s, "--no-config"]);
    assert_eq!(o.status.code(), Some(0));

    // The document's own comment, on top of the config.
    let text_now = std::fs::read_to_string(&adr).unwrap().replace(
        "Writes go through",
        "<!-- sdcoach-disable-next-line leftover-marker -- owner named at review -->\nWrites go through",
    );
    std::fs::write(&adr, text_now).unwrap();
    let o = run(home.path(), &["check", adr_s]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));

    // A config mistake names the file, line and column, and nothing is checked.
    std::fs::write(
        home.path().join("docs/.sdcoach.toml"),
        "[check]\noutline = \"one-pagr\"\n",
    )
    .unwrap();
    let o = run(home.path(), &["check", adr_s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o)
            .1
            .contains(".sdcoach.toml:2:11: no outline `one-pagr`"),
        "{:?}",
        text(&o)
    );
}

#[test]
fn check_reads_a_document_as_the_layout_named_and_as_a_team_s_own() {
    let home = tempfile::tempdir().unwrap();
    let outlines = home.path().join("config/outlines");
    std::fs::create_dir_all(&outlines).unwrap();
    std::fs::write(
        outlines.join("incident.toml"),
        "id = \"incident\"\ntitle = \"Incident review\"\n\n[[sections]]\nheading = \"Impact\"\n\
         role = \"context\"\n\n[[sections]]\nheading = \"Timeline\"\n\n[[sections]]\n\
         heading = \"Follow-ups\"\nalso = [\"Action items\"]\n",
    )
    .unwrap();
    std::fs::write(outlines.join("broken.toml"), "id = \"b\"\ntitle = 3\n").unwrap();
    let doc = home.path().join("pm.md");
    std::fs::write(
        &doc,
        "# Checkout outage\n\n## Impact\n\nCheckout failed for 14 minutes; retries hid it.\n\n\
         ## Timeline\n\n- 10:02 deploy\n- 10:16 reverted\n",
    )
    .unwrap();
    let doc = doc.to_str().unwrap();
    // Two of three headings: not enough to guess the team's layout unasked.
    let (out, err) = text(&run(home.path(), &["check", doc]));
    assert!(
        err.contains("broken.toml:2:"),
        "a skipped layout is named: {err}"
    );
    assert!(out.contains("warning outline-mismatch"), "{out}");
    assert!(out.contains("the nearest, Incident review, has Impact, Timeline, Follow-ups"));
    // Named, it is the layout, and its required section is missing.
    let o = run(home.path(), &["check", doc, "--outline", "incident"]);
    let out = text(&o).0;
    assert!(
        out.contains("read as Incident review (2 of its headings)"),
        "{out}"
    );
    assert!(!out.contains("outline-mismatch"), "{out}");
    assert!(
        out.contains("error required-section: no `Follow-ups` section"),
        "{out}"
    );
    assert_eq!(o.status.code(), Some(1));
    // A built-in layout named for a document that has none of its headings says so, briefly.
    let out = text(&run(home.path(), &["check", doc, "--outline", "kep"])).0;
    assert!(
        out.contains(
            "none of the headings is one of Kubernetes Enhancement Proposal's: it has Summary, \
             Motivation, Goals, Non-Goals, Proposal, User Stories and "
        ),
        "{out}"
    );
    // An unknown name lists the known ones, the team's included.
    let o = run(home.path(), &["check", doc, "--outline", "incidnet"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o).1;
    assert!(
        err.contains("no outline `incidnet`") && err.contains("kep") && err.contains("incident"),
        "{err}"
    );
}

#[test]
fn check_explains_and_lists_its_rules() {
    let home = tempfile::tempdir().unwrap();
    let o = run(home.path(), &["check", "--list-rules"]);
    assert!(o.status.success());
    let out = text(&o).0;
    assert!(out.contains("no-rollback              error"), "{out}");
    assert_eq!(out.lines().count(), 14);
    let o = run(home.path(), &["check", "--explain", "risk-unmitigated"]);
    assert!(o.status.success());
    let out = text(&o).0;
    assert!(out.starts_with("# risk-unmitigated\n"), "{out}");
    assert!(
        out.contains("sdcoach-disable-next-line risk-unmitigated"),
        "{out}"
    );
    let o = run(home.path(), &["check", "--explain", "risk"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o)
            .1
            .contains("no rule `risk` (rules: outline-mismatch,")
    );
}
