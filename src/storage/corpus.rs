//! Reading a labelled coverage corpus: every `*.toml` in a folder is one labelled answer
//! (`tests/fixtures/coverage/README.md`).

use std::path::Path;

use anyhow::Result;

use super::located::Located;
use super::paths::{files_with_suffix, read_text};
use crate::domain::corpus::Labelled;

/// The labelled answers of a folder, by file name, sorted; a file that cannot be read or
/// parsed is an error that names it (with line and column).
pub fn load_dir(dir: &Path) -> Result<Vec<(String, Labelled)>, Located> {
    let shown = dir.display().to_string();
    let files = files_with_suffix(dir, ".toml")
        .map_err(|e| Located::at(&shown, "", None, &format!("{e:#}")))?;
    let mut out = Vec::new();
    for file in files {
        let path = file.display().to_string();
        let source =
            read_text(&file).map_err(|e| Located::at(&path, "", None, &format!("{e:#}")))?;
        let case: Labelled =
            toml::from_str(&source).map_err(|e| Located::from_toml(&path, &source, &e))?;
        let name = file
            .file_stem()
            .map_or_else(|| path.clone(), |s| s.to_string_lossy().into_owned());
        out.push((name, case));
    }
    Ok(out)
}

/// Whether a folder holds labelled answers directly (rather than sets in subfolders).
pub fn has_answers(dir: &Path) -> Result<bool> {
    Ok(!files_with_suffix(dir, ".toml")?.is_empty())
}
