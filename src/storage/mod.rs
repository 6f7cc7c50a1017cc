//! Files: the embedded defaults and the user's overrides (question bank, config, templates),
//! sessions saved atomically, and exports rendered with tera.

pub mod bank;
pub mod config;
pub mod corpus;
pub mod embedded;
pub mod export;
pub mod index;
pub mod layouts;
pub mod located;
pub mod paths;
pub mod repo_config;
pub mod sessions;
pub mod walk;
