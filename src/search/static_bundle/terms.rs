//! The term shards of the static index: every stemmed word of every document with one
//! precomputed integer weight per document, split into files by the word's first two
//! characters so that a query downloads only the shards of its own words.
//!
//! A weight is BM25's term-frequency part summed over the fields with tantivy's boosts
//! (status message 5 > title 3 > symptoms 2 > description 1.5 > body 1), times [`SCALE`],
//! rounded: `Σ boost × tf·(k1+1) / (tf + k1·(1 − b + b·len/avg_len))`, with `len` rounded
//! as tantivy stores field lengths (one byte per document). The browser multiplies it by
//! the idf, `ln(1 + (N − n + 0.5) / (n + 0.5))`, from the posting list's length `n` and the
//! document count `N`: BM25 with one idf for all fields, which is how tantivy scores too
//! (see `schema::Statistics`), so both engines give a document the same score.
//!
//! Status messages and titles also index their word pairs ("photo not", "not sync"; none
//! with a number), in the shard of the pair's first word, at the boost of tantivy's phrase
//! match on those fields: a query that repeats a title word for word ranks that page first,
//! with no positions stored. A pair's weight already holds its idf, the sum of its words'
//! as in tantivy's phrase scoring.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use foldhash::HashMap;

use super::super::SearchDoc;
use super::super::normalize::{for_each_word, is_number};
use super::super::schema::{
    BOOST_BODY, BOOST_DESCRIPTION, BOOST_STATUS, BOOST_SYMPTOMS, BOOST_TITLE, PHRASE_BOOST,
};
use super::super::stem::Stemmer;

/// Number of weighted fields: five of words, two of word pairs.
const N_FIELDS: usize = 7;
/// The weighted fields, in the order of [`BOOSTS`].
pub(super) const FIELDS: [&str; N_FIELDS] = [
    "status",
    "title",
    "symptoms",
    "description",
    "body",
    "status_pairs",
    "title_pairs",
];
/// Boost of each of [`FIELDS`].
pub(super) const BOOSTS: [f32; N_FIELDS] = [
    BOOST_STATUS,
    BOOST_TITLE,
    BOOST_SYMPTOMS,
    BOOST_DESCRIPTION,
    BOOST_BODY,
    BOOST_STATUS * PHRASE_BOOST,
    BOOST_TITLE * PHRASE_BOOST,
];
/// Fields whose word pairs are indexed, and the field of their pairs.
const PAIRED: [(usize, usize); 2] = [(0, 5), (1, 6)];
/// BM25's term-frequency saturation and length normalization, tantivy's values.
pub(super) const K1: f64 = 1.2;
pub(super) const B: f64 = 0.75;
/// Weights are stored as `round(weight × SCALE)`: a body word in a body of average length
/// weighs 8, a title word ~20. Finer weights would make the two engines' scores closer
/// (1/32 gives ~1.5%) but cost ~25% more bytes per shard downloaded; at 1/8 the engines
/// rank alike but for pages whose scores are within a few percent.
pub(super) const SCALE: f64 = 8.0;
/// Characters of a term that name its shard.
pub(super) const SHARD_KEY_CHARS: usize = 2;

/// How often one term occurs in each field of one document.
#[derive(Debug, Clone, Copy)]
struct Posting {
    doc: u32,
    tf: [u16; N_FIELDS],
}

/// One term's postings in document order, packed: each is the document number's difference
/// to the previous one, a byte with a bit per field the term occurs in, and those fields'
/// frequencies, all numbers as LEB128 varints. Most postings are a word in the body alone:
/// 3 bytes instead of 20, which is most of the index's memory on a large site.
#[derive(Default)]
struct PostingList {
    bytes: Vec<u8>,
    /// Postings in the list.
    count: u32,
    /// The last posting's document.
    last: u32,
}

