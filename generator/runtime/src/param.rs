//! How a parameter value becomes text in a URL.
//!
//! Path and query values are percent-encoded with [`COMPONENT`], which leaves only RFC 3986's
//! unreserved characters (`A-Z a-z 0-9 - . _ ~`) as they are. A value can therefore never
//! introduce a `/`, `?`, `#`, `&` or `=` of its own, and a bracketed key such as `match[name]`
//! is sent as `match%5Bname%5D`, which every server framework decodes back to the same key.

use chrono::{DateTime, NaiveDate, TimeZone};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

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
    fn unreserved_characters_are_kept() {
        assert_eq!(encode_component("Az09-._~"), "Az09-._~");
    }

    #[test]
    fn dates_use_rfc3339() {
        let t = chrono::Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        assert_eq!(t.to_param(), "2024-05-01T12:00:00+00:00");
    }
}
