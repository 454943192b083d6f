//! [`Unknown`]: the members of an object that its schema does not describe.
//!
//! Every generated struct keeps such members so that a newer server's additions survive a
//! decode → encode round trip. They are held as raw JSON text, in the order received, packed
//! into one buffer (each member as its name's length, name, value's length, value): an object
//! costs one allocation however many unknown members it has, none when it has none, and
//! re-encoding writes back exactly the text the server sent. [`Unknown::value`] and
//! [`Unknown::decode`] parse one member on demand.

use std::fmt;

use serde::ser::{Error as _, Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;

/// Members not described by the schema, as raw JSON, in the order received.
#[derive(Clone, Default)]
pub struct Unknown {
    /// Per member: name length (4 bytes, little endian), name, value length, value.
    packed: Vec<u8>,
}

/// Bytes reserved beyond the first member, for the ones that usually follow.
const FIRST_SPARE: usize = 96;

fn push_len_prefixed(packed: &mut Vec<u8>, text: &[u8]) {
    // A single JSON text over 4 GiB cannot reach here: responses are read into memory whole.
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    packed.extend_from_slice(&len.to_le_bytes());
    packed.extend_from_slice(&text[..len as usize]);
}

/// Walks a packed buffer.
struct Members<'a> {
    rest: &'a [u8],
}

impl<'a> Members<'a> {
    fn take(&mut self) -> Option<&'a str> {
        let (len, rest) = self.rest.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len) as usize;
        let (text, rest) = rest.split_at_checked(len)?;
        self.rest = rest;
        std::str::from_utf8(text).ok()
    }
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        Some((self.take()?, self.take()?))
    }
}

impl Unknown {
    /// No members.
    pub fn new() -> Self {
        Unknown::default()
    }

    /// How many members there are.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.packed.is_empty()
    }

    /// The members in the order received, as (name, raw JSON text).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        Members { rest: &self.packed }
    }

    /// The raw JSON text of member `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, raw)| raw)
    }

    /// Member `name` parsed as a JSON value.
    pub fn value(&self, name: &str) -> Option<serde_json::Value> {
        self.get(name)
            .and_then(|raw| serde_json::from_str(raw).ok())
    }

    /// Member `name` decoded as `T`; `None` when absent, an error when it does not match.
    pub fn decode<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Option<Result<T, serde_json::Error>> {
        self.get(name).map(serde_json::from_str)
    }

    /// Appends a member whose value is raw JSON (as decoded: known to be valid).
    pub fn push_raw(&mut self, name: &str, raw: &RawValue) {
        if self.has_name(name) {
            self.remove(name);
        }
        let (name, raw) = (name.as_bytes(), raw.get().as_bytes());
        // Most objects with unknown members have several: room for a few more up front
        // saves the reallocations of growing one member at a time.
        if self.packed.is_empty() {
            self.packed
                .reserve(8 + name.len() + raw.len() + FIRST_SPARE);
        }
        push_len_prefixed(&mut self.packed, name);
        push_len_prefixed(&mut self.packed, raw);
    }

    /// Whether a member of this name is kept, comparing bytes only: the buffer holds text
    /// this type wrote from `&str`, so its values need no UTF-8 check to be skipped over.
    fn has_name(&self, name: &str) -> bool {
        let mut rest = self.packed.as_slice();
        let mut take = || {
            let (len, after) = rest.split_first_chunk::<4>()?;
            let (text, after) = after.split_at_checked(u32::from_le_bytes(*len) as usize)?;
            rest = after;
            Some(text)
        };
        while let (Some(n), Some(_)) = (take(), take()) {
            if n == name.as_bytes() {
                return true;
            }
        }
        false
    }

    /// Sets member `name` to `value` encoded as JSON, replacing any member of that name.
    pub fn insert(&mut self, name: &str, value: &impl Serialize) -> Result<(), serde_json::Error> {
        let raw = serde_json::value::to_raw_value(value)?;
        self.push_raw(name, &raw);
        Ok(())
    }

    /// Removes member `name`, returning its raw JSON text.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        let removed = self.get(name)?.to_owned();
        let mut kept = Vec::with_capacity(self.packed.len());
        for (n, v) in self.iter().filter(|(n, _)| *n != name) {
            push_len_prefixed(&mut kept, n.as_bytes());
            push_len_prefixed(&mut kept, v.as_bytes());
        }
        self.packed = kept;
        Some(removed)
    }

    /// All members parsed into a JSON object.
    pub fn to_map(&self) -> serde_json::Map<String, serde_json::Value> {
        self.iter()
            .filter_map(|(n, raw)| Some((n.to_owned(), serde_json::from_str(raw).ok()?)))
            .collect()
    }
}

/// Equal when the same members hold the same JSON text, in any order.
impl PartialEq for Unknown {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(n, v)| other.get(n) == Some(v))
    }
}

impl fmt::Debug for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Unknown {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (name, raw) in self.iter() {
            // The text came from a decoder or an encoder, so it is valid JSON.
            let raw: &RawValue = serde_json::from_str(raw).map_err(S::Error::custom)?;
            map.serialize_entry(name, raw)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_pushed_again_replaces_its_value_and_moves_last() {
        let raw = |text: &str| RawValue::from_string(text.into()).expect("raw");
        let mut unknown = Unknown::new();
        unknown.push_raw("a", &raw("1"));
        unknown.push_raw("b", &raw("\"\u{e9}\""));
        unknown.push_raw("ab", &raw("[2]"));
        unknown.push_raw("a", &raw("3"));
        let members: Vec<(&str, &str)> = unknown.iter().collect();
        assert_eq!(members, [("b", "\"\u{e9}\""), ("ab", "[2]"), ("a", "3")]);
        assert_eq!(unknown.len(), 3);
    }

    #[test]
    fn members_keep_their_order_and_exact_text() {
        let mut unknown = Unknown::new();
        unknown.push_raw("b", &RawValue::from_string("1.50".into()).expect("raw"));
        unknown
            .insert("a", &serde_json::json!({"x": [1]}))
            .expect("encodes");
        assert_eq!(
            serde_json::to_string(&unknown).expect("encodes"),
            r#"{"b":1.50,"a":{"x":[1]}}"#
        );
        assert_eq!(unknown.value("a"), Some(serde_json::json!({"x": [1]})));
        assert_eq!(unknown.decode::<f64>("b").map(Result::ok), Some(Some(1.5)));
        unknown.insert("b", &2).expect("encodes");
        assert_eq!(unknown.get("b"), Some("2"));
        assert_eq!(unknown.len(), 2);
        assert_eq!(unknown.remove("a").as_deref(), Some(r#"{"x":[1]}"#));
        assert_eq!(format!("{unknown:?}"), r#"{"b": "2"}"#);
        assert_eq!(
            serde_json::to_value(&unknown).expect("to value"),
            serde_json::json!({"b": 2})
        );
    }
}
