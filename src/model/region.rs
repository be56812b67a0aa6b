//! Indonesian provinces and regencies/cities with BPS/Kemendagri codes (idn-area-data 4.0.1,
//! ODbL; see `data/regions/NOTICE.md`), and locations built from them.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use crate::error::{Error, ErrorKind, Result};

/// A province code (`32` = Jawa Barat).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProvinceCode(u8);

/// A regency/city code (`32.16` = Kabupaten Bekasi), stored as province × 100 + number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegencyCode(u16);

impl ProvinceCode {
    /// The numeric code (`32`).
    pub fn get(self) -> u8 {
        self.0
    }

    /// From the numeric code, if it has two digits (existence is checked by [`Regions::province`]).
    pub fn from_number(n: u8) -> Option<ProvinceCode> {
        (10..=99).contains(&n).then_some(ProvinceCode(n))
    }

    /// Parses `"32"`. Only the syntax is checked; [`Regions::province`] says whether it exists.
    pub fn parse(s: &str) -> Option<ProvinceCode> {
        let s = s.trim();
        if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok().map(ProvinceCode)
        } else {
            None
        }
    }
}

impl RegencyCode {
    /// The numeric form: province × 100 + number (`32.16` → 3216).
    pub fn get(self) -> u16 {
        self.0
    }

    /// From the numeric form, if it is a syntactically valid code.
    pub fn from_number(n: u16) -> Option<RegencyCode> {
        (n >= 1100 && !n.is_multiple_of(100) && n / 100 < 100).then_some(RegencyCode(n))
    }

    /// The province this regency belongs to.
    pub fn province(self) -> ProvinceCode {
        ProvinceCode((self.0 / 100) as u8)
    }

    /// Parses `"32.16"`. Only the syntax is checked.
    pub fn parse(s: &str) -> Option<RegencyCode> {
        let (p, r) = s.trim().split_once('.')?;
        let p = ProvinceCode::parse(p)?;
        if r.len() != 2 || !r.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let r: u16 = r.parse().ok()?;
        Some(RegencyCode(u16::from(p.0) * 100 + r))
    }
}

impl fmt::Display for ProvinceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

impl fmt::Display for RegencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// Where a posting, course or person is: a province and, optionally, a regency/city in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    /// The province.
    pub province: ProvinceCode,
    /// The regency or city, if known; always inside `province`.
    pub regency: Option<RegencyCode>,
}

impl Location {
    /// A location at province level.
    pub fn province(province: ProvinceCode) -> Location {
        Location { province, regency: None }
    }

