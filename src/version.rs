//! Which nianbao this is, for `--version`, the About box and provenance.

/// `nianbao --version`: the version and the commit it was built from.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "（提交 ",
    env!("NIANBAO_COMMIT"),
    "）"
);
