//! Dictionary-assisted Indonesian stemming (confix stripping with nasal recoding, after
//! Nazief–Adriani / ECS), used before Snowball.
//!
//! Snowball Indonesian strips affixes without a dictionary, so it cannot restore the consonant
//! a nasal prefix replaced: `menulis` → `ulis` while `tulis` stays `tulis`, and `mengirim` →
//! `irim`. Here every way of undoing the affixes is generated in a fixed order and the first
//! candidate found in the root lexicon (`data/text/roots-id.txt`) wins; when none is found the
//! caller falls back to Snowball, so words outside the lexicon behave exactly as before.

use rustc_hash::FxHashSet;

/// Particles and possessives, then derivational suffixes, in the order they attach from the end.
const INFLECTIONAL: &[&str] = &["lah", "kah", "tah", "pun", "nya", "ku", "mu"];
const DERIVATIONAL: &[&str] = &["kan", "an", "i"];

/// Shortest root accepted, in bytes (Indonesian roots have at least two letters; most 3+).
const MIN_ROOT: usize = 2;

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// The ways of removing one prefix from `w`, most likely first.
fn unprefix(w: &str, out: &mut Vec<String>) {
    for nasal in ["me", "pe"] {
        if !w.starts_with(nasal) {
            continue;
        }
        if let Some(rest) = w.strip_prefix(if nasal == "me" { "meny" } else { "peny" }) {
            if rest.bytes().next().is_some_and(is_vowel) {
                out.push(format!("s{rest}"));
            }
        }
        if let Some(rest) = w.strip_prefix(if nasal == "me" { "menge" } else { "penge" }) {
            out.push(rest.to_string());
        }
        if let Some(rest) = w.strip_prefix(if nasal == "me" { "meng" } else { "peng" }) {
            match rest.bytes().next() {
                Some(c) if is_vowel(c) => {
                    out.push(rest.to_string());
                    out.push(format!("k{rest}"));
                }
                Some(b'g' | b'h' | b'k') => out.push(rest.to_string()),
                _ => {}
            }
        }
        if let Some(rest) = w.strip_prefix(if nasal == "me" { "mem" } else { "pem" }) {
            match rest.bytes().next() {
                Some(c) if is_vowel(c) => out.push(format!("p{rest}")),
                Some(b'b' | b'f' | b'p' | b'v') => out.push(rest.to_string()),
                _ => {}
            }
        }
        if let Some(rest) = w.strip_prefix(if nasal == "me" { "men" } else { "pen" }) {
            match rest.bytes().next() {
                Some(c) if is_vowel(c) => out.push(format!("t{rest}")),
                Some(b'c' | b'd' | b'j' | b's' | b't' | b'z') => out.push(rest.to_string()),
                _ => {}
            }
        }
        // me-/pe- before l, r, w, y, m, n (melayani, merawat, menikah, memasak, pekerja).
        if let Some(rest) = w.strip_prefix(nasal) {
            if !rest.is_empty() {
                out.push(rest.to_string());
            }
        }
    }
    for p in ["ber", "bel", "be", "ter", "te", "per", "pel", "di", "ke", "se"] {
        if let Some(rest) = w.strip_prefix(p) {
            if rest.len() >= MIN_ROOT {
                out.push(rest.to_string());
            }
        }
    }
}

/// The ways of removing suffixes from `w` (including none), longest removal first.
fn unsuffix(w: &str) -> Vec<&str> {
    let mut out = vec![w];
    let mut bases = vec![w];
    for s in INFLECTIONAL {
        if let Some(r) = w.strip_suffix(s) {
            if r.len() >= MIN_ROOT {
                bases.push(r);
                out.push(r);
            }
        }
    }
    for base in bases {
        for s in DERIVATIONAL {
            if let Some(r) = base.strip_suffix(s) {
                if r.len() >= MIN_ROOT {
                    out.push(r);
                }
            }
        }
    }
    out
}

/// The root of `w` if some way of undoing up to three prefixes and the suffixes leads to a
/// word of the lexicon. Deterministic: candidates are tried in a fixed order.
pub(crate) fn dictionary_root(w: &str, roots: &FxHashSet<String>) -> Option<String> {
    if roots.is_empty() || w.len() < MIN_ROOT + 1 {
        return None;
    }
    if roots.contains(w) {
        return Some(w.to_string());
    }
    let mut frontier: Vec<String> = vec![w.to_string()];
    for _depth in 0..3 {
        let mut next = Vec::new();
        for word in &frontier {
            for base in unsuffix(word) {
                if roots.contains(base) {
                    return Some(base.to_string());
                }
            }
            let mut stripped = Vec::new();
            unprefix(word, &mut stripped);
            for s in stripped {
                for base in unsuffix(&s) {
                    if base.len() >= MIN_ROOT && roots.contains(base) {
                        return Some(base.to_string());
                    }
                }
                next.push(s);
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(words: &[&str]) -> FxHashSet<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn restores_nasal_consonants() {
        let r =
            lexicon(&["tulis", "kirim", "pakai", "masak", "olah", "nikah", "sapu", "kerja", "las", "baca", "tanam"]);
        for (w, root) in [
            ("menulis", "tulis"),
            ("penulis", "tulis"),
            ("mengirim", "kirim"),
            ("pengiriman", "kirim"),
            ("memakai", "pakai"),
            ("memasak", "masak"),
            ("masakan", "masak"),
            ("mengolah", "olah"),
            ("menikah", "nikah"),
            ("menyapu", "sapu"),
            ("mengerjakan", "kerja"),
            ("pekerjaan", "kerja"),
            ("bekerja", "kerja"),
            ("pengelasan", "las"),
            ("membaca", "baca"),
            ("penanaman", "tanam"),
        ] {
            assert_eq!(dictionary_root(w, &r).as_deref(), Some(root), "{w}");
        }
        assert_eq!(dictionary_root("xyzabc", &r), None);
        assert_eq!(dictionary_root("", &r), None);
    }
}
