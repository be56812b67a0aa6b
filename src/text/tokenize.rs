//! The raw tokenizer: splits job-ad text into words, numbers, URLs and e-mail addresses with
//! byte offsets into the original text. Normalisation (informal spellings, stop words,
//! stemming) happens in the analyzer on top of it.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// What a raw token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RawKind {
    /// Letters and digits (`pengelasan`, `d3`, `c++`, `node.js`).
    Word,
    /// Digits only, thousands separators removed (`Rp 4.500.000` → `4500000`).
    Number,
    /// `http(s)://…` or `www.…`, kept whole.
    Url,
    /// `name@host.tld`, kept whole.
    Email,
}

/// A token before normalisation: lowercased, accents folded, with its byte span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawToken {
    pub(crate) text: String,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) kind: RawKind,
}

/// Longest token kept, in bytes; longer runs (encoded blobs, garbage) carry no search value and
/// would bloat an index.
pub(crate) const MAX_TOKEN_BYTES: usize = 64;

/// Units written glued to numbers in job ads (`2thn`, `5jt`, `3x`): split off the number.
const UNITS: &[&str] = &[
    "thn", "th", "tahun", "bln", "bulan", "jt", "juta", "rb", "ribu", "jam", "hari", "x", "kg", "cm", "mm", "km", "m",
    "hr", "yrs", "yr", "years", "k",
];

fn push_folded(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for d in std::iter::once(c).nfkd().filter(|d| !is_combining_mark(*d)) {
        out.extend(d.to_lowercase());
    }
}

fn trim_trailing_punct(s: &str) -> &str {
    s.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '}', '"', '\'', '>'])
}

fn is_email(s: &str) -> bool {
    let Some((user, host)) = s.split_once('@') else { return false };
    let ok_user = !user.is_empty() && user.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'));
    let ok_host = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-'));
    ok_user && ok_host
}

/// Splits `text` into raw tokens, in order. Never panics; every span lies on char boundaries
/// inside `text`.
pub(crate) fn tokenize(text: &str) -> Vec<RawToken> {
    let mut out: Vec<RawToken> = Vec::with_capacity(text.len() / 6 + 1);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let byte_at = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
    let mut k = 0;
    while k < n {
        let (start, c) = chars[k];
        if !c.is_alphanumeric() {
            k += 1;
            continue;
        }
        // URLs and e-mails are recognised on the whitespace-delimited chunk.
        let chunk_end = chars[k..].iter().position(|(_, ch)| ch.is_whitespace()).map_or(n, |p| k + p);
        let chunk = trim_trailing_punct(&text[start..byte_at(chunk_end)]);
        let lower_prefix: String = chunk.chars().take(8).flat_map(char::to_lowercase).collect();
        let is_url = lower_prefix.starts_with("http://")
            || lower_prefix.starts_with("https://")
            || lower_prefix.starts_with("www.");
        if (is_url && chunk.len() > 4) || is_email(chunk) {
            let end = start + chunk.len();
            if chunk.len() <= 256 {
                let kind = if is_url { RawKind::Url } else { RawKind::Email };
                out.push(RawToken { text: chunk.to_lowercase(), start, end, kind });
            }
            k = chars[k..].iter().position(|&(b, _)| b >= end).map_or(n, |p| k + p);
            continue;
        }
        // A word: letters/digits with a few inner joiners.
        let mut word = String::new();
        let mut all_digits = true;
        let mut j = k;
        while j < n {
            let (_, ch) = chars[j];
            let next = chars.get(j + 1).map(|&(_, x)| x);
            let prev = if j > k { Some(chars[j - 1].1) } else { None };
            if ch.is_alphanumeric() {
                all_digits &= ch.is_ascii_digit();
                push_folded(&mut word, ch);
                j += 1;
                continue;
            }
            let prev_digit = prev.is_some_and(|p| p.is_ascii_digit());
            let next_digit = next.is_some_and(|x| x.is_ascii_digit());
            if (ch == '.' || ch == ',') && prev_digit && next_digit {
                // Thousands grouping (exactly three digits follow, then a non-digit) is dropped:
                // "4.500.000" → "4500000"; otherwise a decimal point: "2,5" / "2.5" → "2.5".
                let three = (1..=3).all(|d| chars.get(j + d).is_some_and(|&(_, x)| x.is_ascii_digit()))
                    && !chars.get(j + 4).is_some_and(|&(_, x)| x.is_ascii_digit());
                if !three {
                    word.push('.');
                    all_digits = false;
                }
                j += 1;
                continue;
            }
            let prev_alpha = prev.is_some_and(char::is_alphabetic);
            let next_alpha = next.is_some_and(char::is_alphabetic);
            if ch == '.' && prev_alpha && next_alpha {
                word.push('.'); // node.js, asp.net, s.kom
                j += 1;
                continue;
            }
            if matches!(ch, '\'' | '’' | '`') && prev_alpha && next_alpha {
                j += 1; // Jum'at → jumat
                continue;
            }
            if matches!(ch, '+' | '#') && prev_alpha {
                while j < n && matches!(chars[j].1, '+' | '#') {
                    word.push(chars[j].1);
                    j += 1;
                }
                all_digits = false;
                break;
            }
            break;
        }
        let end = byte_at(j);
        debug_assert!(end > start);
        // Reduplication: "barang-barang" is one token "barang" spanning both halves.
        let mut end_all = end;
        let mut next_k = j;
        if j < n && chars[j].1 == '-' {
            let w_len = j - k;
            let other: String = chars[j + 1..].iter().take(w_len).map(|&(_, ch)| ch).collect();
            let boundary = chars.get(j + 1 + w_len).is_none_or(|&(_, ch)| !ch.is_alphanumeric());
            if boundary && other.chars().count() == w_len && other.to_lowercase() == text[start..end].to_lowercase() {
                next_k = j + 1 + w_len;
                end_all = byte_at(next_k);
            }
        }
        k = next_k;
        if word.len() > MAX_TOKEN_BYTES {
            continue;
        }
        // Split a number glued to a unit ("2thn") or a currency ("rp4500000").
        // Only when the source starts with the first part byte for byte, so the cut point is
        // exact (a folded character such as "²" would shift it).
        let split = split_number_unit(&word)
            .filter(|(a, _)| text.get(start..start + a.len()).is_some_and(|src| src.eq_ignore_ascii_case(a)));
        if let Some((a, b)) = split {
            let cut = start + a.len();
            out.push(RawToken { text: a.to_string(), start, end: cut, kind: kind_of(a) });
            out.push(RawToken { text: b.to_string(), start: cut, end: end_all, kind: kind_of(b) });
            continue;
        }
        let kind = if all_digits { RawKind::Number } else { RawKind::Word };
        out.push(RawToken { text: word, start, end: end_all, kind });
    }
    out
}

