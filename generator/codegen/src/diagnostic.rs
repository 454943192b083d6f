//! Errors about a spec, located for the person who has to fix it.
//!
//! The model builder reports a `Problem`: a JSON pointer into the document and what is wrong
//! there. The pipeline then turns problems into [`Diagnostic`]s by adding the file and the
//! line and column the pointer leads to (see [`crate::locate`]). Everything the generator
//! rejects reaches the user this way; it never panics on a document.

use std::fmt;
use std::path::PathBuf;

/// Something wrong at one place in the document, before the file and line are known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// JSON pointer (RFC 6901) to the offending node, e.g. `/paths/~1pets/get`.
    pub pointer: String,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl Problem {
    /// A problem at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// A `Problem` with the file, line and column it was found at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file.
    pub file: PathBuf,
    /// 1-based line, when it could be found.
    pub line: Option<usize>,
    /// 1-based column, when it could be found.
    pub column: Option<usize>,
    /// JSON pointer to the offending node (empty for the whole document).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        let pointer = if self.pointer.is_empty() {
            "(document root)"
        } else {
            &self.pointer
        };
        write!(f, ": {} [at {pointer}]", self.message)
    }
}

/// Every problem found in one spec, in document order; never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        writeln!(
            f,
            "{count} problem{} in the spec:",
            if count == 1 { "" } else { "s" }
        )?;
        for diagnostic in &self.0 {
            writeln!(f, "  {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 says.
pub fn push_pointer(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(push_pointer("/paths", "/a/{b}"), "/paths/~1a~1{b}");
        assert_eq!(push_pointer("", "x~y"), "/x~0y");
    }

    #[test]
    fn display_names_file_line_and_pointer() {
        let d = Diagnostic {
            file: PathBuf::from("specs/x/openapi.yaml"),
            line: Some(12),
            column: Some(7),
            pointer: "/paths/~1a/get".into(),
            message: "duplicate operationId `a`".into(),
        };
        assert_eq!(
            d.to_string(),
            "specs/x/openapi.yaml:12:7: duplicate operationId `a` [at /paths/~1a/get]"
        );
    }
}
