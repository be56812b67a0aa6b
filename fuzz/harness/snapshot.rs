//! The snapshot decoder on arbitrary bytes, with and without a valid header. Invariant: no
//! panic, no unbounded allocation (the inflated size is capped).

pub fn run(data: &[u8]) {
    let _ = sepadan::Taxonomy::from_snapshot(data);
    let mut framed = b"SEPADAN-TAXONOMY\x01".to_vec();
    framed.extend_from_slice(data);
    let _ = sepadan::Taxonomy::from_snapshot(&framed);
}
