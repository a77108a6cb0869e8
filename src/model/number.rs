//! Whole numbers as the plan's files write them: plain digits, `4` or `004` (the file
//! name's form, read as 4, never as octal); text in quotes is text, not a number.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

use super::Sp;

/// A scalar as YAML's core schema reads it, before the field's rule is applied.
enum Written {
    Integer(i128),
    Float(f64),
    Text(String),
    Empty,
    Other(&'static str),
}

impl<'de> Deserialize<'de> for Written {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = Written;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number")
            }

            fn visit_i64<E>(self, n: i64) -> Result<Written, E> {
                Ok(Written::Integer(n.into()))
            }

            fn visit_u64<E>(self, n: u64) -> Result<Written, E> {
                Ok(Written::Integer(n.into()))
            }

            fn visit_f64<E>(self, n: f64) -> Result<Written, E> {
                Ok(Written::Float(n))
            }

            fn visit_str<E>(self, text: &str) -> Result<Written, E> {
                Ok(Written::Text(text.to_owned()))
            }

            fn visit_bool<E>(self, _: bool) -> Result<Written, E> {
                Ok(Written::Other("`true` or `false`"))
            }

            fn visit_unit<E>(self) -> Result<Written, E> {
                Ok(Written::Empty)
            }

            fn visit_none<E>(self) -> Result<Written, E> {
                Ok(Written::Empty)
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Written, A::Error> {
                Err(de::Error::custom(not_a_number("a list")))
            }

            fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<Written, A::Error> {
                Err(de::Error::custom(not_a_number("a mapping")))
            }
        }
        deserializer.deserialize_any(Any)
    }
}

fn not_a_number(what: &str) -> String {
    format!("must be a whole number, not {what}\nwrite the number in digits, e.g. `4`")
}

/// Deserializes a whole number written in plain digits, keeping its position: `4`, `-4`,
/// `004`. Refused, each with the form to write instead: text in quotes (`"4"`), the other
/// spellings YAML knows (`+4`, `0x10`, `1_000`), fractions and anything not a number.
///
/// For `#[serde(deserialize_with = …)]`; the parser must read numbers with leading zeros
/// as text (serde-saphyr's `leading_zero_numbers_as_strings`), so that `004` reaches here
/// as written.
///
/// # Errors
/// When the value is not a whole number in plain digits, or does not fit in 64 bits.
pub fn whole_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Sp<i64>, D::Error> {
    let Sp { value, referenced } = Sp::<Written>::deserialize(deserializer)?;
    // A plain scalar spans exactly its text; quotes, escapes and other spellings make the
    // source longer than the number's digits.
    let plain = |digits: usize| referenced.byte_len() == digits;
    let number = match value {
        Written::Integer(n) if plain(n.to_string().len()) => Ok(n),
        Written::Integer(n) => Err(format!(
            "must be a whole number in plain digits\nwrite `{n}`"
        )),
        Written::Text(text) => match digits(&text) {
            Some(n) if plain(text.len()) => Ok(n),
            Some(n) => Err(format!(
                "must be a number, not text in quotes\nwrite `{n}`, without quotes"
            )),
            None => Err(not_a_number(&format!("`{text}`"))),
        },
        Written::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Err(format!(
            "must be a whole number in plain digits\nwrite `{f}`"
        )),
        Written::Float(f) => Err(not_a_number(&format!("`{f}`"))),
        Written::Empty => Err("is empty\nwrite the number in digits, e.g. `4`".to_string()),
        Written::Other(what) => Err(not_a_number(what)),
    }
    .map_err(de::Error::custom)?;
    let number = i64::try_from(number)
        .map_err(|_| de::Error::custom("is too large\nwrite a smaller number"))?;
    Ok(Sp::new(number, referenced))
}

/// `004`, `-7`: a sign-optional run of decimal digits, read in base 10.
fn digits(text: &str) -> Option<i128> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = unsigned.trim_start_matches('0');
    if magnitude.len() > 30 {
        return Some(i128::MAX);
    }
    let n: i128 = magnitude.parse().unwrap_or(0);
    Some(if text.starts_with('-') { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_read_in_base_ten() {
        assert_eq!(digits("004"), Some(4));
        assert_eq!(digits("0"), Some(0));
        assert_eq!(digits("-007"), Some(-7));
        assert_eq!(digits("0x10"), None);
        assert_eq!(digits("-"), None);
        assert_eq!(digits(""), None);
        assert_eq!(digits(&"9".repeat(40)), Some(i128::MAX));
    }
}
