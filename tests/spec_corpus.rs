//! The spec checks against design documents labelled by hand (tests/fixtures/specs/README.md),
//! measured with the built binary as a user runs `sdcoach check --eval DIR`.
//!
//! `specs/` is the corpus the rules were written against; `specs-holdout/` was written and
//! labelled by someone who had not read the rules, and is measured here, never tuned on.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use serde_json::Value;

fn eval(dir: &str) -> Value {
    common::sdcoach_json(&["check", "--json", "--eval", dir])
}

fn figures(v: &Value) -> (f64, f64, u64) {
    (
        v["precision"].as_f64().unwrap(),
        v["recall"].as_f64().unwrap(),
        v["total"]["findings"].as_u64().unwrap(),
    )
}

#[test]
fn spec_checks_meet_their_figures_on_documents_written_elsewhere() {
    let dev = eval(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/specs"));
    let (precision, recall, findings) = figures(&dev);
    assert!(findings >= 68, "the corpus lost labels: {findings}");
    assert!(precision >= 0.85, "precision {precision:.3}");
    assert!(recall >= 0.85, "recall {recall:.3}");
    // Every document is read: none is rejected, each gets a layout or a mismatch finding.
    assert_eq!(dev["documents"].as_array().unwrap().len(), 16);

    let holdout = eval(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/specs-holdout"
    ));
    let (precision, recall, findings) = figures(&holdout);
    assert!(findings >= 51, "the holdout lost labels: {findings}");
    // Below the goal of 0.85 (see the closing note of issue 13); this holds it where it is.
    assert!(precision >= 0.82, "holdout precision {precision:.3}");
    assert!(recall >= 0.72, "holdout recall {recall:.3}");
}
