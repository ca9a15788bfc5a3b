//! Text a build keeps but seldom reads, held compressed: a rendered body's HTML and search
//! text stay in memory from rendering to the end of the build (and in the build cache
//! between builds), yet each is read by one or two pages. LZ4 (`lz4_flex`, already in the
//! dependency tree through tantivy, with its bounds-checked decoder) packs body HTML
//! several times at hundreds of MB/s, so a large site holds a fraction of the bytes for a
//! few percent more work.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// LZ4 cannot expand data more than about 255×: a packed text claiming more is damaged.
const MAX_RATIO: usize = 255;

/// A string kept LZ4-compressed; [`Packed::unpack`] gives it back. The same text always
/// packs to the same bytes, so equality and hashes of the packed bytes are those of the text.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Packed {
    /// The text's length in bytes (little-endian `u32`) and its LZ4 block; empty for "".
    bytes: Box<[u8]>,
}

impl Packed {
    /// Packs `text`.
    pub fn new(text: &str) -> Self {
        if text.is_empty() {
            return Packed::default();
        }
        Packed {
            bytes: lz4_flex::compress_prepend_size(text.as_bytes()).into_boxed_slice(),
        }
    }

    /// The text. A damaged packing (only possible from a damaged cache file, which is
    /// checked as a whole before use) gives what can be read of it, never a panic.
    pub fn unpack(&self) -> String {
        if self.bytes.is_empty() {
            return String::new();
        }
        match lz4_flex::decompress_size_prepended(&self.bytes) {
            Ok(bytes) => String::from_utf8(bytes)
                .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned()),
            Err(_) => String::new(),
        }
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The packed bytes: what a digest of the text may hash instead of the text.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Whether `bytes` could be a packing: a length prefix the block could expand to.
    fn plausible(bytes: &[u8]) -> bool {
        match bytes {
            [] => true,
            [a, b, c, d, block @ ..] => {
                let claimed = u32::from_le_bytes([*a, *b, *c, *d]) as usize;
                claimed > 0 && claimed <= block.len().saturating_mul(MAX_RATIO)
            }
            _ => false,
        }
    }
}

impl From<&str> for Packed {
    fn from(text: &str) -> Self {
        Packed::new(text)
    }
}

impl fmt::Debug for Packed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.unpack(), f)
    }
}

impl Serialize for Packed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.bytes)
    }
}

impl<'de> Deserialize<'de> for Packed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Packed;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an LZ4-packed text")
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Packed, E> {
                self.visit_byte_buf(bytes.to_vec())
            }
            fn visit_byte_buf<E: serde::de::Error>(self, bytes: Vec<u8>) -> Result<Packed, E> {
                if !Packed::plausible(&bytes) {
                    return Err(E::custom("a packed text's length does not fit its bytes"));
                }
                Ok(Packed {
                    bytes: bytes.into_boxed_slice(),
                })
            }
        }
        deserializer.deserialize_byte_buf(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn empty_text_takes_no_bytes() {
        assert!(Packed::new("").is_empty());
        assert_eq!(Packed::new("").unpack(), "");
        assert!(!Packed::new("a").is_empty());
    }

    #[test]
    fn repetitive_html_packs_small() {
        let html = "<p>Open <strong>Settings</strong> and turn on iCloud Photos.</p>\n".repeat(50);
        let packed = Packed::new(&html);
        assert!(
            packed.as_bytes().len() * 10 < html.len(),
            "{}",
            packed.as_bytes().len()
        );
        assert_eq!(packed.unpack(), html);
    }

    #[test]
    fn a_damaged_packing_unpacks_without_panicking() {
        let mut bytes = Packed::new("Waiting to upload: the queue is paused")
            .bytes
            .into_vec();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        bytes.truncate(last - 3);
        let damaged = Packed {
            bytes: bytes.into_boxed_slice(),
        };
        let _ = damaged.unpack();
    }

    #[test]
    fn a_length_the_block_cannot_reach_is_refused_when_read() {
        let claims_4_gib = [0xff, 0xff, 0xff, 0xff, 0x10, b'a'];
        assert!(!Packed::plausible(&claims_4_gib));
        assert!(!Packed::plausible(&[1, 0]));
        assert!(Packed::plausible(Packed::new("fine").as_bytes()));
        let encoded = postcard::to_stdvec(&claims_4_gib.as_slice()).unwrap();
        assert!(postcard::from_bytes::<Packed>(&encoded).is_err());
    }

    proptest! {
        #[test]
        fn any_text_round_trips_through_packing_and_serde(text in "\\PC{0,400}") {
            let packed = Packed::new(&text);
            prop_assert_eq!(packed.unpack(), text.clone());
            prop_assert_eq!(packed.clone(), Packed::new(&text));
            let stored = postcard::to_stdvec(&packed).unwrap();
            let read: Packed = postcard::from_bytes(&stored).unwrap();
            prop_assert_eq!(read.unpack(), text);
        }
    }
}
