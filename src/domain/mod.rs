//! Pure logic with no terminal and no file system: outlines and budgets, problems, sessions,
//! timer math (every function that needs the time takes it as an argument), arrow parsing and
//! fuzzy matching.

pub mod arrows;
pub mod calc;
pub mod checks;
pub mod clock;
pub mod coaching;
pub mod corpus;
pub mod coverage;
pub mod editor;
pub mod fuzzy;
pub mod library;
pub mod measure;
pub mod outline;
pub mod problem;
pub mod report;
pub mod session;
pub mod stats;
pub mod summary;