impl PostingList {
    /// Appends a posting of a document after the last one, with a non-zero frequency.
    fn push(&mut self, posting: &Posting) {
        push_varint(&mut self.bytes, posting.doc - self.last);
        let mut mask = 0u8;
        for (field, tf) in posting.tf.iter().enumerate() {
            if *tf > 0 {
                mask |= 1 << field;
            }
        }
        self.bytes.push(mask);
        for tf in posting.tf.iter().filter(|tf| **tf > 0) {
            push_varint(&mut self.bytes, u32::from(*tf));
        }
        self.count += 1;
        self.last = posting.doc;
    }

    fn iter(&self) -> impl Iterator<Item = Posting> + '_ {
        let mut at = 0;
        let mut doc = 0;
        std::iter::from_fn(move || {
            if at >= self.bytes.len() {
                return None;
            }
            doc += read_varint(&self.bytes, &mut at);
            let mask = self.bytes.get(at).copied().unwrap_or(0);
            at += 1;
            let mut tf = [0u16; N_FIELDS];
            for (field, slot) in tf.iter_mut().enumerate() {
                if mask & (1 << field) != 0 {
                    *slot = u16::try_from(read_varint(&self.bytes, &mut at)).unwrap_or(u16::MAX);
                }
            }
            Some(Posting { doc, tf })
        })
    }
}

fn push_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a varint written by [`push_varint`] at `at`, moving past it.
fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut n = 0u32;
    let mut shift = 0;
    while let Some(&byte) = bytes.get(*at) {
        *at += 1;
        n |= u32::from(byte & 0x7f) << shift;
        if byte < 0x80 || shift >= 28 {
            break;
        }
        shift += 7;
    }
    n
}

/// Every term of a set of documents with its postings, in document order.
pub(super) struct Postings {
    terms: Vec<String>,
    lists: Vec<PostingList>,
    /// The words of each pair term, by term id (`None` for a word).
    pair_words: Vec<Option<(u32, u32)>>,
    /// Terms per field per document.
    lengths: Vec<[u32; N_FIELDS]>,
    /// While documents are added: the term ids of words and pairs seen so far, one
    /// document's frequencies, and a word buffer.
    ids: Vocabulary,
    local: Frequencies,
    scratch: String,
}

fn field_texts(doc: &SearchDoc) -> [Vec<&str>; 5] {
    [
        doc.status_messages.iter().map(String::as_str).collect(),
        vec![doc.title.as_str()],
        doc.symptoms.iter().map(String::as_str).collect(),
        vec![doc.description.as_str()],
        vec![doc.body.as_str()],
    ]
}

/// Term ids, assigned in order of first appearance; a pair is also found by its words' ids,
/// which spares writing out the pair's text for every occurrence.
#[derive(Default)]
struct Vocabulary {
    /// Every word as written (normalized) → its term id and whether it is a number: each
    /// distinct word is stemmed once, not at each of its occurrences.
    written: HashMap<String, (u32, bool)>,
    words: HashMap<String, u32>,
    stemmer: Stemmer,
    pairs: HashMap<(u32, u32), u32>,
}

impl Postings {
    fn add_term(&mut self, term: String) -> u32 {
        let id = self.terms.len() as u32;
        self.terms.push(term);
        self.lists.push(PostingList::default());
        self.pair_words.push(None);
        id
    }

    /// The term id of a normalized word (of its stem) and whether the word is a number.
    fn word_id(&mut self, ids: &mut Vocabulary, word: &str) -> (u32, bool) {
        if let Some(&known) = ids.written.get(word) {
            return known;
        }
        let stemmed = ids.stemmer.stem(word);
        let id = match ids.words.get(stemmed.as_ref()) {
            Some(&id) => id,
            None => {
                let id = self.add_term(stemmed.to_string());
                ids.words.insert(stemmed.into_owned(), id);
                id
            }
        };
        let known = (id, is_number(word));
        ids.written.insert(word.to_owned(), known);
        known
    }

