//! Session files: one TOML file per session in `<data>/sessions/`, written atomically and
//! durably (temp file, fsync, rename, fsync dir), created 0600 in a 0700 folder. A damaged file
//! is reported and never overwritten. An advisory lock in `<data>/locks/` keeps a second
//! instance from writing a session that is already open.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::located::Located;
use super::paths::{ensure_private_dir, files_with_suffix, read_text};
use crate::domain::session::{SCHEMA_VERSION, Session, Status, newer_schema};

/// Session ids become file names, so they are restricted to a safe alphabet.
pub fn is_valid_session_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 120
        && !id.starts_with(['.', '-'])
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub use crate::domain::summary::{StepSummary, Summary};

// Nearly every entry is `Ok`; boxing it would add an allocation per session for nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Listed {
    Ok(Summary),
    Damaged { path: String, reason: String },
}

/// A session file that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Damaged {
    pub path: String,
    pub reason: String,
}

/// Separates a listing into readable sessions and damaged files, keeping the order.
pub fn split(listed: Vec<Listed>) -> (Vec<Summary>, Vec<Damaged>) {
    let mut ok = Vec::with_capacity(listed.len());
    let mut damaged = Vec::new();
    for l in listed {
        match l {
            Listed::Ok(s) => ok.push(s),
            Listed::Damaged { path, reason } => damaged.push(Damaged { path, reason }),
        }
    }
    (ok, damaged)
}

#[derive(Debug, Clone)]
pub struct SessionStore {
    dir: PathBuf,
    locks: PathBuf,
}

/// Held while a session is open; dropping it releases the lock.
#[derive(Debug)]
pub struct SessionLock {
    _file: File,
}

impl SessionStore {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            dir: data_dir.join("sessions"),
            locks: data_dir.join("locks"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self, id: &str) -> Result<PathBuf> {
        if !is_valid_session_id(id) {
            bail!("`{id}` is not a valid session id (letters, digits, '-' and '_' only)");
        }
        Ok(self.dir.join(format!("{id}.toml")))
    }

    /// A new id from the start time and a slug (`20261124-104228-url-shortener`), unique in
    /// the folder.
    pub fn new_id(&self, wall: Timestamp, slug: &str) -> String {
        let stamp = wall.strftime("%Y%m%d-%H%M%S").to_string();
        let slug: String = slug
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .take(60)
            .collect();
        let base = format!("{stamp}-{}", slug.trim_matches('-'));
        let base = base.trim_end_matches('-').to_string();
        let mut id = base.clone();
        let mut n = 2;
        while self.dir.join(format!("{id}.toml")).exists() {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    /// Writes the session atomically and durably.
    pub fn save(&self, session: &Session) -> Result<()> {
        let path = self.path(&session.id)?;
        ensure_private_dir(&self.dir)?;
        let text = toml::to_string(session).context("serialising the session")?;
        write_atomic(&path, text.as_bytes())
    }

    pub fn load(&self, id: &str) -> Result<Session> {
        let path = self.path(id)?;
        load_file(&path)
    }

    /// Every session file, newest first; damaged ones are listed with the reason. Served from
    /// the index, which re-reads only files whose size or modification time changed.
    pub fn list(&self) -> Result<Vec<Listed>> {
        let mut out = super::index::list(self)?;
        out.sort_by(|a, b| match (a, b) {
            (Listed::Ok(a), Listed::Ok(b)) => b.updated_at.cmp(&a.updated_at),
            (Listed::Ok(_), Listed::Damaged { .. }) => std::cmp::Ordering::Less,
            (Listed::Damaged { .. }, Listed::Ok(_)) => std::cmp::Ordering::Greater,
            (Listed::Damaged { path: a, .. }, Listed::Damaged { path: b, .. }) => a.cmp(b),
        });
        Ok(out)
    }

    /// Where the index of this store lives (beside the sessions folder; safe to delete).
    pub fn index_path(&self) -> PathBuf {
        self.dir.with_file_name("index.json")
    }

    /// Moves a session to the trash folder (never while it is open elsewhere).
    pub fn trash(&self, id: &str) -> Result<PathBuf> {
        let _lock = self.lock(id)?;
        let from = self.path(id)?;
        let trash = self.dir.with_file_name("trash");
        ensure_private_dir(&trash)?;
        let to = trash.join(format!("{id}.toml"));
        fs::rename(&from, &to)
            .with_context(|| format!("moving {} to {}", from.display(), to.display()))?;
        Ok(to)
    }

    /// Brings a session back from the trash; refuses to overwrite one with the same id.
    pub fn restore(&self, id: &str) -> Result<PathBuf> {
        if !is_valid_session_id(id) {
            bail!("`{id}` is not a valid session id");
        }
        let trash = self.dir.with_file_name("trash");
        let matches: Vec<String> = files_with_suffix(&trash, ".toml")?
            .iter()
            .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_string))
            .filter(|s| s == id || s.starts_with(id))
            .collect();
        let id = match matches.as_slice() {
            [one] => one.as_str(),
            _ if matches.iter().any(|m| m == id) => id,
            [] => bail!("no session `{id}` in the trash ({})", trash.display()),
            many => bail!(
                "`{id}` matches {} sessions in the trash: {}",
                many.len(),
                many.join(", ")
            ),
        };
        let to = self.path(id)?;
        let from = trash.join(format!("{id}.toml"));
        if !from.exists() {
            bail!("no session `{id}` in the trash ({})", from.display());
        }
        if to.exists() {
            bail!("a session `{id}` already exists; it was not overwritten");
        }
        ensure_private_dir(&self.dir)?;
        fs::rename(&from, &to)
            .with_context(|| format!("moving {} to {}", from.display(), to.display()))?;
        Ok(to)
    }

