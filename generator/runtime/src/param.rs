//! How a parameter value becomes text in a URL.
//!
//! Query values are percent-encoded with [`COMPONENT`], which leaves only RFC 3986's unreserved
//! characters (`A-Z a-z 0-9 - . _ ~`) as they are. A value can therefore never introduce a `/`,
//! `?`, `#`, `&` or `=` of its own, and a bracketed key such as `match[name]` is sent as
//! `match%5Bname%5D`, which every server framework decodes back to the same key. A path
//! segment ([`PATH_SEGMENT`]) also keeps `:` and `@`, which RFC 3986 allows in a segment
//! as they are: routers that match on the raw path (Go's chi, behind Security Onion) would
//! otherwise hand the handler `node%3A443` for the id `node:443`.
//!
//! # Styles
//!
//! Scalars and lists of scalars in the query, path and headers take the [`ToParam`] fast path
//! (the request builder's `query`, `query_each`, `query_joined`, `path_param` and `header`).
//! Every other value — objects, maps, lists of objects or lists, unions whose variant may be a
//! scalar or a list — is first turned into a [`ParamValue`] through its `serde` form, then
//! written by the encoder of its OpenAPI `style` ([`query_pairs`], [`path_text`],
//! [`header_text`], [`cookie_pairs`]). Only the separators a style defines are written
//! literally (`,`, `|`, `%20`, `.`, `;`, `=`, `[`, `]`); every name and value is percent-encoded
//! with [`COMPONENT`], so a value never adds a separator of its own.
//!
//! What OpenAPI 3.0 leaves undefined is settled as follows:
//! - `spaceDelimited` and `pipeDelimited` apply to lists and objects without `explode`; a
//!   scalar, or `explode: true`, is sent as `form`;
//! - `deepObject` applies to objects: `name[member]=value`; nested objects continue the
//!   brackets (`name[a][b]=value`) and lists inside add `[]` once per item
//!   (`name[tags][]=x&name[tags][]=y`), the convention of Rails and of `qs`; a value that is
//!   not an object is sent as `form`;
//! - in the other styles a list or object nested inside the value is flattened into its
//!   comma-separated items (`[["a","b"],["c"]]` with `form, explode: true` is
//!   `name=a,b&name=c`);
//! - `null` members and items are left out; a `null` value sends nothing (in a path, it is
//!   refused);
//! - a scalar header is sent as its text; items of a list or object header are
//!   percent-encoded, so a comma inside an item cannot pass for a separator.

use chrono::{DateTime, NaiveDate, TimeZone};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use crate::Error;

/// Where a parameter is sent (OpenAPI `in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    /// A placeholder of the path template.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// The `Cookie` header.
    Cookie,
}

/// How a parameter value is written (OpenAPI `style`); see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `name=value` pairs (query, cookie).
    Form,
    /// Comma-separated text (path, header).
    Simple,
    /// `.`-prefixed text (path).
    Label,
    /// `;name=value` text (path).
    Matrix,
    /// Items joined by `%20` (query).
    SpaceDelimited,
    /// Items joined by `|` (query).
    PipeDelimited,
    /// `name[member]=value` pairs (query).
    DeepObject,
}

/// A parameter value as the style encoders see it: text, a list, or named members in order.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// One value's text, before percent-encoding.
    Scalar(String),
    /// A list, in order.
    Array(Vec<ParamValue>),
    /// An object's members, in order.
    Object(Vec<(String, ParamValue)>),
}

/// How deeply a parameter value may nest; deeper values are refused.
pub const MAX_PARAM_DEPTH: usize = 32;

impl ParamValue {
    /// The value of `value`'s JSON form: strings as they are, numbers and booleans as JSON
    /// writes them, `null` members and items left out. `Ok(None)` for `null` itself. Values
    /// nested deeper than [`MAX_PARAM_DEPTH`] are refused.
    pub fn from_json(value: &serde_json::Value) -> Result<Option<ParamValue>, String> {
        from_json_at(value, 0)
    }