    fn pair_id(&mut self, ids: &mut Vocabulary, first: u32, second: u32) -> u32 {
        if let Some(&id) = ids.pairs.get(&(first, second)) {
            return id;
        }
        let text = format!(
            "{} {}",
            self.terms[first as usize], self.terms[second as usize]
        );
        let id = self.add_term(text);
        self.pair_words[id as usize] = Some((first, second));
        ids.pairs.insert((first, second), id);
        id
    }

    /// Tokenizes every field of every document, its words stemmed by `stemmer`; document
    /// numbers are positions in `docs`.
    #[cfg(test)]
    pub(super) fn build(docs: &[SearchDoc], stemmer: Stemmer) -> Postings {
        let mut postings = Postings::new(stemmer);
        for doc in docs {
            postings.add(doc);
        }
        postings
    }

    /// No documents yet; words will be stemmed by `stemmer`.
    pub(super) fn new(stemmer: Stemmer) -> Postings {
        Postings {
            terms: Vec::new(),
            lists: Vec::new(),
            pair_words: Vec::new(),
            lengths: Vec::new(),
            ids: Vocabulary {
                stemmer,
                ..Vocabulary::default()
            },
            local: Frequencies::default(),
            scratch: String::new(),
        }
    }

    /// Tokenizes every field of the next document (numbered by the order of adding).
    pub(super) fn add(&mut self, doc: &SearchDoc) {
        let number = self.lengths.len() as u32;
        // Taken out while the document is read, as adding terms borrows `self` too.
        let mut ids = std::mem::take(&mut self.ids);
        let mut local = std::mem::take(&mut self.local);
        let mut scratch = std::mem::take(&mut self.scratch);
        let mut lengths = [0u32; N_FIELDS];
        for (field, texts) in field_texts(doc).iter().enumerate() {
            let pairs = PAIRED.iter().find(|(of, _)| *of == field).map(|p| p.1);
            for text in texts {
                let mut previous: Option<u32> = None;
                for_each_word(text, &mut scratch, |word| {
                    let (id, number) = self.word_id(&mut ids, word);
                    local.count(id, field);
                    lengths[field] += 1;
                    // A count ("Uploading 34 items") stands for any number: pairs with one
                    // would only add bytes to the shards.
                    if let (Some(pairs), Some(before), false) = (pairs, previous, number) {
                        let pair = self.pair_id(&mut ids, before, id);
                        local.count(pair, pairs);
                    }
                    previous = (!number).then_some(id);
                });
            }
        }
        for (id, tf) in local.drain() {
            self.lists[id as usize].push(&Posting { doc: number, tf });
        }
        self.lengths.push(lengths);
        self.ids = ids;
        self.local = local;
        self.scratch = scratch;
    }

    /// The shard files: shard key → JSON object `{"term":[doc, weight, doc delta, weight,
    /// …]}`, terms sorted, each posting list by document number with every document number
    /// but the first stored as the difference to the previous one; the list of a term in at
    /// least one document in [`DENSE_EVERY`] is a string instead (see [`push_dense`]).
    pub(super) fn shards(&self) -> BTreeMap<String, String> {
        let weigh = Weigher::new(&self.lengths);
        let docs = self.lengths.len() as u64;
        let idf = |word: u32| bm25_idf(u64::from(self.lists[word as usize].count), docs);
        let mut order: Vec<usize> = (0..self.terms.len()).collect();
        order.sort_by(|&a, &b| self.terms[a].cmp(&self.terms[b]));
        let mut shards: BTreeMap<String, String> = BTreeMap::new();
        for id in order {
            let term = &self.terms[id];
            let shard = shards
                .entry(shard_key(term))
                .or_insert_with(|| "{".to_owned());
            if shard.len() > 1 {
                shard.push(',');
            }
            // Terms are alphanumeric characters and, in pairs, one space (see `normalize`):
            // nothing in them needs escaping in a JSON string.
            shard.push('"');
            shard.push_str(term);
            shard.push_str("\":");
            let factor = self.pair_words[id].map_or(1.0, |(a, b)| idf(a) + idf(b));
            let list = &self.lists[id];
            let weights = list
                .iter()
                .map(|posting| (posting.doc, weigh.weight(&posting, factor)));
            if u64::from(list.count) * DENSE_EVERY >= docs {
                shard.push('"');
                push_dense(shard, weights);
                shard.push('"');
            } else {
                shard.push('[');
                let mut previous = 0;
                for (i, (doc, weight)) in weights.enumerate() {
                    if i > 0 {
                        shard.push(',');
                    }
                    push_number(shard, doc - previous);
                    shard.push(',');
                    push_number(shard, weight);
                    previous = doc;
                }
                shard.push(']');
            }
        }
        for shard in shards.values_mut() {
            shard.push('}');
        }
        shards
    }
}