    /// The most recently updated unfinished session.
    pub fn latest_unfinished(&self) -> Result<Option<Summary>> {
        Ok(self.list()?.into_iter().find_map(|l| match l {
            Listed::Ok(s) if s.status == Status::InProgress => Some(s),
            _ => None,
        }))
    }

    /// Resolves a full id or a unique prefix of one.
    pub fn resolve(&self, prefix: &str) -> Result<String> {
        if !is_valid_session_id(prefix) {
            bail!("`{prefix}` is not a valid session id");
        }
        if self.dir.join(format!("{prefix}.toml")).exists() {
            return Ok(prefix.to_string());
        }
        let matches: Vec<String> = files_with_suffix(&self.dir, ".toml")?
            .iter()
            .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_string))
            .filter(|id| id.starts_with(prefix))
            .collect();
        match matches.as_slice() {
            [one] => Ok(one.clone()),
            [] => bail!("no session matches `{prefix}` (see `sdcoach sessions list`)"),
            many => bail!(
                "`{prefix}` matches {} sessions: {}",
                many.len(),
                many.join(", ")
            ),
        }
    }

    /// Takes the lock for a session, or explains who holds it.
    pub fn lock(&self, id: &str) -> Result<SessionLock> {
        if !is_valid_session_id(id) {
            bail!("`{id}` is not a valid session id");
        }
        ensure_private_dir(&self.locks)?;
        let path = self.locks.join(format!("{id}.lock"));
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {
                file.set_len(0)
                    .and_then(|()| writeln!(file, "{}", std::process::id()))
                    .with_context(|| format!("writing {}", path.display()))?;
                Ok(SessionLock { _file: file })
            }
            Err(fs::TryLockError::WouldBlock) => {
                let holder = fs::read_to_string(&path).unwrap_or_default();
                let holder = holder.trim();
                let who = if holder.is_empty() {
                    String::new()
                } else {
                    format!(" (pid {holder})")
                };
                Err(anyhow!(
                    "session {id} is already open in another sdcoach{who}; close it there first"
                ))
            }
            Err(fs::TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("locking {}", path.display()))
            }
        }
    }
}

/// Loads and checks one session file, with file:line:column on parse errors. The schema version
/// is read first, so a file from a newer sdcoach says so instead of failing on a new field, and
/// the id inside must match the file name, so a copied file can never write over another.
pub fn load_file(path: &Path) -> Result<Session> {
    #[derive(serde::Deserialize)]
    struct Version {
        schema_version: u32,
    }
    let shown = path.display().to_string();
    let source = read_text(path)?;
    let version: Version =
        toml::from_str(&source).map_err(|e| anyhow!(Located::from_toml(&shown, &source, &e)))?;
    if version.schema_version > SCHEMA_VERSION {
        bail!("{shown}: {}", newer_schema(version.schema_version));
    }
    let session: Session =
        toml::from_str(&source).map_err(|e| anyhow!(Located::from_toml(&shown, &source, &e)))?;
    session.check().map_err(|m| anyhow!("{shown}: {m}"))?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if session.id != stem {
        bail!(
            "{shown}: the id inside (`{}`) does not match the file name; rename the file or fix the id",
            session.id
        );
    }
    Ok(session)
}

