//! Spec prose → rustdoc attributes.
//!
//! Vendor descriptions are Markdown written for a web page, and rustdoc and clippy read them
//! more strictly than the page did. Each rewrite below keeps the text reading the same while
//! removing one class of warning at its root:
//!
//! - code blocks: rustdoc compiles and runs untagged fenced blocks as doctests, so fences are
//!   tagged `text` unless they already name a language other than Rust; indentation, which
//!   Markdown would read as a code block, is dropped outside fences;
//! - list items and block quotes continued on the next line without indentation (clippy's
//!   `doc_lazy_continuation`, also what dropping indentation would cause) get the indentation
//!   of the item, or the quote marker, back;
//! - tabs (clippy's `tabs_in_doc_comments`) become four spaces;
//! - bare URLs (`rustdoc::bare_urls`) become autolinks `<https://…>`; a link whose text is its
//!   own URL (`rustdoc::redundant_explicit_links`) becomes an autolink too;
//! - square brackets that are not a link to a URL (`[Beta]`, `[abc]`, `[*]`: rustdoc would
//!   read them as links to Rust items, `rustdoc::broken_intra_doc_links`) are escaped;
//! - HTML tags that are not closed, or closed without being opened (`<id>`, `Vec<T>`:
//!   `rustdoc::invalid_html_tags`), are escaped as `&lt;`; balanced tags and void elements are
//!   kept.
//!
//! Code spans (`` `…` ``) and fenced blocks are copied as written. The generator's own notes go
//! through the same path; their intra-doc links name `Self::…` or `crate::…`, which are kept.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

/// Rewrites `text` so rustdoc renders it without warnings and never runs it.
pub fn sanitize(text: &str) -> String {
    let lines = block_structure(text);
    let escaped_tags = unbalanced_tags(&lines);
    let mut out = Vec::with_capacity(lines.len());
    for (index, line) in lines.iter().enumerate() {
        match line {
            Line::Verbatim(text) => out.push(text.clone()),
            Line::Prose { prefix, text } => {
                let body = inline(text, |offset| escaped_tags.contains(&(index, offset)));
                out.push(format!("{prefix}{body}"));
            }
        }
    }
    out.join("\n")
}

/// One output line: copied as is (fences and their contents), or prose after `prefix`.
#[derive(Debug)]
enum Line {
    Verbatim(String),
    Prose { prefix: String, text: String },
}

/// What the previous prose line opened, for the lines that continue it.
#[derive(Clone, Copy)]
enum Container {
    None,
    /// A list item whose content starts this many columns in.
    List(usize),
    Quote,
}

/// Fences tagged and closed, indentation dropped, lazy continuations indented.
fn block_structure(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut fence: Option<&'static str> = None;
    let mut container = Container::None;
    for raw in text.trim().lines() {
        let line = raw.replace('\t', "    ");
        let trimmed = line.trim_start();
        let marker = if trimmed.starts_with("```") {
            Some("```")
        } else if trimmed.starts_with("~~~") {
            Some("~~~")
        } else {
            None
        };
        match (fence, marker) {
            (None, Some(marker)) => {
                let lang = trimmed.get(marker.len()..).unwrap_or("").trim();
                let lang = if runs_as_rust(lang) { "text" } else { lang };
                out.push(Line::Verbatim(format!("{marker}{lang}")));
                fence = Some(marker);
                container = Container::None;
            }
            (Some(open), Some(marker)) if open == marker => {
                out.push(Line::Verbatim(marker.to_owned()));
                fence = None;
            }
            (Some(_), _) => out.push(Line::Verbatim(line.trim_end().to_owned())),
            (None, None) => {
                let trimmed = trimmed.trim_end();
                if trimmed.is_empty() {
                    container = Container::None;
                    out.push(Line::Verbatim(String::new()));
                    continue;
                }
                let prefix = if let Some(width) = list_marker_width(trimmed) {
                    container = Container::List(width);
                    String::new()
                } else if trimmed.starts_with('>') {
                    container = Container::Quote;
                    String::new()
                } else {
                    match container {
                        Container::None => String::new(),
                        Container::List(width) => " ".repeat(width),
                        Container::Quote => "> ".to_owned(),
                    }
                };
                out.push(Line::Prose {
                    prefix,
                    text: trimmed.to_owned(),
                });
            }
        }
    }
    if let Some(open) = fence {
        out.push(Line::Verbatim(open.to_owned()));
    }
    out
}