    /// The value of `value`'s `serde` form, as [`ParamValue::from_json`] reads JSON, with
    /// members in the order the value writes them (a struct's fields in declaration order).
    pub fn from_serialize<T: serde::Serialize + ?Sized>(
        value: &T,
    ) -> Result<Option<ParamValue>, String> {
        // Through JSON text rather than `serde_json::Value`, whose maps sort their keys.
        let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
        let mut reader = serde_json::Deserializer::from_str(&text);
        serde::de::DeserializeSeed::deserialize(Seed { depth: 0 }, &mut reader)
            .map_err(|e| e.to_string())
    }

    /// `value` written as JSON text, for parameters declared with `content: application/json`.
    pub fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<ParamValue, String> {
        serde_json::to_string(value)
            .map(ParamValue::Scalar)
            .map_err(|e| e.to_string())
    }

    fn is_empty(&self) -> bool {
        match self {
            ParamValue::Scalar(_) => false,
            ParamValue::Array(items) => items.is_empty(),
            ParamValue::Object(members) => members.is_empty(),
        }
    }
}

fn from_json_at(value: &serde_json::Value, depth: usize) -> Result<Option<ParamValue>, String> {
    use serde_json::Value;
    if depth > MAX_PARAM_DEPTH {
        return Err(format!(
            "the value nests more than {MAX_PARAM_DEPTH} levels deep"
        ));
    }
    Ok(Some(match value {
        Value::Null => return Ok(None),
        Value::String(text) => ParamValue::Scalar(text.clone()),
        Value::Bool(flag) => ParamValue::Scalar(flag.to_string()),
        Value::Number(number) => ParamValue::Scalar(number.to_string()),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                if let Some(item) = from_json_at(item, depth + 1)? {
                    out.push(item);
                }
            }
            ParamValue::Array(out)
        }
        Value::Object(members) => {
            let mut out = Vec::with_capacity(members.len());
            for (name, member) in members {
                if let Some(member) = from_json_at(member, depth + 1)? {
                    out.push((name.clone(), member));
                }
            }
            ParamValue::Object(out)
        }
    }))
}

/// Reads JSON into a [`ParamValue`] keeping the order of members, refusing values nested
/// deeper than [`MAX_PARAM_DEPTH`].
struct Seed {
    depth: usize,
}

impl Seed {
    fn inner<E: serde::de::Error>(&self) -> Result<Seed, E> {
        if self.depth >= MAX_PARAM_DEPTH {
            return Err(E::custom(format!(
                "the value nests more than {MAX_PARAM_DEPTH} levels deep"
            )));
        }
        Ok(Seed {
            depth: self.depth + 1,
        })
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Seed {
    type Value = Option<ParamValue>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Seed {
    type Value = Option<ParamValue>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(ParamValue::Scalar(v.to_string())))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(ParamValue::Scalar(v.to_string())))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(ParamValue::Scalar(v.to_string())))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        let text = serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string());
        Ok(Some(ParamValue::Scalar(text)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(ParamValue::Scalar(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(ParamValue::Scalar(v)))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.inner()?)? {
            items.extend(item);
        }
        Ok(Some(ParamValue::Array(items)))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            if let Some(value) = map.next_value_seed(self.inner()?)? {
                members.push((name, value));
            }
        }
        Ok(Some(ParamValue::Object(members)))
    }
}

/// One step of a walk over a value: a member name or a value.
enum Atom<'a> {
    Name(&'a str),
    Value(&'a ParamValue),
}

/// The percent-encoded texts of `value` in order, at any depth; an object gives each member's
/// name then its value's texts.
fn atoms(value: &ParamValue) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![Atom::Value(value)];
    while let Some(next) = stack.pop() {
        match next {
            Atom::Name(name) => out.push(encode_component(name)),
            Atom::Value(ParamValue::Scalar(text)) => out.push(encode_component(text)),
            Atom::Value(ParamValue::Array(items)) => {
                stack.extend(items.iter().rev().map(Atom::Value));
            }
            Atom::Value(ParamValue::Object(members)) => {
                for (name, member) in members.iter().rev() {
                    stack.push(Atom::Value(member));
                    stack.push(Atom::Name(name));
                }
            }
        }
    }
    out
}

