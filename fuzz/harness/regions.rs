//! Region, date and label-folding parsers on arbitrary text. Invariants: no panic; a resolved
//! regency lies in its province; folding is idempotent; dates print back as they parse.

pub fn run(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let r = sepadan::Regions::indonesia();
    let (a, b) = s.split_once('|').unwrap_or((s, ""));
    if let Ok(loc) = r.resolve(Some(a), Some(b)) {
        if let Some(reg) = loc.regency {
            assert_eq!(reg.province(), loc.province);
        }
    }
    let _ = r.resolve_province(s);
    let _ = r.resolve_regency(s, None);
    let f = sepadan::fold(s);
    assert_eq!(sepadan::fold(&f), f);
    if let Ok(d) = sepadan::Date::parse(s) {
        assert_eq!(sepadan::Date::parse(&d.to_string()).ok(), Some(d));
    }
}
