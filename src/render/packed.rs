//! Text a build keeps but seldom reads, held compressed: a rendered body's HTML and search
//! text live from rendering to the end of the build (and in the build cache between
//! builds), yet each is read by one or two pages. LZ4 (`lz4_flex`, already in the
//! dependency tree through tantivy, with its bounds-checked decoder) packs body HTML
//! several times at hundreds of MB/s, so a large site holds a fraction of the bytes for a
//! few percent more work; a very large one writes them out to a [`Spill`] file instead.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// LZ4 cannot expand data more than about 255×: a packed text claiming more is damaged.
const MAX_RATIO: usize = 255;

/// A string kept LZ4-compressed; [`Packed::unpack`] gives it back. The same text always
/// packs to the same bytes, so equality and hashes of the packed bytes are those of the text.
/// Its bytes are in memory, or in a [`Spill`] file once [`Spill::take`] wrote them out.
#[derive(Clone, Default)]
pub struct Packed {
    bytes: Bytes,
}

/// The text's length in bytes (little-endian `u32`) and its LZ4 block; empty for "".
#[derive(Clone)]
enum Bytes {
    Held(Box<[u8]>),
    Spilled {
        spill: Arc<Spill>,
        offset: u64,
        len: u32,
    },
}

impl Default for Bytes {
    fn default() -> Self {
        Bytes::Held(Box::default())
    }
}

impl Packed {
    /// Packs `text`.
    pub fn new(text: &str) -> Self {
        if text.is_empty() {
            return Packed::default();
        }
        Packed {
            bytes: Bytes::Held(lz4_flex::compress_prepend_size(text.as_bytes()).into_boxed_slice()),
        }
    }