/// A term in at least one document in this many is written densely (see [`push_dense`]):
/// from about one in six, a character per document is smaller gzipped than the list of
/// numbers (a third smaller for a word nearly every page has).
const DENSE_EVERY: u64 = 6;
/// The characters of a dense list: `#` to `}` but `\\`, nothing a JSON string escapes.
/// The `i`th stands for weight `i`, `#` for a document without the term; `~` opens and
/// closes a weight written in decimal (90 and up).
const DENSE_DIRECT: u32 = 90;
const DENSE_ESCAPE: char = '~';

fn dense_char(weight: u32) -> char {
    // 35 (`#`) up, skipping 92 (`\\`).
    let code = 35 + weight + u32::from(weight >= 57);
    char::from_u32(code).unwrap_or(DENSE_ESCAPE)
}

/// A posting list as one character per document up to its last one (see
/// [`DENSE_DIRECT`]): `"#)#~120~"` is document 1 with weight 6 and document 3 with 120.
fn push_dense(out: &mut String, postings: impl Iterator<Item = (u32, u32)>) {
    let mut next = 0;
    for (doc, weight) in postings {
        for _ in next..doc {
            out.push(dense_char(0));
        }
        if weight < DENSE_DIRECT {
            out.push(dense_char(weight));
        } else {
            out.push(DENSE_ESCAPE);
            push_number(out, weight);
            out.push(DENSE_ESCAPE);
        }
        next = doc + 1;
    }
}

/// Term frequencies of one document, by term id: a slot per term of the vocabulary, and
/// the ids this document touched, so that emptying it costs only what filled it.
#[derive(Default)]
struct Frequencies {
    tf: Vec<[u16; N_FIELDS]>,
    touched: Vec<u32>,
}

impl Frequencies {
    fn count(&mut self, id: u32, field: usize) {
        let slot = id as usize;
        if slot >= self.tf.len() {
            self.tf.resize(slot + 1, [0; N_FIELDS]);
        }
        let tf = &mut self.tf[slot];
        if *tf == [0; N_FIELDS] {
            self.touched.push(id);
        }
        tf[field] = tf[field].saturating_add(1);
    }

    /// Every touched term with its frequencies, leaving all slots empty.
    fn drain(&mut self) -> impl Iterator<Item = (u32, [u16; N_FIELDS])> + '_ {
        self.touched
            .drain(..)
            .map(|id| (id, std::mem::take(&mut self.tf[id as usize])))
    }
}

/// Appends `n` in decimal, as `write!` would, without the formatting machinery: the shards
/// hold millions of numbers.
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&d| char::from(d)));
}

/// tantivy's idf of a term in `n` of `docs` documents.
fn bm25_idf(n: u64, docs: u64) -> f64 {
    let n = n.min(docs) as f64;
    (1.0 + (docs as f64 - n + 0.5) / (n + 0.5)).ln()
}

/// The length of a field as tantivy stores it: exact up to 40 words, then rounded down to
/// one of 256 steps.
fn stored_length(len: u32) -> u32 {
    tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm(
        tantivy::fieldnorm::FieldNormReader::fieldnorm_to_id(len),
    )
}

/// The field whose length a pair field is scored by: its words' field, as a phrase match
/// in tantivy is.
fn length_field(field: usize) -> usize {
    PAIRED
        .iter()
        .find(|(_, pairs)| *pairs == field)
        .map_or(field, |(words, _)| *words)
}

