//! A depth-first walk over a `serde_json::Value` that knows each node's path without building
//! a pointer string for every node: the loader's steps look at every node of documents of
//! several megabytes and need a pointer only for the few they change or report.

use serde_json::Value;

use crate::diagnostic::push_pointer;

/// One step of a path: a member name or an item index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// A member of an object.
    Key(&'a str),
    /// An item of an array.
    Index(usize),
}

/// Visits `root` and every object and array under it, depth first in document order, without
/// recursion. `visit` gets the node's path from `root` and the node, and says whether to walk
/// into the node's children.
pub(crate) fn each_container<'a>(
    root: &'a Value,
    mut visit: impl FnMut(&[Token<'a>], &'a Value) -> bool,
) {
    let mut path: Vec<Token<'a>> = Vec::new();
    // (depth of the node's path, its last token, the node)
    let mut stack: Vec<(usize, Option<Token<'a>>, &'a Value)> = vec![(0, None, root)];
    while let Some((depth, token, node)) = stack.pop() {
        path.truncate(depth.saturating_sub(1));
        if let Some(token) = token {
            path.push(token);
        }
        if !visit(&path, node) {
            continue;
        }
        match node {
            Value::Object(map) => {
                for (key, child) in map.iter().rev() {
                    if child.is_object() || child.is_array() {
                        stack.push((depth + 1, Some(Token::Key(key)), child));
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate().rev() {
                    if child.is_object() || child.is_array() {
                        stack.push((depth + 1, Some(Token::Index(i)), child));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The JSON pointer of `path` under `prefix`.
pub(crate) fn pointer(prefix: &str, path: &[Token<'_>]) -> String {
    path.iter()
        .fold(prefix.to_owned(), |at, token| match token {
            Token::Key(key) => push_pointer(&at, key),
            Token::Index(i) => push_pointer(&at, &i.to_string()),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_follow_document_order_and_skipped_nodes_are_not_entered() {
        let doc = json!({"a": {"b/c": [{"d": {}}]}, "skip": {"e": {}}, "f": [1, {"g": {}}]});
        let mut seen = Vec::new();
        each_container(&doc, |path, _| {
            seen.push(pointer("", path));
            path.last() != Some(&Token::Key("skip"))
        });
        assert_eq!(
            seen,
            [
                "",
                "/a",
                "/a/b~1c",
                "/a/b~1c/0",
                "/a/b~1c/0/d",
                "/skip",
                "/f",
                "/f/1",
                "/f/1/g"
            ]
        );
    }
}