/// The texts of `value` joined by `separator`.
fn joined_atoms(value: &ParamValue, separator: &str) -> String {
    atoms(value).join(separator)
}

/// `explode: true` parts: for a list, each item's comma-joined text; for an object, each
/// member as `(encoded name, comma-joined value)`.
fn exploded(value: &ParamValue) -> Vec<(Option<String>, String)> {
    match value {
        ParamValue::Scalar(text) => vec![(None, encode_component(text))],
        ParamValue::Array(items) => items
            .iter()
            .map(|item| (None, joined_atoms(item, ",")))
            .collect(),
        ParamValue::Object(members) => members
            .iter()
            .map(|(name, member)| (Some(encode_component(name)), joined_atoms(member, ",")))
            .collect(),
    }
}

/// `style: form` pairs, percent-encoded: a scalar is `name=v`; a list is one pair per item
/// (`explode`) or `name=a,b`; an object is one pair per member (`explode`) or
/// `name=k1,v1,k2,v2`. An empty list or object gives no pair.
fn form_pairs(name: &str, explode: bool, value: &ParamValue) -> Vec<(String, String)> {
    let name = encode_component(name);
    match value {
        ParamValue::Scalar(text) => vec![(name, encode_component(text))],
        _ if value.is_empty() => Vec::new(),
        _ if explode => exploded(value)
            .into_iter()
            .map(|(member, text)| (member.unwrap_or_else(|| name.clone()), text))
            .collect(),
        _ => vec![(name, joined_atoms(value, ","))],
    }
}

/// `style: deepObject` pairs for an object: `name[member]=value`, see the module docs.
fn deep_pairs(name: &str, value: &ParamValue) -> Vec<(String, String)> {
    let name = encode_component(name);
    let mut out = Vec::new();
    let mut stack: Vec<(String, &ParamValue)> = match value {
        ParamValue::Object(members) => members
            .iter()
            .rev()
            .map(|(member, value)| (format!("{name}[{}]", encode_component(member)), value))
            .collect(),
        // OpenAPI defines deepObject for objects only; a list is sent as the same convention
        // writes lists inside objects (`name[]=a&name[]=b`), which is what the servers that
        // use deepObject for lists (Rails, qs: Stripe's `expand[]`) read.
        ParamValue::Array(items) => items
            .iter()
            .rev()
            .map(|item| (format!("{name}[]"), item))
            .collect(),
        ParamValue::Scalar(text) => return vec![(name, encode_component(text))],
    };
    while let Some((key, value)) = stack.pop() {
        match value {
            ParamValue::Scalar(text) => out.push((key, encode_component(text))),
            ParamValue::Array(items) => {
                stack.extend(items.iter().rev().map(|item| (format!("{key}[]"), item)));
            }
            ParamValue::Object(members) => stack.extend(
                members
                    .iter()
                    .rev()
                    .map(|(member, value)| (format!("{key}[{}]", encode_component(member)), value)),
            ),
        }
    }
    out
}

/// The query pairs of parameter `name` written in `style`, names and values
/// percent-encoded. Styles that belong to the path (`simple`, `label`, `matrix`) are taken as
/// `form`.
pub fn query_pairs(
    name: &str,
    style: ParamStyle,
    explode: bool,
    value: &ParamValue,
) -> Vec<(String, String)> {
    let delimiter = match style {
        ParamStyle::SpaceDelimited => "%20",
        ParamStyle::PipeDelimited => "|",
        ParamStyle::DeepObject => {
            return match value {
                ParamValue::Scalar(_) => form_pairs(name, explode, value),
                _ => deep_pairs(name, value),
            }
        }
        _ => return form_pairs(name, explode, value),
    };
    match value {
        ParamValue::Scalar(_) => form_pairs(name, explode, value),
        _ if explode => form_pairs(name, explode, value),
        _ if value.is_empty() => Vec::new(),
        _ => vec![(encode_component(name), joined_atoms(value, delimiter))],
    }
}

