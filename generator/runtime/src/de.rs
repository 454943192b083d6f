//! Support for the `Deserialize` impls that generated structs carry.
//!
//! A generated struct decodes its known members directly and collects every other member into
//! its `additional_properties`, in one pass and without the intermediate buffering that
//! `#[serde(flatten)]` costs. What every struct shares lives here, once: [`object`] is the
//! visitor, [`Members`] reads keys, refuses a member that comes twice and keeps unknown members.
//! A struct only implements [`Object::read`]: one local per member, one match arm per member
//! name, and the final value. [`Key`] reads an object key without allocating when the input
//! allows it.

use std::borrow::Cow;
use std::fmt;

use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

use crate::unknown::Unknown;

/// An object key, borrowed from the input when possible.
#[derive(Debug)]
pub struct Key<'de>(pub Cow<'de, str>);

impl<'de> Key<'de> {
    /// The key as an owned string, for storing unknown members.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
    /// The key as borrowed text.
    pub fn as_str(&self) -> &str {
        &self.0
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

/// A generated struct, decoded member by member from a JSON object by [`object`].
pub trait Object<'de>: Sized {
    /// What a value of another JSON type is reported to be missing, e.g. `"an Alert object"`.
    const EXPECTING: &'static str;

    /// Reads every member from `members` and builds the value.
    fn read<A: MapAccess<'de>>(members: &mut Members<'de, A>) -> Result<Self, A::Error>;
}

/// Decodes a generated struct `T` from an object: the whole of its `Deserialize` impl.
pub fn object<'de, T: Object<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(PhantomData<T>);

    impl<'de, T: Object<'de>> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::read(&mut Members {
                map,
                unknown: Unknown::new(),
                _input: PhantomData,
            })
        }
    }

    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// The members of one object being decoded, read in the order they come.
pub struct Members<'de, A> {
    map: A,
    unknown: Unknown,
    _input: PhantomData<&'de ()>,
}

impl<'de, A: MapAccess<'de>> Members<'de, A> {
    /// The next member's name, or `None` after the last one. Its value must be read next, by
    /// [`Members::read`], [`Members::keep`], [`Members::keep_typed`] or [`Members::skip`].
    pub fn next_key(&mut self) -> Result<Option<Key<'de>>, A::Error> {
        self.map.next_key()
    }

    /// Reads the value of the declared member `key` into `slot`. A member that comes twice is
    /// an error (`duplicate field`), as with `#[derive(Deserialize)]`: which of two values a
    /// server meant is not the client's to guess, and a silent "last one wins" would let a
    /// proxy or another JSON parser on the path act on a different value than this client.
    pub fn read<T: Deserialize<'de>>(
        &mut self,
        key: &Key<'de>,
        slot: &mut Option<T>,
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(serde::de::Error::custom(format_args!(
                "duplicate field `{}`",
                key.0
            )));
        }
        *slot = Some(self.map.next_value()?);
        Ok(())
    }

    /// Keeps the value of a member the schema does not declare, as its exact JSON text.
    pub fn keep(&mut self, key: Key<'de>) -> Result<(), A::Error> {
        let raw = self.map.next_value::<Box<serde_json::value::RawValue>>()?;
        self.unknown.push_raw(&key.0, &raw);
        Ok(())
    }

    /// Reads the value of an undeclared member into a struct's typed `additionalProperties`
    /// map.
    pub fn keep_typed<T: Deserialize<'de>>(
        &mut self,
        key: Key<'de>,
        into: &mut std::collections::BTreeMap<String, T>,
    ) -> Result<(), A::Error> {
        into.insert(key.into_string(), self.map.next_value()?);
        Ok(())
    }

    /// Skips the value of an undeclared member (types generated without capture).
    pub fn skip(&mut self) -> Result<(), A::Error> {
        self.map.next_value::<serde::de::IgnoredAny>()?;
        Ok(())
    }

    /// The members kept by [`Members::keep`], in the order received.
    pub fn unknown(&mut self) -> Unknown {
        std::mem::take(&mut self.unknown)
    }
}

/// The value of a required member, or the `missing field` error when it never came.
pub fn required<T, E: serde::de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}
