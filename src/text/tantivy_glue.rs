//! The analyzer as a tantivy tokenizer, so the index analyses exactly as extraction does.

use tantivy::tokenizer::{TextAnalyzer, Token as TantivyToken, TokenStream, Tokenizer};

use super::analyzer::Analyzer;

/// The name under which [`register_analyzers`] registers the bilingual analyzer.
pub const ANALYZER_NAME: &str = "sepadan";

/// A tantivy [`Tokenizer`] running an [`Analyzer`].
#[derive(Clone, Debug)]
pub struct SepadanTokenizer {
    analyzer: Analyzer,
}

impl SepadanTokenizer {
    /// Wraps an analyzer.
    pub fn new(analyzer: Analyzer) -> SepadanTokenizer {
        SepadanTokenizer { analyzer }
    }
}

/// The token stream of [`SepadanTokenizer`]: the analysed tokens of one text.
#[derive(Debug)]
pub struct SepadanTokenStream {
    tokens: Vec<TantivyToken>,
    // Index of the current token + 1; 0 before the first `advance`.
    next: usize,
    empty: TantivyToken,
}

impl Tokenizer for SepadanTokenizer {
    type TokenStream<'a> = SepadanTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SepadanTokenStream {
        let tokens = self
            .analyzer
            .analyze(text)
            .into_iter()
            .map(|t| TantivyToken {
                offset_from: t.start,
                offset_to: t.end,
                position: t.position as usize,
                text: t.text,
                position_length: 1,
            })
            .collect();
        SepadanTokenStream { tokens, next: 0, empty: TantivyToken::default() }
    }
}

impl TokenStream for SepadanTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &TantivyToken {
        match self.next.checked_sub(1).and_then(|i| self.tokens.get(i)) {
            Some(t) => t,
            None => &self.empty,
        }
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        match self.next.checked_sub(1) {
            Some(i) if i < self.tokens.len() => &mut self.tokens[i],
            _ => &mut self.empty,
        }
    }
}

/// Registers the analyzer on an index under [`ANALYZER_NAME`]. Call it every time an index is
/// created or opened: tantivy does not persist tokenizers.
pub fn register_analyzers(index: &tantivy::Index, analyzer: &Analyzer) {
    index.tokenizers().register(ANALYZER_NAME, TextAnalyzer::from(SepadanTokenizer::new(analyzer.clone())));
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::QueryParser;
    use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED};
    use tantivy::{doc, Index};

    #[test]
    fn index_and_query_agree_across_inflections() -> tantivy::Result<()> {
        let mut schema = Schema::builder();
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(ANALYZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let body = schema.add_text_field("body", TextOptions::default().set_indexing_options(indexing) | STORED);
        let index = Index::create_in_ram(schema.build());
        register_analyzers(&index, &Analyzer::new());
        let mut writer = index.writer(15_000_000)?;
        writer.add_document(doc!(body => "Dibutuhkan tukang las berpengalaman pengelasan SMAW"))?;
        writer.add_document(doc!(body => "Kasir minimarket, shift pagi"))?;
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        let parser = QueryParser::for_index(&index, vec![body]);
        let query = parser
            .parse_query("mengelas pengalaman")
            .map_err(|e| tantivy::TantivyError::InvalidArgument(e.to_string()))?;
        let hits = searcher.search(&query, &TopDocs::with_limit(5).order_by_score())?;
        assert_eq!(hits.len(), 1);
        // The welder posting (doc 0) matches through "pengelasan"/"las" and "berpengalaman".
        assert_eq!(hits[0].1.doc_id, 0);
        Ok(())
    }

    #[test]
    fn stream_before_advance_is_empty_not_a_panic() {
        let mut t = SepadanTokenizer::new(Analyzer::new());
        let mut s = t.token_stream("");
        assert_eq!(s.token().text, "");
        assert!(!s.advance());
        s.token_mut().text.push('x');
    }
}