/// The query text of parameter `name` (its [`query_pairs`] joined by `&`).
pub fn query_text(name: &str, style: ParamStyle, explode: bool, value: &ParamValue) -> String {
    join_pairs(&query_pairs(name, style, explode, value), "&")
}

fn join_pairs(pairs: &[(String, String)], separator: &str) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join(separator)
}

/// The text that replaces the `{name}` placeholder, percent-encoded, in `style` (`simple`,
/// `label` or `matrix`; query styles are taken as `simple`).
pub fn path_text(name: &str, style: ParamStyle, explode: bool, value: &ParamValue) -> String {
    let name = encode_component(name);
    match style {
        ParamStyle::Label => match value {
            ParamValue::Scalar(text) => format!(".{}", encode_component(text)),
            _ if explode => {
                let parts: Vec<String> = exploded(value)
                    .into_iter()
                    .map(|(member, text)| match member {
                        Some(member) => format!(".{member}={text}"),
                        None => format!(".{text}"),
                    })
                    .collect();
                if parts.is_empty() {
                    ".".to_owned()
                } else {
                    parts.concat()
                }
            }
            _ => format!(".{}", joined_atoms(value, ",")),
        },
        ParamStyle::Matrix => match value {
            ParamValue::Scalar(text) if text.is_empty() => format!(";{name}"),
            ParamValue::Scalar(text) => format!(";{name}={}", encode_component(text)),
            _ if value.is_empty() => format!(";{name}"),
            _ if explode => exploded(value)
                .into_iter()
                .map(|(member, text)| format!(";{}={text}", member.unwrap_or_else(|| name.clone())))
                .collect(),
            _ => format!(";{name}={}", joined_atoms(value, ",")),
        },
        _ => simple_text(explode, value),
    }
}

/// `style: simple`: `v`, `a,b`, `k1,v1,k2,v2` or (`explode` objects) `k1=v1,k2=v2`.
fn simple_text(explode: bool, value: &ParamValue) -> String {
    match value {
        ParamValue::Object(_) if explode => exploded(value)
            .into_iter()
            .map(|(member, text)| match member {
                Some(member) => format!("{member}={text}"),
                None => text,
            })
            .collect::<Vec<_>>()
            .join(","),
        _ => joined_atoms(value, ","),
    }
}

/// A header's value (`style: simple`): a scalar as its text, unencoded; a list or object as
/// `simple` text with each item percent-encoded. `None` for an empty list or object, which
/// sends no header.
pub fn header_text(explode: bool, value: &ParamValue) -> Option<String> {
    match value {
        ParamValue::Scalar(text) => Some(text.clone()),
        _ if value.is_empty() => None,
        _ => Some(simple_text(explode, value)),
    }
}

/// The cookies of parameter `name` (`style: form`), percent-encoded: `name=v`, one cookie
/// per item or member (`explode`), or `name=a,b`.
pub fn cookie_pairs(name: &str, explode: bool, value: &ParamValue) -> Vec<(String, String)> {
    form_pairs(name, explode, value)
}

/// Checks an encoded path segment: values that would change which resource is addressed
/// (empty, `.`, `..`) are refused.
fn check_segment(
    operation: &'static str,
    name: &'static str,
    text: String,
) -> Result<String, Error> {
    let reason = match text.as_str() {
        "" => "a path parameter cannot be empty",
        "." | ".." => "a path parameter cannot be `.` or `..`",
        _ => return Ok(text),
    };
    Err(Error::InvalidParameter {
        operation,
        name,
        reason: reason.to_owned(),
    })
}

