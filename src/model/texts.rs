//! Free-text inputs: texts to read skills from and job titles to normalise (the inputs of
//! `sepadan extract` and `sepadan titles`). Formats in `docs/FORMATS.md`.

use std::io::Read;
use std::path::Path;

use serde::Deserialize;

use super::io::{nonempty, Ctx, RecordIn, Wire};
use super::{Loaded, Loader};
use crate::error::Result;

/// A text to read skills from: a posting, a course description or a CV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextRecord {
    /// The caller's id, echoed in results.
    pub id: String,
    /// The text (may be empty).
    pub text: String,
}

/// A job title to normalise to occupations, with the posting's text when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TitleRecord {
    /// The caller's id, echoed in results.
    pub id: String,
    /// The title as written.
    pub title: String,
    /// The posting's text, used as skill evidence for the title.
    pub text: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct TextIn {
    #[serde(default)]
    format_version: Option<u32>,
    id: String,
    text: String,
}

impl Wire for TextIn {
    type Out = TextRecord;
    type Record<'de> = TextIn;
}

impl RecordIn<'_> for TextIn {
    type Out = TextRecord;
    fn format_version(&self) -> Option<u32> {
        self.format_version
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn resolve(self, _ctx: &Ctx<'_>) -> Result<TextRecord> {
        Ok(TextRecord { id: self.id.trim().to_string(), text: self.text })
    }
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct TitleIn {
    #[serde(default)]
    format_version: Option<u32>,
    id: String,
    title: String,
    #[serde(default)]
    text: Option<String>,
}

impl Wire for TitleIn {
    type Out = TitleRecord;
    type Record<'de> = TitleIn;
}

impl RecordIn<'_> for TitleIn {
    type Out = TitleRecord;
    fn format_version(&self) -> Option<u32> {
        self.format_version
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn resolve(self, _ctx: &Ctx<'_>) -> Result<TitleRecord> {
        Ok(TitleRecord {
            title: nonempty("title", &self.title)?,
            id: self.id.trim().to_string(),
            text: self.text.filter(|t| !t.trim().is_empty()),
        })
    }
}

impl Loader<'_> {
    /// Reads texts (`{"id": "...", "text": "..."}` per line).
    pub fn texts(&self, input: impl Read, source: impl AsRef<Path>) -> Result<Loaded<TextRecord>> {
        self.read_checked::<TextIn>(input, source.as_ref(), |_| Ok(()))
    }

    /// Streams texts one at a time in bounded memory; returns the skipped records' errors
    /// (lenient mode).
    pub fn for_each_text(
        &self,
        input: impl Read,
        source: impl AsRef<Path>,
        f: impl FnMut(TextRecord) -> Result<()>,
    ) -> Result<Vec<crate::Error>> {
        self.stream::<TextIn>(input, source.as_ref(), f)
    }

    /// Reads job titles (`{"id": "...", "title": "...", "text": "..."}`, `text` optional).
    pub fn titles(&self, input: impl Read, source: impl AsRef<Path>) -> Result<Loaded<TitleRecord>> {
        self.read_checked::<TitleIn>(input, source.as_ref(), |_| Ok(()))
    }

    /// Streams job titles one at a time in bounded memory; see [`Loader::for_each_text`].
    pub fn for_each_title(
        &self,
        input: impl Read,
        source: impl AsRef<Path>,
        f: impl FnMut(TitleRecord) -> Result<()>,
    ) -> Result<Vec<crate::Error>> {
        self.stream::<TitleIn>(input, source.as_ref(), f)
    }
}

#[cfg(test)]
mod tests {
    use crate::{ErrorKind, LoadMode, Loader, Taxonomy};

    #[test]
    fn texts_and_titles_load_with_positions() {
        let t = Taxonomy::builder("t").build().expect("empty taxonomy builds");
        let input = "{\"id\":\"a\",\"text\":\"Las SMAW\"}\n{\"id\":\"b\"}\n{\"id\":\"a\",\"text\":\"x\"}\n";
        let l = Loader::new(&t).mode(LoadMode::Lenient).texts(input.as_bytes(), "in.jsonl").expect("lenient");
        assert_eq!(l.records.len(), 1);
        assert_eq!(l.errors.len(), 2);
        assert_eq!(l.errors[0].position().line, Some(2));
        assert!(matches!(l.errors[0].kind(), ErrorKind::Missing(_) | ErrorKind::Syntax(_)));
        assert!(matches!(l.errors[1].kind(), ErrorKind::Duplicate(_)));

        let input = "{\"id\":\"a\",\"title\":\"Juru Las\"}\n{\"id\":\"b\",\"title\":\"  \"}\n";
        let err = Loader::new(&t).titles(input.as_bytes(), "titles.jsonl").expect_err("empty title");
        assert_eq!(err.position().line, Some(2));
        assert_eq!(err.position().field.as_deref(), Some("title"));
        let mut seen = Vec::new();
        let skipped = Loader::new(&t)
            .mode(LoadMode::Lenient)
            .for_each_title(input.as_bytes(), "titles.jsonl", |r| {
                seen.push(r.id);
                Ok(())
            })
            .expect("lenient");
        assert_eq!(seen, ["a"]);
        assert_eq!(skipped.len(), 1);
    }
}
