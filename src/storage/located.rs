//! Errors that point into a file: `path:line:column: message` followed by the offending line
//! and a caret, the way compilers report them.

use std::fmt;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub path: String,
    /// 1-based; 0 when the error has no position.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
    snippet: Option<(String, usize, usize)>,
}

impl Located {
    /// An error at a byte span of `source` (the span is clamped to the text).
    pub fn at(path: &str, source: &str, span: Option<Range<usize>>, message: &str) -> Self {
        let message = message.trim().to_string();
        let Some(span) = span else {
            return Self {
                path: path.to_string(),
                line: 0,
                column: 0,
                message,
                snippet: None,
            };
        };
        let mut start = span.start.min(source.len());
        while !source.is_char_boundary(start) {
            start -= 1;
        }
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line = source[..start].matches('\n').count() + 1;
        let column = source[line_start..start].chars().count() + 1;
        let text = source[line_start..line_end].trim_end_matches('\r');
        let mut end = span.end.clamp(start, line_end);
        while !source.is_char_boundary(end) {
            end += 1;
        }
        let width = source[start..end].chars().count().max(1);
        Self {
            path: path.to_string(),
            line,
            column,
            message,
            snippet: Some((text.to_string(), column, width)),
        }
    }

    pub fn from_toml(path: &str, source: &str, err: &toml::de::Error) -> Self {
        Self::at(path, source, err.span(), err.message())
    }

    /// The first line only: `path:line:column: message`.
    pub fn headline(&self) -> String {
        let first = self.message.lines().next().unwrap_or_default();
        if self.line == 0 {
            format!("{}: {first}", self.path)
        } else {
            format!("{}:{}:{}: {first}", self.path, self.line, self.column)
        }
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path, self.message)?;
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path, self.line, self.column, self.message
            )?;
        }
        if let Some((text, column, width)) = &self.snippet {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            write!(
                f,
                "\n{pad} |\n{num} | {text}\n{pad} | {}{}",
                " ".repeat(column.saturating_sub(1)),
                "^".repeat(*width)
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Located {}

#[cfg(test)]
mod tests {
    use super::Located;

    #[test]
    fn points_at_line_and_column_with_a_snippet() {
        let src = "id = \"a\"\ntitle = 12\n";
        let start = src.find("12").unwrap();
        let e = Located::at(
            "bank/a.toml",
            src,
            Some(start..start + 2),
            "expected a string",
        );
        assert_eq!((e.line, e.column), (2, 9));
        assert_eq!(
            e.to_string(),
            "bank/a.toml:2:9: expected a string\n  |\n2 | title = 12\n  |         ^^"
        );
        assert_eq!(e.headline(), "bank/a.toml:2:9: expected a string");
    }

    #[test]
    fn counts_columns_in_characters_and_survives_bad_spans() {
        let src = "名前 = x";
        let e = Located::at("f", src, Some(src.find('x').unwrap()..99), "bad");
        assert_eq!((e.line, e.column), (1, 6));
        let e = Located::at("f", src, Some(1..2), "inside a char");
        assert_eq!((e.line, e.column), (1, 1));
    }

    #[test]
    fn toml_errors_keep_their_position() {
        let src = "a = 1\nb = [\n";
        let err = toml::from_str::<toml::Table>(src).unwrap_err();
        let e = Located::from_toml("x.toml", src, &err);
        assert_eq!(e.path, "x.toml");
        assert!(e.line >= 2, "{e}");
    }
}
