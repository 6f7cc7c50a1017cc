//! Property tests: parsers and checks never panic on arbitrary input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use sdcoach::domain::arrows;
use sdcoach::domain::checks::layout::Layout;
use sdcoach::domain::checks::{self, Doc};
use sdcoach::storage::bank::parse_problem;
use sdcoach::storage::embedded;

fn toml_like() -> impl Strategy<Value = String> {
    // Lines that look like TOML often enough to reach the deserialiser, and arbitrary text.
    let line = prop_oneof![
        "[a-z_]{1,12} = \"[^\"\\\\\n]{0,20}\"",
        "[a-z_]{1,12} = [0-9]{1,4}",
        "[a-z_]{1,12} = \\[\"[a-z ]{0,10}\"\\]",
        "\\[\\[?[a-z_.]{1,16}\\]\\]?",
        ".{0,30}",
    ];
    prop::collection::vec(line, 0..20).prop_map(|l| l.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn problem_files_never_panic(src in toml_like()) {
        let framework = embedded::framework().unwrap();
        let _ = parse_problem("p.toml", &src, &framework);
    }

    #[test]
    fn mutated_real_problems_report_a_position(cut in 0usize..20_000, junk in "[\\[\\]=\"a-z ]{1,5}") {
        let framework = embedded::framework().unwrap();
        let (name, _) = embedded::problems().into_iter().next().unwrap();
        let src = embedded::problem_source(name).unwrap();
        let mut cut = cut.min(src.len());
        while !src.is_char_boundary(cut) { cut -= 1; }
        let broken = format!("{}{junk}{}", &src[..cut], &src[cut..]);
        if let Err(e) = parse_problem("p.toml", &broken, &framework) {
            prop_assert!(e.line >= 1 || e.message.contains('`'), "{e}");
        }
    }

    #[test]
    fn session_files_never_panic(src in toml_like()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, &src).unwrap();
        let _ = sdcoach::storage::sessions::load_file(&path);
    }

    #[test]
    fn the_arrow_parser_never_panics_and_edges_hold_names(line in ".{0,80}") {
        if let Some(chain) = arrows::parse_line(&line) {
            prop_assert!(chain.nodes.len() >= 2);
            prop_assert!(chain.nodes.iter().all(|n| !n.is_empty()));
        }
        let edges = arrows::edges(&line);
        let _ = arrows::mermaid(&edges);
    }

    #[test]
    fn spec_checks_never_panic_on_any_markdown(md in prop::collection::vec(prop_oneof![
        "## [A-Za-z &-]{1,30}", "### [A-Za-z -]{1,20}", "- .{0,40}", "  - .{0,40}", "```.{0,5}", ".{0,60}"
    ], 0..40)) {
        let mut layouts: Vec<Layout> = embedded::outlines()
            .unwrap()
            .iter()
            .filter(|o| o.checks)
            .map(Layout::from_outline)
            .collect();
        layouts.extend(embedded::layouts().unwrap());
        let text = md.join("\n");
        let all: Vec<&Layout> = layouts.iter().collect();
        let lines = text.lines().count();
        for doc in [Doc::from_markdown(&text, &all), Doc::from_markdown_as(&text, all[0])] {
            for f in checks::run(&doc) {
                prop_assert!(doc.sections.iter().any(|s| s.id == f.section));
                prop_assert!(f.line.is_none_or(|l| (1..=lines).contains(&l)), "{f:?}");
            }
        }
    }
}