/// [`path_text`], checked as [`path_segment`] checks a scalar.
pub fn styled_path_segment(
    operation: &'static str,
    name: &'static str,
    style: ParamStyle,
    explode: bool,
    value: &ParamValue,
) -> Result<String, Error> {
    check_segment(operation, name, path_text(name, style, explode, value))
}

/// Everything but RFC 3986 unreserved characters is percent-encoded.
pub const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Everything but RFC 3986 unreserved characters and the `:` and `@` a path segment may hold
/// as they are (`pchar`) is percent-encoded. The other characters `pchar` allows (`!$&'()*+,;=`)
/// are encoded all the same: some servers give `;` and `,` meanings of their own in a path.
pub const PATH_SEGMENT: &AsciiSet = &COMPONENT.remove(b':').remove(b'@');

/// Percent-encodes one query component (or any text that must stay one opaque component).
pub fn encode_component(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, COMPONENT).to_string()
}

/// Checks `value` as one path segment and percent-encodes it. Values that would change which
/// resource is addressed (empty, `.`, `..`) are refused with [`Error::InvalidParameter`].
pub fn path_segment(
    operation: &'static str,
    name: &'static str,
    value: &str,
) -> Result<String, Error> {
    check_segment(
        operation,
        name,
        percent_encoding::utf8_percent_encode(value, PATH_SEGMENT).to_string(),
    )
}

/// Joins `values` for a comma-separated parameter (`style: form, explode: false`), each
/// percent-encoded, so that a comma inside an item is sent as `%2C` and only the separators
/// are literal commas (RFC 6570 form expansion): `["a,b"]` and `["a", "b"]` differ on the wire.
pub fn encode_joined<T: ToParam>(values: &[T]) -> String {
    let mut joined = String::new();
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            joined.push(',');
        }
        joined.push_str(&encode_component(&value.to_param()));
    }
    joined
}

/// A value that can be sent as a path or query parameter.
///
/// Generated enums implement it with their wire form; dates use RFC 3339.
pub trait ToParam {
    /// The value's text form, before percent-encoding.
    fn to_param(&self) -> String;
}

macro_rules! display_param {
    ($($t:ty),* $(,)?) => {
        $(impl ToParam for $t {
            fn to_param(&self) -> String {
                self.to_string()
            }
        })*
    };
}

display_param!(
    str,
    String,
    bool,
    i8,
    i16,
    i32,
    i64,
    i128,
    u8,
    u16,
    u32,
    u64,
    u128,
    f32,
    f64,
    uuid::Uuid,
    NaiveDate,
    std::net::IpAddr,
    std::net::Ipv4Addr,
    std::net::Ipv6Addr,
);

impl<Tz: TimeZone> ToParam for DateTime<Tz>
where
    Tz::Offset: std::fmt::Display,
{
    fn to_param(&self) -> String {
        self.to_rfc3339()
    }
}

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}

impl<T: ToParam> ToParam for Box<T> {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_are_encoded() {
        assert_eq!(encode_component("a/b?c#d&e=f"), "a%2Fb%3Fc%23d%26e%3Df");
        assert_eq!(encode_component("match[name]"), "match%5Bname%5D");
        assert_eq!(encode_component("two words"), "two%20words");
        assert_eq!(encode_component("100%"), "100%25");
    }

    #[test]
    fn commas_inside_joined_items_are_encoded_and_separators_are_not() {
        assert_eq!(encode_joined(&["a,b"]), "a%2Cb");
        assert_eq!(encode_joined(&["a", "b"]), "a,b");
        assert_eq!(encode_joined(&["x y", "1&2"]), "x%20y,1%262");
        assert_eq!(encode_joined::<&str>(&[]), "");
    }

