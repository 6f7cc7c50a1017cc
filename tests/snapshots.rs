//! Screen snapshots (TestBackend + insta) of every screen at 100x30 and 80x24, driven by a fake
//! clock. The temporary folder is masked; times come from the fake clock so they are stable.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Harness, settings};
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;

const SIZES: [(u16, u16); 2] = [(100, 30), (80, 24)];

fn snap(h: &Harness, name: &str) {
    for (w, ht) in SIZES {
        let t = h.draw(w, ht);
        settings(h).bind(|| {
            insta::assert_snapshot!(format!("{name}_{w}x{ht}"), t.backend());
        });
    }
}

#[test]
fn home() {
    let h = Harness::new();
    snap(&h, "home");
}

#[test]
fn home_with_a_session_to_resume() {
    let mut h = Harness::new();
    h.start("url shortener");
    h.type_text("draft");
    h.advance(90);
    h.ctrl('q');
    snap(&h, "home_resume");
}

#[test]
fn picker_and_search() {
    let mut h = Harness::new();
    h.key(KeyCode::Char('p'));
    snap(&h, "picker");
    h.type_text("feed");
    snap(&h, "picker_search");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Right);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    snap(&h, "picker_filtered");
    h.type_text("zzzz");
    snap(&h, "picker_no_match");
}

#[test]
fn opening_prompt() {
    let mut h = Harness::new();
    h.key(KeyCode::Char('p'));
    h.type_text("url shortener");
    h.key(KeyCode::Enter);
    snap(&h, "prompt");
}

#[test]
fn every_step_of_the_practice_screen() {
    let mut h = Harness::new();
    h.start("ad-click aggregation");
    let texts = [
        "Advertisers should be able to see clicks per ad per minute\nUsers should be redirected to the advertiser quickly",
        "Click: ad_id, user_id, timestamp, impression_id",
        "GET /v1/ads/{ad_id}/clicks?from=&to=&granularity=minute",
        "1. Click lands on the redirect service\n2. Event goes to Kafka\n3. Stream job aggregates per minute",
        "Client -> Click Service: HTTPS\nClick Service -> Kafka -> Flink -> OLAP DB\nDashboard reads aggregates",
        "Idempotency: dedupe on impression_id for 24 h",
    ];
    let names = [
        "requirements",
        "entities",
        "api",
        "data_flow",
        "hld",
        "deep_dives",
    ];
    for (i, (text, name)) in texts.iter().zip(names).enumerate() {
        h.type_text(text);
        h.advance(45);
        snap(&h, &format!("step_{}_{name}", i + 1));
        h.ctrl('n');
    }
}

#[test]
fn overtime_paused_checklist_and_cjk() {
    let mut h = Harness::new();
    h.start("url shortener");
    h.type_text("短いURL 🙂 を作る\nUsers should be able to shorten");
    h.advance(365);
    snap(&h, "overtime");
    h.ctrl('l');
    h.key(KeyCode::Down);
    h.key(KeyCode::Char(' '));
    snap(&h, "checklist");
    h.key(KeyCode::Esc);
    h.ctrl('t');
    h.advance(30);
    snap(&h, "paused");
}

#[test]
fn hint_help_and_finish_overlays() {
    let mut h = Harness::new();
    h.start("url shortener");
    h.advance(20);
    h.ctrl('g');
    snap(&h, "hint");
    h.key(KeyCode::Esc);
    h.key(KeyCode::F(1));
    snap(&h, "help");
    h.key(KeyCode::Esc);
    h.ctrl('x');
    snap(&h, "confirm_finish");
}

#[test]
fn wrap_up() {
    let mut h = Harness::new();
    h.start("url shortener");
    h.type_text("Users should be able to shorten a URL");
    h.advance(330);
    h.ctrl('g');
    h.key(KeyCode::Esc);
    h.ctrl('n');
    h.advance(60);
    h.ctrl('n');
    h.advance(200);
    h.ctrl('x');
    h.key(KeyCode::Char('y'));
    snap(&h, "wrap_up");
}

#[test]
fn terminal_too_small() {
    let h = Harness::new();
    for (w, ht) in [(40, 10), (63, 24), (100, 17)] {
        let t = h.draw(w, ht);
        settings(&h).bind(|| insta::assert_snapshot!(format!("too_small_{w}x{ht}"), t.backend()));
    }
    // 1x1 and 0-height areas must not panic either.
    h.draw(1, 1);
}

#[test]
fn start_up_notice_names_the_broken_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("question-bank")).unwrap();
    std::fs::write(
        config.join("question-bank/mine.toml"),
        "id = \"mine\"\ntitle = \n",
    )
    .unwrap();
    let dirs = sdcoach::storage::paths::Dirs {
        data: dir.path().join("data"),
        config,
    };
    let h = Harness::from_dirs(dirs, dir);
    let text = h.screen_text(100, 30);
    assert!(text.contains("mine.toml:2:"), "{text}");
    snap(&h, "notice");
}

