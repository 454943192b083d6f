//! Every rule that turns a name from a spec into a Rust identifier.
//!
//! Type and variant names are `UpperCamelCase`, fields, methods and modules `snake_case`.
//! Keywords become raw identifiers (`r#type`), or take a trailing `_` where Rust allows no raw
//! form (`self_`). Names that start with a digit take a letter prefix. Symbols that would
//! vanish in case conversion but tell names apart (`+1` versus `-1`) are spelled out. Names that
//! still collide are told apart by a numeric suffix, in document order, so the result is
//! deterministic.
//!
//! Besides turning spec names into identifiers, this module owns every name the generator makes
//! up itself: the names generated code already uses (so spec names keep off them), the suffixes
//! of derived types (`<Operation>Params`, `<Operation>Response`, …) and derived methods
//! (`<method>_stream`), and the defaults of builder methods. A derived name goes through the
//! same [`NameAllocator`] as the names it could collide with, so a clash gets a distinct,
//! deterministic name instead of code that does not compile.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::model::{ErrorStatus, TypeRef};

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

/// Spells out the symbols that carry meaning in names, then keeps only ASCII word characters.
///
/// Other characters are written as `u` and their code point in hex (`é` → `u e9`), so names
/// that differ only in them stay apart and every output is a plain ASCII identifier.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let chars: Vec<char> = raw.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev_is_word = i
            .checked_sub(1)
            .and_then(|p| chars.get(p))
            .is_some_and(|p| p.is_alphanumeric());
        let next_is_digit = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        match c {
            '+' => out.push_str(" plus "),
            '-' if !prev_is_word && next_is_digit => out.push_str(" minus "),
            '*' if chars.len() == 1 => out.push_str("all"),
            '@' => out.push_str(" at "),
            c if c.is_ascii_alphanumeric() => out.push(c),
            c if c.is_alphanumeric() => out.push_str(&format!(" u{:x} ", u32::from(c))),
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

/// Whether `name` is a plain ASCII identifier (not a keyword) or a raw one Rust accepts.
pub fn is_identifier(name: &str) -> bool {
    let (text, raw) = match name.strip_prefix("r#") {
        Some(rest) => (rest, true),
        None => (name, false),
    };
    let mut chars = text.chars();
    let shape = match chars.next() {
        Some(first) => {
            (first.is_ascii_alphabetic() || first == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    };
    let keyword = KEYWORDS.contains(&text) || NOT_RAW.contains(&text);
    shape
        && if raw {
            keyword && !NOT_RAW.contains(&text)
        } else {
            !keyword
        }
}

/// Makes any text an identifier with the least change: keeps it if it already is one,
/// otherwise drops characters identifiers cannot hold, puts `prefix` before a leading digit,
/// uses `empty` for nothing left, and escapes keywords.
fn identifier(text: &str, prefix: &str, empty: &str) -> String {
    if is_identifier(text) {
        return text.to_owned();
    }
    let kept: String = bare(text)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let kept = if kept.trim_matches('_').is_empty() {
        empty.to_owned()
    } else if kept.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{kept}")
    } else {
        kept
    };
    escape_keyword(kept)
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

/// Names a generated crate exports at its root (its client and builder, the runtime's error
/// types and server list): a spec type of the same name would make `crate::types::Error` and
/// `crate::Error` two different things a user imports side by side.
pub const CRATE_ROOT_NAMES: &[&str] =
    &["Client", "ClientBuilder", "Error", "Server", "StatusError"];

/// The type name of a named schema: [`type_name`], moved off the [`CRATE_ROOT_NAMES`] (an
/// error schema becomes `ErrorBody`, for it is what an error response carries; the others
/// take `Object`).
pub fn schema_type_name(raw: &str) -> String {
    let name = type_name(raw);
    if !CRATE_ROOT_NAMES.contains(&name.as_str()) {
        return name;
    }
    if name.ends_with("Error") {
        format!("{name}Body")
    } else {
        format!("{name}Object")
    }
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

/// A union variant's name from the Rust name of its type and the union's own name: the part
/// after the union's name when the type is named from it (`Rule` + `RuleAlert` → `Alert`),
/// otherwise the type's name. A bare numeric remainder (`Rule2`) keeps the whole name.
pub fn variant_from_type(union: &str, ty: &str) -> String {
    let ty = bare(ty);
    let wanted = match ty.strip_prefix(bare(union)) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest,
        _ => ty,
    };
    identifier(wanted, "V", "Value")
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

    /// Whether `wanted` would be allocated unchanged.
    pub fn is_free(&self, wanted: &str) -> bool {
        identifier(wanted, "V", "Unnamed") == wanted && !self.taken.contains(wanted)
    }

    /// Returns `wanted` if free, otherwise `wanted2`, `wanted3`, …; marks it taken.
    ///
    /// Text that is not an identifier is first made one (see the naming functions), so the
    /// result is always a valid Rust identifier.
    pub fn allocate(&mut self, wanted: &str) -> String {
        let wanted = &identifier(wanted, "V", "Unnamed");
        if self.taken.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        let base = bare(wanted);
        let mut n: u64 = 2;
        loop {
            let candidate = escape_keyword(format!("{base}{n}"));
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n = n.saturating_add(1);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Names generated code already uses: spec names are moved off them.

/// Method names the generated `Client` defines for itself (`emit::client`); an operation or a
/// derived helper of the same name would be a second method of that name.
pub const CLIENT_METHODS: &[&str] = &["builder", "from_transport", "transport", "base_url"];

/// Methods the generated `ClientBuilder` always has (`emit::client::builder`); a security
/// scheme's or the path prefix's builder method takes another name.
pub const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "header",
    "timeout",
    "connect_timeout",
    "user_agent",
    "http_client",
    "retry",
    "add_root_certificate_pem",
    "danger_accept_invalid_certs",
    "build",
];

/// Argument names a client method takes besides its path parameters (the parameter struct, the
/// body, the receiver, and a page stream's item limit): a path parameter is named otherwise.
pub const METHOD_ARGUMENTS: &[&str] = &["params", "body", "self", "max_items"];

/// Methods of the generated `FakeApi` itself (`emit::fake`); the answers method of an
/// operation with one of these names is named by [`fake_methods`].
pub const FAKE_API_METHODS: &[&str] = &[
    "start",
    "uri",
    "client",
    "client_builder",
    "calls",
    "server",
];

/// Names generated code uses unqualified next to the spec's types (the std prelude): a spec
/// type of the same name would shadow them.
pub const PRELUDE_TYPE_NAMES: &[&str] = &[
    "String",
    "Vec",
    "Option",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Result",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsRef",
    "AsMut",
    "Extend",
    "FromIterator",
    "Unpin",
];

/// The name of the field that keeps a struct's unknown members; spec properties never take it.
pub const ADDITIONAL_FIELD: &str = "additional_properties";

/// The variant of every generated enum that keeps a value the spec does not list; spec values
/// never take it.
pub const UNKNOWN_ENUM_VARIANT: &str = "Unknown";

/// The variant of every generated union that keeps a value matching no alternative; no
/// alternative takes it.
pub const OTHER_UNION_VARIANT: &str = "Other";

// ---------------------------------------------------------------------------------------------
// Derived type names: hints handed to the type allocator, which adds a number on a clash.

/// The type-name prefix of everything derived from an operation: its id as a type name.
pub fn operation_prefix(operation_id: &str) -> String {
    type_name(operation_id)
}

/// The struct holding an operation's query, header and cookie parameters.
pub fn params_type(operation_prefix: &str) -> String {
    format!("{operation_prefix}Params")
}

/// The type of an operation's success body; with several success bodies, `status` tells the
/// body of each status apart, and without it this is the enum of all of them.
pub fn response_type(operation_prefix: &str, status: Option<u16>) -> String {
    match status {
        Some(code) => format!("{operation_prefix}Response{code}"),
        None => format!("{operation_prefix}Response"),
    }
}

/// The type of an operation's inline request body schema.
pub fn body_type(operation_prefix: &str) -> String {
    format!("{operation_prefix}Body")
}

/// The type of an operation's inline error body schema for `status` (`…Error404`,
/// `…Error4xx`, `…ErrorDefault`).
pub fn error_type(operation_prefix: &str, status: ErrorStatus) -> String {
    match status {
        ErrorStatus::Code(code) => format!("{operation_prefix}Error{code}"),
        ErrorStatus::Range(range) => format!("{operation_prefix}Error{range}xx"),
        ErrorStatus::Default => format!("{operation_prefix}ErrorDefault"),
    }
}

/// The type of an inline schema inside `owner` at `member` (a parameter or property name).
pub fn member_type(owner: &str, member: &str) -> String {
    format!("{owner}{}", type_name(member))
}

/// The type of an inline array item schema.
pub fn item_type(array: &str) -> String {
    format!("{array}Item")
}

/// The type of an inline `additionalProperties` schema.
pub fn map_value_type(map: &str) -> String {
    format!("{map}Value")
}

/// The type of a union's inline alternative, by its position.
pub fn union_alternative_type(union: &str, index: usize) -> String {
    format!("{union}Variant{index}")
}

// ---------------------------------------------------------------------------------------------
// Derived variant, method and operation names.

/// A variant name for a success status: `200` → `Ok`, `201` → `Created`, `299` → `Status299`.
pub fn status_variant(code: u16) -> String {
    let reason = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        208 => "AlreadyReported",
        226 => "ImUsed",
        _ => return format!("Status{code}"),
    };
    reason.to_owned()
}

/// The variant of a success response without a status code (`2XX` or `default`).
pub const ANY_SUCCESS_VARIANT: &str = "Success";

/// The variant of an integer enum value without an `x-enum-varnames` name: `3` → `V3`,
/// `-1` → `Minus1`.
pub fn integer_variant(value: i64) -> String {
    if value < 0 {
        format!("Minus{}", value.unsigned_abs())
    } else {
        format!("V{value}")
    }
}

/// The variant of a union alternative that is not a named type, by its Rust type.
pub fn builtin_variant(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String => "String",
        TypeRef::Bool => "Bool",
        TypeRef::I32 | TypeRef::I64 => "Integer",
        TypeRef::F32 | TypeRef::F64 => "Number",
        TypeRef::DateTime => "DateTime",
        TypeRef::Date => "Date",
        TypeRef::Uuid => "Uuid",
        TypeRef::Ipv4 | TypeRef::Ipv6 | TypeRef::Ip => "Ip",
        TypeRef::Binary => "Binary",
        TypeRef::Array(_) => "Array",
        TypeRef::Map(_) | TypeRef::Object => "Object",
        TypeRef::Any | TypeRef::Named(_) => "Value",
    }
}

/// The operation id of an operation without one: `get /pets/{id}` → `get_pets_id`.
pub fn derived_operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_owned();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        id.push('_');
        id.push_str(segment.trim_matches(|c| c == '{' || c == '}'));
    }
    id
}

/// The page stream of a paginated operation's method: `<method>_stream`. Allocated from
/// [`client_methods`] after every operation, so an operation named like it keeps its name.
pub fn stream_method(method: &str) -> String {
    format!("{}_stream", bare(method))
}

/// The allocator of the generated `Client`'s method names: operation methods first, in
/// document order, then page streams, then job helpers.
pub fn client_methods() -> NameAllocator {
    NameAllocator::with_reserved(CLIENT_METHODS)
}

/// The allocator of the generated `ClientBuilder`'s method names: security schemes in document
/// order, then the path prefix.
pub fn builder_methods() -> NameAllocator {
    NameAllocator::with_reserved(BUILDER_METHODS)
}

/// The builder method of an HTTP bearer scheme.
pub const BEARER_METHOD: &str = "bearer_token";
/// The builder method of an HTTP Basic scheme.
pub const BASIC_METHOD: &str = "basic_auth";
/// The builder method of an API key scheme (header, query or cookie).
pub const API_KEY_METHOD: &str = "api_key";
/// The builder method of an OAuth2 client-credentials scheme.
pub const CLIENT_CREDENTIALS_METHOD: &str = "client_credentials";
/// The builder method of another OAuth2 flow or OpenID Connect: the caller brings a token.
pub const ACCESS_TOKEN_METHOD: &str = "access_token";
/// The builder method of a token exchange whose extension names none.
pub const TOKEN_EXCHANGE_METHOD: &str = "token_exchange";

/// The builder method of the security scheme `key` whose kind's method is `default`: `default`
/// while free, so a spec with one scheme of each kind reads naturally, otherwise prefixed with
/// the key (`admin_api_key`); allocated from `names` (see [`builder_methods`]).
pub fn scheme_method(names: &mut NameAllocator, key: &str, default: &str) -> String {
    let wanted = if names.is_free(default) {
        default.to_owned()
    } else {
        format!("{}_{default}", bare(&field_name(key)))
    };
    names.allocate(&wanted)
}

/// The `FakeApi` answers method of each operation, by the operations' method names in order:
/// the method's own name, or with `_operation` added when `FakeApi` has a method of that name
/// (see [`FAKE_API_METHODS`]), numbered if that clashes with another operation's method.
pub fn fake_methods<'a>(methods: impl IntoIterator<Item = &'a str> + Clone) -> Vec<String> {
    let mut names = NameAllocator::with_reserved(FAKE_API_METHODS);
    // Operation methods are unique already: the renamed ones are allocated after them.
    for method in methods.clone() {
        if !FAKE_API_METHODS.contains(&method) {
            names.allocate(method);
        }
    }
    methods
        .into_iter()
        .map(|method| {
            if FAKE_API_METHODS.contains(&method) {
                names.allocate(&format!("{method}_operation"))
            } else {
                method.to_owned()
            }
        })
        .collect()
}