    #[test]
    fn path_segments_refuse_values_that_change_the_resource() {
        for bad in ["", ".", ".."] {
            assert!(path_segment("op", "id", bad).is_err(), "{bad:?}");
        }
        assert_eq!(path_segment("op", "id", "../x").expect("encoded"), "..%2Fx");
    }

    #[test]
    fn path_segments_keep_colons_and_at_signs_and_encode_every_other_delimiter() {
        let segment = |v| path_segment("op", "id", v).expect("encoded");
        assert_eq!(segment("node:443"), "node:443");
        assert_eq!(segment("2001:db8::1"), "2001:db8::1");
        assert_eq!(segment("user@example.com"), "user@example.com");
        assert_eq!(
            segment("a/b?c#d;e,f=g&h+i$j!k'l(m)n*o p%"),
            "a%2Fb%3Fc%23d%3Be%2Cf%3Dg%26h%2Bi%24j%21k%27l%28m%29n%2Ao%20p%25"
        );
    }

    fn array() -> ParamValue {
        ParamValue::from_json(&serde_json::json!(["blue", "black", "brown"]))
            .expect("converts")
            .expect("not null")
    }

    #[derive(serde::Serialize)]
    #[allow(non_snake_case)]
    struct Rgb {
        R: u8,
        G: u8,
        B: u8,
    }

    /// Through `serde`, as generated structs are sent: members in declaration order.
    fn object() -> ParamValue {
        ParamValue::from_serialize(&Rgb {
            R: 100,
            G: 200,
            B: 150,
        })
        .expect("converts")
        .expect("not null")
    }

    fn blue() -> ParamValue {
        ParamValue::Scalar("blue".into())
    }

    /// The style examples of OpenAPI 3.0 (as corrected in 3.0.4: `label` without `explode`
    /// separates with commas, as RFC 6570 does), for `color`.
    #[test]
    fn path_styles_match_the_specification_examples() {
        use ParamStyle::{Label, Matrix, Simple};
        let empty = ParamValue::Scalar(String::new());
        let cases: [(ParamStyle, bool, &ParamValue, &str); 20] = [
            (Matrix, false, &empty, ";color"),
            (Matrix, false, &blue(), ";color=blue"),
            (Matrix, false, &array(), ";color=blue,black,brown"),
            (Matrix, false, &object(), ";color=R,100,G,200,B,150"),
            (Matrix, true, &empty, ";color"),
            (Matrix, true, &blue(), ";color=blue"),
            (
                Matrix,
                true,
                &array(),
                ";color=blue;color=black;color=brown",
            ),
            (Matrix, true, &object(), ";R=100;G=200;B=150"),
            (Label, false, &empty, "."),
            (Label, false, &blue(), ".blue"),
            (Label, false, &array(), ".blue,black,brown"),
            (Label, false, &object(), ".R,100,G,200,B,150"),
            (Label, true, &empty, "."),
            (Label, true, &blue(), ".blue"),
            (Label, true, &array(), ".blue.black.brown"),
            (Label, true, &object(), ".R=100.G=200.B=150"),
            (Simple, false, &array(), "blue,black,brown"),
            (Simple, false, &object(), "R,100,G,200,B,150"),
            (Simple, true, &array(), "blue,black,brown"),
            (Simple, true, &object(), "R=100,G=200,B=150"),
        ];
        for (style, explode, value, expected) in cases {
            assert_eq!(
                path_text("color", style, explode, value),
                expected,
                "{style:?} explode={explode} {value:?}"
            );
        }
        assert_eq!(path_text("color", Simple, false, &blue()), "blue");
    }

