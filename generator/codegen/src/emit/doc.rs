//! Spec prose → rustdoc attributes.
//!
//! Vendor descriptions are Markdown written for a web page. Two things in them would break a
//! generated crate: code blocks (rustdoc compiles and runs untagged ones as doctests) and
//! indentation that Markdown reads as a code block. Fenced blocks are therefore tagged `text`
//! unless they already name a language other than Rust, and other lines lose their leading
//! indentation. Link and HTML lints are allowed crate-wide in the generated `lib.rs`, since the
//! text is the vendor's.

use proc_macro2::TokenStream;
use quote::quote;

/// Rewrites `text` so rustdoc renders it and never runs it.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for line in text.trim().lines() {
        let trimmed = line.trim_start();
        let marker = if trimmed.starts_with("```") {
            Some("```")
        } else if trimmed.starts_with("~~~") {
            Some("~~~")
        } else {
            None
        };
        match (&fence, marker) {
            (None, Some(marker)) => {
                let lang = trimmed[marker.len()..].trim();
                let rusty = lang.is_empty() || lang.starts_with("rust");
                let lang = if rusty { "text" } else { lang };
                out.push(format!("{marker}{lang}"));
                fence = Some(marker.to_owned());
            }
            (Some(open), Some(marker)) if open == marker => {
                out.push(marker.to_owned());
                fence = None;
            }
            (Some(_), _) => out.push(line.trim_end().to_owned()),
            (None, None) => out.push(trimmed.trim_end().to_owned()),
        }
    }
    if let Some(open) = fence {
        out.push(open);
    }
    out.join("\n")
}

/// `#[doc = "…"]` attributes, one per line, for each non-empty part, separated by blank lines.
pub fn attrs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for part in parts.into_iter().flatten() {
        let text = sanitize(part);
        if text.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(text.lines().map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        }));
    }
    quote!(#(#[doc = #lines])*)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untagged_fences_become_text() {
        assert_eq!(sanitize("a\n```\nx\n```"), "a\n```text\nx\n```");
        assert_eq!(sanitize("```json\n{}\n```"), "```json\n{}\n```");
    }

    #[test]
    fn indentation_outside_fences_is_dropped() {
        assert_eq!(sanitize("para\n\n    not code"), "para\n\nnot code");
    }

    #[test]
    fn unclosed_fences_are_closed() {
        assert_eq!(sanitize("```\nx"), "```text\nx\n```");
    }
}
