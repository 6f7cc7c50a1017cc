//! The session index: one small JSON file beside the sessions folder that caches each file's
//! [`Summary`] (or why it is damaged), keyed by file name and validated against the file's size
//! and modification time. Listing stats every file but parses only the new or changed ones, so
//! ten thousand sessions list in milliseconds. The session files stay the source of truth: a
//! missing, stale or corrupt index is rebuilt, and deleting it is always safe.

use std::collections::BTreeMap;
use std::fs;
use std::time::UNIX_EPOCH;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use super::paths::files_with_suffix;
use super::sessions::{Listed, SessionStore, Summary, load_file, write_atomic};

/// Bumped when `Summary` changes shape; an index of another version is rebuilt.
const VERSION: u32 = 2;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    version: u32,
    files: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    size: u64,
    mtime_ns: u128,
    /// The inode: every atomic save creates a new one, so a rewrite inside one timestamp
    /// tick with the same size is still noticed.
    #[serde(default)]
    inode: u64,
    listed: Listed,
}

#[cfg(unix)]
fn inode(m: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(m)
}

#[cfg(not(unix))]
fn inode(_: &fs::Metadata) -> u64 {
    0
}

fn load(store: &SessionStore) -> Index {
    let path = store.index_path();
    let Ok(bytes) = fs::read(&path) else {
        return Index::default();
    };
    match serde_json::from_slice::<Index>(&bytes) {
        Ok(index) if index.version == VERSION => index,
        Ok(_) => Index::default(),
        Err(e) => {
            tracing::warn!("rebuilding the session index {}: {e}", path.display());
            Index::default()
        }
    }
}

/// Every session file as listed, from the index where it is current.
pub fn list(store: &SessionStore) -> Result<Vec<Listed>> {
    let mut index = load(store);
    let mut changed = index.version != VERSION;
    index.version = VERSION;
    let mut seen = BTreeMap::new();
    for path in files_with_suffix(store.dir(), ".toml")? {
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        let meta = fs::metadata(&path);
        let (size, mtime_ns, ino) = match &meta {
            Ok(m) => (
                m.len(),
                m.modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos()),
                inode(m),
            ),
            Err(_) => (0, 0, 0),
        };
        let cached = index.files.get(&name).filter(|e| {
            e.size == size && e.mtime_ns == mtime_ns && e.inode == ino && mtime_ns != 0
        });
        let entry = match cached {
            Some(e) => e.clone(),
            None => {
                changed = true;
                let (listed, keep) = match load_file(&path) {
                    Ok(s) => (Listed::Ok(Summary::of(&s)), true),
                    Err(e) => {
                        // A file that cannot be read now (permissions) or needs a newer
                        // sdcoach may be fine later without changing: never cache those.
                        let transient = e.chain().any(|c| c.is::<std::io::Error>())
                            || format!("{e:#}").contains("newer sdcoach");
                        let listed = Listed::Damaged {
                            path: path.display().to_string(),
                            reason: format!("{e:#}"),
                        };
                        (listed, !transient)
                    }
                };
                Entry {
                    size,
                    // mtime 0 never validates, so an uncached entry is read again next time.
                    mtime_ns: if keep { mtime_ns } else { 0 },
                    inode: ino,
                    listed,
                }
            }
        };
        seen.insert(name, entry);
    }
    if seen.len() != index.files.len() {
        changed = true;
    }
    index.files = seen;
    if changed {
        // The index is a cache: failing to write it (read-only disk) only costs speed.
        match serde_json::to_vec(&index) {
            Ok(bytes) => {
                if let Err(e) = write_atomic(&store.index_path(), &bytes) {
                    tracing::warn!("could not write the session index: {e:#}");
                }
            }
            Err(e) => tracing::warn!("could not serialise the session index: {e}"),
        }
    }
    Ok(index.files.into_values().map(|e| e.listed).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::session::Session;
    use crate::storage::embedded;
    use std::collections::BTreeMap;

    fn store_with(n: usize) -> (tempfile::TempDir, SessionStore, Vec<Session>) {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path());
        let outline = embedded::framework().unwrap();
        let (_, problem) = embedded::problems().into_iter().next().unwrap();
        let problem = problem.unwrap();
        let mut all = Vec::new();
        for i in 0..n {
            let wall: jiff::Timestamp = "2026-11-24T10:00:00Z".parse().unwrap();
            let mut s = Session::new_interview(
                format!("s{i}"),
                &outline,
                &problem,
                40,
                BTreeMap::new(),
                wall,
            );
            s.sections[0].fields[0].text = format!("text of session {i}");
            store.save(&s).unwrap();
            all.push(s);
        }
        (dir, store, all)
    }

    fn titles(list: &[Listed]) -> Vec<String> {
        list.iter()
            .map(|l| match l {
                Listed::Ok(s) => s.excerpt.clone(),
                Listed::Damaged { path, .. } => format!("damaged {path}"),
            })
            .collect()
    }

    #[test]
    fn a_missing_index_is_built_and_then_reused() {
        let (_d, store, _) = store_with(3);
        assert!(!store.index_path().exists());
        let first = list(&store).unwrap();
        assert_eq!(first.len(), 3);
        assert!(store.index_path().exists());
        // A corrupted cached summary proves the second listing came from the index.
        let text = fs::read_to_string(store.index_path()).unwrap();
        fs::write(
            store.index_path(),
            text.replace("text of session 1", "from the index"),
        )
        .unwrap();
        let second = list(&store).unwrap();
        assert!(titles(&second).contains(&"from the index".to_string()));
    }

    #[test]
    fn a_session_edited_outside_the_app_is_read_again() {
        let (_d, store, mut all) = store_with(2);
        list(&store).unwrap();
        all[1].sections[0].fields[0].text = "edited elsewhere, longer than before".into();
        store.save(&all[1]).unwrap();
        let listed = list(&store).unwrap();
        assert!(titles(&listed).contains(&"edited elsewhere, longer than before".to_string()));
    }

    #[test]
    fn corrupt_or_foreign_indexes_are_rebuilt_and_deleted_files_dropped() {
        let (_d, store, _) = store_with(2);
        fs::write(store.index_path(), b"{ not json").unwrap();
        assert_eq!(list(&store).unwrap().len(), 2);
        fs::write(store.index_path(), br#"{"version": 99, "files": {}}"#).unwrap();
        assert_eq!(list(&store).unwrap().len(), 2);
        fs::remove_file(store.path("s0").unwrap()).unwrap();
        assert_eq!(list(&store).unwrap().len(), 1);
        let text = fs::read_to_string(store.index_path()).unwrap();
        assert!(!text.contains("\"s0.toml\""));
    }

    #[test]
    fn damaged_files_are_cached_as_damaged_until_they_change() {
        let (_d, store, _) = store_with(1);
        let bad = store.dir().join("bad.toml");
        fs::write(&bad, "id = [").unwrap();
        let l = list(&store).unwrap();
        assert!(titles(&l).iter().any(|t| t.starts_with("damaged")));
        fs::write(&bad, "schema_version = 1\nid = \"bad\"\n").unwrap();
        let l = list(&store).unwrap();
        assert!(
            titles(&l).iter().any(|t| t.starts_with("damaged")),
            "still damaged, re-read"
        );
    }
}
