//! A value with the place in its file where it was written, kept small: a plan of 100,000
//! actions holds millions of these.

use serde::{Deserialize, Deserializer};

/// Where a value was written: 1-based line and column (in characters), and its byte range.
/// Sixteen bytes: how many characters the value spans is not kept (the text tells, where
/// a finding quotes it), so that a value and its place fit in 40 bytes, not 48.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Pos {
    line: u32,
    column: u32,
    offset: u32,
    len: u32,
}

impl Pos {
    /// 1-based line; 0 when unknown.
    #[must_use]
    pub fn line(self) -> u64 {
        u64::from(self.line)
    }

    /// 1-based column in characters; 0 when unknown.
    #[must_use]
    pub fn column(self) -> u64 {
        u64::from(self.column)
    }

    /// The byte offset of the value's first byte, when known.
    #[must_use]
    pub fn byte_offset(self) -> Option<usize> {
        (self.line > 0).then_some(self.offset as usize)
    }

    /// How many bytes the value spans (a quoted scalar's quotes included).
    #[must_use]
    pub fn byte_len(self) -> usize {
        self.len as usize
    }
}

impl From<serde_saphyr::Location> for Pos {
    fn from(location: serde_saphyr::Location) -> Self {
        let span = location.span();
        let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        let (offset, len) = match (span.byte_offset(), span.byte_len()) {
            (Some(offset), Some(len)) => (small(offset), small(len)),
            _ => (0, 0),
        };
        Self {
            line: small(location.line()),
            column: small(location.column()),
            offset,
            len,
        }
    }
}

/// A value with the place in its file where it was written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Sp<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub referenced: Pos,
}

impl<T> Sp<T> {
    /// A value at a position.
    #[must_use]
    pub fn new(value: T, referenced: Pos) -> Self {
        Self { value, referenced }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        Ok(Self {
            value: spanned.value,
            referenced: spanned.referenced.into(),
        })
    }
}