/// Whether rustdoc would treat a fenced block with this info string as a Rust doctest.
fn runs_as_rust(lang: &str) -> bool {
    const RUSTDOC: &[&str] = &[
        "rust",
        "ignore",
        "no_run",
        "should_panic",
        "compile_fail",
        "test_harness",
        "standalone_crate",
    ];
    lang.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|token| !token.is_empty())
        .all(|token| {
            let token = token.to_ascii_lowercase();
            RUSTDOC.contains(&token.as_str())
                || token.starts_with("edition")
                || token.starts_with("ignore-")
        })
}

/// Where a list item's content starts: the width of its marker (`-`, `*`, `+`, `12.`, `3)`)
/// and the spaces after it, as CommonMark counts them (one to four; with five or more, the
/// content starts after the first). Continuation lines must be indented this far, or clippy
/// calls them lazy.
fn list_marker_width(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let marker = if matches!(bytes.first(), Some(b'-' | b'*' | b'+')) {
        1
    } else {
        let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) || !matches!(bytes.get(digits), Some(b'.' | b')')) {
            return None;
        }
        digits + 1
    };
    let spaces = bytes[marker..].iter().take_while(|b| **b == b' ').count();
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// HTML elements that have no closing tag.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// An HTML tag found in prose.
struct Tag {
    line: usize,
    offset: usize,
    name: String,
    closing: bool,
}

/// The (line, byte offset) of every `<` that starts an unclosed or unopened tag.
fn unbalanced_tags(lines: &[Line]) -> BTreeSet<(usize, usize)> {
    let mut tags = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if let Line::Prose { text, .. } = line {
            for (offset, tag) in scan(text) {
                if let Token::Tag { name, closing, .. } = tag {
                    tags.push(Tag {
                        line: index,
                        offset,
                        name,
                        closing,
                    });
                }
            }
        }
    }
    let mut escaped = BTreeSet::new();
    let mut open: Vec<&Tag> = Vec::new();
    for tag in &tags {
        if !tag.closing {
            open.push(tag);
            continue;
        }
        match open.iter().rposition(|o| o.name == tag.name) {
            Some(at) => {
                for unclosed in open.drain(at..).skip(1) {
                    escaped.insert((unclosed.line, unclosed.offset));
                }
            }
            None => {
                escaped.insert((tag.line, tag.offset));
            }
        }
    }
    escaped.extend(open.iter().map(|t| (t.line, t.offset)));
    escaped
}

/// A piece of a prose line that the inline rewrite treats as a unit.
enum Token {
    /// A code span, an autolink, an HTML comment or a backslash escape: copied as written.
    Verbatim(usize),
    /// An HTML tag of `len` bytes (void and self-closing elements are not reported).
    Tag {
        len: usize,
        name: String,
        closing: bool,
    },
}

/// The code spans, autolinks, comments, escapes and tags of `text`, by byte offset.
fn scan(text: &str) -> Vec<(usize, Token)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let rest = text.get(i..).unwrap_or("");
        let token = match b {
            b'\\' if bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) => {
                Some(Token::Verbatim(2))
            }
            b'`' => code_span(rest).map(Token::Verbatim),
            b'<' => angle(rest),
            _ => None,
        };
        match token {
            Some(token) => {
                let len = match &token {
                    Token::Verbatim(len) | Token::Tag { len, .. } => *len,
                };
                let void = matches!(&token, Token::Tag { name, .. } if VOID_ELEMENTS.contains(&name.as_str()))
                    || matches!(&token, Token::Tag { len, .. } if rest.get(..*len).is_some_and(|t| t.ends_with("/>")));
                if void {
                    found.push((i, Token::Verbatim(len)));
                } else {
                    found.push((i, token));
                }
                i += len.max(1);
            }
            None => i += 1,
        }
    }
    found
}