/// Temp file in the same folder, fsync, rename over the target, fsync the folder. Files are
/// created 0600.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    // Test hook: while the file named by SDCOACH_TEST_FULL_DISK exists, writes fail the way a
    // full disk fails them, so the end-to-end tests can take the disk away and give it back.
    if let Some(marker) = std::env::var_os("SDCOACH_TEST_FULL_DISK")
        && Path::new(&marker).exists()
    {
        return Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
            .with_context(|| format!("writing {}", path.display()));
    }
    let mut options = atomic_write_file::OpenOptions::new();
    #[cfg(unix)]
    {
        use atomic_write_file::unix::OpenOptionsExt as _;
        use std::os::unix::fs::OpenOptionsExt as _;
        options.preserve_mode(false);
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("opening {} for writing", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.commit())
        .with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::Now;
    use crate::storage::embedded;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn sample(store: &SessionStore) -> Session {
        let outline = embedded::framework().unwrap();
        let (_, problem) = embedded::problems().into_iter().next().unwrap();
        let problem = problem.unwrap();
        let wall: Timestamp = "2026-11-24T10:42:28Z".parse().unwrap();
        let id = store.new_id(wall, problem.id());
        Session::new_interview(id, &outline, &problem, 40, BTreeMap::new(), wall)
    }

    #[test]
    fn ids_are_safe_file_names() {
        for bad in [
            "",
            "../x",
            "/etc/passwd",
            "a/b",
            "a\0b",
            ".hidden",
            "-x",
            &"a".repeat(200),
        ] {
            assert!(!is_valid_session_id(bad), "{bad:?}");
        }
        assert!(is_valid_session_id("20261124-104228-url-shortener"));
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path());
        assert!(store.path("../../etc/passwd").is_err());
        let id = store.new_id("2026-11-24T10:42:28Z".parse().unwrap(), "URL Shortener!");
        assert_eq!(id, "20261124-104228-url-shortener");
    }

    #[test]
    fn save_and_load_round_trip_with_private_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path());
        let mut s = sample(&store);
        s.sections[0].fields[0].text =
            "Users should be able to shorten a URL\n\"quoted\" ''' \"\"\"".into();
        store.save(&s).unwrap();
        assert_eq!(store.load(&s.id).unwrap(), s);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&store.path(&s.id).unwrap()), 0o600);
            assert_eq!(mode(store.dir()), 0o700);
        }
        // A second session started the same second gets its own id.
        let slug = s.problem_id.clone().unwrap();
        assert_eq!(store.new_id(s.created_at, &slug), format!("{}-2", s.id));
    }

    #[test]
    fn damaged_files_are_listed_with_the_reason_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path());
        let s = sample(&store);
        store.save(&s).unwrap();
        let bad = store.dir().join("broken.toml");
        fs::write(&bad, "schema_version = 1\nid = [\n").unwrap();
        let invalid_utf8 = store.dir().join("bytes.toml");
        fs::write(&invalid_utf8, b"id = \"\xff\xfe\"\n").unwrap();
        let list = store.list().unwrap();
        assert_eq!(list.len(), 3);
        assert!(matches!(&list[0], Listed::Ok(x) if x.id == s.id));
        let reasons: Vec<String> = list[1..]
            .iter()
            .map(|l| match l {
                Listed::Damaged { reason, .. } => reason.clone(),
                Listed::Ok(_) => panic!("expected damaged"),
            })
            .collect();
        assert!(
            reasons.iter().any(|r| r.contains("broken.toml:2:")),
            "{reasons:?}"
        );
        assert!(
            reasons.iter().any(|r| r.contains("not valid UTF-8")),
            "{reasons:?}"
        );
        assert_eq!(fs::read(&bad).unwrap(), b"schema_version = 1\nid = [\n");
    }

    #[test]
    fn prefixes_resolve_when_unique() {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path());
        let a = sample(&store);
        store.save(&a).unwrap();
        let mut b = sample(&store);
        b.id = format!("{}-2", a.id);
        store.save(&b).unwrap();
        assert_eq!(store.resolve(&b.id).unwrap(), b.id);
        assert!(
            store
                .resolve("2026")
                .unwrap_err()
                .to_string()
                .contains("matches 2 sessions")
        );
        assert!(store.resolve("1999").is_err());
    }

    #[test]
    fn a_second_lock_on_the_same_session_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path());
        let first = store.lock("abc").unwrap();
        let err = store.lock("abc").unwrap_err().to_string();
        assert!(err.contains("already open in another sdcoach"), "{err}");
        assert!(err.contains(&std::process::id().to_string()), "{err}");
        drop(first);
        assert!(store.lock("abc").is_ok());
    }

    #[test]
    fn a_copied_file_with_another_id_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path());
        let s = sample(&store);
        store.save(&s).unwrap();
        let copy = store.dir().join("copy.toml");
        fs::copy(store.path(&s.id).unwrap(), &copy).unwrap();
        let err = format!("{:#}", store.load("copy").unwrap_err());
        assert!(err.contains("does not match the file name"), "{err}");
    }

    #[test]
    fn newer_schema_is_reported_even_with_new_fields() {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path());
        let s = sample(&store);
        store.save(&s).unwrap();
        let path = store.path(&s.id).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let newer = text.replacen(
            "schema_version = 1",
            "schema_version = 2\nfuture_field = true",
            1,
        );
        fs::write(&path, newer).unwrap();
        let err = format!("{:#}", store.load(&s.id).unwrap_err());
        assert!(err.contains("newer sdcoach"), "{err}");
    }

    #[test]
    fn newer_schema_is_reported_not_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path());
        let mut s = sample(&store);
        s.schema_version = 99;
        store.save(&s).unwrap();
        let err = format!("{:#}", store.load(&s.id).unwrap_err());
        assert!(err.contains("newer sdcoach"), "{err}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_unicode_text_round_trips(texts in prop::collection::vec(any::<String>(), 1..6)) {
            let dir = tempfile::tempdir().unwrap();
            let store = SessionStore::new(dir.path());
            let mut s = sample(&store);
            for (i, t) in texts.iter().enumerate() {
                let section = i % s.sections.len();
                s.sections[section].fields[0].text = t.clone();
                s.sections[section].ticked.push(t.clone());
            }
            s.sync(Now::system());
            store.save(&s).unwrap();
            prop_assert_eq!(store.load(&s.id).unwrap(), s);
        }
    }
}
