//! The judge against answers labelled by hand (tests/fixtures/coverage/README.md): the figures
//! issue 12 set, measured with the built binary and the embedded question bank, as a user runs
//! `sdcoach coverage eval tests/fixtures/coverage`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use serde_json::Value;

fn eval(dir: &str) -> Value {
    common::sdcoach_json(&["coverage", "eval", "--json", dir])
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap()
}

#[test]
fn the_judge_meets_its_figures_on_answers_written_outside_the_bank() {
    let all = eval(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/coverage"
    ));
    let total = &all["total"];
    assert!(
        u(&total["answers"]) >= 88,
        "the corpus lost answers: {total}"
    );
    let (p, r) = (f(&total["precision"]), f(&total["recall"]));
    assert!(p >= 0.92, "precision {p:.3} < 0.92");
    assert!(r >= 0.88, "recall {r:.3} < 0.88");

    let style = |name: &str| total["styles"][name].clone();
    // A bare list of the right terms earns (almost) nothing.
    let keywords = style("keywords");
    assert!(u(&keywords["answers"]) >= 8);
    assert!(
        u(&keywords["most_credited"]) <= 2,
        "keyword list credited: {keywords}"
    );
    // "No CDN", "we won't shard": what an answer rules out does not earn the point. The goal
    // is none; one answer of twelve still gets one false credit.
    let negations = style("negations");
    assert!(u(&negations["answers"]) >= 8);
    assert!(
        u(&negations["most_false_credits"]) <= 1,
        "negations credited: {negations}"
    );
    // A strong answer in everyday words is credited for most of what it states.
    let plain = style("plain");
    let plain_recall =
        f(&plain["counts"]["tp"]) / (f(&plain["counts"]["tp"]) + f(&plain["counts"]["fn"]));
    assert!(plain_recall >= 0.70, "plain-words recall {plain_recall:.3}");

    // Traceability has not reached the 5% goal (see the module docs of
    // `domain::coverage::trace`); this holds it where it is (12.2% on 2026-12-07).
    let cells = u(&total["cells"]) as f64;
    let wrong = u(&total["wrong_cells"]) as f64;
    assert!(cells > 1000.0);
    assert!(
        wrong / cells <= 0.13,
        "traceability: {wrong} of {cells} cells wrong"
    );
}