/// The length of the code span at the start of `text` (a run of backticks up to the next run
/// of the same length on the line), if it is closed.
fn code_span(text: &str) -> Option<usize> {
    let ticks = text.bytes().take_while(|&b| b == b'`').count();
    let mut i = ticks;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        if bytes.get(i) == Some(&b'`') {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if run == ticks {
                return Some(i + run);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// What a `<` at the start of `text` opens: an autolink or comment (verbatim), a tag, or
/// nothing Markdown would treat specially.
fn angle(text: &str) -> Option<Token> {
    if text.starts_with("<!--") {
        return text.find("-->").map(|end| Token::Verbatim(end + 3));
    }
    let close = text.find('>');
    let autolink = ["<http://", "<https://", "<mailto:"]
        .iter()
        .any(|scheme| text.starts_with(scheme));
    if autolink {
        let end = close?;
        let inner = text.get(1..end).unwrap_or("");
        return (!inner.contains(char::is_whitespace)).then_some(Token::Verbatim(end + 1));
    }
    let after = text.get(1..).unwrap_or("");
    let (closing, after) = match after.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, after),
    };
    let name_len = after
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
        .count();
    if !after
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    let name = after.get(..name_len)?.to_ascii_lowercase();
    let next = after.as_bytes().get(name_len).copied();
    if !matches!(next, Some(b'>' | b'/' | b' ')) {
        return None;
    }
    let end = close?;
    Some(Token::Tag {
        len: end + 1,
        name,
        closing,
    })
}

/// The inline rewrite of one prose line: bare URLs become autolinks, brackets that are not a
/// link are escaped, tags for which `escape_tag(offset)` holds are escaped.
fn inline(text: &str, escape_tag: impl Fn(usize) -> bool) -> String {
    let tokens = scan(text);
    let mut tokens = tokens.into_iter().peekable();
    let kept = links(text, &tokens_verbatim_ranges(text));
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    let mut link_text_until = 0;
    while i < text.len() {
        while tokens.peek().is_some_and(|(at, _)| *at < i) {
            tokens.next();
        }
        if let Some((at, token)) = tokens.peek() {
            if *at == i {
                let len = match token {
                    Token::Verbatim(len) | Token::Tag { len, .. } => *len,
                };
                let piece = text.get(i..i + len).unwrap_or("");
                if matches!(token, Token::Tag { .. }) && escape_tag(i) {
                    out.push_str("&lt;");
                    out.push_str(piece.get(1..).unwrap_or(""));
                } else {
                    out.push_str(piece);
                }
                i += len.max(1);
                continue;
            }
        }
        let rest = text.get(i..).unwrap_or("");
        if let Some(link) = kept.iter().find(|l| l.open == i) {
            if let Some(url) = &link.redundant {
                out.push('<');
                out.push_str(url);
                out.push('>');
                i = link.end;
            } else {
                out.push('[');
                link_text_until = link.close;
                i += 1;
            }
            continue;
        }
        if let Some(link) = kept.iter().find(|l| l.close == i) {
            out.push_str(text.get(link.close..link.end).unwrap_or(""));
            i = link.end;
            continue;
        }
        let starts_word = !text
            .get(..i)
            .and_then(|before| before.chars().next_back())
            .is_some_and(|c| c.is_alphanumeric() || c == '/');
        let url = rest.starts_with("http://") || rest.starts_with("https://");
        if i >= link_text_until && starts_word && url {
            let len = bare_url_len(rest);
            out.push('<');
            out.push_str(rest.get(..len).unwrap_or(""));
            out.push('>');
            i += len;
            continue;
        }
        let Some(c) = rest.chars().next() else {
            break;
        };
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            c => out.push(c),
        }
        i += c.len_utf8();
    }
    out
}

/// Byte ranges of the verbatim pieces (code spans, autolinks, escapes) and tags of `text`.
fn tokens_verbatim_ranges(text: &str) -> Vec<(usize, usize)> {
    scan(text)
        .into_iter()
        .map(|(at, token)| match token {
            Token::Verbatim(len) | Token::Tag { len, .. } => (at, at + len),
        })
        .collect()
}

