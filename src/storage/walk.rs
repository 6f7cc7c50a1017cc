//! The files a command line names: paths, folders and glob patterns, expanded the same way on
//! every platform and without trusting the tree. Folders are walked with an explicit stack, so
//! depth costs no recursion; symbolic links to folders are not followed (no loops, no escaping
//! the tree), hidden folders (`.git`) are skipped, and only entries that are regular files, or
//! links to one, are returned.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use glob::{MatchOptions, Pattern};

/// How patterns match: `*` and `?` stay within a folder, `**` crosses folders.
pub const MATCH: MatchOptions = MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: false,
};

/// Whether an argument is a glob pattern rather than a path.
pub fn is_pattern(arg: &str) -> bool {
    arg.contains(['*', '?', '['])
}

/// Every regular file under `dir` that `keep` accepts, sorted.
pub fn files_under(dir: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("reading {}", d.display()))?;
            let path = entry.path();
            let kind = entry
                .file_type()
                .with_context(|| format!("reading {}", path.display()))?;
            if kind.is_dir() {
                if !entry.file_name().to_string_lossy().starts_with('.') {
                    stack.push(path);
                }
            } else if (kind.is_file() || (kind.is_symlink() && path.is_file())) && keep(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Every Markdown file (`.md`, `.markdown`) under `dir`, sorted.
pub fn markdown_under(dir: &Path) -> Result<Vec<PathBuf>> {
    files_under(dir, is_markdown)
}

pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// The files a glob pattern matches (`docs/**/*.md`), walking only the folder its literal
/// part names; sorted.
pub fn glob(pattern: &str) -> Result<Vec<PathBuf>> {
    let compiled = Pattern::new(pattern).with_context(|| format!("bad pattern `{pattern}`"))?;
    // The folder before the first component with a wildcard.
    let mut base = PathBuf::new();
    for part in Path::new(pattern).components() {
        if is_pattern(&part.as_os_str().to_string_lossy()) {
            break;
        }
        base.push(part);
    }
    let root = if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base.clone()
    };
    if !root.is_dir() {
        bail!("`{pattern}`: {} is not a folder", root.display());
    }
    let relative = base.as_os_str().is_empty();
    files_under(&root, |p| {
        // `./x.md` is matched as `x.md` when the pattern has no folder.
        let p = if relative {
            p.strip_prefix(".").unwrap_or(p)
        } else {
            p
        };
        compiled.matches_path_with(p, MATCH)
    })
    .map(|files| {
        files
            .into_iter()
            .map(|p| match (relative, p.strip_prefix(".")) {
                (true, Ok(rest)) => rest.to_path_buf(),
                _ => p,
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_patterns_find_markdown_and_skip_hidden_and_linked_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "a.md",
            "docs/b.md",
            "docs/deep/c.markdown",
            "docs/x.txt",
            ".git/d.md",
        ] {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "# x\n").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(root, root.join("docs/loop")).unwrap();
        let names = |v: Vec<PathBuf>| -> Vec<String> {
            v.iter()
                .map(|p| p.strip_prefix(root).unwrap().display().to_string())
                .collect()
        };
        assert_eq!(
            names(markdown_under(root).unwrap()),
            ["a.md", "docs/b.md", "docs/deep/c.markdown"]
        );
        let pattern = format!("{}/docs/**/*.md", root.display());
        assert_eq!(names(glob(&pattern).unwrap()), ["docs/b.md"]);
        let pattern = format!("{}/*.md", root.display());
        assert_eq!(names(glob(&pattern).unwrap()), ["a.md"]);
        assert!(glob(&format!("{}/nowhere/*.md", root.display())).is_err());
    }
}
