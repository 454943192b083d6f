//! Every rule that turns a name from a spec into a Rust identifier.
//!
//! Type and variant names are `UpperCamelCase`, fields, methods and modules `snake_case`.
//! Keywords become raw identifiers (`r#type`), or take a trailing `_` where Rust allows no raw
//! form (`self_`). Names that start with a digit take a letter prefix. Symbols that would
//! vanish in case conversion but tell names apart (`+1` versus `-1`) are spelled out. Names that
//! still collide are told apart by a numeric suffix, in document order, so the result is
//! deterministic.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves (2021 edition, including reserved-for-future ones).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Spells out the symbols that carry meaning in names, then keeps only word characters.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let chars: Vec<char> = raw.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev_is_word = i > 0 && chars[i - 1].is_alphanumeric();
        let next_is_digit = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        match c {
            '+' => out.push_str(" plus "),
            '-' if !prev_is_word && next_is_digit => out.push_str(" minus "),
            '*' if chars.len() == 1 => out.push_str("all"),
            '@' => out.push_str(" at "),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A type name: `UpperCamelCase`, never empty, never starting with a digit.
pub fn type_name(raw: &str) -> String {
    let name = words(raw).to_upper_camel_case();
    let name = if name.is_empty() {
        "Unnamed".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{name}")
    } else {
        name
    };
    escape_keyword(name)
}

/// An enum variant name; values such as `1h` become `V1h`.
pub fn variant_name(raw: &str) -> String {
    let name = words(raw).to_upper_camel_case();
    let name = if name.is_empty() {
        "Empty".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    };
    escape_keyword(name)
}

/// A field, parameter or method name: `snake_case`.
pub fn field_name(raw: &str) -> String {
    let name = words(raw).to_snake_case();
    let name = if name.is_empty() {
        "value".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{name}")
    } else {
        name
    };
    escape_keyword(name)
}

/// The identifier text without a raw prefix, for building other names from it.
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Hands out names unique within one scope, adding `2`, `3`, … to repeats in the order asked.
#[derive(Debug, Default, Clone)]
pub struct NameAllocator {
    taken: BTreeSet<String>,
}

impl NameAllocator {
    /// An allocator with `reserved` already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        NameAllocator {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Returns `wanted` if free, otherwise `wanted2`, `wanted3`, …; marks it taken.
    pub fn allocate(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        let base = bare(wanted);
        (2..)
            .map(|n| escape_keyword(format!("{base}{n}")))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(field_name("match[name]"), "match_name");
    }

    #[test]
    fn digits_get_a_prefix() {
        assert_eq!(type_name("3dModel"), "T3dModel");
        assert_eq!(variant_name("1h"), "V1h");
        assert_eq!(field_name("2fa"), "n2fa");
    }

    #[test]
    fn signs_are_spelled_out() {
        assert_eq!(field_name("reactions-+1"), "reactions_plus_1");
        assert_eq!(field_name("reactions--1"), "reactions_minus_1");
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(field_name("x-request-id"), "x_request_id");
    }

    #[test]
    fn collisions_get_suffixes_in_order() {
        let mut names = NameAllocator::default();
        assert_eq!(names.allocate("fooBar"), "fooBar");
        assert_eq!(names.allocate("fooBar"), "fooBar2");
        assert_eq!(names.allocate("fooBar"), "fooBar3");
        let mut reserved = NameAllocator::with_reserved(&["additional_properties"]);
        assert_eq!(
            reserved.allocate("additional_properties"),
            "additional_properties2"
        );
    }
}