/// An inline link `[text](destination)` kept as a link.
struct Link {
    /// Offset of `[`.
    open: usize,
    /// Offset of `]`.
    close: usize,
    /// Offset just past `)`.
    end: usize,
    /// The URL, when the text is the URL itself (written as an autolink instead).
    redundant: Option<String>,
}

/// The inline links of `text` whose destination is a URL, an anchor, a relative path or a
/// `crate::`/`Self::` item; brackets inside `skip` ranges are not links.
fn links(text: &str, skip: &[(usize, usize)]) -> Vec<Link> {
    let inside = |at: usize| skip.iter().any(|&(from, to)| from <= at && at < to);
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) != Some(&b'[') || inside(i) {
            i += 1;
            continue;
        }
        let open = i;
        let mut depth = 0usize;
        let mut close = None;
        for (j, &b) in bytes.iter().enumerate().skip(open) {
            if inside(j) {
                continue;
            }
            match b {
                b'[' => depth += 1,
                b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else {
            break;
        };
        let after = text.get(close + 1..).unwrap_or("");
        let label = text.get(open + 1..close).unwrap_or("").trim();
        let item = label
            .strip_prefix('`')
            .and_then(|l| l.strip_suffix('`'))
            .is_some_and(|path| path.starts_with("Self::") || path.starts_with("crate::"));
        if item && !after.starts_with('(') {
            found.push(Link {
                open,
                close,
                end: close + 1,
                redundant: None,
            });
            i = close + 1;
            continue;
        }
        let destination_end = after
            .strip_prefix('(')
            .and_then(|d| d.find(')'))
            .map(|end| close + 2 + end);
        if let Some(end) = destination_end {
            let destination = text.get(close + 2..end).unwrap_or("").trim();
            let target = destination.split_whitespace().next().unwrap_or("");
            if is_link_target(target) {
                let redundant = (label == target
                    && (target.starts_with("http://") || target.starts_with("https://")))
                .then(|| target.to_owned());
                found.push(Link {
                    open,
                    close,
                    end: end + 1,
                    redundant,
                });
                i = end + 1;
                continue;
            }
        }
        i = open + 1;
    }
    found
}

/// Whether rustdoc takes `target` as a URL or path (not as a Rust item it must resolve), or it
/// names an item the generated crate has.
fn is_link_target(target: &str) -> bool {
    !target.is_empty()
        && !target.contains(char::is_whitespace)
        && (target.contains("://")
            || target.starts_with("mailto:")
            || target.starts_with('#')
            || target.starts_with('/')
            || target.starts_with('.')
            || target.contains('/')
            || target.starts_with("crate::")
            || target.starts_with("Self::"))
}

