//! sdcoach: an offline terminal coach for system design interviews.
//!
//! See `ARCHITECTURE.md` for the map: `domain` (pure logic), `storage` (files), `app` (state and
//! update), `ui` (drawing), `term` (the terminal), `cli` (the command line).

pub mod app;
pub mod cli;
pub mod domain;
pub mod storage;
pub mod term;
pub mod ui;
