//! Shared fixtures: the default taxonomy and the extractor are built once per test binary.

use std::sync::{Arc, OnceLock};

use sepadan::{Extractor, Taxonomy};

pub(crate) fn esco_arc() -> Arc<Taxonomy> {
    static T: OnceLock<Arc<Taxonomy>> = OnceLock::new();
    T.get_or_init(|| match Taxonomy::esco() {
        Ok(t) => Arc::new(t),
        Err(e) => panic!("default taxonomy failed to load: {e}"),
    })
    .clone()
}

pub(crate) fn esco() -> &'static Taxonomy {
    static T: OnceLock<Arc<Taxonomy>> = OnceLock::new();
    T.get_or_init(esco_arc)
}

pub(crate) fn extractor_arc() -> Arc<Extractor> {
    static E: OnceLock<Arc<Extractor>> = OnceLock::new();
    E.get_or_init(|| Arc::new(Extractor::new(esco()))).clone()
}

pub(crate) fn shared_esco_dir() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/esco-v1.1.1");
    dir.join("esco-v1.1.1-en-csv.zip").exists().then_some(dir)
}
