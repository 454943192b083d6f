//! `multipart/form-data` request bodies (RFC 7578): text, JSON and file parts.
//!
//! Generated methods build a [`Multipart`] from the body struct's members: scalars become text
//! parts, lists one part per item, objects JSON parts, and `format: binary` members
//! [`FilePart`]s. The body is encoded in memory with a boundary checked against the content.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;

use crate::param::ToParam;

/// A file sent as one part of a multipart body.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    /// The file name announced to the server.
    pub file_name: Option<String>,
    /// The part's media type (`application/octet-stream` when not set).
    pub content_type: Option<String>,
    /// The file's contents.
    pub bytes: Bytes,
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .finish()
    }
}

impl FilePart {
    /// A part holding `bytes`, with no file name.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart {
            file_name: None,
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// Sets the file name.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the media type.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// In JSON a binary member is base64 text.
impl serde::Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.bytes))
    }
}

impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use base64::Engine as _;
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map(FilePart::new)
            .map_err(serde::de::Error::custom)
    }
}

struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    body: Bytes,
}

/// A multipart body being built; see the module documentation.
#[derive(Default)]
#[must_use]
pub struct Multipart {
    parts: Vec<Part>,
    error: Option<serde_json::Error>,
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Multipart::default()
    }

    fn push(
        &mut self,
        name: &str,
        file_name: Option<String>,
        content_type: Option<String>,
        body: Bytes,
    ) {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name,
            content_type,
            body,
        });
    }

    /// A text part.
    pub fn text(mut self, name: &str, value: &(impl ToParam + ?Sized)) -> Self {
        self.push(name, None, None, Bytes::from(value.to_param()));
        self
    }

    /// A text part when `value` is present.
    pub fn text_opt<T: ToParam>(self, name: &str, value: Option<&T>) -> Self {
        match value {
            Some(value) => self.text(name, value),
            None => self,
        }
    }

    /// One text part per item.
    pub fn text_each<T: ToParam>(mut self, name: &str, values: &[T]) -> Self {
        for value in values {
            self = self.text(name, value);
        }
        self
    }

    /// A JSON part (`application/json`).
    pub fn json(mut self, name: &str, value: &(impl serde::Serialize + ?Sized)) -> Self {
        match serde_json::to_vec(value) {
            Ok(bytes) => self.push(
                name,
                None,
                Some("application/json".into()),
                Bytes::from(bytes),
            ),
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
        self
    }

    /// A JSON part when `value` is present.
    pub fn json_opt<T: serde::Serialize>(self, name: &str, value: Option<&T>) -> Self {
        match value {
            Some(value) => self.json(name, value),
            None => self,
        }
    }

    /// A file part.
    pub fn file(mut self, name: &str, file: &FilePart) -> Self {
        let content_type = file
            .content_type
            .clone()
            .or_else(|| Some("application/octet-stream".into()));
        self.push(
            name,
            file.file_name.clone(),
            content_type,
            file.bytes.clone(),
        );
        self
    }

    /// A file part when `file` is present.
    pub fn file_opt(self, name: &str, file: Option<&FilePart>) -> Self {
        match file {
            Some(file) => self.file(name, file),
            None => self,
        }
    }

    /// One part per member of a free-form object: strings as text, others as JSON text.
    pub fn extra(mut self, members: &serde_json::Map<String, serde_json::Value>) -> Self {
        for (name, value) in members {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            self.push(name, None, None, Bytes::from(text));
        }
        self
    }

    /// One part per member the spec does not describe: strings as text, others as JSON text.
    pub fn unknown(mut self, members: &crate::Unknown) -> Self {
        for (name, raw) in members.iter() {
            let text = serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_owned());
            self.push(name, None, None, Bytes::from(text));
        }
        self
    }

    /// The content type (with boundary) and the encoded body, or the first JSON part's error.
    pub(crate) fn encode(self) -> Result<(String, Bytes), serde_json::Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let boundary = loop {
            let candidate = boundary();
            let clash = self
                .parts
                .iter()
                .any(|p| contains(&p.body, candidate.as_bytes()));
            if !clash {
                break candidate;
            }
        };
        let mut out = Vec::new();
        for part in &self.parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!(
                "Content-Disposition: form-data; name=\"{}\"",
                quote(&part.name)
            );
            if let Some(file_name) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{}\"", quote(file_name)));
            }
            out.extend_from_slice(disposition.as_bytes());
            out.extend_from_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                out.extend_from_slice(
                    format!("Content-Type: {}\r\n", strip_breaks(content_type)).as_bytes(),
                );
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&part.body);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Ok((
            format!("multipart/form-data; boundary={boundary}"),
            Bytes::from(out),
        ))
    }
}

/// Escapes a name for a quoted header parameter, as browsers do (RFC 7578 §2).
fn quote(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn strip_breaks(text: &str) -> String {
    text.chars().filter(|c| *c != '\r' && *c != '\n').collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A fresh boundary: a process counter mixed with per-process random hashing state.
fn boundary() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let state = RandomState::new();
    let mut a = state.build_hasher();
    a.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let mut b = state.build_hasher();
    b.write_u64(a.finish());
    format!("clientgen-{:016x}{:016x}", a.finish(), b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_framed_by_the_boundary() {
        let file = FilePart::new(&b"\x00\x01 data"[..]).file_name("a \"b\".bin");
        let (content_type, body) = Multipart::new()
            .text("title", "Case 1")
            .json("meta", &serde_json::json!({"k": 1}))
            .file("file", &file)
            .encode()
            .expect("encodes");
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("boundary");
        let text = String::from_utf8_lossy(&body);
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nCase 1\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"k\":1}}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a %22b%22.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\u{0}\u{1} data\r\n\
             --{boundary}--\r\n"
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn boundaries_differ_between_bodies() {
        assert_ne!(boundary(), boundary());
    }

    #[test]
    fn file_parts_are_base64_in_json_and_hide_contents_in_debug() {
        let file = FilePart::new(&b"secret contents"[..]);
        let json = serde_json::to_value(&file).expect("encodes");
        assert_eq!(json, "c2VjcmV0IGNvbnRlbnRz");
        assert_eq!(
            serde_json::from_value::<FilePart>(json).expect("decodes"),
            file
        );
        assert!(!format!("{file:?}").contains("secret"));
    }
}