    /// A location at regency level (the province is the regency's).
    pub fn regency(regency: RegencyCode) -> Location {
        Location { province: regency.province(), regency: Some(regency) }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RegencyKind {
    Kabupaten,
    Kota,
}

/// The table of provinces and regencies, with lookup by code or name.
#[derive(Debug)]
pub struct Regions {
    provinces: Vec<(ProvinceCode, String)>,
    regencies: Vec<(RegencyCode, String)>,
    province_by_name: HashMap<String, ProvinceCode>,
    regency_by_base: HashMap<String, Vec<(RegencyCode, RegencyKind)>>,
}

const PROVINCES_CSV: &str = include_str!("../../data/regions/provinces.csv");
const REGENCIES_CSV: &str = include_str!("../../data/regions/regencies.csv");

/// Everyday names and abbreviations for provinces, as written in job ads.
const PROVINCE_ALIASES: &[(&str, u8)] = &[
    ("nad", 11),
    ("sumut", 12),
    ("sumbar", 13),
    ("sumsel", 16),
    ("babel", 19),
    ("bangka belitung", 19),
    ("kepri", 21),
    ("dki", 31),
    ("dki jakarta", 31),
    ("jakarta", 31),
    ("jabar", 32),
    ("jateng", 33),
    ("diy", 34),
    ("yogyakarta", 34),
    ("jogja", 34),
    ("jogjakarta", 34),
    ("yogya", 34),
    ("jatim", 35),
    ("ntb", 52),
    ("ntt", 53),
    ("kalbar", 61),
    ("kalteng", 62),
    ("kalsel", 63),
    ("kaltim", 64),
    ("kaltara", 65),
    ("sulut", 71),
    ("sulteng", 72),
    ("sulsel", 73),
    ("sultra", 74),
    ("sulbar", 76),
    ("malut", 82),
    ("pabar", 92),
];

/// Splits a folded regency name into its kind prefix and base name.
fn split_regency(folded: &str) -> (Option<RegencyKind>, &str) {
    for (prefix, kind) in [
        ("kabupaten administrasi ", RegencyKind::Kabupaten),
        ("kabupaten ", RegencyKind::Kabupaten),
        ("kab ", RegencyKind::Kabupaten),
        ("kota administrasi ", RegencyKind::Kota),
        ("kota ", RegencyKind::Kota),
    ] {
        if let Some(rest) = folded.strip_prefix(prefix) {
            return (Some(kind), rest);
        }
    }
    (None, folded)
}

impl Regions {
    /// The embedded table: 38 provinces and 514 regencies/cities.
    pub fn indonesia() -> &'static Regions {
        static REGIONS: OnceLock<Regions> = OnceLock::new();
        // The embedded CSVs are checked by a unit test; should they ever fail to parse, the table
        // is empty and every lookup reports an unknown code rather than panicking.
        REGIONS.get_or_init(|| {
            Regions::from_csv(PROVINCES_CSV, REGENCIES_CSV)
                .unwrap_or_else(|_| Regions::from_rows(Vec::new(), Vec::new()))
        })
    }

    /// Builds a table from CSVs with headers `code,name` and `code,province_code,name` (the
    /// idn-area-data layout), e.g. for a newer edition of the codes.
    pub fn from_csv(provinces: &str, regencies: &str) -> Result<Regions> {
        let mut ps = Vec::new();
        for (i, line) in provinces.lines().enumerate().skip(1).filter(|(_, l)| !l.trim().is_empty()) {
            let err = |m: &str| Error::invalid(m.to_string()).at_line(i as u64 + 1).with_value(line);
            let (code, name) = line.split_once(',').ok_or_else(|| err("expected `code,name`"))?;
            let code = ProvinceCode::parse(code).ok_or_else(|| err("bad province code"))?;
            ps.push((code, name.trim().trim_matches('"').to_string()));
        }
        let mut rs = Vec::new();
        for (i, line) in regencies.lines().enumerate().skip(1).filter(|(_, l)| !l.trim().is_empty()) {
            let err = |m: &str| Error::invalid(m.to_string()).at_line(i as u64 + 1).with_value(line);
            let mut parts = line.splitn(3, ',');
            let (Some(code), Some(prov), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
                return Err(err("expected `code,province_code,name`"));
            };
            let code = RegencyCode::parse(code).ok_or_else(|| err("bad regency code"))?;
            if ProvinceCode::parse(prov) != Some(code.province()) {
                return Err(err("regency code does not start with its province code"));
            }
            rs.push((code, name.trim().trim_matches('"').to_string()));
        }
        Ok(Regions::from_rows(ps, rs))
    }

    fn from_rows(provinces: Vec<(ProvinceCode, String)>, regencies: Vec<(RegencyCode, String)>) -> Regions {
        let mut province_by_name = HashMap::new();
        for (code, name) in &provinces {
            province_by_name.insert(crate::fold(name), *code);
            if let Some(short) = crate::fold(name).strip_prefix("daerah khusus ibukota ") {
                province_by_name.insert(short.to_string(), *code);
            }
        }
        for (alias, code) in PROVINCE_ALIASES {
            if provinces.iter().any(|(c, _)| c.0 == *code) {
                province_by_name.entry(alias.to_string()).or_insert(ProvinceCode(*code));
            }
        }
        let mut regency_by_base: HashMap<String, Vec<(RegencyCode, RegencyKind)>> = HashMap::new();
        for (code, name) in &regencies {
            let folded = crate::fold(name);
            let (kind, base) = split_regency(&folded);
            regency_by_base.entry(base.to_string()).or_default().push((*code, kind.unwrap_or(RegencyKind::Kabupaten)));
        }
        Regions { provinces, regencies, province_by_name, regency_by_base }
    }

    /// All provinces, in code order.
    pub fn provinces(&self) -> &[(ProvinceCode, String)] {
        &self.provinces
    }

    /// All regencies and cities, in code order.
    pub fn regencies(&self) -> &[(RegencyCode, String)] {
        &self.regencies
    }

    /// The name of a province, if the code exists.
    pub fn province(&self, code: ProvinceCode) -> Option<&str> {
        self.provinces.iter().find(|(c, _)| *c == code).map(|(_, n)| n.as_str())
    }

    /// The name of a regency/city, if the code exists.
    pub fn regency(&self, code: RegencyCode) -> Option<&str> {
        self.regencies.binary_search_by_key(&code, |(c, _)| *c).ok().map(|i| self.regencies[i].1.as_str())
    }

    /// The province with this name or alias, without suggestions (cheap; for scanning text).
    pub(crate) fn lookup_province(&self, s: &str) -> Option<ProvinceCode> {
        let key = crate::fold(s);
        let key = key.strip_prefix("provinsi ").unwrap_or(&key);
        self.province_by_name.get(key).copied()
    }

    /// The regencies a name can mean (codes accepted), without suggestions: empty when unknown.
    pub(crate) fn lookup_regency(&self, s: &str, within: Option<ProvinceCode>) -> Vec<RegencyCode> {
        if let Some(code) = RegencyCode::parse(s) {
            return if self.regency(code).is_some() { vec![code] } else { Vec::new() };
        }
        let folded = crate::fold(s);
        let (kind, base) = split_regency(&folded);
        let mut hits: Vec<RegencyCode> = self
            .regency_by_base
            .get(base)
            .map(|v| {
                v.iter()
                    .filter(|(c, k)| kind.is_none_or(|want| want == *k) && within.is_none_or(|p| c.province() == p))
                    .map(|(c, _)| *c)
                    .collect()
            })
            .unwrap_or_default();
        hits.dedup();
        hits
    }

    /// Resolves a province given as a code (`"32"`), its name (`"Jawa Barat"`) or a common
    /// abbreviation (`"Jabar"`, `"DKI"`, `"Jogja"`).
    pub fn resolve_province(&self, s: &str) -> Result<ProvinceCode> {
        if let Some(code) = ProvinceCode::parse(s) {
            return match self.province(code) {
                Some(_) => Ok(code),
                None => Err(Error::unknown(format!("province code {s}"), Vec::new()).with_value(s)),
            };
        }
        if let Some(code) = self.lookup_province(s) {
            return Ok(code);
        }
        let key = crate::fold(s);
        let suggestions = nearest(&key, self.provinces.iter().map(|(_, n)| n.as_str()));
        Err(Error::unknown(s.trim(), suggestions).with_value(s))
    }

    /// Resolves a regency/city given as a code (`"32.16"`) or name (`"Kabupaten Bekasi"`,
    /// `"Kab. Bekasi"`, `"Kota Bandung"`, `"Bandung"`), optionally within a province. A bare name
    /// that fits both a kabupaten and a kota ("Bekasi") is ambiguous.
    pub fn resolve_regency(&self, s: &str, within: Option<ProvinceCode>) -> Result<RegencyCode> {
        if let Some(code) = RegencyCode::parse(s) {
            if self.regency(code).is_none() {
                return Err(Error::unknown(format!("regency code {s}"), Vec::new()).with_value(s));
            }
            return Ok(code);
        }
        let hits = self.lookup_regency(s, within);
        let folded = crate::fold(s);
        match hits.len() {
            1 => Ok(hits[0]),
            0 => {
                let names = self
                    .regencies
                    .iter()
                    .filter(|(c, _)| within.is_none_or(|p| c.province() == p))
                    .map(|(_, n)| n.as_str());
                Err(Error::unknown(s.trim(), nearest(&folded, names)).with_value(s))
            }
            _ => Err(Error::new(ErrorKind::AmbiguousReference {
                reference: s.trim().to_string(),
                candidates: hits.iter().map(|c| format!("{c} ({})", self.regency(*c).unwrap_or(""))).collect(),
            })
            .with_value(s)),
        }
    }

    /// Resolves a province and an optional regency into a [`Location`], checking that the
    /// regency lies in the province. Either may be omitted, not both.
    pub fn resolve(&self, province: Option<&str>, regency: Option<&str>) -> Result<Location> {
        let province = match province {
            Some(p) => Some(self.resolve_province(p).map_err(|e| e.in_field("province"))?),
            None => None,
        };
        match (province, regency) {
            (None, None) => Err(Error::missing("province or regency").in_field("province")),
            (Some(p), None) => Ok(Location::province(p)),
            (p, Some(r)) => {
                let code = self.resolve_regency(r, p).map_err(|e| e.in_field("regency"))?;
                match p {
                    Some(p) if code.province() != p => Err(Error::invalid(format!(
                        "regency {code} ({}) is not in province {p} ({})",
                        self.regency(code).unwrap_or(""),
                        self.province(p).unwrap_or("")
                    ))
                    .with_value(r)
                    .in_field("regency")),
                    _ => Ok(Location::regency(code)),
                }
            }
        }
    }

    /// A display name: `"Kabupaten Bekasi, Jawa Barat"`.
    pub fn describe(&self, loc: &Location) -> String {
        let p = self.province(loc.province).unwrap_or("?");
        match loc.regency.and_then(|r| self.regency(r)) {
            Some(r) => format!("{r}, {p}"),
            None => p.to_string(),
        }
    }
}

fn nearest<'a>(query: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> =
        names.map(|n| (strsim::jaro_winkler(query, &crate::fold(n)), n)).filter(|(s, _)| *s > 0.7).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, n)| n.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_is_complete() {
        let r = Regions::indonesia();
        assert_eq!(r.provinces().len(), 38);
        assert_eq!(r.regencies().len(), 514);
    }

    #[test]
    fn resolves_codes_names_and_aliases() {
        let r = Regions::indonesia();
        let jabar = ProvinceCode::parse("32").unwrap();
        assert_eq!(r.resolve_province("Jawa Barat").unwrap(), jabar);
        assert_eq!(r.resolve_province("JABAR").unwrap(), jabar);
        assert_eq!(r.resolve_province("Provinsi Jawa Barat").unwrap(), jabar);
        assert_eq!(r.resolve_province("DKI Jakarta").unwrap().get(), 31);
        assert_eq!(r.resolve_regency("Kab. Bekasi", None).unwrap().to_string(), "32.16");
        assert_eq!(r.resolve_regency("Kota Bekasi", None).unwrap().to_string(), "32.75");
        assert_eq!(r.resolve_regency("32.16", None).unwrap().to_string(), "32.16");
        let err = r.resolve_regency("Bekasi", Some(jabar)).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::AmbiguousReference { candidates, .. } if candidates.len() == 2));
        assert_eq!(r.resolve_regency("Jakarta Selatan", None).unwrap().to_string(), "31.74");
    }

    #[test]
    fn rejects_mismatch_and_unknowns() {
        let r = Regions::indonesia();
        let err = r.resolve(Some("35"), Some("32.16")).unwrap_err();
        assert!(err.to_string().contains("is not in province 35"), "{err}");
        assert!(r.resolve_province("99").is_err());
        assert!(r.resolve_regency("32.99", None).is_err());
        let err = r.resolve_province("Jawa Barar").unwrap_err();
        assert!(err.to_string().contains("Jawa Barat"), "{err}");
        assert!(r.resolve(None, None).is_err());
        assert_eq!(r.resolve(None, Some("Kota Surabaya")).unwrap().province.get(), 35);
    }

    #[test]
    fn display_round_trips() {
        for (c, _) in Regions::indonesia().regencies() {
            assert_eq!(RegencyCode::parse(&c.to_string()), Some(*c));
        }
    }
}
