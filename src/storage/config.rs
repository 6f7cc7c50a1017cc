//! `config.toml` in the config dir. Every key is optional; unknown keys and bad values are
//! reported with file, line and column.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::located::Located;
use super::paths::read_text;
use crate::domain::outline::Outline;

pub const MIN_MINUTES: u32 = 5;
pub const MAX_MINUTES: u32 = 240;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ThemeName {
    #[default]
    Default,
    /// No colours, only bold/reverse: for light terminals and screen readers.
    Mono,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub total_minutes: u32,
    /// Minutes per framework step id, replacing the scaled share.
    pub step_minutes: BTreeMap<String, u32>,
    /// Ring the terminal bell at one minute left and when a step runs out.
    pub bell: bool,
    pub theme: ThemeName,
    /// A curveball arrives when this many minutes of the interview are left (0: never).
    pub curveball_minutes_left: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            total_minutes: 40,
            step_minutes: BTreeMap::new(),
            bell: false,
            theme: ThemeName::Default,
            curveball_minutes_left: 8,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    total_minutes: Option<Spanned<u32>>,
    #[serde(default)]
    step_minutes: BTreeMap<Spanned<String>, Spanned<u32>>,
    bell: Option<bool>,
    theme: Option<ThemeName>,
    curveball_minutes_left: Option<Spanned<u32>>,
}

impl Config {
    /// Parses config text; `path` is only used in messages.
    pub fn parse(path: &str, source: &str, framework: &Outline) -> Result<Self, Located> {
        let raw: RawConfig =
            toml::from_str(source).map_err(|e| Located::from_toml(path, source, &e))?;
        let at = |span, msg: String| Located::at(path, source, Some(span), &msg);
        let mut config = Config::default();
        if let Some(total) = raw.total_minutes {
            let v = *total.get_ref();
            if !(MIN_MINUTES..=MAX_MINUTES).contains(&v) {
                return Err(at(
                    total.span(),
                    format!(
                        "total_minutes must be between {MIN_MINUTES} and {MAX_MINUTES}, got {v}"
                    ),
                ));
            }
            config.total_minutes = v;
        }
        for (step, minutes) in raw.step_minutes {
            if framework.section_index(step.get_ref()).is_none() {
                let known: Vec<&str> = framework.sections.iter().map(|s| s.id.as_str()).collect();
                return Err(at(
                    step.span(),
                    format!(
                        "unknown step `{}` (steps: {})",
                        step.get_ref(),
                        known.join(", ")
                    ),
                ));
            }
            let v = *minutes.get_ref();
            if !(1..=120).contains(&v) {
                return Err(at(
                    minutes.span(),
                    format!("minutes for a step must be between 1 and 120, got {v}"),
                ));
            }
            config.step_minutes.insert(step.into_inner(), v);
        }
        config.bell = raw.bell.unwrap_or(config.bell);
        config.theme = raw.theme.unwrap_or_default();
        if let Some(m) = raw.curveball_minutes_left {
            if *m.get_ref() > MAX_MINUTES {
                return Err(at(
                    m.span(),
                    format!("curveball_minutes_left must be at most {MAX_MINUTES}"),
                ));
            }
            config.curveball_minutes_left = *m.get_ref();
        }
        Ok(config)
    }

    /// Loads the config file; a missing file gives the defaults.
    pub fn load(path: &Path, framework: &Outline) -> Result<Self, Located> {
        if !path.exists() {
            return Ok(Config::default());
        }
        let shown = path.display().to_string();
        let source =
            read_text(path).map_err(|e| Located::at(&shown, "", None, &format!("{e:#}")))?;
        Self::parse(&shown, &source, framework)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::embedded;

    fn parse(src: &str) -> Result<Config, Located> {
        Config::parse("config.toml", src, &embedded::framework().unwrap())
    }

    #[test]
    fn empty_config_gives_defaults() {
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn reads_every_key() {
        let c = parse(
            "total_minutes = 60\nbell = true\ntheme = \"mono\"\n[step_minutes]\nrequirements = 8\n",
        )
        .unwrap();
        assert_eq!(c.total_minutes, 60);
        assert!(c.bell);
        assert_eq!(c.theme, ThemeName::Mono);
        assert_eq!(c.step_minutes.get("requirements"), Some(&8));
    }

    #[test]
    fn unknown_keys_and_bad_values_name_line_and_column() {
        let e = parse("total_minutes = 40\nbel = true\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        assert!(e.message.contains("bel"), "{e}");

        let e = parse("total_minutes = 1000\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 17), "{e}");
        assert!(e.message.contains("between 5 and 240"), "{e}");

        let e = parse("[step_minutes]\nrequirments = 3\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        assert!(e.message.contains("unknown step `requirments`"), "{e}");

        let e = parse("theme = \"neon\"\n").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
    }
}