    #[test]
    fn query_styles_match_the_specification_examples() {
        use ParamStyle::{DeepObject, Form, PipeDelimited, SpaceDelimited};
        let empty = ParamValue::Scalar(String::new());
        let cases: [(ParamStyle, bool, &ParamValue, &str); 16] = [
            (Form, false, &empty, "color="),
            (Form, false, &blue(), "color=blue"),
            (Form, false, &array(), "color=blue,black,brown"),
            (Form, false, &object(), "color=R,100,G,200,B,150"),
            (Form, true, &empty, "color="),
            (Form, true, &blue(), "color=blue"),
            (Form, true, &array(), "color=blue&color=black&color=brown"),
            (Form, true, &object(), "R=100&G=200&B=150"),
            (
                SpaceDelimited,
                false,
                &array(),
                "color=blue%20black%20brown",
            ),
            (
                SpaceDelimited,
                false,
                &object(),
                "color=R%20100%20G%20200%20B%20150",
            ),
            (PipeDelimited, false, &array(), "color=blue|black|brown"),
            (PipeDelimited, false, &object(), "color=R|100|G|200|B|150"),
            (
                DeepObject,
                true,
                &object(),
                "color[R]=100&color[G]=200&color[B]=150",
            ),
            // Where the specification says nothing: as `form`.
            (
                SpaceDelimited,
                true,
                &array(),
                "color=blue&color=black&color=brown",
            ),
            (PipeDelimited, false, &blue(), "color=blue"),
            // A list under deepObject: the brackets convention of lists inside objects.
            (
                DeepObject,
                true,
                &array(),
                "color[]=blue&color[]=black&color[]=brown",
            ),
        ];
        for (style, explode, value, expected) in cases {
            assert_eq!(
                query_text("color", style, explode, value),
                expected,
                "{style:?} explode={explode} {value:?}"
            );
        }
    }

    #[test]
    fn headers_and_cookies_use_simple_and_form() {
        assert_eq!(header_text(false, &blue()).as_deref(), Some("blue"));
        assert_eq!(
            header_text(false, &array()).as_deref(),
            Some("blue,black,brown")
        );
        assert_eq!(
            header_text(false, &object()).as_deref(),
            Some("R,100,G,200,B,150")
        );
        assert_eq!(
            header_text(true, &object()).as_deref(),
            Some("R=100,G=200,B=150")
        );
        assert_eq!(header_text(false, &ParamValue::Array(vec![])), None);
        // A lone scalar is sent as written; items are encoded so a comma stays in its item.
        assert_eq!(
            header_text(false, &ParamValue::Scalar("a, b".into())).as_deref(),
            Some("a, b")
        );
        let items = ParamValue::from_json(&serde_json::json!(["a,b", "c"]))
            .unwrap()
            .unwrap();
        assert_eq!(header_text(false, &items).as_deref(), Some("a%2Cb,c"));

        let pairs = |explode, value: &ParamValue| {
            cookie_pairs("color", explode, value)
                .into_iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        };
        assert_eq!(pairs(true, &blue()), "color=blue");
        assert_eq!(
            pairs(true, &array()),
            "color=blue; color=black; color=brown"
        );
        assert_eq!(pairs(false, &array()), "color=blue,black,brown");
        assert_eq!(pairs(true, &object()), "R=100; G=200; B=150");
        assert_eq!(pairs(false, &object()), "color=R,100,G,200,B,150");
    }

    #[test]
    fn deep_objects_nest_brackets_and_mark_lists_with_empty_brackets() {
        let value = ParamValue::from_serialize(&serde_json::json!({
            "a": {"b": 1, "c": {"d": true}},
            "empty": [],
            "gone": null,
            "s": "v&w=1",
            "tags": ["x y", "z"]
        }))
        .unwrap()
        .unwrap();
        assert_eq!(
            query_text("f", ParamStyle::DeepObject, true, &value),
            "f[a][b]=1&f[a][c][d]=true&f[s]=v%26w%3D1&f[tags][]=x%20y&f[tags][]=z"
        );
        let odd = ParamValue::from_json(&serde_json::json!({"a]b[": "x"}))
            .unwrap()
            .unwrap();
        assert_eq!(
            query_text("f[x]", ParamStyle::DeepObject, true, &odd),
            "f%5Bx%5D[a%5Db%5B]=x",
            "names never add brackets of their own"
        );
    }

