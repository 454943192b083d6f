//! Support for the `Serialize` impls that generated structs carry.
//!
//! A generated struct writes itself as one JSON object: its declared members in order (an
//! absent optional member is left out, a present `null` is written), then the members it kept
//! from a decode. [`Object`] does the writing for every struct; a struct's impl is one chained
//! call per member. The first error is kept and ends the object, so the chain needs no `?`.

use std::collections::BTreeMap;

use serde::ser::{Error as _, Serialize, SerializeMap, Serializer};

use crate::unknown::Unknown;

/// One object being written; see the module documentation.
pub struct Object<S: Serializer> {
    state: Result<S::SerializeMap, S::Error>,
}

impl<S: Serializer> Object<S> {
    /// Starts the object.
    pub fn new(serializer: S) -> Self {
        Object {
            state: serializer.serialize_map(None),
        }
    }

    /// Writes a member that is always present.
    pub fn member<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        if let Ok(map) = &mut self.state {
            if let Err(error) = map.serialize_entry(name, value) {
                self.state = Err(error);
            }
        }
        self
    }

    /// Writes an optional member when it is present (`Some`), and nothing otherwise.
    pub fn optional<T: Serialize>(self, name: &'static str, value: &Option<T>) -> Self {
        match value {
            Some(value) => self.member(name, value),
            None => self,
        }
    }

    /// Writes the members a struct keeps beyond its declared ones, and ends the object.
    pub fn end(mut self, additional: &impl Additional) -> Result<S::Ok, S::Error> {
        if let Ok(map) = &mut self.state {
            if let Err(error) = additional.write(map) {
                self.state = Err(error);
            }
        }
        self.state?.end()
    }

    /// Ends the object (types generated without capture keep nothing more).
    pub fn finish(self) -> Result<S::Ok, S::Error> {
        self.state?.end()
    }
}

/// The members a struct keeps beyond its declared ones: unknown members as received, or a
/// typed `additionalProperties` map.
pub trait Additional {
    /// Writes each kept member into `map`.
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

impl Additional for Unknown {
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (name, raw) in self.iter() {
            // The text came from a decoder or an encoder, so it is valid JSON.
            let raw: &serde_json::value::RawValue =
                serde_json::from_str(raw).map_err(M::Error::custom)?;
            map.serialize_entry(name, raw)?;
        }
        Ok(())
    }
}

impl<T: Serialize> Additional for BTreeMap<String, T> {
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (name, value) in self {
            map.serialize_entry(name, value)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Sample {
        id: i64,
        note: Option<String>,
        cleared: Option<Option<String>>,
        additional: Unknown,
    }

    impl Serialize for Sample {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            Object::new(serializer)
                .member("id", &self.id)
                .optional("note", &self.note)
                .optional("cleared", &self.cleared)
                .end(&self.additional)
        }
    }

    #[test]
    fn absent_members_are_left_out_and_null_is_written() {
        let mut additional = Unknown::new();
        additional
            .insert("extra", &serde_json::json!([1, 2]))
            .expect("encodes");
        let sample = Sample {
            id: 7,
            note: None,
            cleared: Some(None),
            additional,
        };
        assert_eq!(
            serde_json::to_string(&sample).expect("encodes"),
            r#"{"id":7,"cleared":null,"extra":[1,2]}"#
        );
    }

    #[test]
    fn the_first_error_ends_the_object() {
        struct Fails;
        impl Serialize for Fails {
            fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(S::Error::custom("refused"))
            }
        }
        struct Holder;
        impl Serialize for Holder {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                Object::new(serializer)
                    .member("a", &Fails)
                    .member("b", &1)
                    .end(&BTreeMap::<String, i64>::new())
            }
        }
        let error = serde_json::to_string(&Holder).expect_err("the member fails");
        assert!(error.to_string().contains("refused"), "{error}");
    }
}
