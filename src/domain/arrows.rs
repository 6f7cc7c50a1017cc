//! The arrow syntax of the High-Level Design step: `Client -> API Gateway -> URL Service` or
//! `A -> B: label`. Lines that parse are edges; other lines are prose. Edges render as a
//! Mermaid flowchart in exports and as a text list in the app.

/// One parsed line: a chain of at least two nodes and an optional label that applies to every
/// edge of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub nodes: Vec<String>,
    pub label: Option<String>,
}

/// A directed edge between two named components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub label: Option<String>,
}

/// Strips list markers and the brackets people draw boxes with: `- [Client]` → `Client`.
fn clean_node(raw: &str) -> &str {
    let mut s = raw.trim();
    loop {
        let before = s;
        for (open, close) in [('[', ']'), ('(', ')'), ('`', '`'), ('"', '"')] {
            if s.len() >= 2 && s.starts_with(open) && s.ends_with(close) {
                s = s[1..s.len() - 1].trim();
            }
        }
        if s == before {
            return s;
        }
    }
}

fn strip_list_marker(line: &str) -> &str {
    let t = line.trim();
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(marker) {
            return rest.trim_start();
        }
    }
    // "1. " / "12) " numbered lists
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return r.trim_start();
        }
    }
    t
}

fn valid_node(name: &str) -> bool {
    !name.is_empty() && name.chars().count() <= 80 && !name.contains(['<', '>'])
}

/// Parses one line; `None` when the line is not an arrow chain.
pub fn parse_line(line: &str) -> Option<Chain> {
    let body = strip_list_marker(line);
    if !body.contains("->") {
        return None;
    }
    let mut parts: Vec<&str> = body.split("->").collect();
    // `-->` leaves a trailing '-' on the left part; accept it as the same arrow.
    for p in parts.iter_mut() {
        *p = p.trim_end_matches('-');
    }
    let last = parts.pop()?;
    // The label starts at the first colon followed by a space (or ending the line), so
    // `db:5432` and `https://cdn` stay node names.
    let label_at = last
        .char_indices()
        .find(|&(i, c)| c == ':' && last[i + 1..].chars().next().is_none_or(char::is_whitespace));
    let (last_node, label) = match label_at {
        Some((i, _)) => (&last[..i], Some(last[i + 1..].trim())),
        None => (last, None),
    };
    let mut nodes: Vec<String> = parts.iter().map(|p| clean_node(p).to_string()).collect();
    nodes.push(clean_node(last_node).to_string());
    if nodes.len() < 2 || !nodes.iter().all(|n| valid_node(n)) {
        return None;
    }
    Some(Chain {
        nodes,
        label: label.filter(|l| !l.is_empty()).map(str::to_string),
    })
}

/// All edges in a block of text, in order; prose lines are ignored.
pub fn edges(text: &str) -> Vec<Edge> {
    text.lines()
        .filter_map(parse_line)
        .flat_map(|chain| {
            let label = chain.label;
            chain
                .nodes
                .windows(2)
                .map(|w| Edge {
                    from: w[0].clone(),
                    to: w[1].clone(),
                    label: label.clone(),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Mermaid-safe text for a node or edge label: characters that end a label are written as
/// Mermaid entity codes (`#123;`), which render as the character itself.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' | '|' | '[' | ']' | '{' | '}' | '<' | '>' | '#' | ';' => {
                out.push_str(&format!("#{};", u32::from(c)));
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Mermaid `flowchart LR` for the edges (without the code fence); `None` when there are none.
/// Node ids are stable (`n1`, `n2`, … in order of first appearance) so that names with spaces
/// and punctuation stay valid.
pub fn mermaid(edges: &[Edge]) -> Option<String> {
    if edges.is_empty() {
        return None;
    }
    let mut names: Vec<&str> = Vec::new();
    fn id_of<'a>(name: &'a str, names: &mut Vec<&'a str>) -> usize {
        match names.iter().position(|n| *n == name) {
            Some(i) => i + 1,
            None => {
                names.push(name);
                names.len()
            }
        }
    }
    let mut lines = vec!["flowchart LR".to_string()];
    let mut declared = 0;
    for e in edges {
        let a = id_of(&e.from, &mut names);
        let b = id_of(&e.to, &mut names);
        while declared < names.len() {
            lines.push(format!(
                "    n{}[\"{}\"]",
                declared + 1,
                mermaid_text(names[declared])
            ));
            declared += 1;
        }
        match &e.label {
            Some(l) => lines.push(format!("    n{a} -->|\"{}\"| n{b}", mermaid_text(l))),
            None => lines.push(format!("    n{a} --> n{b}")),
        }
    }
    Some(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_chains_and_labels() {
        let c = parse_line("Client -> API Gateway -> URL Service").unwrap();
        assert_eq!(c.nodes, ["Client", "API Gateway", "URL Service"]);
        assert_eq!(c.label, None);
        let c = parse_line("- [App] --> [Cache (Redis)]: read-through").unwrap();
        assert_eq!(c.nodes, ["App", "Cache (Redis)"]);
        assert_eq!(c.label.as_deref(), Some("read-through"));
        let c = parse_line("2. Worker -> DB: INSERT ... ON CONFLICT").unwrap();
        assert_eq!(c.nodes, ["Worker", "DB"]);
        let c = parse_line("Browser -> https://cdn.example.com").unwrap();
        assert_eq!(c.nodes, ["Browser", "https://cdn.example.com"]);
        let c = parse_line("svc -> db:5432: SQL").unwrap();
        assert_eq!(c.nodes, ["svc", "db:5432"]);
        assert_eq!(c.label.as_deref(), Some("SQL"));
    }

    #[test]
    fn prose_is_not_an_edge() {
        for line in [
            "",
            "We shard by user id.",
            "-> B",
            "A ->",
            "A -> : label",
            "x -> <y>",
        ] {
            assert_eq!(parse_line(line), None, "{line:?}");
        }
    }

    #[test]
    fn a_chain_yields_one_edge_per_hop_with_the_label() {
        let e = edges("intro\nA -> B -> C: gRPC\nmore prose");
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].from.as_str(), e[0].to.as_str()), ("A", "B"));
        assert_eq!((e[1].from.as_str(), e[1].to.as_str()), ("B", "C"));
        assert!(e.iter().all(|e| e.label.as_deref() == Some("gRPC")));
    }

    #[test]
    fn mermaid_reuses_node_ids_and_escapes_text() {
        let e = edges("Client -> API \"GW\": GET /{code} | TLS\nAPI \"GW\" -> DB");
        let m = mermaid(&e).unwrap();
        assert_eq!(
            m,
            "flowchart LR\n    n1[\"Client\"]\n    n2[\"API #34;GW#34;\"]\n    n1 -->|\"GET /#123;code#125; #124; TLS\"| n2\n    n3[\"DB\"]\n    n2 --> n3"
        );
        assert_eq!(mermaid(&[]), None);
    }
}
