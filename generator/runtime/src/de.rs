//! Support for the `Deserialize` impls that generated structs carry.
//!
//! A generated struct decodes its known members directly and collects every other member into
//! its `additional_properties` map, in one pass and without the intermediate buffering that
//! `#[serde(flatten)]` costs. [`Key`] reads an object key without allocating when the input
//! allows it, and [`Key::read_once`] reads a declared member, refusing it twice.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, Visitor};

/// An object key, borrowed from the input when possible.
#[derive(Debug)]
pub struct Key<'de>(pub Cow<'de, str>);

impl<'de> Key<'de> {
    /// The key as an owned string, for storing unknown members.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }

    /// Reads the value of this declared member into `slot`. A member that comes twice is an
    /// error (`duplicate field`), as with `#[derive(Deserialize)]`: which of two values a
    /// server meant is not the client's to guess, and a silent "last one wins" would let a
    /// proxy or another JSON parser on the path act on a different value than this client.
    pub fn read_once<A, T>(&self, slot: &mut Option<T>, map: &mut A) -> Result<(), A::Error>
    where
        A: serde::de::MapAccess<'de>,
        T: Deserialize<'de>,
    {
        if slot.is_some() {
            return Err(serde::de::Error::custom(format_args!(
                "duplicate field `{}`",
                self.0
            )));
        }
        *slot = Some(map.next_value()?);
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                value: &'de str,
            ) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(value)))
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value.to_owned())))
            }

            fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The error for a required member that is absent.
pub fn missing<E: serde::de::Error>(name: &'static str) -> E {
    E::missing_field(name)
}