    #[test]
    fn values_never_add_separators() {
        let hostile =
            ParamValue::from_json(&serde_json::json!({"k=1&x": ["a/b?c#d", "e,f|g h;i.j"]}))
                .unwrap()
                .unwrap();
        for style in [
            ParamStyle::Form,
            ParamStyle::SpaceDelimited,
            ParamStyle::PipeDelimited,
        ] {
            for explode in [false, true] {
                let text = query_text("n", style, explode, &hostile);
                for bad in ['/', '?', '#', ' ', ';'] {
                    assert!(!text.contains(bad), "{style:?} {explode} {text}");
                }
                assert_eq!(text.matches('&').count(), 0, "{text}");
                assert_eq!(text.matches('=').count(), 1, "{text}");
            }
        }
        for style in [ParamStyle::Simple, ParamStyle::Label, ParamStyle::Matrix] {
            for explode in [false, true] {
                let text = path_text("n", style, explode, &hostile);
                for bad in ['/', '?', '#', '&', ' '] {
                    assert!(!text.contains(bad), "{style:?} {explode} {text}");
                }
            }
        }
    }

    #[test]
    fn nested_lists_flatten_into_their_items_and_nulls_are_left_out() {
        let value = ParamValue::from_json(&serde_json::json!([["a", "b"], ["c"], null]))
            .unwrap()
            .unwrap();
        assert_eq!(query_text("n", ParamStyle::Form, true, &value), "n=a,b&n=c");
        assert_eq!(query_text("n", ParamStyle::Form, false, &value), "n=a,b,c");
        assert_eq!(ParamValue::from_json(&serde_json::Value::Null), Ok(None));
        assert_eq!(
            query_text("n", ParamStyle::Form, true, &ParamValue::Array(vec![])),
            ""
        );
        let numbers = ParamValue::from_json(&serde_json::json!([1.5, -2, false]))
            .unwrap()
            .unwrap();
        assert_eq!(
            query_text("n", ParamStyle::Form, false, &numbers),
            "n=1.5,-2,false"
        );
    }

    #[test]
    fn values_nested_too_deep_are_refused() {
        let mut deep = serde_json::json!("leaf");
        for _ in 0..=MAX_PARAM_DEPTH {
            deep = serde_json::json!([deep]);
        }
        assert!(ParamValue::from_json(&deep).is_err());
        let mut fine = serde_json::json!("leaf");
        for _ in 0..MAX_PARAM_DEPTH {
            fine = serde_json::json!({"a": fine});
        }
        assert!(ParamValue::from_json(&fine).is_ok());
        assert!(ParamValue::from_serialize(&fine).is_ok());
        assert!(ParamValue::from_serialize(&deep).is_err());
    }

    #[test]
    fn json_text_is_percent_encoded_as_one_value() {
        let value = ParamValue::json_text(&serde_json::json!({"a": [1, "x"]})).unwrap();
        assert_eq!(
            query_text("filter", ParamStyle::Form, true, &value),
            "filter=%7B%22a%22%3A%5B1%2C%22x%22%5D%7D"
        );
    }

    #[test]
    fn styled_path_segments_refuse_what_changes_the_resource() {
        let empty = ParamValue::Array(vec![]);
        assert!(styled_path_segment("op", "id", ParamStyle::Simple, false, &empty).is_err());
        assert!(styled_path_segment("op", "id", ParamStyle::Label, false, &empty).is_err());
        assert_eq!(
            styled_path_segment("op", "id", ParamStyle::Matrix, false, &empty).expect("ok"),
            ";id"
        );
    }

    #[test]
    fn unreserved_characters_are_kept() {
        assert_eq!(encode_component("Az09-._~"), "Az09-._~");
    }

    #[test]
    fn dates_use_rfc3339() {
        let t = chrono::Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        assert_eq!(t.to_param(), "2024-05-01T12:00:00+00:00");
    }
}
