//! Text normalisation and the bilingual Indonesian/English analysis.
//!
//! [`fold`] is the key under which labels and names are compared; [`Analyzer`] turns job-ad
//! text into search keys (tokenise, expand informal spellings and abbreviations, drop stop
//! words, stem with Snowball Indonesian or English and a protected-terms list), and
//! [`register_analyzers`] installs the same analysis in a tantivy index.

mod analyzer;
mod stem_id;
mod tantivy_glue;
mod tokenize;

pub use analyzer::{Analyzer, AnalyzerOptions, Lang, Segment, Token};
pub use tantivy_glue::{register_analyzers, SepadanTokenStream, SepadanTokenizer, ANALYZER_NAME};

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds a label or name into its lookup key.
///
/// Rules, in order: Unicode compatibility decomposition (NFKD) with combining marks removed, so
/// `"Café"` and `"cafe"` meet; lowercase; `+` and `#` are kept (`c++`, `c#`); a `.` is kept only
/// when a letter or digit follows it (`node.js`, `.net`, but not a sentence's final stop); every
/// other non-alphanumeric run becomes one space; leading and trailing spaces are dropped.
///
/// ```
/// assert_eq!(sepadan::fold("  Pengelasan   SMAW-3G. "), "pengelasan smaw 3g");
/// assert_eq!(sepadan::fold("Café C++ / Node.js"), "cafe c++ node.js");
/// ```
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return fold_ascii(text);
    }
    fold_unicode(text)
}

fn fold_unicode(text: &str) -> String {
    let chars: Vec<char> = text.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect();
    keep_words(&chars)
}

/// [`fold`] of ASCII text: ASCII is its own NFKD form, has no combining marks and lowercases
/// within ASCII, so lowercasing the bytes gives what the general path would (a test compares
/// the two) without normalising. Record fields such as `"essential"` or `"expert"` take it.
fn fold_ascii(text: &str) -> String {
    keep_words(text.to_ascii_lowercase().as_bytes())
}

/// Joins the runs of letters, digits, `+`, `#` and inner dots (`.net`, `node.js`) of folded
/// characters with single spaces.
fn keep_words<C: Copy + Into<char>>(chars: &[C]) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut pending_space = false;
    for (i, &c) in chars.iter().enumerate() {
        let c: char = c.into();
        let keep = c.is_alphanumeric()
            || c == '+'
            || c == '#'
            || (c == '.' && chars.get(i + 1).is_some_and(|&n| n.into().is_alphanumeric()));
        if keep {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_accents_and_space() {
        assert_eq!(fold("Ärzte  und\tPflege"), "arzte und pflege");
        assert_eq!(fold("Kabupaten   Bekasi"), "kabupaten bekasi");
        assert_eq!(fold(""), "");
        assert_eq!(fold(" - "), "");
    }

    #[test]
    fn keeps_meaningful_symbols() {
        assert_eq!(fold("C#"), "c#");
        assert_eq!(fold(".NET framework"), ".net framework");
        assert_eq!(fold("ends with a stop."), "ends with a stop");
        assert_eq!(fold("K3 (Keselamatan)"), "k3 keselamatan");
    }

    proptest::proptest! {
        #[test]
        fn ascii_fast_path_folds_as_the_general_path(s in "[ -~\t\n]{0,40}") {
            proptest::prop_assert_eq!(super::fold_ascii(&s), super::fold_unicode(&s));
        }
    }

    #[test]
    fn fold_is_idempotent_on_samples() {
        for s in ["Juru Las", "use welding equipment", "Ñandú", "e-commerce", "x.y.z.", "ﬁ ligature"] {
            let once = fold(s);
            assert_eq!(fold(&once), once, "{s}");
        }
    }
}