/// BM25 term-frequency weights with the average field lengths of the whole set.
struct Weigher<'a> {
    lengths: &'a [[u32; N_FIELDS]],
    average: [f64; N_FIELDS],
}

impl Weigher<'_> {
    fn new(lengths: &[[u32; N_FIELDS]]) -> Weigher<'_> {
        let mut totals = [0u64; N_FIELDS];
        for doc in lengths {
            for (sum, len) in totals.iter_mut().zip(doc) {
                *sum += u64::from(*len);
            }
        }
        // As tantivy: the total number of words over the number of documents.
        let count = lengths.len().max(1) as f64;
        let average = totals.map(|total| total as f64 / count);
        Weigher { lengths, average }
    }

    /// The weight of a posting, times `factor` (a pair's idf, else 1).
    fn weight(&self, posting: &Posting, factor: f64) -> u32 {
        let lengths = &self.lengths[posting.doc as usize];
        let mut weight = 0.0;
        for (field, boost) in BOOSTS.iter().enumerate() {
            let tf = f64::from(posting.tf[field]);
            if tf == 0.0 {
                continue;
            }
            let of = length_field(field);
            // A field with occurrences has a length > 0, so its average is > 0 too.
            let relative = f64::from(stored_length(lengths[of])) / self.average[of];
            let saturated = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * relative));
            weight += f64::from(*boost) * saturated;
        }
        // Every posting keeps a weight of at least 1: a match is never worth nothing.
        ((weight * factor * SCALE).round() as u32).max(1)
    }
}