/// The length of the bare URL at the start of `text`: up to whitespace or a character that
/// cannot be in it, without trailing punctuation or an unbalanced closing parenthesis.
fn bare_url_len(text: &str) -> usize {
    let mut end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '[' | ']' | '|'))
        .unwrap_or(text.len());
    loop {
        let url = text.get(..end).unwrap_or("");
        let Some(last) = url.chars().next_back() else {
            break;
        };
        let unbalanced_paren = last == ')' && url.matches('(').count() < url.matches(')').count();
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '*' | '_' | '\'') || unbalanced_paren
        {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    end
}
/// Doc attributes for text the generator writes itself (not spec prose, which goes through
/// [`attrs`]): each line with the leading space a `///` comment has, so that every doc
/// comment of a generated crate reads `/// Text`.
pub fn text(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!(#(#[doc = #lines])*)
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
        assert_eq!(sanitize("```rust,no_run\nx\n```"), "```text\nx\n```");
        assert_eq!(sanitize("```ignore\nx\n```"), "```text\nx\n```");
        assert_eq!(sanitize("```Rust\nx\n```"), "```text\nx\n```");
    }

    #[test]
    fn fenced_contents_are_copied_as_written() {
        let text = "```\n[a] <b> https://x.test\n  indented\n```";
        assert_eq!(
            sanitize(text),
            "```text\n[a] <b> https://x.test\n  indented\n```"
        );
    }

    #[test]
    fn indentation_outside_fences_is_dropped() {
        assert_eq!(sanitize("para\n\n    not code"), "para\n\nnot code");
    }

    #[test]
    fn unclosed_fences_are_closed() {
        assert_eq!(sanitize("```\nx"), "```text\nx\n```");
    }

    #[test]
    fn lazy_list_continuations_are_indented() {
        assert_eq!(
            sanitize("- first item\ncontinued\n- second\n\nafter"),
            "- first item\n  continued\n- second\n\nafter"
        );
        assert_eq!(
            sanitize("1. one\n   more of one\n10) ten\nmore"),
            "1. one\n   more of one\n10) ten\n    more"
        );
        // The content of `*   item` starts four columns in: a continuation indented by two is
        // still lazy (GitHub's API descriptions write lists this way).
        assert_eq!(
            sanitize("*   item\n  continued\n*  other\n  more"),
            "*   item\n    continued\n*  other\n   more"
        );
    }

    #[test]
    fn lazy_quote_continuations_get_the_marker() {
        assert_eq!(
            sanitize("> quoted\nstill quoted"),
            "> quoted\n> still quoted"
        );
    }

    #[test]
    fn tabs_become_spaces() {
        assert_eq!(sanitize("a\tb"), "a    b");
        assert_eq!(sanitize("```\n\tx\n```"), "```text\n    x\n```");
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            sanitize("see https://docs.example.com/a#b."),
            "see <https://docs.example.com/a#b>."
        );
        assert_eq!(
            sanitize("(http://x.test/a_(b)) and http://y.test, done"),
            "(<http://x.test/a_(b)>) and <http://y.test>, done"
        );
        // Already linked or in code: unchanged.
        assert_eq!(sanitize("<https://x.test>"), "<https://x.test>");
        assert_eq!(sanitize("`https://x.test`"), "`https://x.test`");
        assert_eq!(
            sanitize("[the docs](https://x.test/docs)"),
            "[the docs](https://x.test/docs)"
        );
    }

    #[test]
    fn links_to_their_own_url_become_autolinks() {
        assert_eq!(
            sanitize("at [https://x.test](https://x.test) now"),
            "at <https://x.test> now"
        );
    }

    #[test]
    fn brackets_that_are_not_links_are_escaped() {
        assert_eq!(
            sanitize("[Beta] Unlinks the repo"),
            "\\[Beta\\] Unlinks the repo"
        );
        assert_eq!(
            sanitize("[abc] matches, abc[*] too"),
            "\\[abc\\] matches, abc\\[*\\] too"
        );
        assert_eq!(sanitize("[a](Vec) x"), "\\[a\\](Vec) x");
        assert_eq!(sanitize("already \\[x\\]"), "already \\[x\\]");
        assert_eq!(sanitize("`a[0]`"), "`a[0]`");
    }

    #[test]
    fn the_generators_own_item_links_are_kept() {
        assert_eq!(
            sanitize("makes [`Self::build`] fail"),
            "makes [`Self::build`] fail"
        );
        assert_eq!(sanitize("[`Vec`] stays text"), "\\[`Vec`\\] stays text");
        assert_eq!(
            sanitize("of [`Client::a`](crate::Client::a)."),
            "of [`Client::a`](crate::Client::a)."
        );
    }

    #[test]
    fn unbalanced_html_tags_are_escaped() {
        assert_eq!(
            sanitize("a <b>bold</b> word, an <id> and Vec<T>"),
            "a <b>bold</b> word, an &lt;id> and Vec&lt;T>"
        );
        assert_eq!(sanitize("line<br>break <br/>"), "line<br>break <br/>");
        assert_eq!(sanitize("stray </p> end"), "stray &lt;/p> end");
        assert_eq!(
            sanitize("<ul>\n<li>one</li>\n</ul>"),
            "<ul>\n<li>one</li>\n</ul>"
        );
        assert_eq!(sanitize("a < b and `<c>`"), "a < b and `<c>`");
    }
}