/// `name` after the indefinite article its sound takes: "an Alert", "a User", "an Update".
/// Type names are English words in UpperCamelCase; the rule goes by letters, with the
/// common `U` words that begin with a "you" sound (`User`, `Usage`, `Uri`, `Url`, `Unique`, `Unit`,
/// `Universal`, `Uuid`) taking "a".
pub fn with_article(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let you_sound = [
        "us", "uri", "url", "uuid", "uniq", "unit", "univ", "union", "util", "ut", "eu", "one",
    ];
    let vowel = lower.starts_with(['a', 'e', 'i', 'o', 'u'])
        && !you_sound.iter().any(|p| lower.starts_with(p));
    if vowel {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_follow_the_sound_of_the_name() {
        assert_eq!(with_article("Alert"), "an Alert");
        assert_eq!(with_article("Adversary"), "an Adversary");
        assert_eq!(with_article("Update"), "an Update");
        assert_eq!(with_article("User"), "a User");
        assert_eq!(with_article("UsageRecord"), "a UsageRecord");
        assert_eq!(with_article("UuidList"), "a UuidList");
        assert_eq!(with_article("Case"), "a Case");
        assert_eq!(with_article("alias"), "an alias");
        assert_eq!(with_article("struct"), "a struct");
    }

    #[test]
    fn schemas_named_like_the_crate_root_exports_are_renamed() {
        assert_eq!(schema_type_name("Error"), "ErrorBody");
        assert_eq!(schema_type_name("error"), "ErrorBody");
        assert_eq!(schema_type_name("StatusError"), "StatusErrorBody");
        assert_eq!(schema_type_name("client"), "ClientObject");
        assert_eq!(schema_type_name("ApiError"), "ApiError");
        assert_eq!(schema_type_name("Errors"), "Errors");
    }

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

    /// Texts that have broken identifier rules: empty, symbols only, digits, keywords,
    /// non-ASCII, raw-looking and underscore-only names.
    const NASTY: &[&str] = &[
        "",
        " ",
        "_",
        "__",
        "-",
        "+",
        "*",
        "@",
        "!!!",
        "-1",
        "+1",
        "2",
        "007",
        "1h",
        "2fa",
        "3dModel",
        "type",
        "Type",
        "self",
        "Self",
        "super",
        "crate",
        "r#type",
        "r#self",
        "r#",
        "Self_",
        "fn",
        "match[name]",
        "é",
        "Café",
        "日本語",
        "²",
        "٣",
        "x\u{0}y",
        "\u{200b}",
        "a b",
        "a-b",
        "ConversationParam-2",
        "Σ",
        "_1",
        "1_",
        "ß",
        "true",
        "async",
        "gen",
        "try",
        "dyn",
        "union",
        "abstract",
        "r#r#x",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "\u{301}a",
        "unnamed",
    ];

    #[test]
    fn every_naming_function_yields_an_identifier() {
        let check = |what: &str, raw: &str, name: String| {
            assert!(
                syn::parse_str::<syn::Ident>(&name).is_ok(),
                "{what}({raw:?}) = {name:?} is not an identifier"
            );
            assert!(is_identifier(&name), "{what}({raw:?}) = {name:?}");
        };
        for raw in NASTY {
            check("type_name", raw, type_name(raw));
            check("variant_name", raw, variant_name(raw));
            check("field_name", raw, field_name(raw));
            check("variant_from_type", raw, variant_from_type("Union", raw));
            check("variant_from_type", raw, variant_from_type(raw, raw));
            let mut names = NameAllocator::default();
            check("allocate", raw, names.allocate(raw));
            check("allocate", raw, names.allocate(raw));
            for text in [format!("Union{raw}"), format!("{raw}2")] {
                check(
                    "variant_from_type",
                    &text,
                    variant_from_type("Union", &text),
                );
            }
        }
    }

    #[test]
    fn numeric_union_remainders_keep_the_type_name() {
        assert_eq!(
            variant_from_type("ConversationParam", "ConversationParam2"),
            "ConversationParam2"
        );
        assert_eq!(variant_from_type("Rule", "RuleAlert"), "Alert");
        assert_eq!(variant_from_type("Rule", "Other"), "Other");
        assert_eq!(NameAllocator::default().allocate("2"), "V2");
    }

    #[test]
    fn non_ascii_is_spelled_out_and_kept_apart() {
        assert_eq!(type_name("Café"), "CafUe9");
        assert_ne!(variant_name("é"), variant_name("è"));
        assert!(is_identifier(&field_name("日本語")));
    }

    #[test]
    fn identifier_check_matches_rust() {
        for good in ["a", "_a", "A1", "r#type", "self_"] {
            assert!(is_identifier(good), "{good}");
        }
        for bad in ["", "_", "1a", "type", "r#self", "r#x", "a-b", "é"] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn operation_ids_are_derived_from_method_and_path() {
        assert_eq!(derived_operation_id("get", "/pets/{id}"), "get_pets_id");
    }

    #[test]
    fn a_page_stream_named_like_an_operation_takes_the_next_name() {
        let mut methods = client_methods();
        assert_eq!(methods.allocate("list_rules"), "list_rules");
        assert_eq!(methods.allocate("list_rules_stream"), "list_rules_stream");
        assert_eq!(
            methods.allocate(&stream_method("list_rules")),
            "list_rules_stream2"
        );
        assert_eq!(stream_method("r#type"), "type_stream");
        assert_eq!(methods.allocate("transport"), "transport2");
    }

    #[test]
    fn a_second_scheme_of_a_kind_is_named_after_its_key() {
        let mut names = builder_methods();
        assert_eq!(
            scheme_method(&mut names, "token", BEARER_METHOD),
            "bearer_token"
        );
        assert_eq!(
            scheme_method(&mut names, "adminToken", BEARER_METHOD),
            "admin_token_bearer_token"
        );
        assert_eq!(scheme_method(&mut names, "x", "timeout"), "x_timeout");
    }

    #[test]
    fn fake_methods_move_off_fake_api_and_other_operations() {
        assert_eq!(
            fake_methods(["start", "start_operation", "list"]),
            ["start_operation2", "start_operation", "list"]
        );
        assert_eq!(fake_methods(["calls"]), ["calls_operation"]);
    }

    #[test]
    fn derived_type_names_carry_their_role() {
        assert_eq!(params_type("ListRules"), "ListRulesParams");
        assert_eq!(response_type("ListRules", None), "ListRulesResponse");
        assert_eq!(
            response_type("ListRules", Some(202)),
            "ListRulesResponse202"
        );
        assert_eq!(
            error_type("ListRules", ErrorStatus::Range(4)),
            "ListRulesError4xx"
        );
        assert_eq!(integer_variant(-1), "Minus1");
        assert_eq!(status_variant(299), "Status299");
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
