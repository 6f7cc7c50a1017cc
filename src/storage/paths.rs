//! Where files live: the XDG data and config dirs, or `SDCOACH_DATA_DIR` /
//! `SDCOACH_CONFIG_DIR` when set (tests always set both).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

#[derive(Debug, Clone)]
pub struct Dirs {
    pub data: PathBuf,
    pub config: PathBuf,
}

impl Dirs {
    pub fn from_env() -> Result<Self> {
        let project = directories::ProjectDirs::from("", "", "sdcoach");
        let pick = |var: &str, default: Option<&Path>| -> Result<PathBuf> {
            match std::env::var_os(var).filter(|v| !v.is_empty()) {
                Some(v) => Ok(PathBuf::from(v)),
                None => default.map(Path::to_path_buf).with_context(|| {
                    format!("no home directory found; set {var} to choose a folder")
                }),
            }
        };
        Ok(Self {
            data: pick("SDCOACH_DATA_DIR", project.as_ref().map(|p| p.data_dir()))?,
            config: pick(
                "SDCOACH_CONFIG_DIR",
                project.as_ref().map(|p| p.config_dir()),
            )?,
        })
    }

    pub fn sessions(&self) -> PathBuf {
        self.data.join("sessions")
    }

    pub fn exports(&self) -> PathBuf {
        self.data.join("exports")
    }

    pub fn log_file(&self) -> PathBuf {
        self.data.join("sdcoach.log")
    }

    pub fn config_file(&self) -> PathBuf {
        self.config.join("config.toml")
    }

    pub fn user_problems(&self) -> PathBuf {
        self.config.join("question-bank")
    }

    pub fn user_templates(&self) -> PathBuf {
        self.config.join("templates")
    }

    /// The user's own document layouts for `sdcoach check` (`*.toml`).
    pub fn user_outlines(&self) -> PathBuf {
        self.config.join("outlines")
    }
}

/// Creates a private directory (0700 on Unix) and its parents.
pub fn ensure_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("creating {}", dir.display()))
}

/// The `.toml` (or other `suffix`) files directly in `dir`, sorted; none when `dir` is absent.
pub fn files_with_suffix(dir: &Path, suffix: &str) -> Result<Vec<PathBuf>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(suffix) && !n.starts_with('.'))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Reads a text file, turning invalid UTF-8 into a clear error instead of a panic.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        anyhow::anyhow!(
            "{}: not valid UTF-8 (bad byte at offset {at})",
            path.display()
        )
    })
}
