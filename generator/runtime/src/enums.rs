//! Decoding open enums: known values map to variants, anything else is kept.
//!
//! Generated enums implement `From<&str>` (string enums) or `From<i64>` (integer enums), with a
//! fallback `Unknown` variant; these visitors feed them without allocating for known values.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, Visitor};

struct StrVisitor<T>(PhantomData<T>);

impl<T: for<'a> From<&'a str>> Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }
}

/// Decodes a string enum through its `From<&str>` conversion.
pub fn deserialize_str<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    deserializer.deserialize_str(StrVisitor(PhantomData))
}

struct IntVisitor<T>(PhantomData<T>);

impl<T: From<i64>> Visitor<'_> for IntVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer")
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<T, E> {
        i64::try_from(value)
            .map(T::from)
            .map_err(|_| E::custom(format!("integer {value} is out of range for an enum")))
    }
}

/// Decodes an integer enum through its `From<i64>` conversion.
pub fn deserialize_int<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: From<i64>,
{
    deserializer.deserialize_i64(IntVisitor(PhantomData))
}
