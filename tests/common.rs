//! Shared fixtures: the default taxonomy is loaded once per test binary.

use std::sync::OnceLock;

use sepadan::Taxonomy;

pub(crate) fn esco() -> &'static Taxonomy {
    static T: OnceLock<Taxonomy> = OnceLock::new();
    T.get_or_init(|| match Taxonomy::esco() {
        Ok(t) => t,
        Err(e) => panic!("default taxonomy failed to load: {e}"),
    })
}

pub(crate) fn shared_esco_dir() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/esco-v1.1.1");
    dir.join("esco-v1.1.1-en-csv.zip").exists().then_some(dir)
}
