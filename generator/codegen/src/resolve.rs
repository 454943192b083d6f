//! Following `$ref`s to the components they name.
//!
//! Only local references (`#/components/<kind>/<name>`) are supported; anything else is a
//! located [`Problem`]. References to references are followed, and a chain that comes back to
//! itself is reported as a cycle.

use indexmap::IndexMap;
use openapiv3::{Components, Parameter, ReferenceOr, RequestBody, Response, Schema};

use crate::diagnostic::{push_pointer, Problem};

/// A component found by following a reference, and where it lives.
#[derive(Debug, Clone)]
pub struct Resolved<'a, T> {
    /// The component.
    pub item: &'a T,
    /// JSON pointer to the component (or to the inline item).
    pub pointer: String,
}

/// Looks up components of one document.
#[derive(Debug, Clone, Copy)]
pub struct Resolver<'a> {
    components: Option<&'a Components>,
}

/// Splits `#/components/<kind>/<name>` into its name, checking the kind.
pub fn component_name<'r>(reference: &'r str, kind: &str) -> Result<&'r str, String> {
    let prefix = format!("#/components/{kind}/");
    match reference.strip_prefix(prefix.as_str()) {
        Some(name) if !name.is_empty() && !name.contains('/') => Ok(name),
        _ if !reference.starts_with('#') => Err(format!(
            "external reference `{reference}` is not supported: bundle the document into one file"
        )),
        _ => Err(format!(
            "reference `{reference}` does not point to `#/components/{kind}/<name>`"
        )),
    }
}

/// Undoes JSON pointer escaping and percent-encoding in one reference token.
fn unescape(token: &str) -> String {
    let token = token.replace("~1", "/").replace("~0", "~");
    let bytes = token.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&token[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or(token)
}

macro_rules! resolver {
    ($fn:ident, $ty:ty, $field:ident, $kind:literal) => {
        /// Follows `item` to the component it names, if it is a reference.
        pub fn $fn(
            &self,
            item: &'a ReferenceOr<$ty>,
            pointer: &str,
        ) -> Result<Resolved<'a, $ty>, Problem> {
            self.follow(item, pointer, $kind, |c| &c.$field)
        }
    };
}

impl<'a> Resolver<'a> {
    /// A resolver for a document's `components` section.
    pub fn new(components: Option<&'a Components>) -> Self {
        Resolver { components }
    }

    resolver!(schema, Schema, schemas, "schemas");

    /// The component schema called `name`, following references; `None` if there is none.
    pub fn schema_by_name(&self, name: &str) -> Option<&'a Schema> {
        let mut item = self.components?.schemas.get(name)?;
        for _ in 0..32 {
            match item {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference } => {
                    let next = component_name(reference, "schemas").ok()?;
                    item = self.components?.schemas.get(&unescape(next))?;
                }
            }
        }
        None
    }
    resolver!(parameter, Parameter, parameters, "parameters");
    resolver!(request_body, RequestBody, request_bodies, "requestBodies");
    resolver!(response, Response, responses, "responses");

    fn follow<T>(
        &self,
        mut item: &'a ReferenceOr<T>,
        pointer: &str,
        kind: &'static str,
        table: impl Fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Result<Resolved<'a, T>, Problem> {
        let mut name: Option<&'a str> = None;
        let mut seen = Vec::new();
        loop {
            match item {
                ReferenceOr::Item(found) => {
                    return Ok(Resolved {
                        item: found,
                        pointer: match name {
                            Some(name) => push_pointer(&format!("/components/{kind}"), name),
                            None => pointer.to_owned(),
                        },
                    })
                }
                ReferenceOr::Reference { reference } => {
                    let ref_pointer = push_pointer(pointer, "$ref");
                    let raw = component_name(reference, kind)
                        .map_err(|message| Problem::new(ref_pointer.clone(), message))?;
                    let (key, target) = self
                        .components
                        .map(&table)
                        .and_then(|t| t.get_key_value(&unescape(raw)))
                        .ok_or_else(|| {
                            Problem::new(
                                ref_pointer.clone(),
                                format!("unresolvable $ref `{reference}`: no such component"),
                            )
                        })?;
                    if seen.contains(&key.as_str()) {
                        return Err(Problem::new(
                            ref_pointer,
                            format!("$ref cycle: `{reference}` refers back to itself"),
                        ));
                    }
                    seen.push(key.as_str());
                    name = Some(key.as_str());
                    item = target;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_names_are_checked() {
        assert_eq!(
            component_name("#/components/schemas/Pet", "schemas"),
            Ok("Pet")
        );
        assert!(component_name("other.yaml#/Pet", "schemas")
            .unwrap_err()
            .contains("external reference"));
        assert!(component_name("#/definitions/Pet", "schemas").is_err());
    }

    #[test]
    fn escaped_tokens_are_decoded() {
        assert_eq!(unescape("a~1b~0c"), "a/b~c");
        assert_eq!(unescape("Pet%20Kind"), "Pet Kind");
    }
}