    /// The text. A damaged packing (only possible from a damaged cache file, which is
    /// checked as a whole before use) gives what can be read of it, never a panic; so does
    /// a spilled one that cannot be read back, which its [`Spill`] remembers.
    pub fn unpack(&self) -> String {
        let bytes = self.as_bytes();
        if bytes.is_empty() {
            return String::new();
        }
        match lz4_flex::decompress_size_prepended(&bytes) {
            Ok(bytes) => String::from_utf8(bytes)
                .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned()),
            Err(_) => String::new(),
        }
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        match &self.bytes {
            Bytes::Held(bytes) => bytes.is_empty(),
            Bytes::Spilled { .. } => false,
        }
    }

    /// The packed bytes: what a digest of the text may hash instead of the text. Those of
    /// a spilled packing are read back; if that fails, they are empty and the spill
    /// remembers the error ([`Spill::failure`]).
    pub fn as_bytes(&self) -> Cow<'_, [u8]> {
        match &self.bytes {
            Bytes::Held(bytes) => Cow::Borrowed(bytes),
            Bytes::Spilled { spill, .. } => match self.read() {
                Ok(bytes) => bytes,
                Err(err) => {
                    spill.remember(err);
                    Cow::Borrowed(&[])
                }
            },
        }
    }

    fn read(&self) -> io::Result<Cow<'_, [u8]>> {
        match &self.bytes {
            Bytes::Held(bytes) => Ok(Cow::Borrowed(bytes)),
            Bytes::Spilled { spill, offset, len } => spill.read(*offset, *len).map(Cow::Owned),
        }
    }

    /// How many packed bytes are held in memory.
    pub fn held(&self) -> usize {
        match &self.bytes {
            Bytes::Held(bytes) => bytes.len(),
            Bytes::Spilled { .. } => 0,
        }
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

/// An unnamed file (gone when the build ends, however it ends) holding packed texts let
/// go from memory ([`Spill::take`]): a build of 100,000 articles would otherwise hold about
/// 350 MB of packed bodies from rendering to the end, each read again by one or two pages,
/// which the system's file cache serves. It remembers the first error reading one back:
/// a build that could not read back what it wrote must fail before its output is swapped in.
pub struct Spill {
    file: File,
    writer: Mutex<Writer>,
    failed: Mutex<Option<io::Error>>,
}

/// The end of the spill file, written through a buffer.
struct Writer {
    out: BufWriter<File>,
    offset: u64,
    /// Bytes written since the last flush, which reads must wait for.
    pending: bool,
    /// A write failed: what follows stays in memory.
    broken: bool,
}

impl Spill {
    /// A new spill file in `dir`.
    pub fn create_in(dir: &Path) -> io::Result<Arc<Spill>> {
        let file = tempfile::tempfile_in(dir)?;
        Ok(Arc::new(Spill::new(file)?))
    }

    fn new(file: File) -> io::Result<Spill> {
        let out = BufWriter::with_capacity(1 << 20, file.try_clone()?);
        Ok(Spill {
            file,
            writer: Mutex::new(Writer {
                out,
                offset: 0,
                pending: false,
                broken: false,
            }),
            failed: Mutex::new(None),
        })
    }

    /// Writes the bytes `packed` holds to the file and lets them go from memory; when
    /// writing fails it keeps them.
    pub fn take(self: &Arc<Self>, packed: &mut Packed) {
        let Bytes::Held(bytes) = &packed.bytes else {
            return;
        };
        let Ok(len) = u32::try_from(bytes.len()) else {
            return;
        };
        if len == 0 {
            return;
        }
        let Ok(mut writer) = self.writer.lock() else {
            return;
        };
        if writer.broken {
            return;
        }
        if writer.out.write_all(bytes).is_err() {
            // How much of it reached the file is unknown: nothing more is written.
            writer.broken = true;
            return;
        }
        let offset = writer.offset;
        writer.offset += u64::from(len);
        writer.pending = true;
        drop(writer);
        packed.bytes = Bytes::Spilled {
            spill: Arc::clone(self),
            offset,
            len,
        };
    }

    fn read(&self, offset: u64, len: u32) -> io::Result<Vec<u8>> {
        {
            let mut writer = self
                .writer
                .lock()
                .map_err(|_| io::Error::other("the spill file's writer failed"))?;
            if writer.pending {
                writer.out.flush()?;
                writer.pending = false;
            }
        }
        let mut bytes = vec![0; len as usize];
        read_exact_at(&self.file, &mut bytes, offset)?;
        Ok(bytes)
    }

    fn remember(&self, err: io::Error) {
        if let Ok(mut failed) = self.failed.lock() {
            failed.get_or_insert(err);
        }
    }

    /// The first error reading a packing back, if any.
    pub fn failure(&self) -> Option<io::Error> {
        self.failed.lock().ok().and_then(|mut failed| failed.take())
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

impl PartialEq for Packed {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Packed {}

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
        let bytes = self.read().map_err(serde::ser::Error::custom)?;
        serializer.serialize_bytes(&bytes)
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
                    bytes: Bytes::Held(bytes.into_boxed_slice()),
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
            .as_bytes()
            .into_owned();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        bytes.truncate(last - 3);
        let damaged = Packed {
            bytes: Bytes::Held(bytes.into_boxed_slice()),
        };
        let _ = damaged.unpack();
    }

    #[test]
    fn a_length_the_block_cannot_reach_is_refused_when_read() {
        let claims_4_gib = [0xff, 0xff, 0xff, 0xff, 0x10, b'a'];
        assert!(!Packed::plausible(&claims_4_gib));
        assert!(!Packed::plausible(&[1, 0]));
        assert!(Packed::plausible(&Packed::new("fine").as_bytes()));
        let encoded = postcard::to_stdvec(&claims_4_gib.as_slice()).unwrap();
        assert!(postcard::from_bytes::<Packed>(&encoded).is_err());
    }

    #[test]
    fn spilled_packings_read_back_as_they_were_held() {
        let dir = tempfile::tempdir().unwrap();
        let texts = ["<p>Waiting to upload</p>", "", "Paused: low battery", "x"];
        let held: Vec<Packed> = texts.iter().map(|t| Packed::new(t)).collect();
        let mut spilled = held.clone();
        let spill = Spill::create_in(dir.path()).unwrap();
        for packed in &mut spilled {
            spill.take(packed);
        }
        for (spilled, (held, text)) in spilled.iter().zip(held.iter().zip(texts)) {
            assert_eq!(spilled.held(), 0);
            assert_eq!(spilled.unpack(), text);
            assert_eq!(spilled, held);
            assert_eq!(spilled.is_empty(), text.is_empty());
            assert_eq!(
                postcard::to_stdvec(spilled).unwrap(),
                postcard::to_stdvec(held).unwrap()
            );
        }
        assert!(held[0].held() > 0);
        assert!(spill.failure().is_none());
        // The file has no name: nothing is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_spilled_packing_that_cannot_be_read_back_is_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spill");
        let file = File::create(&path).unwrap();
        let write_only = File::options().write(true).open(&path).unwrap();
        drop(file);
        let spill = Arc::new(Spill::new(write_only).unwrap());
        let packed = Packed {
            bytes: Bytes::Spilled {
                spill: Arc::clone(&spill),
                offset: 0,
                len: 8,
            },
        };
        assert_eq!(packed.unpack(), "");
        assert!(spill.failure().is_some());
        assert!(postcard::to_stdvec(&packed).is_err());
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
