//! How a parameter value becomes text in a URL.
//!
//! Path and query values are percent-encoded with [`COMPONENT`], which leaves only RFC 3986's
//! unreserved characters (`A-Z a-z 0-9 - . _ ~`) as they are. A value can therefore never
//! introduce a `/`, `?`, `#`, `&` or `=` of its own, and a bracketed key such as `match[name]`
//! is sent as `match%5Bname%5D`, which every server framework decodes back to the same key.

use chrono::{DateTime, NaiveDate, TimeZone};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use crate::Error;

/// Everything but RFC 3986 unreserved characters is percent-encoded.
pub const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment or query component.
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
    let reason = match value {
        "" => "a path parameter cannot be empty",
        "." | ".." => "a path parameter cannot be `.` or `..`",
        _ => return Ok(encode_component(value)),
    };
    Err(Error::InvalidParameter {
        operation,
        name,
        reason: reason.to_owned(),
    })
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
    fn unreserved_characters_are_kept() {
        assert_eq!(encode_component("Az09-._~"), "Az09-._~");
    }

    #[test]
    fn dates_use_rfc3339() {
        let t = chrono::Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        assert_eq!(t.to_param(), "2024-05-01T12:00:00+00:00");
    }
}