/// The shard a term lives in: its first [`SHARD_KEY_CHARS`] characters, each kept when it
/// is `a-z` or `0-9` and written `_<hex code point>_` otherwise, so any term gives a safe,
/// unambiguous file name ("é" → `_e9_`). A word pair lives with its first word.
pub(crate) fn shard_key(term: &str) -> String {
    let mut key = String::new();
    for c in term.chars().take_while(|c| *c != ' ').take(SHARD_KEY_CHARS) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            key.push(c);
        } else {
            let _ = write!(key, "_{:x}_", u32::from(c));
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::super::super::fixtures::sample_docs;
    use super::*;

    /// Decodes a shard's posting lists, dense or not, back to (doc, weight) pairs.
    fn decode(shard: &str) -> BTreeMap<String, Vec<(u32, u32)>> {
        let raw: BTreeMap<String, serde_json::Value> = serde_json::from_str(shard).unwrap();
        raw.into_iter()
            .map(|(term, list)| {
                let pairs = match list {
                    serde_json::Value::String(dense) => undense(&dense),
                    list => {
                        let flat: Vec<u32> = serde_json::from_value(list).unwrap();
                        let mut doc = 0;
                        flat.chunks(2)
                            .map(|pair| {
                                doc += pair[0];
                                (doc, pair[1])
                            })
                            .collect()
                    }
                };
                (term, pairs)
            })
            .collect()
    }

    /// The reading of [`push_dense`] that `search-engine.js` does.
    fn undense(dense: &str) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        let mut chars = dense.chars();
        let mut doc = 0;
        while let Some(c) = chars.next() {
            let weight = if c == DENSE_ESCAPE {
                let digits: String = chars.by_ref().take_while(|&c| c != DENSE_ESCAPE).collect();
                digits.parse().unwrap()
            } else {
                let code = u32::from(c);
                code - 35 - u32::from(code > 92)
            };
            if weight > 0 {
                out.push((doc, weight));
            }
            doc += 1;
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn packed_posting_lists_give_back_every_posting(
            raw in proptest::collection::vec((0u32..5_000, proptest::array::uniform7(0u16..=u16::MAX)), 0..60)
        ) {
            let mut doc = 0;
            let postings: Vec<Posting> = raw
                .into_iter()
                .map(|(gap, mut tf)| {
                    doc += gap + 1;
                    tf[4] = tf[4].max(1);
                    Posting { doc, tf }
                })
                .collect();
            let mut list = PostingList::default();
            for posting in &postings {
                list.push(posting);
            }
            let read: Vec<(u32, [u16; N_FIELDS])> = list.iter().map(|p| (p.doc, p.tf)).collect();
            let wanted: Vec<(u32, [u16; N_FIELDS])> = postings.iter().map(|p| (p.doc, p.tf)).collect();
            proptest::prop_assert_eq!(read, wanted);
            proptest::prop_assert_eq!(list.count as usize, postings.len());
        }
    }

    #[test]
    fn a_body_word_posting_takes_three_bytes() {
        let mut list = PostingList::default();
        list.push(&Posting {
            doc: 3,
            tf: [0, 0, 0, 0, 2, 0, 0],
        });
        list.push(&Posting {
            doc: 90,
            tf: [0, 0, 0, 0, 1, 0, 0],
        });
        assert_eq!(list.bytes, [3, 0b1_0000, 2, 87, 0b1_0000, 1]);
    }

    #[test]
    fn dense_lists_write_every_weight_and_skip_the_rest() {
        let mut out = String::new();
        push_dense(
            &mut out,
            [(1, 6), (3, 120), (4, 56), (5, 57), (6, 89), (7, 90)].into_iter(),
        );
        assert_eq!(out, "#)#~120~[]}~90~");
        assert_eq!(
            undense(&out),
            vec![(1, 6), (3, 120), (4, 56), (5, 57), (6, 89), (7, 90)]
        );
        assert!(!out.contains('\\') && !out.contains('"'));
        for weight in 0..DENSE_DIRECT {
            assert_eq!(
                undense(&dense_char(weight).to_string())
                    .first()
                    .map(|p| p.1),
                (weight > 0).then_some(weight)
            );
        }
    }

    #[test]
    fn a_word_most_documents_have_is_written_densely() {
        let docs = sample_docs();
        let shards = Postings::build(&docs, Stemmer::English).shards();
        let dense: Vec<&String> = shards
            .values()
            .filter(|shard| shard.contains(":\""))
            .collect();
        assert!(!dense.is_empty(), "no dense list in {shards:?}");
        // Decoded, a dense list is the same postings as written out in numbers.
        let postings = Postings::build(&docs, Stemmer::English);
        for shard in dense {
            for (term, list) in decode(shard) {
                let id = postings.terms.iter().position(|t| *t == term).unwrap();
                let docs_with: Vec<u32> = postings.lists[id].iter().map(|p| p.doc).collect();
                assert_eq!(
                    list.iter().map(|p| p.0).collect::<Vec<_>>(),
                    docs_with,
                    "{term}"
                );
            }
        }
    }

    fn posting(term: &str, url: &str) -> u32 {
        let docs = sample_docs();
        let doc = docs.iter().position(|d| d.url == url).unwrap() as u32;
        let shards = Postings::build(&docs, Stemmer::English).shards();
        let lists = decode(&shards[&shard_key(term)]);
        lists[term]
            .iter()
            .find(|(d, _)| *d == doc)
            .map(|(_, w)| *w)
            .unwrap_or_else(|| panic!("{term} not in {url}"))
    }

    #[test]
    fn shard_keys_escape_anything_but_ascii_letters_and_digits() {
        assert_eq!(shard_key("sync"), "sy");
        assert_eq!(shard_key("a"), "a");
        assert_eq!(shard_key("1234"), "12");
        assert_eq!(shard_key("échouée"), "_e9_c");
        assert_eq!(shard_key("日本語"), "_65e5__672c_");
        assert_eq!(shard_key("ǆx"), "_1c6_x");
    }

    #[test]
    fn shards_hold_every_term_under_its_key_with_postings_in_document_order() {
        let shards = Postings::build(&sample_docs(), Stemmer::English).shards();
        for (key, shard) in &shards {
            for (term, postings) in decode(shard) {
                assert_eq!(&shard_key(&term), key);
                assert!(!postings.is_empty());
                assert!(postings.windows(2).all(|p| p[0].0 < p[1].0), "{term}");
                assert!(postings.iter().all(|(_, w)| *w >= 1));
            }
        }
        let up = decode(&shards["up"]);
        // "uploads", "uploading" and "upload" share one stem.
        assert!(up.contains_key("upload"));
        assert!(!up.contains_key("uploads") && !up.contains_key("uploading"));
        assert!(decode(&shards["34"]).contains_key("34"));
    }

    #[test]
    fn status_messages_and_titles_index_word_pairs_without_numbers() {
        let shards = Postings::build(&sample_docs(), Stemmer::English).shards();
        let has = |pair: &str| {
            shards
                .get(&shard_key(pair))
                .is_some_and(|shard| decode(shard).contains_key(pair))
        };
        // Title "Shared album stopped updating", status message "Waiting To Upload".
        for pair in [
            "shar album",
            "album stop",
            "stop updat",
            "wait to",
            "to upload",
        ] {
            assert!(has(pair), "{pair}");
            assert_eq!(shard_key(pair), shard_key(pair.split(' ').next().unwrap()));
        }
        // Alias "Paused uploading 34 items": the count breaks the pairs around it.
        assert!(has("paus upload"));
        assert!(!has("upload 34") && !has("34 item"));
        // Bodies, symptoms and descriptions have no pairs ("... are the usual cause.").
        assert!(!has("usual caus"));
        assert!(!has("old cover"));
    }

    #[test]
    fn odd_terms_are_indexed_under_escaped_keys() {
        let mut docs = sample_docs();
        docs[0].body = "Mise à jour ÉCHOUÉE: erreur 1,234 — 日本語".to_owned();
        let shards = Postings::build(&docs, Stemmer::English).shards();
        // Accents are folded and Japanese is cut into pairs of characters.
        assert!(decode(&shards["ec"]).contains_key("echoue"));
        assert!(decode(&shards["12"]).contains_key("1234"));
        assert!(decode(&shards["_65e5__672c_"]).contains_key("日本"));
        assert!(decode(&shards["_672c__8a9e_"]).contains_key("本語"));
    }

    #[test]
    fn a_word_weighs_most_in_a_status_message_then_a_title_then_the_body() {
        // "paused" is a status message of the article, "stopped" in its title, "cause" in
        // its body only; each once.
        let article = "/articles/shared-album-stopped-updating/";
        let status = posting("paus", article);
        let title = posting("stop", article);
        let body = posting("caus", article);
        assert!(status > title && title > body, "{status} {title} {body}");
    }

    #[test]
    fn repeated_words_weigh_more_but_saturate() {
        let mut docs = sample_docs();
        let once = docs.len();
        for repeat in [1, 2, 50] {
            let mut doc = docs[0].clone();
            doc.url = format!("/r{repeat}/");
            doc.body = format!("{} tail", "zebra ".repeat(repeat));
            docs.push(doc);
        }
        let shards = Postings::build(&docs, Stemmer::English).shards();
        let zebra = &decode(&shards["ze"])["zebra"];
        let weights: Vec<u32> = zebra.iter().map(|(_, w)| *w).collect();
        assert_eq!(zebra[0].0 as usize, once);
        assert!(
            weights[0] < weights[1] && weights[1] < weights[2],
            "{weights:?}"
        );
        let limit = (f64::from(BOOST_BODY) * (K1 + 1.0) * SCALE).round() as u32;
        assert!(weights[2] <= limit, "{weights:?}");
    }

    #[test]
    fn numbers_are_written_as_format_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 4_294_967, u32::MAX] {
            let mut out = String::from("x");
            push_number(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }

    #[test]
    fn same_documents_give_the_same_shards() {
        let docs = sample_docs();
        assert_eq!(
            Postings::build(&docs, Stemmer::English).shards(),
            Postings::build(&docs, Stemmer::English).shards()
        );
    }
}