fn kind_of(s: &str) -> RawKind {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        RawKind::Number
    } else {
        RawKind::Word
    }
}

/// `"2thn"` → `("2", "thn")`, `"rp4500000"` → `("rp", "4500000")`; only for ASCII tokens whose
/// byte length equals the source span (so the cut point is exact).
fn split_number_unit(word: &str) -> Option<(&str, &str)> {
    if !word.is_ascii() {
        return None;
    }
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < word.len() {
        let (num, unit) = word.split_at(digits);
        return UNITS.contains(&unit).then_some((num, unit));
    }
    if let Some(rest) = word.strip_prefix("rp") {
        if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
            return Some(("rp", rest));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn job_ad_shapes() {
        assert_eq!(texts("• Admin/Kasir – min. 2 thn"), ["admin", "kasir", "min", "2", "thn"]);
        assert_eq!(texts("Gaji Rp 4.500.000 - Rp5.000.000"), ["gaji", "rp", "4500000", "rp", "5000000"]);
        assert_eq!(texts("D3/S1 Teknik, IPK 3.00"), ["d3", "s1", "teknik", "ipk", "3.00"]);
        assert_eq!(texts("pengalaman 2,5 tahun; 2thn"), ["pengalaman", "2.5", "tahun", "2", "thn"]);
        assert_eq!(texts("C++, C#, Node.js & .NET"), ["c++", "c#", "node.js", "net"]);
        assert_eq!(texts("MAHIR MS. EXCEL 😀👍"), ["mahir", "ms", "excel"]);
        assert_eq!(texts("Jum'at barang-barang"), ["jumat", "barang"]);
        assert_eq!(texts("Café Crème"), ["cafe", "creme"]);
    }

    #[test]
    fn urls_and_emails_stay_whole() {
        let t = tokenize("Kirim CV ke hrd@maju-jaya.co.id atau https://karir.example.id/lowongan?id=3.");
        let kinds: Vec<_> = t.iter().map(|t| (t.text.as_str(), t.kind)).collect();
        assert!(kinds.contains(&("hrd@maju-jaya.co.id", RawKind::Email)));
        assert!(kinds.contains(&("https://karir.example.id/lowongan?id=3", RawKind::Url)));
    }

    #[test]
    fn spans_match_source() {
        let s = "Operator PRODUKSI (Shift) – Kab. Bekasi, 2thn";
        for t in tokenize(s) {
            assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end) && t.start < t.end, "{t:?}");
        }
        let t = tokenize("2thn");
        assert_eq!((t[0].start, t[0].end, t[1].start, t[1].end), (0, 1, 1, 4));
        // A folded character changes byte lengths: no split, one valid token.
        let t = tokenize("²K");
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].start, t[0].end), (0, 3));
    }
}