/// Colours are not in snapshots, so the ones that carry meaning are asserted here.
#[test]
fn overtime_is_red_and_no_color_has_no_colour() {
    let mut h = Harness::new();
    h.start("url shortener");
    h.advance(400);
    let t = h.draw(100, 30);
    let buf = t.backend().buffer();
    let row: String = (0..100).map(|x| buf[(x, 0)].symbol().to_string()).collect();
    let x = row.find("+01:40").expect("overtime shown") as u16;
    assert_eq!(buf[(x, 0)].fg, Color::Red);

    let mut h = Harness::new();
    h.app.theme =
        sdcoach::ui::theme::Theme::new(sdcoach::storage::config::ThemeName::Default, true);
    h.start("url shortener");
    h.advance(400);
    let t = h.draw(100, 30);
    let buf = t.backend().buffer();
    assert!(
        buf.content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
}

#[test]
fn spec_screens() {
    let mut h = Harness::new();
    h.key(KeyCode::Char('s'));
    h.type_text("Soft-delete for orders");
    snap(&h, "spec_setup");
    h.key(KeyCode::Enter);
    h.type_text("Support must hide orders without losing the audit trail. Owner: TBD");
    h.advance(1);
    snap(&h, "spec_practice");
    h.ctrl('f');
    snap(&h, "spec_findings");
    h.key(KeyCode::Esc);
    h.ctrl('x');
    h.key(KeyCode::Char('y'));
    h.key(KeyCode::Char(' '));
    snap(&h, "spec_wrap_up");
}

#[test]
fn review_screens() {
    let mut h = Harness::new();
    h.finished_session("url shortener", "first try at short links", 10);
    h.finished_session("news feed", "fan-out on write for most users", 20);
    let last = h.finished_session("url shortener", "second try: base62 codes", 8);
    h.key(KeyCode::Char('v'));
    snap(&h, "review_browser");
    h.key(KeyCode::Char('m'));
    h.key(KeyCode::Char('/'));
    h.type_text("feed");
    snap(&h, "review_search");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('e'));
    snap(&h, "review_export");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('d'));
    snap(&h, "review_delete");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('p'));
    snap(&h, "progress");
    h.key(KeyCode::Esc);
    if let sdcoach::app::Screen::Review(r) = &mut h.app.screen {
        r.select_id(&last);
    }
    h.key(KeyCode::Char('v'));
    snap(&h, "compare");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Enter);
    snap(&h, "read_only");
}

#[test]
fn coaching_screens() {
    let mut h = Harness::new();
    h.start("url shortener");
    h.type_text("- Users should be able to shorten a long URL\n- Users can see analytics");
    h.ctrl('e');
    snap(&h, "calculator");
    h.key(KeyCode::Esc);
    h.key(KeyCode::F(11));
    snap(&h, "library");
    h.type_text("idempotency");
    h.key(KeyCode::Enter);
    snap(&h, "library_card");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Esc);
    for _ in 0..4 {
        h.ctrl('n');
    }
    h.ctrl('b');
    h.type_text("Cache the hottest codes with a TTL.");
    snap(&h, "follow_up");
    h.advance(33 * 60);
    snap(&h, "curveball");
    h.key(KeyCode::Esc);
    h.ctrl('x');
    h.key(KeyCode::Char('y'));
    for page in [
        "wrap_time",
        "wrap_reference",
        "wrap_coverage",
        "wrap_traceability",
        "wrap_scores",
    ] {
        snap(&h, page);
        h.key(KeyCode::Tab);
    }
}

/// The wrap-up's coverage and traceability pages for an answer that states some points: each ✓
/// with the sentence that earned it, each reached requirement with the line it reached.
#[test]
fn wrap_up_evidence() {
    let mut h = Harness::new();
    h.start("url shortener");
    h.type_text("- Users can shorten a long URL\n- Users are redirected from the short link");
    h.ctrl('n');
    h.type_text("ShortUrl: code, long URL, owner");
    h.ctrl('n');
    h.type_text("POST /v1/urls {long_url} -> 201 {code}\nGET /{code} -> 302 redirect");
    // This problem skips Data Flow: the next step is the High-Level Design.
    h.ctrl('n');
    h.type_text("Client -> URL Service -> Redis cache of hot codes\nURL Service -> Postgres");
    h.ctrl('n');
    h.type_text("No CDN for now. Codes come from a counter, base62-encoded to 7 characters.");
    h.ctrl('x');
    h.key(KeyCode::Char('y'));
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    snap(&h, "wrap_coverage_evidence");
    h.key(KeyCode::Tab);
    snap(&h, "wrap_traceability_evidence");
}

#[test]
fn a_long_answer_scrolls_to_the_cursor() {
    let mut h = Harness::new();
    h.start("url shortener");
    let text: String = (1..=60)
        .map(|i| format!("{i}. Users should be able to shorten link number {i} and share it\n"))
        .collect();
    h.send(sdcoach::app::Msg::Paste(text));
    for _ in 0..3 {
        h.key(KeyCode::Up);
    }
    snap(&h, "long_answer");
    // The terminal cursor is at the start of line 58; a pop-up hides it.
    for (w, ht) in SIZES {
        let t = h.draw(w, ht);
        assert!(t.backend().cursor_visible());
        let at = t.backend().cursor_position();
        let buf = t.backend().buffer();
        let row: String = (at.x..w).map(|x| buf[(x, at.y)].symbol()).collect();
        assert!(row.starts_with("58. Users"), "{row}");
    }
    h.key(KeyCode::F(1));
    assert!(!h.draw(100, 30).backend().cursor_visible());
}
